/**
 * Clean text: the one schema helper every user string goes through, wherever it enters (JSON
 * bodies, YAML, JSON and GIFT uploads, query strings). A string is NFC-normalised (so that the
 * same words are the same bytes, whatever keyboard or file produced them); it is refused, with
 * a message naming the character and where it is, when it holds what no person types and some
 * programs mishandle:
 *
 * - lone UTF-16 surrogates (not Unicode at all: they break JSON encoders, mail and CSV);
 * - NUL and the other C0 and C1 control characters (terminal escapes, truncation in C code);
 *   long text (prompts, explanations, options, instructions, free-text answers) may hold tab
 *   and newline, and a Windows line ending (CR LF) is read as a newline;
 * - in one-line text (names, titles, ids, emails, contacts), U+2028 LINE SEPARATOR and U+2029
 *   PARAGRAPH SEPARATOR, which break a line as a newline does (JavaScript source, many editors
 *   and mail clients) and so smuggle a second line into a field that must have one;
 * - in names and titles (candidate names, assessment titles, organisation names, bank titles),
 *   the bidirectional overrides and isolates U+202A-U+202E and U+2066-U+2069, which make a name
 *   display as something else ("Trojan Source"): a title like "Invoice\u202Efdp.exe".
 */
import * as z from 'zod/mini';

/**
 * `line`: one line (ids, emails, short answers, external ids, contacts); `long`: prose that may
 * hold tabs and newlines; `name`: one line shown as someone's or something's name (no bidi
 * controls either).
 */
export type TextKind = 'line' | 'long' | 'name';

const hex = (code: number) => `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;

/** Bidirectional embeddings, overrides (U+202A-U+202E) and isolates (U+2066-U+2069). */
export const isBidiControl = (code: number) =>
  (code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069);

/** C0 (U+0000-U+001F), DEL and C1 (U+0080-U+009F). */
export const isControl = (code: number) => code < 0x20 || (code >= 0x7f && code <= 0x9f);

/** A string as it is stored: NFC, and (long text) CR LF read as LF. */
export function normaliseUserText(s: string, kind: TextKind): string {
  const unified = kind === 'long' ? s.replace(/\r\n/g, '\n') : s;
  // normalize() leaves lone surrogates in place; they are refused by textProblem below.
  return unified.normalize('NFC');
}

/** The characters of a string: a surrogate pair is one character, a lone surrogate is `lone`. */
function* characters(
  s: string,
): Generator<{ char: string; code: number; at: number; lone: boolean }> {
  for (let i = 0; i < s.length; i++) {
    const code = s.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < s.length) {
      const next = s.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        yield { char: s.slice(i, i + 2), code: s.codePointAt(i)!, at: i, lone: false };
        i++;
        continue;
      }
    }
    yield { char: s[i]!, code, at: i, lone: code >= 0xd800 && code <= 0xdfff };
  }
}

/** Why one character may not be in text of this kind, or undefined when it may. */
function characterProblem(
  c: { code: number; at: number; lone: boolean },
  kind: TextKind,
): string | undefined {
  const at = `at character ${c.at + 1}`;
  if (c.lone) {
    return `Contains a lone surrogate (${hex(c.code)}) ${at}: this is not valid Unicode text (is the file's encoding UTF-8?).`;
  }
  if (isControl(c.code)) {
    if (kind === 'long' && (c.code === 0x09 || c.code === 0x0a)) return undefined;
    if (c.code === 0) return `Contains a NUL character (U+0000) ${at}: remove it.`;
    if (c.code === 0x0a || c.code === 0x0d)
      return `Contains a line break ${at}: this field is one line.`;
    if (c.code === 0x09) return `Contains a tab ${at}: this field is one line; use spaces.`;
    return `Contains the control character ${hex(c.code)} ${at}: remove it.`;
  }
  // U+2028 LINE SEPARATOR, U+2029 PARAGRAPH SEPARATOR: line breaks, refused as a newline is.
  if (kind !== 'long' && (c.code | 1) === 0x2029) {
    return `Contains a line break ${at}: this field is one line.`;
  }
  if (kind === 'name' && isBidiControl(c.code)) {
    return `Contains the bidirectional control ${hex(c.code)} ${at}: names and titles may not reorder how their text is displayed.`;
  }
  return undefined;
}

/**
 * Per kind, every UTF-16 code unit `characterProblem` can refuse, or that starts a character it
 * can (a surrogate): control characters (but tab and newline in long text), surrogates, the
 * line and paragraph separators in one-line text, and in names the bidirectional controls. A
 * string without any has no problem.
 */
const MAYBE_PROBLEM: Readonly<Record<TextKind, RegExp>> = {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is its purpose
  line: /[\u0000-\u001f\u007f-\u009f\ud800-\udfff\u2028\u2029]/,
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is its purpose
  long: /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\ud800-\udfff]/,
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is its purpose
  name: /[\u0000-\u001f\u007f-\u009f\ud800-\udfff\u2028\u2029\u202a-\u202e\u2066-\u2069]/,
};

/**
 * The first thing wrong with a (normalised) user string of this kind, as a message a person can
 * act on, or undefined when it is clean.
 */
export function textProblem(s: string, kind: TextKind): string | undefined {
  // Nearly every string holds none of the code units a problem starts from: one regex scan
  // says so without walking it character by character (52 KB of bank text per upload).
  if (!MAYBE_PROBLEM[kind].test(s)) return undefined;
  for (const c of characters(s)) {
    const problem = characterProblem(c, kind);
    if (problem) return problem;
  }
  return undefined;
}

/**
 * A clean user string of this kind: NFC-normalised, then refused with a message when it holds
 * what `textProblem` names; `min` and `max` count UTF-16 units of the normalised text.
 */
export function cleanText(kind: TextKind, bounds: { min?: number; max?: number } = {}) {
  return z.string().check(
    z.overwrite((s: string) => normaliseUserText(s, kind)),
    z.superRefine((s: string, ctx) => {
      const problem = textProblem(s, kind);
      if (problem) ctx.addIssue({ code: 'custom', message: problem, input: s });
    }),
    ...(bounds.min !== undefined ? [z.minLength(bounds.min)] : []),
    ...(bounds.max !== undefined ? [z.maxLength(bounds.max)] : []),
  );
}

/**
 * Text made safe to put in a file a person opens (CSV): what the rules above would refuse (text
 * stored before they existed) is written as a visible `<U+XXXX>` instead of the raw character;
 * `keep` lists control characters the format handles itself (newlines inside a quoted CSV field).
 */
export function visibleText(s: string, keep: ReadonlySet<number> = new Set()): string {
  let out = '';
  for (const c of characters(s)) {
    const hidden = c.lone || (isControl(c.code) && !keep.has(c.code)) || isBidiControl(c.code);
    out += hidden ? `<${hex(c.code)}>` : c.char;
  }
  return out;
}

/**
 * The text without what `textProblem` would refuse (and normalised): what generators of test
 * data and sample text use to produce strings a person could have sent.
 */
export function withoutUnclean(s: string, kind: TextKind): string {
  let out = '';
  for (const c of characters(normaliseUserText(s, kind))) {
    if (!characterProblem(c, kind)) out += c.char;
  }
  // Removing a character can leave text that is not NFC (a combining mark meets a new base).
  return out.normalize('NFC');
}
