import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';
import { duplicateKeyMessage, scanJson } from './bank-json.ts';
import { BankEnvelope, type BankMeta, MAX_BANK_QUESTIONS } from './bank-schema.ts';
import { type FieldIssue, ValidationError } from './errors.ts';
import { type QuestionContent, validateQuestion } from './question.ts';
import { MAX_UPLOAD_TEXT_BYTES } from './upload-limits.ts';
import { formatPath, issuesOf } from './z.ts';

export { BankMeta, MAX_BANK_QUESTIONS } from './bank-schema.ts';

export interface Bank {
  bank: BankMeta;
  questions: QuestionContent[];
}

export type BankFormat = 'json' | 'yaml';

let yamlModule: typeof Yaml | undefined;

/**
 * The YAML parser, loaded on first use: only YAML uploads (and locating the errors of a bank)
 * need it, so the authoring function does not load it for every request. A runtime `require`
 * that bundlers leave alone: Lambda bundles ship it as a module of its own beside the bundle
 * (`YAML_SIDE_MODULE` in infra/aws/bundling.ts).
 */
function yaml(): typeof Yaml {
  yamlModule ??= createRequire(import.meta.url)('yaml') as typeof Yaml;
  return yamlModule;
}

/** `questions[3].options[1].id` -> ['questions', 3, 'options', 1, 'id']. */
export function pathSegments(path: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    if (m[2] !== undefined) out.push(Number(m[2]));
    else if (m[1] !== undefined) out.push(m[1]);
  }
  return out;
}

/** Finds the line and column of a field path in a YAML or JSON text (JSON is YAML's subset). */
export function createLocator(text: string) {
  let lc: Yaml.LineCounter | undefined;
  let doc: Yaml.Document.Parsed | undefined;
  return (path: string): { line: number; column: number } | undefined => {
    const { isMap, isScalar, LineCounter, parseDocument } = yaml();
    if (!doc) {
      lc = new LineCounter();
      doc = parseDocument(text, { lineCounter: lc, uniqueKeys: false });
    }
    const segs = pathSegments(path);
    // Walk down as far as the path exists; an unknown key or a missing field points at its parent.
    for (let n = segs.length; n >= 0; n--) {
      const node = n === 0 ? doc.contents : doc.getIn(segs.slice(0, n), true);
      if (node && typeof node === 'object' && 'range' in node && Array.isArray(node.range)) {
        // For a key that exists, point at the key rather than the value when we can.
        let offset = node.range[0] as number;
        if (n > 0 && n === segs.length) {
          const parent = n === 1 ? doc.contents : doc.getIn(segs.slice(0, n - 1), true);
          if (isMap(parent)) {
            const pair = parent.items.find((p) => isScalar(p.key) && p.key.value === segs[n - 1]);
            if (pair && isScalar(pair.key) && pair.key.range) offset = pair.key.range[0];
          }
        }
        const pos = lc!.linePos(offset);
        return { line: pos.line, column: pos.col };
      }
    }
    return undefined;
  };
}

/**
 * What a bank's text may cost to parse. Each limit refused is a 400 that names it: a YAML alias
 * bomb (a few lines that expand to billions of nodes) stops at the alias count in milliseconds,
 * deep nesting (which the conversion to objects would follow recursively) at the depth, before
 * any conversion.
 */
export const PARSE_LIMITS = {
  /** Bytes of text (UTF-8) of one document: what one upload may hold. */
  documentBytes: MAX_UPLOAD_TEXT_BYTES,
  /**
   * YAML alias expansions in one document: the `yaml` package's `maxAliasCount`, which counts
   * each alias resolved times the nodes its anchor holds.
   */
  aliases: 100,
  /** Nesting of collections: a bank needs 6 (bank, questions, question, answer, pairs, pair). */
  depth: 64,
  /**
   * YAML nodes of one document (scalars, aliases, collections, entries), counted from the
   * lexer's tokens before anything builds them: the shipped bank has 65 a question.
   */
  yamlNodes: 1_000_000,
} as const;

const MIB = 1024 * 1024;

function limitError(message: string, at?: { line: number; column: number }): ValidationError {
  return new ValidationError([{ path: '', message, ...at }], message);
}

/** Refuse a text longer than the document limit before parsing a byte of it. */
function checkDocumentSize(text: string, format: string): void {
  // Every UTF-16 unit is at most 3 bytes of UTF-8: count exactly only when it could matter.
  if (text.length * 3 <= PARSE_LIMITS.documentBytes) return;
  const bytes = Buffer.byteLength(text);
  if (bytes > PARSE_LIMITS.documentBytes) {
    throw limitError(
      `The ${format} document is ${bytes} bytes; the limit is ${PARSE_LIMITS.documentBytes} bytes (${PARSE_LIMITS.documentBytes / MIB} MiB). Split the bank into several uploads (the CLI does this for you).`,
    );
  }
}

