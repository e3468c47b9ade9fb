// Bad input: a scenario whose fixture does not exist.
export default {
  "outputDir": "runs-never-written",
  "scenariosDir": "../scenarios",
  "fixturesDir": "../../../../../fixtures",
  "promptsDir": "../../../../../prompts",
  "scenarios": [
    "unknown-fixture"
  ],
  "targets": [
    {
      "kind": "scripted",
      "id": "scripted-reference",
      "model": "reference"
    }
  ]
};
