/**
 * Which served models are the same base model at different quantizations. The family of a
 * model name is its last path segment with quantization suffixes taken off, case-folded:
 * `Qwen/Qwen2.5-Coder-32B-Instruct-GPTQ-Int4` and `someone/qwen2.5-coder-32b-instruct-awq`
 * are both `qwen2.5-coder-32b-instruct`.
 */

/** One trailing quantization marker: -AWQ, -GPTQ, -Int4, -FP8, -W4A16, -GGUF, -Q4_K_M, -4bit, … */
const QUANTIZATION_SUFFIX =
  /[-_.](awq|gptq|int[2-8]|fp[48]|fp16|bf16|fp32|f16|w[48]a(8|16)|gguf|q[2-8](_[01k])?(_[sml])?|[2-8]-?bit|bnb|mlx|dynamic|marlin|exl2|nf4|quantized|quant)$/i;

export interface ModelFamily {
  /** Case-folded, for grouping. */
  key: string;
  /** The base name as first written, for display. */
  name: string;
}

export function findModelFamily(model: string): ModelFamily {
  let name = model.trim().split('/').at(-1) ?? model;
  for (let stripped = name.replace(QUANTIZATION_SUFFIX, ''); stripped !== name && stripped !== ''; stripped = name.replace(QUANTIZATION_SUFFIX, '')) {
    name = stripped;
  }
  return { key: name.toLowerCase(), name };
}

/** Groups items by model family, keeping first-seen order; every group has at least one item. */
export function groupByModelFamily<T>(items: readonly T[], modelOf: (item: T) => string): Array<{ family: ModelFamily; items: T[] }> {
  const groups = new Map<string, { family: ModelFamily; items: T[] }>();
  for (const item of items) {
    const family = findModelFamily(modelOf(item));
    const group = groups.get(family.key);
    if (group === undefined) groups.set(family.key, { family, items: [item] });
    else group.items.push(item);
  }
  return [...groups.values()];
}
