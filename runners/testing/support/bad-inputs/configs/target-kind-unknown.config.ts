// Bad input: a target kind the harness does not know.
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
      "kind": "ollama",
      "id": "local",
      "model": "qwen2.5-coder"
    }
  ]
};
