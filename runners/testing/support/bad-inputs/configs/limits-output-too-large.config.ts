// Bad input: an output limit not smaller than the context.
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
      "limits": {
        "context": 8192,
        "output": 8192
      }
    }
  ]
};
