/* Reads the one embedded data block: escaped JSON, or gzip + base64 for large runs. */
/* global app, document, Blob, Response, DecompressionStream, atob */
app.loadData = async () => {
  const block = document.getElementById('report-data');
  if (block === null) throw new Error('the report has no data block');
  const encoding = block.dataset.encoding;
  const text = block.textContent;
  // The text is no longer needed once read; a large run's block is megabytes.
  block.textContent = '';
  if (encoding === 'json') return JSON.parse(text);
  if (encoding !== 'gzip-base64') throw new Error(`unknown data encoding: ${encoding}`);
  const bytes = typeof Uint8Array.fromBase64 === 'function' ? Uint8Array.fromBase64(text) : decodeBase64(text);
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
  return JSON.parse(await new Response(stream).text());
};

function decodeBase64(text) {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index += 1) bytes[index] = binary.charCodeAt(index);
  return bytes;
}
