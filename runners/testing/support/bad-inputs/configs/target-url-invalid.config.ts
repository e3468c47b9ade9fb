// Bad input: an endpoint target whose baseURL is not a URL.
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
      "baseURL": "gpu-host:8000"
    }
  ]
};
