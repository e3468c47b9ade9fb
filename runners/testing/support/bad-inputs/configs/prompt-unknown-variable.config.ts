// Bad input: a prompt template using a variable that does not exist.
export default {
  "outputDir": "runs-never-written",
  "scenariosDir": "../../../../../scenarios",
  "fixturesDir": "../../../../../fixtures",
  "promptsDir": "../prompts",
  "scenarios": [
    "add-stock-widget"
  ],
  "targets": [
    {
      "kind": "scripted",
      "id": "scripted-reference",
      "model": "reference"
    }
  ],
  "promptVariants": [
    "unknown-variable"
  ]
};
