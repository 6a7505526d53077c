/**
 * Keys written twice in one JSON object. `JSON.parse` keeps the last silently, so a bank with
 * `"answer": "a", "answer": "b"` would be stored with the key `b` and no word to its author;
 * a YAML bank with the same mistake is refused by the YAML parser ("Map keys must be unique").
 *
 * Hand-written rather than a library: `JSON.parse` (which the upload already runs, and which
 * decides what is valid JSON) says nothing about duplicates, and a second, streaming JSON parser
 * (jsonc-parser's visitor would do) would put a whole tokenizer into the authoring bundle to
 * re-check a text that is already known to be valid. This needs no grammar: strings, the
 * brackets that open and close objects and arrays, and the commas between members.
 */

/** One key written a second time in the same object. */
export interface DuplicateKey {
  /** Path of the second occurrence: the enclosing keys and indexes, then the key itself. */
  path: (string | number)[];
  /** Offsets (UTF-16 units) of the second and of the first occurrence's opening quote. */
  offset: number;
  firstOffset: number;
}

type Frame =
  | { kind: 'object'; keys: Map<string, number>; key: string | undefined; expectKey: boolean }
  | { kind: 'array'; index: number };

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** The offset of the quote that closes the string opening at `start` (the end if none does). */
function stringEnd(text: string, start: number): number {
  let end = text.indexOf('"', start + 1);
  for (;;) {
    if (end < 0) return text.length;
    // A quote is escaped when an odd number of backslashes precede it.
    let slashes = 0;
    while (text.charCodeAt(end - 1 - slashes) === BACKSLASH) slashes++;
    if (slashes % 2 === 0) return end;
    end = text.indexOf('"', end + 1);
  }
}

/** A key's value from its JSON spelling; a malformed one stays as written. */
function decodeKey(raw: string): string {
  try {
    return JSON.parse(raw) as string;
  } catch {
    return raw;
  }
}

/** What one pass over a JSON text's structure found. */
export interface JsonStructure {
  /** Keys written twice in one object (at most the limit asked for), in document order. */
  duplicates: DuplicateKey[];
  /** The offset of the bracket that opens a level deeper than the depth asked for, or -1. */
  tooDeepAt: number;
  /**
   * The member that holds the offset asked for (`at`): the enclosing keys and indexes, and the
   * key itself when the offset is in a key. Undefined when none was asked for or the pass
   * stopped before it.
   */
  pathAt?: (string | number)[];
}

const pathOf = (frames: readonly Frame[]): (string | number)[] =>
  frames.flatMap((f): (string | number)[] =>
    f.kind === 'array' ? [f.index] : f.key === undefined ? [] : [f.key],
  );

/**
 * One pass over a JSON text's structure: the keys that appear twice in the same object (at most
 * `limit` of them, in document order) and where it first nests deeper than `maxDepth`, where the
 * pass stops. Keys compare by value, so `"title"` and `"t\u0069tle"` are the same. A text that
 * is not valid JSON is scanned as far as it goes without an error: its parser reports it. With
 * `at` (an offset), it also names the member that holds that offset (`pathAt`).
 */
export function scanJson(text: string, limit = 100, maxDepth = Infinity, at = -1): JsonStructure {
  const out: DuplicateKey[] = [];
  const stack: Frame[] = [];
  let pathAt: (string | number)[] | undefined;
  // Past `limit` duplicates the pass goes on only to find the depth, when one was asked for.
  for (let i = 0; i < text.length && (out.length < limit || maxDepth < Infinity); i++) {
    const c = text.charCodeAt(i);
    const top = stack.at(-1);
    if (at >= 0 && i >= at && !pathAt) pathAt = pathOf(stack);
    if (c === QUOTE) {
      const end = stringEnd(text, i);
      const isKey = top?.kind === 'object' && top.expectKey;
      if (at >= i && at <= end && !pathAt) {
        pathAt = isKey
          ? [...pathOf(stack.slice(0, -1)), decodeKey(text.slice(i, end + 1))]
          : pathOf(stack);
      }
      if (top?.kind === 'object' && top.expectKey) {
        const raw = text.slice(i, end + 1);
        const key = raw.includes('\\') ? decodeKey(raw) : raw.slice(1, -1);
        const first = top.keys.get(key);
        if (first === undefined) top.keys.set(key, i);
        else if (out.length < limit) {
          const path = stack.slice(0, -1).map((f) => (f.kind === 'object' ? f.key! : f.index));
          out.push({ path: [...path, key], offset: i, firstOffset: first });
        }
        top.key = key;
        top.expectKey = false;
      }
      i = end;
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (stack.length >= maxDepth)
        return { duplicates: out, tooDeepAt: i, ...(pathAt ? { pathAt } : {}) };
      stack.push(
        c === 0x7b
          ? { kind: 'object', keys: new Map(), key: undefined, expectKey: true }
          : { kind: 'array', index: 0 },
      );
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      stack.pop();
    } else if (c === 0x2c /* , */ && top) {
      if (top.kind === 'array') top.index++;
      else top.expectKey = true;
    }
  }
  return { duplicates: out, tooDeepAt: -1, ...(pathAt ? { pathAt } : {}) };
}

/** Every key that appears twice in the same object of a JSON text (see `scanJson`). */
export const duplicateJsonKeys = (text: string, limit = 100): DuplicateKey[] =>
  scanJson(text, limit).duplicates;

/**
 * What a duplicate key's refusal says, wherever it is found (`where`: how the first occurrence
 * is located, a position or a line and column; `verb`: "send" for a request, "write" for a bank).
 */
export const duplicateKeyMessage = (d: DuplicateKey, where: string, verb: 'send' | 'write') =>
  `"${String(d.path.at(-1))}" is written twice in this object (${where}): JSON would keep only the last, so ${verb} it once.`;
