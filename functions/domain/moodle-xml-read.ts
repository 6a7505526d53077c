/**
 * Reading a Moodle XML text (`<quiz><question type="...">`, what Moodle exports by default)
 * into drafts: the side of Moodle XML import that only XML uploads need, loaded by them through
 * the side entry `#side/moodle-readers` (moodle-readers.ts). Each type reads its own questions
 * (`moodle.read` in its module of `question-types/`, handed in as `types`: the caller's
 * registry); the texts and answers reach it already converted (`XmlQuestion`); the drafts are
 * put together as GIFT's are (`importDrafts` in `moodle-import.ts`). The parser is
 * @xmldom/xmldom (maintained, positions on every node), loaded on first use like the YAML
 * parser. See "Moodle banks" in docs/question-format.md.
 */
import { createRequire } from 'node:module';
import type * as XmlDom from '@xmldom/xmldom';
import type { Notice } from './bank-import.ts';
import type { FieldIssue } from './errors.ts';
import { type AssayMeta, DraftReader, parseAssay, parseCategory } from './gift-syntax.ts';
import { imageName, moodleText, type TextFormat } from './html-text.ts';
import {
  type Draft,
  type MoodleReader,
  offListGrade,
  type Pos,
  ROLE_NAMES,
  UNSUPPORTED_MOODLE_TYPES,
  type XmlReader,
} from './moodle.ts';
import type { ImportOptions } from './moodle-import.ts';
import { type XmlNumbers, xmlNumbers } from './moodle-number.ts';
import type { XmlAnswer, XmlPair, XmlQuestion } from './moodle-xml-text.ts';
import type { AnyQuestionType } from './question-types/registry.ts';
import { count, positionAt, UPLOAD_COUNT_LIMITS } from './upload-limits.ts';

type Element = XmlDom.Element;

let xmldom: typeof XmlDom | undefined;

/** @xmldom/xmldom, loaded on first use: only Moodle XML uploads need it (a side module in Lambda). */
function dom(): typeof XmlDom {
  xmldom ??= createRequire(import.meta.url)('@xmldom/xmldom') as typeof XmlDom;
  return xmldom;
}

const posOf = (n: { lineNumber?: number; columnNumber?: number } | null | undefined): Pos => ({
  line: Math.max(1, n?.lineNumber ?? 1),
  column: Math.max(1, n?.columnNumber ?? 1),
});

/** The element children of `el` named `name`. */
function children(el: Element, name: string): Element[] {
  const out: Element[] = [];
  for (let n = el.firstChild; n; n = n.nextSibling) {
    if (n.nodeType === 1 && (n as Element).nodeName === name) out.push(n as Element);
  }
  return out;
}

const child = (el: Element | undefined, name: string) => (el ? children(el, name)[0] : undefined);

/** The text of `<name><text>...</text></name>`-style content, trimmed as Moodle trims it. */
const textOf = (el: Element | undefined) => (child(el, 'text')?.textContent ?? '').trim();

/** The value of a simple element (`<single>true</single>`), trimmed, or undefined. */
const valueIn = (el: Element, name: string) => child(el, name)?.textContent?.trim();

/** Moodle's `format` attribute as a text format (anything unknown is HTML, as Moodle assumes). */
function formatOf(el: Element | undefined, fallback: TextFormat): TextFormat {
  const f = el?.getAttribute('format')?.trim();
  if (!f) return fallback;
  if (f === 'moodle_auto_format') return 'moodle';
  if (f === 'plain_text') return 'plain';
  if (f === 'markdown') return 'markdown';
  return 'html';
}

/** `<single>`, `<shuffleanswers>`: Moodle takes "false", "0" and empty as false. */
const yes = (v: string | undefined, absent: boolean) =>
  v === undefined ? absent : !(v === 'false' || v === '0' || v === '');

interface Feedback {
  label: string;
  text: string;
}

/** The reading of one `<question>` (see `Reader`). */
class XmlQuestionReader extends DraftReader implements XmlReader {
  readonly format = 'xml' as const;

  xmlNumbers(q: XmlQuestion): XmlNumbers | undefined {
    return xmlNumbers(this, q);
  }

  readonly d: Draft;
  readonly feedbackLines: Feedback[] = [];

  constructor(
    index: number,
    start: Pos,
    readonly meta: AssayMeta | undefined,
  ) {
    super();
    this.d = { index, start, at: new Map(), issues: [], warnings: [] };
  }

  weight(percent: number): string {
    return `fraction="${percent}"`;
  }

  feedback(label: string, text: string | undefined): void {
    if (text) this.feedbackLines.push({ label, text });
  }

