// Bad input: a scenario whose id is not its folder name.
export default {
  "outputDir": "runs-never-written",
  "scenariosDir": "../scenarios",
  "fixturesDir": "../../../../../fixtures",
  "promptsDir": "../../../../../prompts",
  "scenarios": [
    "id-mismatch"
  ],
  "targets": [
    {
      "kind": "scripted",
      "id": "scripted-reference",
      "model": "reference"
    }
  ]
};
