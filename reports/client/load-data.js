// @ts-check
/*
 * Reads the one embedded data block: JSON lines (gzip + base64 for large runs). The first line,
 * the attempt list, is parsed at once; each drill-down line only when it is opened.
 */
/* global document, Blob, Response, DecompressionStream, atob */
/** @import { AttemptView } from '../model/attempt-view-types.ts' */
/** @import { ReportDataHead } from '../model/report-data-types.ts' */

/**
 * The block as the page uses it: the head, and each attempt's drill-down by its position in
 * `attempts`.
 * @typedef {ReportDataHead & { detailAt: (index: number) => AttemptView }} LoadedReportData
 */

/** @returns {Promise<LoadedReportData>} */
export const loadData = async () => {
  const block = document.getElementById('report-data');
  if (block === null) throw new Error('the report has no data block');
  const encoding = block.dataset.encoding;
  const raw = block.textContent ?? '';
  // The text is no longer needed in the page once read; a large run's block is megabytes.
  block.textContent = '';
  if (encoding !== 'json-lines' && encoding !== 'gzip-base64') throw new Error(`unknown data encoding: ${encoding}`);
  const text = encoding === 'json-lines' ? raw : await gunzipBase64(raw);
  /** @type {number[]} */
  const starts = [];
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) starts.push(at + 1);
  const headEnd = starts[0] === undefined ? text.length : starts[0] - 1;
  // The one place the data's type is taken on trust: the server wrote it from the same types.
  const head = /** @type {ReportDataHead} */ (JSON.parse(text.slice(0, headEnd)));
  /** @type {Map<number, AttemptView>} */
  const cache = new Map();
  /** @param {number} index */
  const detailAt = (index) => {
    const cached = cache.get(index);
    if (cached !== undefined) return cached;
    const start = starts[index];
    if (start === undefined) throw new Error(`no drill-down for attempt ${index}`);
    const next = starts[index + 1];
    const detail = /** @type {AttemptView} */ (JSON.parse(text.slice(start, next === undefined ? text.length : next - 1)));
    cache.set(index, detail);
    return detail;
  };
  return { ...head, detailAt };
};

/** @param {string} text */
async function gunzipBase64(text) {
  const bytes = typeof Uint8Array.fromBase64 === 'function' ? Uint8Array.fromBase64(text) : decodeBase64(text);
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Response(stream).text();
}

/** @param {string} text */
function decodeBase64(text) {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index += 1) bytes[index] = binary.charCodeAt(index);
  return bytes;
}