const depthMessage = (format: string, where: string) =>
  `The ${format} document nests deeper than ${PARSE_LIMITS.depth} levels${where}: the nesting depth limit is ${PARSE_LIMITS.depth}. A bank needs 6.`;

/**
 * The same for a YAML document's nodes, before anything converts them (recursively) to objects;
 * and a merge key (`<<: *base`), which YAML 1.2 does not have: read as a field named `<<`, it
 * would be reported as an unknown field beside every field the question then seems to lack.
 */
function checkYamlShape(doc: Yaml.Document.Parsed, lc: Yaml.LineCounter): void {
  const { isCollection, isPair, isScalar, isSeq } = yaml();
  // The path to a node as a chain of its segments, made into `questions[3].answer` only for an
  // error: a bank's every node would otherwise copy its parent's path (a cold upload's cost).
  type Trail = { up: Trail; seg: string | number } | undefined;
  const pathOf = (trail: Trail): (string | number)[] => {
    const out: (string | number)[] = [];
    for (let t = trail; t; t = t.up) out.unshift(t.seg);
    return out;
  };
  const stack: [unknown, number, Trail][] = [[doc.contents, 1, undefined]];
  while (stack.length) {
    const [node, depth, trail] = stack.pop()!;
    if (!isCollection(node)) continue;
    if (depth > PARSE_LIMITS.depth) {
      const pos = node.range ? lc.linePos(node.range[0]) : undefined;
      throw limitError(
        depthMessage('YAML', pos ? ` at line ${pos.line}, column ${pos.col}` : ''),
        pos ? { line: pos.line, column: pos.col } : undefined,
      );
    }
    const items = node.items as unknown[];
    for (let index = 0; index < items.length; index++) {
      const item = items[index];
      if (!isPair(item)) {
        if (isCollection(item))
          stack.push([item, depth + 1, { up: trail, seg: isSeq(node) ? index : String(index) }]);
        continue;
      }
      if (isScalar(item.key) && item.key.value === '<<' && item.key.range) {
        const pos = lc.linePos(item.key.range[0]);
        throw new ValidationError([
          {
            path: formatPath([...pathOf(trail), '<<']),
            message:
              'A YAML merge key (<<) is not part of YAML 1.2, which Assay reads: write the shared fields out in each question.',
            line: pos.line,
            column: pos.col,
          },
        ]);
      }
      if (isCollection(item.key)) stack.push([item.key, depth + 1, trail]);
      if (isCollection(item.value)) {
        const key = isScalar(item.key) ? String(item.key.value) : String(index);
        stack.push([item.value, depth + 1, { up: trail, seg: key }]);
      }
    }
  }
}

/**
 * Refuse a JSON text that nests too deep, or writes a key twice in one object: `JSON.parse`
 * keeps the last one silently (a second `answer` would replace the key), where YAML refuses the
 * same document. One pass over the text's structure finds both (`scanJson`).
 */
function checkJsonStructure(text: string, value: unknown): void {
  const { tooDeepAt, duplicates } = scanJson(text, 100, PARSE_LIMITS.depth);
  if (tooDeepAt >= 0) throw limitError(depthMessage('JSON', ''));
  if (!duplicates.length) return;
  const questions = (value as { questions?: unknown }).questions;
  const at = lineColOf(text);
  const issues = duplicates.map((d): FieldIssue => {
    const first = at(d.firstOffset);
    const index =
      d.path[0] === 'questions' && typeof d.path[1] === 'number' ? d.path[1] : undefined;
    const id =
      index !== undefined && Array.isArray(questions)
        ? (questions[index] as { id?: unknown } | undefined)?.id
        : undefined;
    return {
      path: formatPath(d.path),
      message: duplicateKeyMessage(
        d,
        `first at line ${first.line}, column ${first.column}`,
        'write',
      ),
      ...(index !== undefined ? { questionIndex: index } : {}),
      ...(typeof id === 'string' ? { questionId: id } : {}),
      ...at(d.offset),
    };
  });
  throw new ValidationError(issues);
}

