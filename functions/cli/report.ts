import type { Bank } from '../domain/bank.ts';
import { CODE_READING_TAG, shortOfStandard } from '../domain/bank-standard.ts';
import type { QuestionContent } from '../domain/question.ts';
import { QUESTION_TYPES } from '../domain/question-types/registry.ts';
import { AREAS, type Area } from '../domain/taxonomy.ts';

/** From this weight an SJT option is a defensible response (rubric level 0.5 and above). */
export const STRONG_WEIGHT = 0.5;

const line = (cells: unknown[]) => `| ${cells.join(' | ')} |`;
const table = (header: unknown[], rows: unknown[][]) =>
  [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
const pct = (x: number) => `${Math.round(x * 100)}%`;

/**
 * `standard`, or `growing: <what it lacks>`; an area marked growing that meets the standard,
 * or one below it that is not marked, says so (the bank gate fails on both).
 */
function stateOf(area: Area, questions: readonly QuestionContent[]): string {
  const short = shortOfStandard(area, questions);
  if (area.bank === 'growing') {
    return short.length ? `growing: ${short.join(', ')}` : 'growing, but meets the standard';
  }
  return short.length ? `below the standard: ${short.join(', ')}` : 'standard';
}

/**
 * Markdown report of banks: coverage per area with each area's state against the bank standard
 * (`standard`, or `growing` with what it lacks), then the SJT figures of the areas that have
 * SJT items.
 */
export function coverageReport(banks: readonly Bank[]): string {
  const questions = banks.flatMap((b) => b.questions);
  const header = ['area', 'd1', 'd2', 'd3', ...QUESTION_TYPES, 'code-reading', 'total', 'state'];
  const rows = AREAS.map((a) => {
    const qs = questions.filter((q) => q.area === a.id);
    return [
      a.id,
      ...[1, 2, 3].map((d) => qs.filter((q) => q.difficulty === d).length),
      ...QUESTION_TYPES.map((t) => qs.filter((q) => q.type === t).length),
      qs.filter((q) => q.tags.includes(CODE_READING_TAG)).length,
      qs.length,
      stateOf(a, questions),
    ];
  });
  const totals = [
    '**total**',
    ...header.slice(1, -1).map((_, i) => rows.reduce((s, r) => s + Number(r[i + 1]), 0)),
    '',
  ];
  const sjtRows = AREAS.flatMap((a) => {
    const qs = questions.filter((q) => q.area === a.id && q.type === 'sjt');
    if (!qs.length) return [];
    const options = qs.flatMap((q) => Object.values(sjtWeights(q)));
    const strong = options.filter((w) => w >= STRONG_WEIGHT).length;
    const cues = surfaceCueShares(qs);
    return [
      [
        a.id,
        qs.length,
        options.length,
        `${strong} (${pct(strong / options.length)})`,
        qs.filter((q) => strongOptionIds(q).length >= 2).length,
        pct(cues.longest),
        pct(cues.consultative),
        pct(cues.hedged),
        pct(cues.echo),
        pct(cues.combined),
        pct(cues.listing),
        pct(cues.unargued),
      ],
    ];
  });
  const sjtHeader = [
    'area',
    'sjt items',
    'options',
    'options >= 0.5',
    'items with >= 2',
    'key longest',
    'key most consultative',
    'key most hedged',
    'key echoes prompt most',
    'surface-cue pick = key',
    'key lists most',
    'key among options not arguing for themselves',
  ];
  const lengthRows = AREAS.flatMap((a) => {
    const qs = questions.filter((q) => q.area === a.id && a.kind === 'technical');
    const single = lengthCueShares(qs);
    const multi = multiLengthCueShares(qs);
    const unargued = unarguedCueShares(qs);
    if (!single.items && !multi.items) return [];
    return [
      [
        a.id,
        single.items,
        pct(single.longest),
        pct(single.shortest),
        pct(single.between),
        pct(single.chance),
        pct(unargued.unargued),
        multi.items,
        pct(multi.longest),
        pct(multi.shortest),
        pct(multi.chance),
      ],
    ];
  });
  const lengthHeader = [
    'area',
    'single items',
    'key longest',
    'key shortest',
    'key in between',
    'chance',
    'key among options not arguing for themselves',
    'multi items',
    'keys among the k longest',
    'keys among the k shortest',
    'chance',
  ];
  const out = [table(header, [...rows, totals])];
  if (sjtRows.length) {
    out.push(
      '',
      'Situational judgement (shares of items; a tie counts as a random pick among the tied options):',
      '',
      table(sjtHeader, sjtRows),
    );
  }
  if (lengthRows.length) {
    out.push(
      '',
      'Option length and form as cues, technical areas (share of items on which a pick by length alone reaches the key; a tie counts as a random pick among the tied options; "in between" picks among the options that are neither the longest nor the shortest; "not arguing for themselves" picks at random among the single options without a reason clause (JUSTIFICATION), all options when none or all have one; multi picks the k longest or shortest of an item with k keys and counts the share of keys among them). Options are shuffled per attempt, so their authored position is no cue:',
      '',
      table(lengthHeader, lengthRows),
    );
  }
  return `${out.join('\n')}\n`;
}

// ---------------------------------------------------------------- option length (single, multi)

/**
 * For each option, the chance that it is the r-th longest (index 0 = longest) when options of the
 * same length are ordered at random: an option in a tie of m options that together take ranks
 * a..a+m-1 holds each of them with probability 1/m.
 */
export function lengthRankChances(texts: readonly string[]): number[][] {
  const lengths = texts.map((t) => t.length);
  return lengths.map((len) => {
    const above = lengths.filter((l) => l > len).length;
    const tied = lengths.filter((l) => l === len).length;
    return lengths.map((_, r) => (r >= above && r < above + tied ? 1 / tied : 0));
  });
}

export const PART_SEPARATORS = /[,;:]|\b(?:and|then)\b/g;

/**
 * A clause in which an option argues for itself ("..., since it is only one line", "so that
 * nobody waits"). A test-wise candidate discards such options, so keys need them as often as the
 * other options do.
 */
export const JUSTIFICATION = /\b(?:since|because)\b|\bso that\b|,\s*(?:so|which|as)\b/i;

/**
 * Over the single-choice items, the expected share on which a candidate who picks by length alone
 * reaches the key: the longest option, the shortest, or an option picked at random among those
 * in between (neither the longest nor the shortest; with two options, either). `chance` is a
 * blind guess (the mean of 1/options). Ties count as a random pick among the tied options.
 */
export function lengthCueShares(questions: readonly QuestionContent[]) {
  const singles = questions.filter(
    (q) => q.type === 'single' && typeof q.answer === 'string' && (q.options?.length ?? 0) >= 2,
  );
  const out = { items: singles.length, longest: 0, shortest: 0, between: 0, chance: 0 };
  for (const q of singles) {
    const options = q.options!;
    const n = options.length;
    const ranks = lengthRankChances(options.map((o) => o.text))[
      options.findIndex((o) => o.id === q.answer)
    ]!;
    const middle = n > 2 ? ranks.slice(1, -1).reduce((s, p) => s + p, 0) / (n - 2) : 1 / n;
    out.longest += ranks[0]! / singles.length;
    out.shortest += ranks[n - 1]! / singles.length;
    out.between += middle / singles.length;
    out.chance += 1 / n / singles.length;
  }
  return out;
}

/**
 * Over the multi-choice items with plain keys, the expected share of the keys among a pick of the
 * k longest (or k shortest) options of an item with k keys, against k/options for a blind pick.
 */
export function multiLengthCueShares(questions: readonly QuestionContent[]) {
  const multis = questions.filter((q) => q.type === 'multi' && Array.isArray(q.answer));
  const out = { items: multis.length, longest: 0, shortest: 0, chance: 0 };
  for (const q of multis) {
    const options = q.options ?? [];
    const keys = new Set(q.answer as string[]);
    const k = keys.size;
    const ranks = lengthRankChances(options.map((o) => o.text));
    const among = (from: number, to: number) =>
      options.reduce(
        (s, o, i) =>
          keys.has(o.id) ? s + ranks[i]!.slice(from, to).reduce((a, p) => a + p, 0) : s,
        0,
      ) / k;
    out.longest += among(0, k) / multis.length;
    out.shortest += among(options.length - k, options.length) / multis.length;
    out.chance += k / options.length / multis.length;
  }
  return out;
}

/** The option weights of an SJT item (empty for other types). */
export function sjtWeights(q: QuestionContent): Record<string, number> {
  if (q.type !== 'sjt') return {};
  return (q.answer as { weights: Record<string, number> }).weights;
}

/** Ids of the options with weight >= 0.5. */
export function strongOptionIds(q: QuestionContent): string[] {
  return Object.entries(sjtWeights(q))
    .filter(([, w]) => w >= STRONG_WEIGHT)
    .map(([id]) => id);
}

/** Ids of the most effective options (weight 1). */
export function bestOptionIds(q: QuestionContent): string[] {
  return Object.entries(sjtWeights(q))
    .filter(([, w]) => w === 1)
    .map(([id]) => id);
}

/** Ids of the runners-up: the options with the highest weight below the best's. */
export function runnerUpIds(q: QuestionContent): string[] {
  const below = Object.entries(sjtWeights(q)).filter(([, w]) => w < 1);
  const top = Math.max(...below.map(([, w]) => w));
  return below.filter(([, w]) => w === top).map(([id]) => id);
}

// ---------------------------------------------------------------- explanations name options

const normalise = (s: string) =>
  s.toLowerCase().replace(/[“”]/g, '"').replace(/[‘’]/g, "'").replace(/\s+/g, ' ').trim();

/** The double-quoted passages of a text, in order, with their offsets. */
export function quotations(text: string): { quote: string; at: number }[] {
  const t = normalise(text);
  return [...t.matchAll(/"([^"]+)"/g)].map((m) => ({ quote: m[1]!, at: m.index }));
}

/**
 * The option a quotation names: a passage of at least three words that occurs in exactly one
 * option's text (options are shuffled per attempt, so explanations name them by content).
 */
export function optionNamedBy(q: QuestionContent, quote: string): string | undefined {
  if (quote.split(' ').length < 3) return undefined;
  const hits = (q.options ?? []).filter((o) => normalise(o.text).includes(quote));
  return hits.length === 1 ? hits[0]!.id : undefined;
}

/**
 * What an SJT explanation lacks against the bank's rule (docs/question-bank.md, "Writing the
 * explanation"): it opens with "Criterion:", quotes every option by a passage of its text, says
 * "runner-up" and quotes a runner-up first after it, and says when the runner-up "would be"
 * right (or better).
 */
export function explanationProblems(q: QuestionContent): string[] {
  if (q.type !== 'sjt') return [];
  const problems: string[] = [];
  const text = normalise(q.explanation);
  const quotes = quotations(q.explanation);
  if (!text.startsWith('criterion:')) problems.push('does not open with "Criterion:"');
  const named = new Set(quotes.map((x) => optionNamedBy(q, x.quote)).filter(Boolean));
  for (const o of q.options ?? [])
    if (!named.has(o.id)) problems.push(`never quotes option ${o.id} by a passage of its text`);
  const at = text.indexOf('runner-up');
  if (at < 0) problems.push('never says "runner-up"');
  else {
    const first = quotes.find((x) => x.at > at && optionNamedBy(q, x.quote));
    const id = first && optionNamedBy(q, first.quote);
    if (!id || !runnerUpIds(q).includes(id))
      problems.push(
        `the first option quoted after "runner-up" is ${id ?? 'none'}, not a runner-up`,
      );
    if (!/\bwould be (the )?(right|better)\b/.test(text.slice(at)))
      problems.push('never says when the runner-up "would be right"');
  }
  return problems;
}

// ---------------------------------------------------------------- surface cues (test-wiseness)

/** Words that make an option sound collaborative or consultative. */
export const CONSULTATIVE_WORDS =
  /\b(ask|asks|asking|discuss\w*|agree\w*|align\w*|talk\w*|meet|meeting|(?<!on-)call|together|involve\w*|consult\w*|pair|pairing|invite|propos\w*|suggest\w*|share|sharing|team|teams|their|them|stakeholders?|everyone|feedback|input|sync|collaborat\w*|tell|explain\w*|offer\w*|loop)\b/g;

/** Words that make an option sound measured, careful or hedged. */
export const HEDGING_WORDS =
  /\b(first|before|then|once|until|while|confirm\w*|check\w*|verif\w*|measur\w*|understand\w*|careful\w*|safe\w*|small\w*|gradual\w*|temporar\w*|if|whether|plan\w*|review\w*|document\w*|note|record\w*|evidence|data|test\w*|monitor\w*|watch\w*|assess\w*|evaluat\w*|risk\w*|investigat\w*)\b/g;

/**
 * What separates the things an option lists: commas, colons, semicolons, "and", "then". An option
 * that lists the most (several actions, or the contents of a message, joined by commas and "and")
 * sounds the most complete, which word counts miss.
 */
/**
 * Over the single-choice items, the expected share on which a candidate who picks at random among
 * the options that do not argue for themselves (no JUSTIFICATION clause; all options when none or
 * every one argues) reaches the key, against `chance` (the mean of 1/options). The distractors of
 * the technical areas are written as misconceptions with their rationale, so a bare key is a cue.
 */
export function unarguedCueShares(questions: readonly QuestionContent[]) {
  const singles = questions.filter(
    (q) => q.type === 'single' && typeof q.answer === 'string' && (q.options?.length ?? 0) >= 2,
  );
  const out = { items: singles.length, unargued: 0, chance: 0 };
  for (const q of singles) {
    const options = q.options!;
    const bare = options.filter((o) => !JUSTIFICATION.test(o.text));
    const picks = bare.length ? bare : options;
    out.unargued += picks.filter((o) => o.id === q.answer).length / picks.length / singles.length;
    out.chance += 1 / options.length / singles.length;
  }
  return out;
}

const count = (s: string, re: RegExp) => (s.toLowerCase().match(re) ?? []).length;
/** Function words that say nothing about the situation, left out when comparing an option with the prompt. */
const FUNCTION_WORDS = new Set(
  'about after also been before both could does each from have into more most only other same should since some than that their them then there they this were what when which while will with would your yours'.split(
    ' ',
  ),
);
export const contentWords = (s: string) =>
  new Set(
    s
      .toLowerCase()
      .replace(/[^a-z0-9 ]+/g, ' ')
      .split(/\s+/)
      .filter((w) => w.length > 3 && !FUNCTION_WORDS.has(w)),
  );

/** Ids of the options with the maximal score. */
function argmax(ids: string[], score: (id: string) => number): string[] {
  const best = Math.max(...ids.map(score));
  return ids.filter((id) => score(id) === best);
}

/**
 * The options a test-wise candidate would pick by each surface cue: the longest, the most
 * consultative and the most hedged wording, the one repeating most of the prompt's words, all
 * three named cues together (sum of ranks), the one listing the most parts, and the options that
 * do not argue for themselves (all options if every one does or none does). Ties are returned
 * whole.
 */
export function surfaceCuePicks(q: QuestionContent) {
  const options = q.options ?? [];
  const ids = options.map((o) => o.id);
  const text = (id: string) => options.find((o) => o.id === id)!.text;
  const prompt = contentWords(q.prompt);
  const length = (id: string) => text(id).length;
  const consult = (id: string) => count(text(id), CONSULTATIVE_WORDS);
  const hedge = (id: string) => count(text(id), HEDGING_WORDS);
  const echo = (id: string) => [...contentWords(text(id))].filter((w) => prompt.has(w)).length;
  const parts = (id: string) => count(text(id), PART_SEPARATORS) + 1;
  const unargued = ids.filter((id) => !JUSTIFICATION.test(text(id)));
  // Rank 0..n-1 by each cue (ties share the mean rank), summed.
  const rank = (f: (id: string) => number) => (id: string) => {
    const v = f(id);
    const below = ids.filter((x) => f(x) < v).length;
    const equal = ids.filter((x) => f(x) === v).length;
    return below + (equal - 1) / 2;
  };
  const ranks = [rank(length), rank(consult), rank(hedge)];
  return {
    longest: argmax(ids, length),
    consultative: argmax(ids, consult),
    hedged: argmax(ids, hedge),
    echo: argmax(ids, echo),
    combined: argmax(ids, (id) => ranks.reduce((s, r) => s + r(id), 0)),
    listing: argmax(ids, parts),
    unargued: unargued.length ? unargued : ids,
  };
}

export type SurfaceCue = keyof ReturnType<typeof surfaceCuePicks>;

/** Per cue, the expected share of items on which picking by that cue reaches the key. */
export function surfaceCueShares(
  questions: readonly QuestionContent[],
): Record<SurfaceCue, number> {
  const sjt = questions.filter((q) => q.type === 'sjt');
  const cues: SurfaceCue[] = [
    'longest',
    'consultative',
    'hedged',
    'echo',
    'combined',
    'listing',
    'unargued',
  ];
  const out = Object.fromEntries(cues.map((c) => [c, 0])) as Record<SurfaceCue, number>;
  for (const q of sjt) {
    const best = bestOptionIds(q);
    const picks = surfaceCuePicks(q);
    for (const c of cues)
      out[c] += picks[c].filter((id) => best.includes(id)).length / picks[c].length / sjt.length;
  }
  return out;
}
