// Bad input: scenario "webfetch-host" (see ../scenarios/webfetch-host).
export default {
  "outputDir": "runs-never-written",
  "scenariosDir": "../scenarios",
  "fixturesDir": "../../../../../fixtures",
  "promptsDir": "../../../../../prompts",
  "scenarios": [
    "webfetch-host"
  ],
  "targets": [
    {
      "kind": "scripted",
      "id": "scripted-reference",
      "model": "reference"
    }
  ]
};
