/**
 * The bank's review procedure (docs/question-bank.md, "Review procedure"): draw a seeded random
 * sample of at least a given share of every area, render it as candidates see it (no ids, no
 * keys, options in a seeded shuffled order), write the key separately, and score a reviewer's
 * answers against the key. Pure functions; `scripts/review-sample.ts` is the command line.
 */
import {
  candidateView,
  contentHash,
  gradeResponse,
  type Option,
  type QuestionContent,
  startQuestion,
} from '../functions/domain/question.ts';
import { sample, seededRandom } from '../functions/domain/random.ts';
import { AREAS } from '../functions/domain/taxonomy.ts';

/** Thresholds of the procedure (issue 18, item 4). */
export const MIN_SHARE = 0.1;
export const MIN_AGREEMENT = 0.95;
export const MAX_TEST_WISE_HITS = 0.4;
/** An ambiguity rating from this value up must be resolved like a disagreement. */
export const AMBIGUITY_TO_RESOLVE = 3;

export interface SampledItem {
  /** 1-based number shown to the reviewer instead of the question id. */
  n: number;
  id: string;
  area: string;
  type: string;
  difficulty: number;
  /** Content hash of the drawn version: scoring refuses an item that changed since the draw. */
  hash: string;
  /** Option ids in the order the reviewer sees them (labels A, B, C, ...). */
  order: string[];
}

export interface Sample {
  seed: string;
  share: number;
  items: SampledItem[];
}

const label = (i: number) => String.fromCharCode(65 + i);

/**
 * Per area, `ceil(share * count)` questions (at least one) drawn with the project's seeded
 * generator from the area's questions sorted by id, so the same seed and bank give the same
 * sample; option orders come from the same function attempts use.
 */
export function drawSample(
  questions: readonly QuestionContent[],
  seed: string,
  share: number,
  areas: readonly string[] = AREAS.map((a) => a.id),
): Sample {
  if (!(share > 0 && share <= 1)) throw new Error('share must be in (0, 1].');
  const items: SampledItem[] = [];
  for (const area of areas) {
    const pool = questions.filter((q) => q.area === area).sort((a, b) => a.id.localeCompare(b.id));
    if (!pool.length) continue;
    const n = Math.max(1, Math.ceil(share * pool.length - 1e-9));
    const drawn = sample(pool, n, seededRandom(`${seed}#review#${area}`));
    for (const q of drawn.sort((a, b) => a.id.localeCompare(b.id)))
      items.push({
        n: items.length + 1,
        id: q.id,
        area: q.area,
        type: q.type,
        difficulty: q.difficulty,
        hash: contentHash(q),
        order: q.options ? (startQuestion(q, seed).order ?? []) : [],
      });
  }
  return { seed, share, items };
}

const HOW_TO_ANSWER: Record<string, string> = {
  single: 'Choose one option: write its letter.',
  sjt: 'Choose the most effective response: write its letter.',
  multi: 'Choose as many options as the prompt says: write the letters, comma-separated.',
  order: 'Put all options in order: write the letters, comma-separated, first to last.',
  numeric: 'Write a number.',
  text: 'Write the answer.',
};

/** The sample as a candidate sees it: numbers instead of ids, labels instead of option ids. */
export function renderCandidateView(s: Sample, byId: ReadonlyMap<string, QuestionContent>): string {
  const out = [
    `# Review sample, seed ${s.seed}, share ${s.share}`,
    '',
    'Answer every item in the answer file without looking anything up. Rate each item 1-5 for',
    'ambiguity: 1 = one answer is clearly best, 3 = another answer is nearly as defensible,',
    '5 = two or more answers are equally defensible or the prompt lacks a fact you need.',
    '',
  ];
  for (const item of s.items) {
    const view = candidateView(byId.get(item.id)!, { order: item.order });
    out.push(`## Item ${item.n} (${view.area})`, '', view.prompt.trim(), '');
    (view.options as Option[] | undefined)?.forEach((o, i) => {
      out.push(`${label(i)}. ${o.text.trim()}`);
    });
    out.push('', `_${HOW_TO_ANSWER[view.type] ?? 'Write the answer as JSON.'}_`, '');
  }
  return out.join('\n');
}

