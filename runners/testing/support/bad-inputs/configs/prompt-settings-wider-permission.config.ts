// Bad input: prompt variant "settings-wider-permission" (see ../prompts/settings-wider-permission).
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
    "settings-wider-permission"
  ]
};
