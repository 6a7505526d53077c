/**
 * The text of an uploaded file from its bytes: UTF-8 with or without a byte-order mark, UTF-16
 * with one (Windows editors save "Unicode" that way). Anything else is refused with the line of
 * the first byte that is not UTF-8, the encoding it most likely is, and how to re-save it:
 * a file is never stored as mojibake.
 */
import { isUtf8 } from 'node:buffer';
import { byteOrderMark } from './byte-order-mark.ts';
import { ValidationError } from './errors.ts';

const RESAVE =
  'Re-save it as UTF-8 (in most editors: Save As, Encoding "UTF-8"; or `iconv -f WINDOWS-1252 -t UTF-8 old.gift > new.gift`); Moodle exports are UTF-8 already.';

function refuse(message: string, line = 1, column = 1): never {
  throw new ValidationError([{ path: '', message, line, column }], message);
}

/** The offset of the first byte that is not part of well-formed UTF-8, or -1. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const n =
      b < 0x80
        ? 0
        : b >= 0xc2 && b <= 0xdf
          ? 1
          : b >= 0xe0 && b <= 0xef
            ? 2
            : b >= 0xf0 && b <= 0xf4
              ? 3
              : -1;
    if (n < 0) return i;
    for (let k = 1; k <= n; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
    }
    // Overlong three- and four-byte forms, surrogates and code points past U+10FFFF.
    const c1 = bytes[i + 1] ?? 0;
    if (
      (b === 0xe0 && c1 < 0xa0) ||
      (b === 0xed && c1 >= 0xa0) ||
      (b === 0xf0 && c1 < 0x90) ||
      (b === 0xf4 && c1 >= 0x90)
    ) {
      return i;
    }
    i += n + 1;
  }
  return -1;
}

/** Line and column (in characters of the readable part) of a byte offset. */
function place(bytes: Uint8Array, offset: number): { line: number; column: number } {
  const before = bytes.subarray(0, offset);
  let line = 1;
  let start = 0;
  before.forEach((b, i) => {
    if (b === 0x0a) {
      line++;
      start = i + 1;
    }
  });
  const column = new TextDecoder('utf-8').decode(bytes.subarray(start, offset)).length + 1;
  return { line, column };
}

/** Whether the bytes look like UTF-16 without a byte-order mark: a zero in every other byte. */
function utf16WithoutBom(bytes: Uint8Array): 'LE' | 'BE' | undefined {
  const n = Math.min(bytes.length, 4096) & ~1;
  if (n < 4) return undefined;
  let even = 0;
  let odd = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) even++;
    if (bytes[i + 1] === 0) odd++;
  }
  const pairs = n / 2;
  if (odd > pairs * 0.3 && even < pairs * 0.05) return 'LE';
  if (even > pairs * 0.3 && odd < pairs * 0.05) return 'BE';
  return undefined;
}

/** Bytes 0x80-0x9F are control characters in Latin-1 but letters and quotes in Windows-1252. */
const likelyEncoding = (bytes: Uint8Array) =>
  bytes.some((b) => b >= 0x80 && b <= 0x9f)
    ? 'Windows-1252 (Western European, "ANSI" on Windows)'
    : 'Latin-1 (ISO-8859-1) or Windows-1252';

/**
 * The text of an uploaded file. `what` names it in messages ("The file"). A text that reached
 * the server already decoded (a JSON string, an API Gateway text body) is checked for the
 * replacement character that a decoder leaves where bytes were not UTF-8.
 */
export function decodeUpload(bytes: Uint8Array, what = 'The file'): string {
  const bom = byteOrderMark(bytes);
  if (bom?.encoding === 'utf-32le' || bom?.encoding === 'utf-32be') {
    refuse(
      `${what} is UTF-32, which Assay does not read. Re-save it as UTF-8 (in most editors: Save As, Encoding "UTF-8"; or \`iconv -f UTF-32 -t UTF-8 old.gift > new.gift\`).`,
    );
  }
  if (bom?.encoding === 'utf-16le' || bom?.encoding === 'utf-16be') {
    return utf16(bytes.subarray(bom.length), bom.encoding, what);
  }
  const body = bom ? bytes.subarray(bom.length) : bytes;
  // Node's native check first (well-formed UTF-8, the same rules): the byte-by-byte scan, which
  // finds where it breaks, only runs for text that is not UTF-8 (6 ms of a 52 KB upload cold).
  const bad = isUtf8(body) ? -1 : firstInvalidUtf8(body);
  if (bad < 0) {
    if (body.includes(0)) {
      const order = utf16WithoutBom(body);
      if (order) {
        refuse(
          `${what} looks like UTF-16 (${order === 'LE' ? 'little' : 'big'}-endian) without a byte-order mark, so its encoding cannot be known for sure. Save it as UTF-8 (or as UTF-16 with a byte-order mark, "Unicode" in Windows editors).`,
        );
      }
      const at = place(body, body.indexOf(0));
      refuse(
        `${what} contains a NUL byte (line ${at.line}): it is not a text file.`,
        at.line,
        at.column,
      );
    }
    return checkText(new TextDecoder('utf-8').decode(body), what);
  }
  const order = utf16WithoutBom(body);
  if (order) {
    refuse(
      `${what} looks like UTF-16 (${order === 'LE' ? 'little' : 'big'}-endian) without a byte-order mark, so its encoding cannot be known for sure. Save it as UTF-8 (or as UTF-16 with a byte-order mark, "Unicode" in Windows editors).`,
    );
  }
  const at = place(body, bad);
  const byte = body[bad]!;
  const shown = new TextDecoder('windows-1252').decode(body.subarray(bad, bad + 1));
  refuse(
    `${what} is not UTF-8: at line ${at.line}, column ${at.column} the byte 0x${byte.toString(16).toUpperCase().padStart(2, '0')} is "${shown}" in ${likelyEncoding(body)}, the encoding it most likely has. ${RESAVE}`,
    at.line,
    at.column,
  );
}

function utf16(bytes: Uint8Array, encoding: 'utf-16le' | 'utf-16be', what: string): string {
  try {
    return checkText(new TextDecoder(encoding, { fatal: true }).decode(bytes), what);
  } catch (err) {
    if (err instanceof ValidationError) throw err;
    return refuse(
      `${what} starts with a UTF-16 byte-order mark but is not valid UTF-16. ${RESAVE}`,
    );
  }
}

/**
 * A decoded text with U+FFFD (what decoders put where bytes were not UTF-8) is refused with its
 * line: the file was most likely Latin-1 / Windows-1252 and was decoded as UTF-8 on the way.
 */
export function checkText(text: string, what = 'The file'): string {
  const i = text.indexOf('\uFFFD');
  if (i < 0) return text;
  const before = text.slice(0, i);
  const line = before.split('\n').length;
  const column = i - before.lastIndexOf('\n');
  refuse(
    // Within the 400 characters an issue keeps (MAX_ISSUE_TEXT): a longer one loses its middle.
    `${what} has a character that could not be read (� at line ${line}, column ${column}): most likely it is Latin-1 or Windows-1252, not UTF-8. ${RESAVE} Over HTTP, send it as application/octet-stream: its bytes arrive unchanged.`,
    line,
    column,
  );
}