/** The key of the sample in the reviewer's labels, with each item's id, version and explanation. */
export function renderKey(s: Sample, byId: ReadonlyMap<string, QuestionContent>): string {
  const out = [`# Key to review sample, seed ${s.seed}, share ${s.share}`, ''];
  for (const item of s.items) {
    const q = byId.get(item.id)!;
    const lab = (id: string) => label(item.order.indexOf(id));
    let key: string;
    switch (q.type) {
      case 'single':
        key = lab(q.answer as string);
        break;
      case 'multi':
      case 'order':
        key = (q.answer as string[]).map(lab).join(', ');
        break;
      case 'sjt': {
        const w = (q.answer as { weights: Record<string, number> }).weights;
        key = item.order.map((id) => `${lab(id)} = ${w[id]}`).join(', ');
        break;
      }
      default:
        key = JSON.stringify(q.answer);
    }
    out.push(
      `## Item ${item.n}: ${q.id} (${q.area}, ${q.type}, difficulty ${q.difficulty}, version ${item.hash})`,
      '',
      `Key: ${key}`,
      '',
      q.explanation.trim(),
      '',
    );
  }
  return out.join('\n');
}

/** Header of the answer files; the reviewer fills `answer` and `ambiguity`, the author `resolution`. */
export const ANSWER_COLUMNS = ['n', 'area', 'answer', 'ambiguity', 'resolution'] as const;

/** An empty answer file for the given items (tab-separated). */
export function answerTemplate(items: readonly SampledItem[]): string {
  return `${[ANSWER_COLUMNS.join('\t'), ...items.map((i) => [i.n, i.area, '', '', ''].join('\t'))].join('\n')}\n`;
}

export interface AnswerRow {
  n: number;
  answer: string;
  ambiguity?: number;
  resolution: string;
}

/** Rows of a filled answer file; the line of every malformed row is reported. */
export function parseAnswers(tsv: string): AnswerRow[] {
  const lines = tsv.split(/\r?\n/);
  const header = lines[0]?.split('\t') ?? [];
  const col = (name: string) => header.indexOf(name);
  for (const c of ['n', 'answer'])
    if (col(c) < 0) throw new Error(`answer file: no "${c}" column in the header`);
  const rows: AnswerRow[] = [];
  const problems: string[] = [];
  lines.slice(1).forEach((line, i) => {
    if (!line.trim()) return;
    const cells = line.split('\t');
    const get = (name: string) => (col(name) >= 0 ? (cells[col(name)] ?? '').trim() : '');
    const n = Number(get('n'));
    const amb = get('ambiguity');
    if (!Number.isInteger(n) || n < 1) problems.push(`line ${i + 2}: "n" is not an item number`);
    if (amb && !/^[1-5]$/.test(amb)) problems.push(`line ${i + 2}: ambiguity must be 1-5`);
    rows.push({
      n,
      answer: get('answer'),
      ...(amb ? { ambiguity: Number(amb) } : {}),
      resolution: get('resolution'),
    });
  });
  if (problems.length) throw new Error(`answer file:\n${problems.join('\n')}`);
  return rows;
}

/** A reviewer's written answer as the candidate response it stands for (labels become option ids). */
export function responseOf(q: QuestionContent, order: readonly string[], answer: string): unknown {
  const idOf = (l: string) => order[l.trim().toUpperCase().charCodeAt(0) - 65];
  const labels = () =>
    answer
      .split(/[,\s]+/)
      .filter(Boolean)
      .map(idOf);
  switch (q.type) {
    case 'single':
    case 'sjt':
      return idOf(answer);
    case 'multi':
    case 'order':
      return labels();
    case 'numeric':
      return Number(answer);
    case 'text':
      return answer;
    default:
      try {
        return JSON.parse(answer);
      } catch {
        return answer;
      }
  }
}