/**
 * Tokens of the YAML lexer that make a node: the mark before a plain or block scalar (yaml's
 * `CST.SCALAR`), a list entry, a mapping value, a flow collection; a quoted scalar; an alias.
 * Marks (`\x02`, `\x18`, `\x1f`) stand for no text of the source.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the lexer's scalar mark is U+001F
const NODE = /^(?:[\x1f:[{-]$|["'*])/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: the lexer's marks are control characters
const MARK = /^[\x02\x18\x1f]$/;

/**
 * Where node `limit + 1` of a YAML text starts (its offset), or -1 when the text has no more
 * than `limit` nodes, counted from the lexer's tokens, which hold nothing (about 3 s for a
 * million on the shared machine, against 39 s and 1.1 GB to parse them).
 */
export function yamlPast(text: string, limit: number): number {
  // Every node counted takes at least one character of the text: a shorter text has no more.
  if (text.length <= limit) return -1;
  let nodes = 0;
  let offset = 0;
  for (const token of new (yaml().Lexer)().lex(text)) {
    if (NODE.test(token) && ++nodes > limit) return offset;
    if (!MARK.test(token)) offset += token.length;
  }
  return -1;
}

/**
 * Where a YAML error really is. The parser reports a quote that is never closed at the end of the
 * text it swallowed (often the end of the file); the author needs the quote that opened it.
 */
function yamlErrorOffset(doc: Yaml.Document.Parsed, error: Yaml.YAMLError): number {
  if (error.code !== 'MISSING_CHAR' || !/quote/.test(error.message)) return error.pos[0];
  let opened: number | undefined;
  yaml().visit(doc, {
    Scalar(_key, node) {
      const quoted = node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE';
      if (quoted && node.range && node.range[1] === error.pos[0]) {
        opened = node.range[0];
        return yaml().visit.BREAK;
      }
      return undefined;
    },
  });
  return opened ?? error.pos[0];
}

/** Parse a bank's text; malformed input is a ValidationError with line and column. */
export function parseBankText(text: string, format: BankFormat): unknown {
  checkDocumentSize(text, format === 'json' ? 'JSON' : 'YAML');
  if (format === 'json') {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      const msg = (err as Error).message;
      const at = lineColOf(text)(jsonErrorOffset(text, msg));
      throw new ValidationError(
        [{ path: '', message: `Malformed JSON: ${msg}`, ...at }],
        `Malformed JSON at line ${at.line}, column ${at.column}.`,
      );
    }
    checkJsonStructure(text, value);
    return value;
  }
  // A YAML text of more than `PARSE_LIMITS.yamlNodes` nodes is refused before it is parsed: the
  // parser builds a syntax tree and then a document of every node, about 1 KB each (16 million
  // fit in 32 MiB of `[a,a,a,...`, and ran the job out of memory). Aliases count once here
  // (they are bounded when they are resolved).
  const past = yamlPast(text, PARSE_LIMITS.yamlNodes);
  if (past >= 0) {
    const at = lineColOf(text)(past);
    throw limitError(
      `More than 1,000,000 YAML nodes (the upload limit): the next is at line ${at.line}, column ${at.column}.`,
      at,
    );
  }
  const { LineCounter, parseDocument } = yaml();
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false });
  if (doc.errors.length) {
    const issues = doc.errors.map((e) => {
      const pos = lc.linePos(yamlErrorOffset(doc, e));
      // The parser recurses per level of nesting: thousands of levels overflow its stack, which
      // it reports as an error of the document ("Maximum call stack size exceeded"). That
      // document nests far deeper than the limit: say so, as a shallower one is told.
      if (/call stack/i.test(e.message)) {
        return {
          path: '',
          message: depthMessage('YAML', ` at line ${pos.line}, column ${pos.col}`),
          line: pos.line,
          column: pos.col,
        };
      }
      return {
        path: '',
        message: `Malformed YAML: ${e.message.split('\n')[0]}`,
        line: pos.line,
        column: pos.col,
      };
    });
    throw new ValidationError(
      issues,
      issues[0]!.message.startsWith('Malformed YAML: ')
        ? `Malformed YAML at line ${issues[0]!.line}, column ${issues[0]!.column}: ${issues[0]!.message.replace('Malformed YAML: ', '')}`
        : issues[0]!.message,
    );
  }
  checkYamlShape(doc, lc);
  try {
    return doc.toJS({ maxAliasCount: PARSE_LIMITS.aliases });
  } catch (err) {
    // The yaml package refuses an alias bomb with a ReferenceError ("Excessive alias count").
    if (err instanceof ReferenceError && /alias count/i.test(err.message)) {
      throw limitError(
        `The YAML document's aliases (*name) expand to more than ${PARSE_LIMITS.aliases} nodes: the alias limit is ${PARSE_LIMITS.aliases}. Write the repeated content out instead of aliasing it.`,
      );
    }
    throw err;
  }
}