  /** A formatted text as Assay keeps it; images refused in the question, dropped in feedback. */
  rich(
    el: Element | undefined,
    fallback: TextFormat,
    role: 'prompt' | 'answer' | 'feedback',
  ): string {
    const raw = child(el, 'text')?.textContent ?? '';
    const pos = posOf(el);
    const c = moodleText(raw.trim(), formatOf(el, fallback));
    if (c.problem) this.fail(`The ${ROLE_NAMES[role]} cannot be read: ${c.problem}.`, pos);
    if (c.images.length) {
      const names = c.images.map((src) => `"${imageName(src)}"`).join(', ');
      if (role === 'feedback') {
        this.warn(
          `The image ${names} in feedback was left out: Assay keeps no files (<file> elements and @@PLUGINFILE@@ links).`,
          pos,
        );
      } else {
        this.unsupported(
          `the ${role === 'prompt' ? 'question text' : 'answer'} shows the image ${names}, which Assay cannot keep (it stores no files)`,
          pos,
        );
      }
    }
    for (const note of c.notes ?? []) {
      this.warn(`The ${ROLE_NAMES[role]} had ${note}: check that it reads as intended.`, pos);
    }
    return c.text;
  }
}

/** The assay comment (`<!-- assay: difficulty=3 -->`) among a question's children. */
function assayMeta(el: Element, issues: FieldIssue[]): AssayMeta | undefined {
  for (let n = el.firstChild; n; n = n.nextSibling) {
    if (n.nodeType !== 8) continue;
    const data = n.nodeValue ?? '';
    const m = /^\s*assay\s*:/i.exec(data);
    if (!m) continue;
    const pos = posOf(n as unknown as Element);
    // Columns as if the comment's text started after `<!--` on its line.
    const line = `${' '.repeat(pos.column + 3)}${data}`;
    return parseAssay(line, pos.line, pos.column + 3 + m[0].length, issues);
  }
  return undefined;
}

/** The types whose answer fractions Moodle's import checks against its grades. */
const GRADED_TYPES = new Set(['multichoice', 'shortanswer', 'numerical']);

/** One `<question>` as the type modules read it. */
function xmlQuestion(r: XmlQuestionReader, el: Element, qtype: string): XmlQuestion {
  const questiontext = child(el, 'questiontext');
  const textFormat = formatOf(questiontext, 'html');
  const prompt = r.rich(questiontext, 'html', 'prompt');
  r.at('prompt', posOf(questiontext ?? el));
  const choice = qtype === 'multichoice';
  const answers: XmlAnswer[] = children(el, 'answer').map((a) => {
    const pos = posOf(a);
    const fraction = Math.round(Number(a.getAttribute('fraction') ?? '0') * 1e5) / 1e7;
    const feedback = child(a, 'feedback');
    return {
      text: choice ? r.rich(a, textFormat, 'answer') : textOf(a),
      raw: textOf(a),
      fraction: Number.isFinite(fraction) ? fraction : 0,
      ...(feedback ? { feedback: r.rich(feedback, textFormat, 'feedback') } : {}),
      ...(child(a, 'tolerance') ? { tolerance: child(a, 'tolerance')!.textContent ?? '0' } : {}),
      pos,
    };
  });
  for (const a of children(el, 'answer')) {
    const f = a.getAttribute('fraction');
    if (f !== null && !Number.isFinite(Number(f))) {
      r.fail(
        `fraction="${f}" is not a number (a percentage such as fraction="50").`,
        posOf(a),
        'answer',
      );
    } else if (f !== null && GRADED_TYPES.has(qtype)) {
      const off = offListGrade(Number(f) / 100, `fraction="${f}"`);
      if (off) r.warn(off, posOf(a));
    }
  }
  const subquestions: XmlPair[] = children(el, 'subquestion').map((s) => ({
    left: r.rich(s, textFormat, 'answer'),
    right: textOf(child(s, 'answer')),
    // The pair's own format (Moodle reads its left-hand text in it), else the question's.
    markdown: formatOf(s, textFormat) === 'markdown',
    pos: posOf(s),
  }));
  return {
    qtype,
    pos: posOf(el),
    prompt,
    single: yes(valueIn(el, 'single'), true),
    usecase: yes(valueIn(el, 'usecase'), false),
    answers,
    subquestions,
    units: children(child(el, 'units') ?? el, 'unit').map((u) => ({
      name: valueIn(u, 'unit_name') ?? '',
      // Moodle's default when the element is missing.
      multiplier: valueIn(u, 'multiplier') ?? '1',
      pos: posOf(u),
    })),
    unitSettings: {
      ...optional('grading', valueIn(el, 'unitgradingtype')),
      ...optional('penalty', valueIn(el, 'unitpenalty')),
      ...optional('show', valueIn(el, 'showunits')),
      ...optional('left', valueIn(el, 'unitsleft')),
    },
  };
}

