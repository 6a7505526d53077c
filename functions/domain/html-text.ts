/**
 * Moodle's formatted texts as Assay keeps them. Assay's texts are markdown rendered without
 * raw HTML (web/shared/markdown.ts); Moodle's are HTML by default (`[html]` in GIFT,
 * `format="html"` in XML). HTML becomes markdown with turndown (a maintained converter), with
 * what must not survive removed: scripts, styles, frames, event handlers and links that are not
 * http(s) or mailto, and every image, which is reported so that the reader can refuse the
 * question (an image in the question or an answer) or warn (an image in feedback).
 */
import { createRequire } from 'node:module';
import type TurndownService from 'turndown';
import { kilobytes, MAX_MOODLE_TEXT_CHARS } from './upload-limits.ts';

/** Moodle's text formats: GIFT's `[html]`... markers, XML's `format` attributes. */
export type TextFormat = 'html' | 'moodle' | 'markdown' | 'plain';

/**
 * A text as Assay keeps it, the images that were in it (their `src`), and what markdown could
 * only approximate (a table kept as rows of text), for a warning.
 */
export interface Converted {
  text: string;
  images: string[];
  notes?: string[];
  /** Why the text could not be converted at all (HTML nested deeper than `HTML_DEPTH_LIMIT`). */
  problem?: string;
}

/**
 * The deepest nesting of HTML elements converted. Parsing and converting are recursive (domino's
 * text content, turndown's walk): about 1,500 nested `<b>` exhausted Node's stack (a `500`), and
 * 50,000 nested `<div>` (250 KB) took domino nearly two minutes to parse. Moodle's editors write
 * a handful of levels.
 */
export const HTML_DEPTH_LIMIT = 100;

/** Elements that never have content (no end tag). */
const VOID_ELEMENTS = new Set(
  'area base br col embed hr img input link meta param source track wbr'.split(' '),
);

/**
 * Elements that a start tag of the same group closes when one is the innermost open element, as
 * HTML parsers do (`<li>a<li>b`, `<p>a<p>b`, `<td>a<td>b`, `<tr>` after a cell), so that
 * hand-written HTML without end tags is not counted as nested.
 */
const CLOSED_BY: Readonly<Record<string, readonly string[]>> = {
  p: ['p'],
  li: ['li'],
  dt: ['dt', 'dd'],
  dd: ['dt', 'dd'],
  option: ['option'],
  td: ['td', 'th'],
  th: ['td', 'th'],
  tr: ['td', 'th', 'tr'],
};

/**
 * How deeply the elements of an HTML text nest, as far as `limit + 1`, read from its tags without
 * parsing it (the parser is what must not see a deeper text). It closes no more than a parser
 * does: only an end tag, or a start tag of `CLOSED_BY` on its innermost open element, closes an
 * element; a misnested or unclosed tag counts as still open. (A parser reopens formatting
 * elements closed early, `<b>` after `</p>`, but only ones that were open together before, so
 * its tree stays within a small multiple of this count, far from what exhausts the stack.)
 */
export function htmlDepth(html: string, limit = HTML_DEPTH_LIMIT): number {
  const open: string[] = [];
  let deepest = 0;
  const tags = /<(\/?)([a-zA-Z][a-zA-Z0-9-]*)[^>]*>/g;
  const text = html.replace(/<!--[\s\S]*?(?:-->|$)/g, '');
  for (let m = tags.exec(text); m; m = tags.exec(text)) {
    const name = m[2]!.toLowerCase();
    if (VOID_ELEMENTS.has(name)) continue;
    if (m[1]) {
      const at = open.lastIndexOf(name);
      if (at >= 0) open.length = at;
      continue;
    }
    for (const closes of CLOSED_BY[name] ?? []) {
      if (open.at(-1) === closes) open.pop();
    }
    open.push(name);
    if (open.length > deepest) deepest = open.length;
    if (deepest > limit) break;
  }
  return deepest;
}

type Turndown = typeof TurndownService;

let turndownClass: Turndown | undefined;

/**
 * turndown (with its DOM) is about 250 KB: loaded on first use, like the YAML parser, so that
 * only uploads with HTML pay for it (a side module of the Lambda bundle, infra/aws/bundling.ts).
 */
function turndown(): Turndown {
  turndownClass ??= createRequire(import.meta.url)('turndown') as Turndown;
  return turndownClass;
}

