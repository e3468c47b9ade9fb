// Bad input: apiKeyEnv names a variable that is not set.
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
      "kind": "openai-compatible",
      "id": "vllm",
      "model": "Qwen/Qwen2.5-Coder-14B-Instruct",
      "baseURL": "http://127.0.0.1:9/v1",
      "apiKeyEnv": "HARNESS_BAD_INPUT_UNSET_KEY"
    }
  ]
};
