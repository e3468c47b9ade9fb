import { gunzipSync, gzipSync } from 'node:zlib';

/**
 * The page's one data block, inside `<script type="application/json">`: JSON lines, the first
 * the head (everything the page needs at once), then one line per record read on demand (an
 * attempt's drill-down), so that opening a large report parses megabytes, not hundreds.
 *
 * The browser does not run the block, but the HTML parser ends the element at the first
 * `</script`, and an old JavaScript parser reads U+2028/U+2029 as line ends — so `<`, `>`, `&`
 * and those two are written as JSON `\u` escapes, which parse back to the same string. JSON
 * never holds a raw newline, so the lines stay lines. Large data is gzipped and base64-encoded
 * (which holds none of those characters) and unpacked with DecompressionStream.
 */
export type DataEncoding = 'json-lines' | 'gzip-base64';

export interface DataBlock {
  encoding: DataEncoding;
  text: string;
  /** Bytes of the JSON lines before encoding, for the record. */
  jsonBytes: number;
}

/** Above this many bytes of JSON the block is compressed. */
export const COMPRESS_ABOVE_BYTES = 64 * 1024;

export function encodeDataBlock(head: unknown, records: readonly unknown[], compressAboveBytes = COMPRESS_ABOVE_BYTES): DataBlock {
  const lines = [JSON.stringify(head), ...records.map((record) => JSON.stringify(record))].join('\n');
  const jsonBytes = Buffer.byteLength(lines, 'utf8');
  if (jsonBytes <= compressAboveBytes) return { encoding: 'json-lines', text: escapeJsonForHtml(lines), jsonBytes };
  return { encoding: 'gzip-base64', text: gzipSync(lines, { level: 6 }).toString('base64'), jsonBytes };
}

/** Reads a block back, as the page does: the head and every record. */
export function decodeDataBlock(text: string, encoding: DataEncoding): { head: unknown; records: unknown[] } {
  const lines = (encoding === 'gzip-base64' ? gunzip(text) : text).split('\n');
  const [head = 'null', ...records] = lines;
  return { head: JSON.parse(head), records: records.map((line): unknown => JSON.parse(line)) };
}

/** JSON that is safe between `<script type="application/json">` and `</script>`. */
export function escapeJsonForHtml(json: string): string {
  return json.replace(/[<>&\u2028\u2029]/g, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function gunzip(base64: string): string {
  return gunzipSync(Buffer.from(base64, 'base64')).toString('utf8');
}