/** `{key: value}` when the value is there, else nothing (for optional fields). */
const optional = <K extends string>(key: K, value: string | undefined) =>
  (value === undefined ? {} : { [key]: value }) as Partial<Record<K, string>>;

/** The type that reads a question; no two types may claim one (a bug if they do). */
function readerOf(q: XmlQuestion, types: readonly AnyQuestionType[]): AnyQuestionType | undefined {
  const claiming = types.filter((t) => t.moodle.read?.claims(q));
  if (claiming.length > 1) {
    throw new Error(`Moodle XML readers overlap: ${claiming.map((t) => t.id).join(', ')}`);
  }
  return claiming[0];
}

function readQuestion(
  el: Element,
  index: number,
  area: string | undefined,
  categoryPos: Pos | undefined,
  opts: ImportOptions,
  issues: FieldIssue[],
  types: readonly AnyQuestionType[],
): Draft {
  const qtype = el.getAttribute('type') ?? '';
  const meta = assayMeta(el, issues);
  const r = new XmlQuestionReader(index, posOf(el), meta);
  const { d } = r;
  const name = textOf(child(el, 'name')).replace(/\s+/g, ' ');
  if (name) d.title = name;
  const idnumber = child(el, 'idnumber');
  if (idnumber?.textContent?.trim()) {
    d.authorId = { raw: idnumber.textContent.trim(), pos: posOf(idnumber) };
    r.at('id', posOf(idnumber));
  } else r.at('id', posOf(child(el, 'name') ?? el));
  const tagEls = children(child(el, 'tags') ?? el, 'tag');
  if (tagEls.length) {
    d.tags = {
      raw: tagEls.map((t) => textOf(t)).filter((t) => t !== ''),
      pos: posOf(child(el, 'tags')),
    };
  }
  const unsupported = UNSUPPORTED_MOODLE_TYPES[qtype];
  const q = xmlQuestion(r, el, qtype);
  const type = readerOf(q, types);
  if (!type) {
    r.unsupported(
      unsupported
        ? `a Moodle ${qtype} question: ${unsupported}`
        : `Moodle's question type "${qtype}" has no Assay equivalent`,
      d.start,
    );
    return d;
  }
  const generalfeedback = child(el, 'generalfeedback');
  const general = generalfeedback
    ? r.rich(generalfeedback, formatOf(child(el, 'questiontext'), 'html'), 'feedback')
    : '';
  d.generalFeedback = general !== '';
  for (const path of ['answer', 'options']) r.at(path, q.pos);
  r.at('explanation', posOf(generalfeedback ?? el));
  if (categoryPos) r.at('area', categoryPos);
  if (area === undefined) {
    r.fail(
      'No area for this question: put a <question type="category"> naming an area before it, or upload with ?area=<area> (assay --area <area>; in the console, the Area under "For Moodle files").',
      d.start,
      'area',
    );
  }
  r.locateMeta();
  if (q.qtype === 'multichoice' && !yes(valueIn(el, 'shuffleanswers'), false)) {
    r.warn(
      'Moodle shows these options in the order written (<shuffleanswers> is not true); Assay shuffles them for every candidate. Check that no option refers to another by position ("all of the above").',
      q.pos,
    );
  }
  const grade = valueIn(el, 'defaultgrade');
  if (grade !== undefined && Number(grade) !== 1) {
    r.warn(
      `Moodle gives this question ${grade} marks (<defaultgrade>); in Assay every question of an area counts the same.`,
      posOf(child(el, 'defaultgrade')),
    );
  }
  if (!type.withOptions && meta?.options) {
    r.fail(
      'This question type has no options; remove options= from the assay comment.',
      meta.keyPos.get('options') ?? meta.pos,
      'options',
    );
  }
  const key = type.moodle.read!.read(r, q);
  r.checkCompare();
  if (!key || r.failed) return d;
  const explanation = [
    general,
    r.feedbackLines
      .filter((f) => f.text !== '')
      .map((f) => `${f.label}: ${f.text}`)
      .join('\n'),
  ]
    .filter((s) => s)
    .join('\n\n');
  d.raw = {
    id: undefined,
    area,
    type: type.id,
    difficulty: meta?.difficulty ?? opts.difficulty ?? 2,
    prompt: key.prompt ?? q.prompt,
    ...(key.options ? { options: key.options } : {}),
    answer: key.answer,
    explanation,
    ...(meta?.tags ? { tags: meta.tags } : {}),
    ...(meta?.timeHintSeconds !== undefined ? { timeHintSeconds: meta.timeHintSeconds } : {}),
    ...(meta?.discrimination !== undefined ? { discrimination: meta.discrimination } : {}),
    ...(meta?.difficultyParam !== undefined ? { difficultyParam: meta.difficultyParam } : {}),
  };
  return d;
}

