import { describe, expect, it } from 'vitest';
import { decodeDataBlock, encodeDataBlock, escapeJsonForHtml } from './embed-data.ts';
import { computeNiceTicks, buildSparkline } from './model/chart-geometry.ts';
import { planDetailLimits, FULL_LIMITS } from './model/detail-budget.ts';
import { findModelFamily, groupByModelFamily } from './model/model-family.ts';
import { buildPromptDiff, splitPromptKey } from './model/prompt-view.ts';
import { buildQuantizationView } from './model/quantization-view.ts';
import { buildRunIndex } from './model/run-index.ts';
import { createSyntheticSummary } from '../runners/bench/support/synthetic-summary.ts';

describe('findModelFamily', () => {
  it('strips quantization suffixes and the organisation, case-folded', () => {
    const names = [
      'Qwen/Qwen2.5-Coder-32B-Instruct',
      'Qwen/Qwen2.5-Coder-32B-Instruct-AWQ',
      'Qwen/Qwen2.5-Coder-32B-Instruct-GPTQ-Int4',
      'Qwen/Qwen2.5-Coder-32B-Instruct-GPTQ-Int8',
      'someone/qwen2.5-coder-32b-instruct-fp8-dynamic',
      'Qwen2.5-Coder-32B-Instruct-W4A16',
      'qwen2.5-coder-32b-instruct-q4_k_m.gguf',
    ];
    expect(new Set(names.map((name) => findModelFamily(name).key))).toEqual(new Set(['qwen2.5-coder-32b-instruct']));
    expect(findModelFamily('Qwen/Qwen2.5-Coder-32B-Instruct-AWQ').name).toBe('Qwen2.5-Coder-32B-Instruct');
  });

  it('keeps apart models that only share a prefix, and keeps names that are all suffix', () => {
    expect(findModelFamily('Qwen/Qwen2.5-Coder-14B-Instruct-AWQ').key).not.toBe(findModelFamily('Qwen/Qwen2.5-Coder-32B-Instruct-AWQ').key);
    expect(findModelFamily('Llama-3-8B-Instruct').key).toBe('llama-3-8b-instruct');
    expect(findModelFamily('awq').key).toBe('awq');
  });

  it('groups in first-seen order', () => {
    const groups = groupByModelFamily(['m-AWQ', 'other', 'm-FP8', 'm'], (name) => name);
    expect(groups.map((group) => [group.family.name, group.items])).toEqual([
      ['m', ['m-AWQ', 'm-FP8', 'm']],
      ['other', ['other']],
    ]);
  });
});

describe('the quantization view', () => {
  const summary = createSyntheticSummary({ attempts: 300, repeats: 3, seed: 5 });
  const view = buildQuantizationView(summary, buildRunIndex(summary));

  it('charts only a base model run under more than one target', () => {
    expect(view.families.map((family) => family.name)).toEqual(['Qwen2.5-Coder-32B-Instruct']);
    const [family] = view.families;
    expect(family?.rows.map((row) => row.quantization)).toEqual(['fp16', 'fp16', 'fp8', 'fp8', 'awq-int4', 'awq-int4', 'gptq-int4', 'gptq-int4']);
    expect(family?.legend.map((entry) => entry.label)).toEqual(['fp16', 'fp8', 'awq-int4', 'gptq-int4', 'prompt default', 'prompt terse']);
  });

  it('places each point inside the plot, its whisker around it', () => {
    for (const chart of view.families[0]?.charts ?? []) {
      expect(chart.points).toHaveLength(8);
      for (const point of chart.points) {
        expect(point.cx).toBeGreaterThanOrEqual(chart.plot.left);
        expect(point.cx).toBeLessThanOrEqual(chart.plot.right);
        expect(point.yHigh).toBeLessThanOrEqual(point.cy);
        expect(point.yLow).toBeGreaterThanOrEqual(point.cy);
      }
    }
  });

  it('says so when there is nothing to compare', () => {
    const single = createSyntheticSummary({ attempts: 100, repeats: 1 });
    single.statistics.cohorts = single.statistics.cohorts.filter((cohort) => cohort.key.targetId === 'qwen32-fp16');
    expect(buildQuantizationView(single, buildRunIndex(single))).toMatchObject({ families: [], note: expect.stringContaining('more than one quantization') });
  });
});

