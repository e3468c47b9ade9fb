/**
 * A reader for the Prometheus text exposition format (version 0.0.4), as vLLM serves it at
 * `/metrics`: `# HELP`/`# TYPE` lines, samples `name{label="value",…} value [timestamp]`,
 * label values with `\\`, `\"` and `\n` escapes, values such as `+Inf`, `NaN`, `1.7e+09`.
 * The page is untrusted input: a line that does not parse is reported, never thrown.
 */
export interface PrometheusSample {
  /** The sample's own name, e.g. `vllm:prompt_tokens_total` or `…_bucket`. */
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface PrometheusPage {
  samples: PrometheusSample[];
  /** `# TYPE` declarations by family name (e.g. `counter`, `histogram`). */
  types: Map<string, string>;
  problems: Array<{ line: number; reason: string }>;
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*/;

export function parsePrometheusText(text: string): PrometheusPage {
  const page: PrometheusPage = { samples: [], types: new Map(), problems: [] };
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (line === '') return;
    if (line.startsWith('#')) {
      const type = /^#\s*TYPE\s+(\S+)\s+(\S+)/.exec(line);
      if (type?.[1] !== undefined && type[2] !== undefined) page.types.set(type[1], type[2]);
      return;
    }
    const parsed = parseSampleLine(line);
    if (typeof parsed === 'string') page.problems.push({ line: index + 1, reason: parsed });
    else page.samples.push(parsed);
  });
  return page;
}

/** One sample line, or the reason it is not one. */
function parseSampleLine(line: string): PrometheusSample | string {
  const name = NAME.exec(line)?.[0];
  if (name === undefined) return 'does not start with a metric name';
  let rest = line.slice(name.length);
  const labels: Record<string, string> = {};
  if (rest.startsWith('{')) {
    const read = readLabels(rest.slice(1), labels);
    if (typeof read !== 'number') return read.error;
    rest = rest.slice(1 + read);
  }
  const fields = rest.trim().split(/\s+/);
  if (fields.length < 1 || fields.length > 2 || fields[0] === undefined || fields[0] === '') return `${name}: missing value`;
  const value = parseValue(fields[0]);
  if (value === undefined) return `${name}: "${fields[0]}" is not a number`;
  return { name, labels, value };
}

/** Reads `a="x",b="y"}` into `labels`; returns the characters consumed (through `}`). */
function readLabels(text: string, labels: Record<string, string>): number | { error: string } {
  let position = 0;
  for (;;) {
    while (text[position] === ' ' || text[position] === ',') position += 1;
    if (text[position] === '}') return position + 1;
    const labelName = LABEL_NAME.exec(text.slice(position))?.[0];
    if (labelName === undefined) return { error: 'bad label name' };
    position += labelName.length;
    if (text[position] !== '=' || text[position + 1] !== '"') return { error: `label ${labelName}: expected ="` };
    position += 2;
    let value = '';
    while (position < text.length && text[position] !== '"') {
      const char = text[position] ?? '';
      if (char === '\\') {
        const next = text[position + 1] ?? '';
        value += next === 'n' ? '\n' : next;
        position += 2;
      } else {
        value += char;
        position += 1;
      }
    }
    if (position >= text.length) return { error: `label ${labelName}: unterminated value` };
    labels[labelName] = value;
    position += 1;
  }
}

function parseValue(text: string): number | undefined {
  switch (text) {
    case '+Inf':
    case 'Inf':
      return Infinity;
    case '-Inf':
      return -Infinity;
    case 'NaN':
      return Number.NaN;
    default: {
      if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) return undefined;
      return Number(text);
    }
  }
}