/**
 * Where the element or attribute past `UPLOAD_COUNT_LIMITS.xmlElements` starts, or -1 when the
 * text has no more than that: one pass over its tags before the parser builds a node of it
 * (32 MiB of `<a/>` is 8 million elements; of ` a1=""` in one tag, 4 million attributes).
 * Markup inside CDATA sections (the HTML of Moodle's texts), comments, processing instructions
 * and declarations is not counted; a start tag is read to its end for its attributes (an `=`
 * outside quotes).
 */
function tooManyNodesAt(text: string): number {
  const limit = UPLOAD_COUNT_LIMITS.xmlElements;
  let nodes = 0;
  let at = text.indexOf('<');
  while (at >= 0) {
    const next = text[at + 1];
    let resume = at + 1;
    if (text.startsWith('<![CDATA[', at)) resume = text.indexOf(']]>', at + 9);
    else if (text.startsWith('<!--', at)) resume = text.indexOf('-->', at + 4);
    else if (next === '?') resume = text.indexOf('?>', at + 2);
    else if (next !== '/' && next !== '!') {
      if (++nodes > limit) return at;
      let quote = '';
      for (resume = at + 1; resume < text.length; resume++) {
        const c = text[resume];
        if (quote) {
          if (c === quote) quote = '';
        } else if (c === '"' || c === "'") quote = c;
        else if (c === '>' || c === '<') break;
        else if (c === '=' && ++nodes > limit) return resume;
      }
    }
    // An unterminated section: the parser says so.
    if (resume < 0) return -1;
    at = text.indexOf('<', resume);
  }
  return -1;
}

/**
 * The drafts of a Moodle XML text, with the problems and notes of the file itself (categories,
 * assay comments); `types` claim the `<question>`s. A text that is no well-formed Moodle XML is
 * `fatal`: one problem, nothing read.
 */
export const moodleXmlDrafts: MoodleReader = (text, opts, types) => {
  const issues: FieldIssue[] = [];
  const notes: Notice[] = [];
  const past = tooManyNodesAt(text);
  if (past >= 0) {
    const limit = UPLOAD_COUNT_LIMITS.xmlElements;
    const pos = positionAt(text, past);
    return {
      fatal: [
        {
          path: '',
          message: `This XML file has more than ${count(limit)} elements and attributes: number ${count(limit + 1)} is at line ${pos.line}, column ${pos.column}. Assay reads at most ${count(limit)} elements and attributes in one file (a Moodle question has about 15 to 40); split it into several uploads.`,
          ...pos,
        },
      ],
    };
  }
  const { DOMParser } = dom();
  let doc: XmlDom.Document;
  try {
    doc = new DOMParser({
      onError: (level, message, context) => {
        if (level === 'warning') return;
        const loc = (
          context as { locator?: { lineNumber?: number; columnNumber?: number } } | undefined
        )?.locator;
        throw Object.assign(new Error(message), { locator: loc });
      },
    }).parseFromString(text.replace(/^\uFEFF/, ''), 'text/xml');
  } catch (err) {
    const loc = (err as { locator?: { lineNumber?: number; columnNumber?: number } }).locator;
    // xmldom wraps its reason: 'Reporting error "entity not found:&x;" caused Error: ...'.
    const raw = (err as Error).message.split('\n')[0]!.replace(/^\[xmldom \w+\]\s*/, '');
    const reason = /^Reporting \w+ "(.*?)" caused/.exec(raw)?.[1] ?? raw;
    const entity = /^entity not found:(&[^;]*;)/.exec(reason)?.[1];
    const message = entity
      ? `The XML uses the entity ${entity}, which Assay does not expand (Moodle exports use only &lt; &gt; &amp; &quot; &apos; and numeric ones such as &#233;): write the character itself.`
      : `Not well-formed XML: ${reason}.`;
    return { fatal: [{ path: '', message, ...posOf(loc) }] };
  }
  const root = doc.documentElement;
  if (root?.nodeName !== 'quiz') {
    return {
      fatal: [
        {
          path: '',
          message: `Not Moodle XML: the root element is <${root?.nodeName ?? 'none'}>; Moodle XML is <quiz> with <question type="..."> elements.`,
          ...posOf(root),
        },
      ],
    };
  }
  let area: string | undefined = opts.area;
  let categoryPos: Pos | undefined;
  const drafts: Draft[] = [];
  for (const el of children(root, 'question')) {
    if (el.getAttribute('type') === 'category') {
      const category = child(el, 'category');
      const value = textOf(category) || (category?.textContent ?? '').trim();
      const pos = posOf(category ?? el);
      const c = parseCategory(value, pos.line, pos.column - 1, issues, notes, opts.area);
      area = c.area;
      categoryPos = c.pos;
      continue;
    }
    drafts.push(readQuestion(el, drafts.length, area, categoryPos, opts, issues, types));
  }
  return { drafts, issues, notes };
};
