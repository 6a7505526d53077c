/**
 * Moodle XML as the type modules see it: a question already parsed (texts converted, positions
 * known) for `moodle.read`, and the helpers `moodle.write` builds its elements with. Parsing and
 * assembling the file is `moodle-xml.ts`.
 */
import type { Pos, XmlReader } from './moodle.ts';
import type { Authored, Option } from './question-types/type.ts';

/** One `<answer>` of a Moodle XML question. */
export interface XmlAnswer {
  /** The answer as Assay keeps it: markdown for a formatted text (multiple choice). */
  text: string;
  /** The answer as written, for answers compared with what a candidate types. */
  raw: string;
  /** Moodle's fraction, -1..1 (the `fraction` attribute is a percentage). */
  fraction: number;
  feedback?: string;
  /** `<tolerance>` of a numerical answer, as written. */
  tolerance?: string;
  pos: Pos;
}

/** One `<subquestion>` of a matching question: `left` is empty for a distractor. */
export interface XmlPair {
  left: string;
  /** As written: plain text, or markdown in a markdown question (unless `rights=plain`). */
  right: string;
  /** The pair's format (its `format` attribute, else the question's) is markdown. */
  markdown: boolean;
  pos: Pos;
}

/** A `<question type="...">` as the type modules read it. */
export interface XmlQuestion {
  /** The `type` attribute: `multichoice`, `truefalse`, `shortanswer`, ... */
  qtype: string;
  pos: Pos;
  /** The question text as Assay keeps it (HTML converted to markdown). */
  prompt: string;
  /** `<single>`: one answer allowed (multichoice); true when absent, as Moodle reads it. */
  single: boolean;
  /** `<usecase>1</usecase>`: a case-sensitive short answer. */
  usecase: boolean;
  answers: XmlAnswer[];
  subquestions: XmlPair[];
  /** A numerical question's `<unit>`s, as written. */
  units: XmlUnit[];
  /**
   * A numerical question's unit settings as written (absent: not in the file):
   * `<unitgradingtype>`, `<unitpenalty>`, `<showunits>`, `<unitsleft>`.
   */
  unitSettings: { grading?: string; penalty?: string; show?: string; left?: string };
}

/** One `<unit>` of a numerical question: `<unit_name>` and `<multiplier>` as written. */
export interface XmlUnit {
  name: string;
  multiplier: string;
  pos: Pos;
}

/** How a type reads Moodle XML: which questions are its own, and how to read one. */
export interface MoodleXmlReader<Key> {
  /** Whether this type reads the question; no two types may claim the same question. */
  claims(q: XmlQuestion): boolean;
  read(r: XmlReader, q: XmlQuestion): Authored<Key> | undefined;
}

/**
 * A question as Moodle XML: its `type` and the elements particular to it (answers, options), or
 * why Moodle XML cannot express it. `moodle-xml.ts` adds the name, texts, id and tags.
 */
export type MoodleXmlWritten =
  | {
      qtype: string;
      /** The type's own elements, each a line of XML. */
      body: string[];
      /** The question text when the type writes it differently (a missing word's blank). */
      prompt?: string;
      /** Option ids the reader gives these answers by itself (default a, b, c, ...). */
      readBackIds?: readonly string[];
      /** How the key compares a response: the assay comment says `compare=assay` or `compare=moodle`. */
      compare?: 'assay' | 'moodle';
      /** A matching question's right-hand items are written as plain text: `rights=plain`. */
      rightsPlain?: boolean;
    }
  | { skip: string };

/** Whether a character (a UTF-16 unit) may appear in XML 1.0 at all, even escaped. */
function xmlChar(code: number, next: number | undefined, prev: number | undefined): boolean {
  if (code < 0x20) return code === 0x09 || code === 0x0a || code === 0x0d;
  if (code === 0xfffe || code === 0xffff) return false;
  const high = (c: number | undefined) => c !== undefined && c >= 0xd800 && c <= 0xdbff;
  const low = (c: number | undefined) => c !== undefined && c >= 0xdc00 && c <= 0xdfff;
  if (high(code)) return low(next);
  if (low(code)) return high(prev);
  return true;
}

/** Whether a text can be written in XML at all (no control characters, no lone surrogates). */
export function xmlSafe(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    if (
      !xmlChar(
        s.charCodeAt(i),
        s.charCodeAt(i + 1) || undefined,
        i > 0 ? s.charCodeAt(i - 1) : undefined,
      )
    ) {
      return false;
    }
  }
  return true;
}

/** A text escaped for XML content and attribute values. */
export function xmlEscape(s: string): string {
  return s.replace(
    /[&<>"\r]/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\r': '&#13;' })[c]!,
  );
}

/** `<tag format="markdown"><text>...</text></tag>` (or without a format: plain text). */
export function xmlText(tag: string, text: string, format?: 'markdown'): string {
  const attr = format ? ` format="${format}"` : '';
  return `<${tag}${attr}><text>${xmlEscape(text)}</text></${tag}>`;
}

/** A fraction (-1..1) as the percentage Moodle writes in `fraction="..."`. */
export function xmlFraction(fraction: number): string {
  return String(Math.round(fraction * 1e7) / 1e5);
}

/**
 * An `<answer>` of a choice question: its text as markdown, its fraction, and no feedback
 * (Assay keeps feedback in the explanation).
 */
export function xmlChoice(o: Option, fraction: number): string {
  return `<answer fraction="${xmlFraction(fraction)}" format="markdown"><text>${xmlEscape(o.text)}</text></answer>`;
}

/** `<answer fraction="...">` with a plain text (short answer, numerical) and extra elements. */
export function xmlPlainAnswer(text: string, fraction: number, ...extra: string[]): string {
  return `<answer fraction="${xmlFraction(fraction)}"><text>${xmlEscape(text)}</text>${extra.join('')}</answer>`;
}
