/**
 * The encoding a file's byte-order mark declares, and the mark's length in bytes; undefined for a
 * file without one. One reading of the marks for the server's upload decoder (encoding.ts) and the
 * console's CSV reader (web/console/candidates.ts): it imports nothing, so it runs in both.
 */
export type MarkedEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'utf-32le' | 'utf-32be';

export function byteOrderMark(
  bytes: Uint8Array,
): { encoding: MarkedEncoding; length: number } | undefined {
  const [a, b, c, d] = bytes;
  // FF FE 00 00 is UTF-32's mark (little-endian), not UTF-16's followed by a NUL.
  if (a === 0xff && b === 0xfe) {
    return c === 0 && d === 0
      ? { encoding: 'utf-32le', length: 4 }
      : { encoding: 'utf-16le', length: 2 };
  }
  if (a === 0 && b === 0 && c === 0xfe && d === 0xff) return { encoding: 'utf-32be', length: 4 };
  if (a === 0xfe && b === 0xff) return { encoding: 'utf-16be', length: 2 };
  if (a === 0xef && b === 0xbb && c === 0xbf) return { encoding: 'utf-8', length: 3 };
  return undefined;
}
