/*
 * Reads the one embedded data block: JSON lines (gzip + base64 for large runs). The first line,
 * the attempt list, is parsed at once; each drill-down line only when it is opened.
 */
/* global app, document, Blob, Response, DecompressionStream, atob */
app.loadData = async () => {
  const block = document.getElementById('report-data');
  if (block === null) throw new Error('the report has no data block');
  const encoding = block.dataset.encoding;
  const raw = block.textContent;
  // The text is no longer needed in the page once read; a large run's block is megabytes.
  block.textContent = '';
  if (encoding !== 'json-lines' && encoding !== 'gzip-base64') throw new Error(`unknown data encoding: ${encoding}`);
  const text = encoding === 'json-lines' ? raw : await gunzipBase64(raw);
  const starts = [];
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) starts.push(at + 1);
  const head = JSON.parse(text.slice(0, starts.length === 0 ? text.length : starts[0] - 1));
  const cache = new Map();
  /** The drill-down of the attempt at `index` in `head.attempts`. */
  head.detailAt = (index) => {
    if (!cache.has(index)) {
      const start = starts[index];
      if (start === undefined) throw new Error(`no drill-down for attempt ${index}`);
      const end = starts[index + 1] === undefined ? text.length : starts[index + 1] - 1;
      cache.set(index, JSON.parse(text.slice(start, end)));
    }
    return cache.get(index);
  };
  return head;
};

async function gunzipBase64(text) {
  const bytes = typeof Uint8Array.fromBase64 === 'function' ? Uint8Array.fromBase64(text) : decodeBase64(text);
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Response(stream).text();
}

function decodeBase64(text) {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index += 1) bytes[index] = binary.charCodeAt(index);
  return bytes;
}