describe('chart geometry', () => {
  it('picks round ticks that cover the maximum', () => {
    expect(computeNiceTicks(57)).toEqual([0, 20, 40, 60]);
    expect(computeNiceTicks(1)).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(computeNiceTicks(0)).toEqual([0, 1]);
  });

  it('draws a sparkline with gaps for missing values', () => {
    expect(buildSparkline([0, 1, null, 0.5], 30, 10)).toEqual({ path: 'M0 10L10 0M30 5', points: [{ x: 0, y: 10 }, { x: 10, y: 0 }, { x: 30, y: 5 }] });
  });
});

describe('encodeDataBlock', () => {
  const hostile = { text: '</script><script>alert(1)</script>\u2028<!-- & -->\nsecond line' };

  it('writes small data as JSON lines that cannot end the script element and read back equal', () => {
    const block = encodeDataBlock(hostile, [hostile, { n: 2 }]);
    expect(block.encoding).toBe('json-lines');
    expect(block.text).not.toMatch(/[<>&\u2028\u2029]/);
    expect(block.text.split('\n')).toHaveLength(3);
    expect(decodeDataBlock(block.text, block.encoding)).toEqual({ head: hostile, records: [hostile, { n: 2 }] });
  });

  it('gzips and base64-encodes large data', () => {
    const records = Array.from({ length: 5000 }, (_, index) => ({ index, text: hostile.text }));
    const block = encodeDataBlock({ count: records.length }, records);
    expect(block.encoding).toBe('gzip-base64');
    expect(block.text).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(decodeDataBlock(block.text, block.encoding)).toEqual({ head: { count: 5000 }, records });
    expect(block.jsonBytes).toBe(Buffer.byteLength([{ count: 5000 }, ...records].map((value) => JSON.stringify(value)).join('\n')));
  });

  it('escapes exactly the characters that matter', () => {
    expect(escapeJsonForHtml('"a<b>c&d\u2028e"')).toBe('"a\\u003cb\\u003ec\\u0026d\\u2028e"');
  });
});

describe('planDetailLimits', () => {
  const summary = createSyntheticSummary({ attempts: 200, seed: 9 });

  it('keeps everything of a run that fits the budget', () => {
    expect(planDetailLimits(summary)).toEqual(FULL_LIMITS);
  });

  it('cuts the longest texts of a run that does not, passed attempts first', () => {
    const limits = planDetailLimits(summary, 400_000);
    expect(limits.isTrimmed).toBe(true);
    expect(limits.foldChars).toBeLessThan(FULL_LIMITS.foldChars);
    expect(limits.foldChars).toBeGreaterThanOrEqual(120);
    expect(limits.passedFoldChars).toBeLessThan(limits.foldChars);
    const tighter = planDetailLimits(summary, 200_000);
    expect(tighter.foldChars).toBeLessThanOrEqual(limits.foldChars);
  });
});

describe('prompt diffs', () => {
  it('splits keys at the last slash', () => {
    expect(splitPromptKey('group/scenario/terse')).toEqual({ scenarioId: 'group/scenario', variantId: 'terse' });
  });

  it('counts added and removed lines, folds long unchanged runs and ignores a missing final newline', () => {
    const same = Array.from({ length: 12 }, (_, index) => `line ${index}`);
    const from = { variantId: 'default', key: 's/default', text: [...same, 'old rule'].join('\n'), lineCount: 13 };
    const to = { variantId: 'terse', key: 's/terse', text: [...same, 'new rule', 'another'].join('\n') + '\n', lineCount: 14 };
    const diff = buildPromptDiff(from, to);
    expect(diff).toMatchObject({ added: 2, removed: 1, isIdentical: false });
    expect(diff.lines[0]).toEqual({ tone: 'skip', sign: '', text: '… 9 unchanged lines' });
    expect(diff.lines.filter((line) => line.tone !== 'skip').map((line) => line.sign + line.text)).toEqual([' line 9', ' line 10', ' line 11', '−old rule', '+new rule', '+another']);
    expect(buildPromptDiff(from, { ...from, text: `${from.text}\n` }).isIdentical).toBe(true);
  });
});
