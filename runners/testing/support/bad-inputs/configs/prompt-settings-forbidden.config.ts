// Bad input: prompt variant "settings-forbidden" (see ../prompts/settings-forbidden).
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
    "settings-forbidden"
  ]
};
