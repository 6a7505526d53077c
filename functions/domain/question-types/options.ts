/** What the types with options share: key checks, the shuffled view, answers and generators. */
import type fc from 'fast-check';
import * as z from 'zod/mini';
import type { FieldIssue } from '../errors.ts';
import { fingerprint } from '../fingerprint.ts';
import { creditPercent, weightOf } from '../moodle.ts';
import { shuffle } from '../shuffle.ts';
import { once } from '../z.ts';
import type { AttemptData, Generators, Option, QuestionContent } from './type.ts';

/** Issues for answer option ids that are not options of the question. */
export function unknownOptionIssues(
  q: Pick<QuestionContent, 'options'>,
  ids: readonly string[],
  path = 'answer',
): FieldIssue[] {
  const known = new Set((q.options ?? []).map((o) => o.id));
  return ids
    .map((id, i) => ({ id, i }))
    .filter(({ id }) => !known.has(id))
    .map(({ id, i }) => ({
      path: ids.length === 1 && path === 'answer' ? path : `${path}[${i}]`,
      message: `"${id}" is not an option id of this question (options: ${[...known].join(', ')}).`,
    }));
}

const idsOf = (q: Pick<QuestionContent, 'options'>) => (q.options ?? []).map((o) => o.id);

/** A candidate's pick of one option id of this question. */
export function optionIdResponse(q: Pick<QuestionContent, 'options'>) {
  const ids = idsOf(q);
  return z.string().check(
    z.refine((v) => ids.includes(v), {
      message: `Must be one of this question's option ids: ${ids.join(', ')}.`,
    }),
  );
}

export const uniqueIds = (ids: readonly string[]) => new Set(ids).size === ids.length;

/** Bytes of a JSON string of ASCII id characters: the id and its quotes. */
const quoted = (id: string) => id.length + 2;

/** The most bytes of JSON of one option id of this question. */
export function optionIdBytes(q: Pick<QuestionContent, 'options'>): number {
  return Math.max(0, ...idsOf(q).map(quoted));
}

/** The most bytes of JSON of a list of distinct option ids of this question (all of them). */
export function optionListBytes(q: Pick<QuestionContent, 'options'>): number {
  const ids = idsOf(q);
  return 2 + ids.reduce((n, id) => n + quoted(id), 0) + Math.max(0, ids.length - 1);
}

/** Any one option id of this question. */
export const anyOptionId = (fast: typeof fc, q: Pick<QuestionContent, 'options'>) =>
  fast.constantFrom(...idsOf(q));

/**
 * An order of these items that says nothing about how they were authored: by a hash of each
 * item. A shuffle seeded by the (public) attempt id can be recomputed by anyone; starting from
 * this order, recomputing it reveals only this order, never the authored one.
 */
export function neutralOrder<T>(items: readonly T[], key: (item: T) => string): T[] {
  const hashed = items.map((item) => ({ item, h: fingerprint(key(item)) }));
  return hashed.sort((a, b) => (a.h < b.h ? -1 : a.h > b.h ? 1 : 0)).map((x) => x.item);
}

/** The options in an order shuffled for this attempt, from a neutral order. */
export function shuffleOptions(
  q: Pick<QuestionContent, 'options'>,
  random: () => number,
): AttemptData {
  const neutral = neutralOrder(q.options ?? [], (o) => `${o.id}\u0000${o.text}`);
  return { order: shuffle(neutral, random).map((o) => o.id) };
}

/** A candidate sees an option's id and text, nothing else. */
const optionList = /* @__PURE__ */ once(() =>
  z.array(z.strictObject({ id: z.string(), text: z.string() })),
);

/** The view of a type whose candidate sees its options (its schema built on first use). */
export const optionsView = {
  get options() {
    return optionList();
  },
};

/** The options in this attempt's order (the authored order if the attempt has none). */
export function showOptions(
  q: Pick<QuestionContent, 'options'>,
  attempt: AttemptData,
): { options: Option[] } {
  const options = q.options ?? [];
  const byId = new Map(options.map((o) => [o.id, o]));
  const order = attempt.order;
  const ids =
    order && order.length === options.length && order.every((id) => byId.has(id))
      ? order
      : options.map((o) => o.id);
  return { options: ids.map((id) => ({ id, text: byId.get(id)!.text })) };
}

/** An option as a report shows it: `b — Use a queue`. */
export function optionLabel(q: Pick<QuestionContent, 'options'>, id: string): string {
  const text = q.options?.find((o) => o.id === id)?.text;
  return text === undefined ? id : `${id} — ${text}`;
}

/**
 * A key that weights options (Moodle's partial credit): the options worth something, most first,
 * each with its credit ("b — Use a queue (100%); a — Retry (50%)"); a penalty shows as negative.
 */
export function weightedOptions(
  q: Pick<QuestionContent, 'options'>,
  weights: Readonly<Record<string, number>>,
): string {
  const credit = (id: string) => weightOf(weights, id);
  const listed = (q.options ?? [])
    .filter((o) => credit(o.id) !== 0)
    .sort((x, y) => credit(y.id) - credit(x.id));
  return listed.length
    ? listed.map((o) => `${optionLabel(q, o.id)} (${creditPercent(credit(o.id))})`).join('; ')
    : '(no option earns credit)';
}

/** 2..10 options with distinct ids and texts: letters a, b, c, ... or arbitrary ids. */
export function optionsArbitrary(
  fast: typeof fc,
  gen: Generators,
  min = 2,
): fc.Arbitrary<Option[]> {
  return fast
    .tuple(
      fast.uniqueArray(gen.text(1, 1000), { minLength: min, maxLength: 10 }),
      fast.boolean(),
      fast.uniqueArray(fast.stringMatching(/^[a-z0-9][a-z0-9-]{0,31}$/), {
        minLength: 10,
        maxLength: 10,
      }),
    )
    .map(([texts, letters, ids]) =>
      texts.map((text, i) => ({ id: letters ? 'abcdefghij'[i]! : ids[i]!, text })),
    );
}
