// Bad input: prompt variant "settings-unknown-key" (see ../prompts/settings-unknown-key).
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
    "settings-unknown-key"
  ]
};