export interface ItemScore {
  n: number;
  id: string;
  area: string;
  answered: boolean;
  /** The reviewer reached the key (score 1; for SJT the option weighted 1). */
  agrees: boolean;
  ambiguity?: number;
  resolution: string;
  /** Disagreement or ambiguity >= 3 without a written resolution. */
  unresolved: boolean;
}

export interface BlindResult {
  items: ItemScore[];
  agreement: number;
  perArea: Record<string, { items: number; agree: number }>;
  unresolved: ItemScore[];
  pass: boolean;
}

function checkVersions(s: Sample, byId: ReadonlyMap<string, QuestionContent>): void {
  const changed = s.items.filter((i) => {
    const q = byId.get(i.id);
    return !q || contentHash(q) !== i.hash;
  });
  if (changed.length)
    throw new Error(
      `${changed.map((i) => `item ${i.n} (${i.id})`).join(', ')} changed since the draw: ` +
        'score against the bank the sample was drawn from, or draw again.',
    );
}

/** Blind solve: agreement with the key (>= 95% to pass) and every disagreement or ambiguity >= 3 resolved. */
export function scoreBlind(
  s: Sample,
  byId: ReadonlyMap<string, QuestionContent>,
  rows: readonly AnswerRow[],
): BlindResult {
  checkVersions(s, byId);
  const byN = new Map(rows.map((r) => [r.n, r]));
  const items = s.items.map((item): ItemScore => {
    const q = byId.get(item.id)!;
    const row = byN.get(item.n);
    const answered = !!row?.answer;
    const agrees = answered && gradeResponse(q, responseOf(q, item.order, row!.answer)) === 1;
    const ambiguity = row?.ambiguity;
    const resolution = row?.resolution ?? '';
    const needs = !agrees || (ambiguity ?? 0) >= AMBIGUITY_TO_RESOLVE;
    return {
      n: item.n,
      id: item.id,
      area: item.area,
      answered,
      agrees,
      ...(ambiguity !== undefined ? { ambiguity } : {}),
      resolution,
      unresolved: needs && !resolution,
    };
  });
  const perArea: BlindResult['perArea'] = {};
  for (const i of items) {
    perArea[i.area] ??= { items: 0, agree: 0 };
    perArea[i.area]!.items++;
    if (i.agrees) perArea[i.area]!.agree++;
  }
  const agreement = items.filter((i) => i.agrees).length / Math.max(1, items.length);
  const unresolved = items.filter((i) => i.unresolved);
  return {
    items,
    agreement,
    perArea,
    unresolved,
    pass: agreement >= MIN_AGREEMENT && unresolved.length === 0,
  };
}

export interface TestWiseResult {
  items: number;
  hits: number;
  share: number;
  pass: boolean;
}

/** Test-wise solve of the sample's SJT items: the share of picks that reach the key must be <= 40%. */
export function scoreTestWise(
  s: Sample,
  byId: ReadonlyMap<string, QuestionContent>,
  rows: readonly AnswerRow[],
): TestWiseResult {
  checkVersions(s, byId);
  const byN = new Map(rows.map((r) => [r.n, r]));
  const sjt = s.items.filter((i) => i.type === 'sjt');
  const missing = sjt.filter((i) => !byN.get(i.n)?.answer);
  if (missing.length)
    throw new Error(`test-wise answers missing for items ${missing.map((i) => i.n).join(', ')}`);
  const hits = sjt.filter((i) => {
    const q = byId.get(i.id)!;
    return gradeResponse(q, responseOf(q, i.order, byN.get(i.n)!.answer)) === 1;
  }).length;
  const share = hits / Math.max(1, sjt.length);
  return { items: sjt.length, hits, share, pass: share <= MAX_TEST_WISE_HITS };
}
