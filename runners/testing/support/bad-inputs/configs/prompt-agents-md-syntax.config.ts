// Bad input: prompt variant "agents-md-syntax" (see ../prompts/agents-md-syntax).
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
    "agents-md-syntax"
  ]
};
