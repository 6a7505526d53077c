import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';
import { BankEnvelope, type BankMeta } from './bank-schema.ts';
import { type FieldIssue, ValidationError } from './errors.ts';
import { type QuestionContent, validateQuestion } from './question.ts';
import { issuesOf } from './z.ts';

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

/** Parse a bank's text; malformed input is a ValidationError with line and column. */
export function parseBankText(text: string, format: BankFormat): unknown {
  if (format === 'json') {
    try {
      return JSON.parse(text);
    } catch (err) {
      const msg = (err as Error).message;
      const pos = /position (\d+)/.exec(msg);
      const at = pos ? lineCol(text, Number(pos[1])) : undefined;
      throw new ValidationError(
        [{ path: '', message: `Malformed JSON: ${msg}`, ...at }],
        `Malformed JSON${at ? ` at line ${at.line}, column ${at.column}` : ''}.`,
      );
    }
  }
  const { LineCounter, parseDocument } = yaml();
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false });
  if (doc.errors.length) {
    const issues = doc.errors.map((e) => {
      const pos = lc.linePos(e.pos[0]);
      return {
        path: '',
        message: `Malformed YAML: ${e.message.split('\n')[0]}`,
        line: pos.line,
        column: pos.col,
      };
    });
    throw new ValidationError(
      issues,
      `Malformed YAML at line ${issues[0]!.line}, column ${issues[0]!.column}: ${issues[0]!.message.replace('Malformed YAML: ', '')}`,
    );
  }
  return doc.toJS({ maxAliasCount: 100 });
}

function lineCol(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
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
  const issues: FieldIssue[] = [];
  if (!envelope.success) {
    issues.push(...issuesOf(envelope.error, '', raw));
    throw new ValidationError(locateAll(issues, locate));
  }
  const questions: QuestionContent[] = [];
  const firstIndex = new Map<string, number>();
  envelope.data.questions.forEach((rawQ, index) => {
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
  if (issues.length) throw new ValidationError(locateAll(issues, locate));
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
