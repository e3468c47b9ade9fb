import { gzipSync } from 'node:zlib';

/**
 * The page's one data block: JSON inside `<script type="application/json">`. The browser does
 * not run it, but the HTML parser still ends the element at the first `</script`, and an old
 * JavaScript parser reads U+2028/U+2029 as line ends — so `<`, `>`, `&` and those two are
 * written as JSON `\u` escapes, which parse back to the same string. Large data is gzipped and
 * base64-encoded (which holds none of those characters) and unpacked with DecompressionStream.
 */
export type DataEncoding = 'json' | 'gzip-base64';

export interface DataBlock {
  encoding: DataEncoding;
  text: string;
  /** Bytes of the JSON before encoding, for the record. */
  jsonBytes: number;
}

/** Above this many bytes of JSON the block is compressed. */
export const COMPRESS_ABOVE_BYTES = 64 * 1024;

export function encodeDataBlock(data: unknown, compressAboveBytes = COMPRESS_ABOVE_BYTES): DataBlock {
  const json = JSON.stringify(data);
  const jsonBytes = Buffer.byteLength(json, 'utf8');
  if (jsonBytes <= compressAboveBytes) return { encoding: 'json', text: escapeJsonForHtml(json), jsonBytes };
  return { encoding: 'gzip-base64', text: gzipSync(json, { level: 6 }).toString('base64'), jsonBytes };
}

/** JSON that is safe between `<script type="application/json">` and `</script>`. */
export function escapeJsonForHtml(json: string): string {
  return json.replace(/[<>&\u2028\u2029]/g, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
