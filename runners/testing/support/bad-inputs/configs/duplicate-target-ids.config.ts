// Bad input: two targets with the same id.
export default {
  "outputDir": "runs-never-written",
  "scenariosDir": "../../../../../scenarios",
  "fixturesDir": "../../../../../fixtures",
  "promptsDir": "../../../../../prompts",
  "scenarios": [
    "add-stock-widget"
  ],
  "targets": [
    {
      "kind": "scripted",
      "id": "twin",
      "model": "reference"
    },
    {
      "kind": "scripted",
      "id": "twin",
      "model": "noop"
    }
  ]
};
