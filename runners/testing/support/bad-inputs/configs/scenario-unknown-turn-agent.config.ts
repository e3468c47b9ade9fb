// Bad input: scenario "unknown-turn-agent" (see ../scenarios/unknown-turn-agent).
export default {
  "outputDir": "runs-never-written",
  "scenariosDir": "../scenarios",
  "fixturesDir": "../../../../../fixtures",
  "promptsDir": "../../../../../prompts",
  "scenarios": [
    "unknown-turn-agent"
  ],
  "targets": [
    {
      "kind": "scripted",
      "id": "scripted-reference",
      "model": "reference"
    }
  ]
};