const SAFE_LINK = /^(?:https?:|mailto:)/i;
/** Elements whose content is not text a person reads. */
const DROPPED = ['script', 'style', 'iframe', 'object', 'embed', 'noscript', 'template', 'head'];

const SUPERSCRIPT: Readonly<Record<string, string>> = /* @__PURE__ */ (() =>
  Object.fromEntries([...'0123456789+-=()n'].map((c, i) => [c, [...'⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿ'][i]!])))();
const SUBSCRIPT: Readonly<Record<string, string>> = /* @__PURE__ */ (() =>
  Object.fromEntries([...'0123456789+-=()'].map((c, i) => [c, [...'₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎'][i]!])))();

/** HTML as markdown without any HTML left in it. */
export function htmlToMarkdown(html: string): Converted {
  if (html.length > MAX_MOODLE_TEXT_CHARS) {
    return {
      text: '',
      images: [],
      problem: `its HTML is ${kilobytes(html.length)} long, and Assay converts at most ${kilobytes(MAX_MOODLE_TEXT_CHARS)} of HTML for one text (once read, a question text holds at most 4,000 characters): shorten it, or check for an image embedded as "data:" (Assay keeps no images)`,
    };
  }
  if (htmlDepth(html) > HTML_DEPTH_LIMIT) {
    return {
      text: '',
      images: [],
      problem: `its HTML nests elements more than ${HTML_DEPTH_LIMIT} deep, which Assay does not read: make the markup shallower (a tag left open, such as \`<b>\` without \`</b>\`, counts as still open)`,
    };
  }
  const images: string[] = [];
  const notes = new Set<string>();
  const Service = turndown();
  const td = new Service({
    headingStyle: 'atx',
    codeBlockStyle: 'fenced',
    bulletListMarker: '-',
    emDelimiter: '_',
    strongDelimiter: '**',
    // A line break is kept as markdown's hard break (see `hardBreaks`); turndown's default, two
    // trailing spaces, would not survive trimming the lines.
    br: BREAK,
  });
  td.remove(DROPPED as never);
  td.addRule('images', {
    filter: 'img',
    replacement: (_content, node) => {
      images.push((node as { getAttribute(n: string): string | null }).getAttribute('src') ?? '');
      return '';
    },
  });
  // Assay's markdown has no tables: each row becomes a line of its cells separated by " | ",
  // so that what was side by side stays together (and the author is told).
  td.addRule('tableCells', {
    filter: ['th', 'td'],
    replacement: (content) => `${content.replace(/[\s\uE000]+/g, ' ').trim()} | `,
  });
  td.addRule('tableRows', {
    filter: 'tr',
    replacement: (content) => {
      notes.add('a table, kept as one line of text per row with its cells separated by "|"');
      return `\n\n${content.replace(/\s*\|\s*$/, '').trim()}\n\n`;
    },
  });
  // Superscripts and subscripts carry meaning (2<sup>10</sup>, H<sub>2</sub>O): Unicode's
  // superscript and subscript characters where they exist, else ^(...) and _(...) with a note.
  td.addRule('scripts', {
    filter: ['sup', 'sub'],
    replacement: (content, node) => {
      const sup = node.nodeName === 'SUP';
      const map = sup ? SUPERSCRIPT : SUBSCRIPT;
      const text = content.trim();
      if (text === '') return '';
      if ([...text].every((ch) => ch in map)) return [...text].map((ch) => map[ch]).join('');
      notes.add(`${sup ? 'a superscript' : 'a subscript'} written as ${sup ? '^' : '_'}(...)`);
      return `${sup ? '^' : '\\_'}(${text})`;
    },
  });
  // Markdown as Assay renders it has no strike-through: the words stay, with a note.
  td.addRule('struck', {
    filter: (node) => ['S', 'DEL', 'STRIKE'].includes(node.nodeName),
    replacement: (content) => {
      if (content.trim() !== '') notes.add('struck-through text, kept as plain text');
      return content;
    },
  });
  td.addRule('links', {
    filter: (node) => node.nodeName === 'A',
    replacement: (content, node) => {
      const href = (node as { getAttribute(n: string): string | null }).getAttribute('href') ?? '';
      if (!SAFE_LINK.test(href.trim()) || content.trim() === '') return content;
      const url = href
        .trim()
        .replace(/[()\s]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
      return `[${content}](${url})`;
    },
  });
  // Text that looks like a tag (`&lt;div&gt;` in the HTML) stays text: as an entity, which
  // markdown shows as "<", so that no tag is left in the markdown. Text that looks like an
  // entity (`&amp;lt;` in the HTML) stays text too: `\&lt;`, which markdown shows as "&lt;".
  const markdownEscape = td.escape.bind(td);
  td.escape = (s: string) => markdownEscape(s).replace(ENTITY, '\\&').replace(/</g, '&lt;');
  const text = hardBreaks(
    td
      .turndown(html)
      .replace(/[ \t]+$/gm, '')
      .trim(),
  );
  return { text, images, ...(notes.size ? { notes: [...notes] } : {}) };
}

/** What turndown writes for a `<br>` before `hardBreaks` makes it markdown (a private-use character). */
const BREAK = '\uE000';

/** An `&` that markdown would read as the start of an entity (`&lt;`, `&#60;`). */
const ENTITY = /&(?=#?[a-z0-9]+;)/gi;

/**
 * Line breaks as markdown's hard break (a backslash at the end of the line): Moodle shows a
 * `<br>` (and a line break of a plain or auto-formatted text) as a new line, and markdown would
 * join the lines. A break that ends a paragraph or the text is dropped (markdown would show its
 * backslash); one inside a line (a table cell) becomes a space.
 */
function hardBreaks(markdown: string): string {
  return markdown
    .replace(/\uE000+(?=\n\n|\n?$)/g, '')
    .replace(/\uE000+\n/g, '\\\n')
    .replace(/\uE000+/g, ' ');
}

/** Markdown escapes turndown's `escape` leaves out: an ordered list's `1)`, an autolink's `<`, an entity's `&`. */
const MORE_ESCAPES: readonly [RegExp, string][] = [
  [/^(\d+)\) /, '$1\\) '],
  [/</g, '\\<'],
  [ENTITY, '\\&'],
];

/**
 * Plain text as markdown that shows it as written: markdown's own syntax escaped line by line
 * with turndown's escaping (`__init__`, `2*3*4`, a leading `#` or `1. ` stay text), each line
 * break kept as a hard break and a blank line as a new paragraph. Leading and trailing white
 * space of a line goes (a browser shows Moodle's text without it too; in markdown, indentation
 * would make a code block).
 */
export function plainToMarkdown(text: string): string {
  const Service = turndown();
  const escapeLine = (line: string) =>
    MORE_ESCAPES.reduce((s, [re, to]) => s.replace(re, to), Service.prototype.escape(line));
  return text
    .trim()
    .split(/(?:\r\n|\r|\n)[ \t]*(?:\r\n|\r|\n)\s*/)
    .map((paragraph) =>
      paragraph
        .split(/\r\n|\r|\n/)
        .map((line) => escapeLine(line.trim()))
        .filter((line) => line !== '')
        .join('\\\n'),
    )
    .filter((paragraph) => paragraph !== '')
    .join('\n\n');
}

/**
 * A text of the given format as Assay keeps it: HTML (and Moodle's auto-format, which is HTML
 * whose line breaks count) as markdown; plain text as markdown that shows it as written
 * (`plainToMarkdown`); markdown as written.
 */
export function moodleText(text: string, format: TextFormat): Converted {
  if (format === 'html') return htmlToMarkdown(text);
  if (format === 'moodle') return htmlToMarkdown(text.replace(/\r?\n/g, '<br>\n'));
  if (format === 'plain') return { text: plainToMarkdown(text), images: [] };
  return { text: text.trim(), images: [] };
}

/** The tags of HTML outside code spans (`<b>`, `</p>`), for a warning about unmarked HTML. */
export function htmlTagsIn(text: string): string[] {
  const outsideCode = text.replace(/```[\s\S]*?```|`[^`\n]*`/g, '');
  return [
    ...new Set(
      [
        ...outsideCode.matchAll(
          /<\/?(p|br|b|i|u|em|strong|span|div|img|a|ul|ol|li|sub|sup|pre|code|table|tr|td|h[1-6])\b[^>]*>/gi,
        ),
      ].map((m) => m[0]),
    ),
  ];
}

/** An image's file name for messages: `@@PLUGINFILE@@/3.png` -> `3.png`. */
export function imageName(src: string): string {
  const name = src.replace(/^@@PLUGINFILE@@\//, '').split(/[?#]/)[0]!;
  try {
    return decodeURIComponent(name) || src;
  } catch {
    return name || src;
  }
}