/** Whether a JSON text is a valid document or the start of one (it only ends too soon). */
function jsonPrefixHolds(prefix: string): boolean {
  try {
    JSON.parse(prefix);
    return true;
  } catch (err) {
    const msg = (err as Error).message;
    if (/Unexpected end of JSON input/.test(msg)) return true;
    const pos = /position (\d+)/.exec(msg);
    return pos !== null && Number(pos[1]) >= prefix.length;
  }
}

/**
 * Where `JSON.parse` stopped. Its message names the position for most errors, but not for an
 * unexpected token (a trailing comma in a list, `True`, `NaN`) nor for a text that ends too
 * soon. For the first, the parser itself finds it: the longest prefix of the text that is
 * still a document or the start of one ends just before the offending character (a binary
 * search of parses, only on this error path).
 */
function jsonErrorOffset(text: string, message: string): number {
  const pos = /position (\d+)/.exec(message);
  if (pos) return Number(pos[1]);
  if (/Unexpected end of JSON input/.test(message)) return text.length;
  let holds = 0;
  let fails = text.length;
  while (fails - holds > 1) {
    const mid = (holds + fails) >>> 1;
    if (jsonPrefixHolds(text.slice(0, mid))) holds = mid;
    else fails = mid;
  }
  return holds;
}

/**
 * The line and column (1-based) of offsets in `text`: its line starts found once, each offset
 * by a binary search (a bank may have a hundred duplicate keys in 32 MiB).
 */
function lineColOf(text: string): (offset: number) => { line: number; column: number } {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - starts[lo]! + 1 };
  };
}

/**
 * Validate a whole bank: every problem of every question, each located by question index and
 * id, field path, and line/column when a locator for the source text is given. All or nothing.
 */
export function validateBank(
  raw: unknown,
  locate?: (path: string) => { line: number; column: number } | undefined,
): Bank {
  const envelope = BankEnvelope.safeParse(raw);
  const issues: FieldIssue[] = envelope.success ? [] : issuesOf(envelope.error, '', raw);
  // A problem in the envelope (the bank's id, say) does not hide the questions' problems: an
  // author fixes them all from one report. Only a list over the limit is not read further.
  const rawQuestions = envelope.success
    ? envelope.data.questions
    : raw && typeof raw === 'object' && Array.isArray((raw as { questions?: unknown }).questions)
      ? (raw as { questions: unknown[] }).questions
      : [];
  if (rawQuestions.length > MAX_BANK_QUESTIONS)
    throw new ValidationError(locateAll(issues, locate));
  const questions: QuestionContent[] = [];
  const firstIndex = new Map<string, number>();
  rawQuestions.forEach((rawQ, index) => {
    const questionId =
      rawQ && typeof rawQ === 'object' && typeof (rawQ as { id?: unknown }).id === 'string'
        ? (rawQ as { id: string }).id
        : undefined;
    const r = validateQuestion(rawQ, `questions[${index}]`);
    const at = { questionIndex: index, ...(questionId ? { questionId } : {}) };
    if (r.question) questions.push(r.question);
    else issues.push(...r.issues.map((i) => ({ ...i, ...at })));
    if (questionId !== undefined) {
      const first = firstIndex.get(questionId);
      if (first !== undefined) {
        issues.push({
          path: `questions[${index}].id`,
          message: `Duplicate question id "${questionId}" (first at questions[${first}]).`,
          ...at,
        });
      } else firstIndex.set(questionId, index);
    }
  });
  if (issues.length || !envelope.success) throw new ValidationError(locateAll(issues, locate));
  return { bank: envelope.data.bank, questions };
}

/**
 * A bank of questions each validated already (`validateQuestion`, as a Moodle import does while
 * it reads them, ids unique): only the envelope is checked, the bank's metadata and its number
 * of questions, so no question is validated twice.
 */
export function bankOf(meta: BankMeta, questions: QuestionContent[]): Bank {
  const raw = { bank: meta, questions };
  const envelope = BankEnvelope.safeParse(raw);
  if (!envelope.success) throw new ValidationError(issuesOf(envelope.error, '', raw));
  return { bank: envelope.data.bank, questions };
}

function locateAll(
  issues: FieldIssue[],
  locate?: (path: string) => { line: number; column: number } | undefined,
): FieldIssue[] {
  if (!locate) return issues;
  return issues.map((i) => ({ ...i, ...(i.line === undefined ? locate(i.path) : {}) }));
}

/** Parse and validate a bank text in one step. */
export function readBank(text: string, format: BankFormat): Bank {
  return validateBank(parseBankText(text, format), createLocator(text));
}
