// Bad input: an API key pasted where the name of its environment variable belongs.
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
      "baseURL": "http://gpu-host:8000/v1",
      "apiKeyEnv": "sk-live-1234"
    }
  ]
};
