// Bad input: more reference turns than user turns.
export default {
  "outputDir": "runs-never-written",
  "scenariosDir": "../scenarios",
  "fixturesDir": "../../../../../fixtures",
  "promptsDir": "../../../../../prompts",
  "scenarios": [
    "reference-turns-mismatch"
  ],
  "targets": [
    {
      "kind": "scripted",
      "id": "scripted-reference",
      "model": "reference"
    }
  ]
};
