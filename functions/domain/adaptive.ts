/**
 * Adaptive item selection for one section: which item to show next, or why the section is
 * complete. A pure function of the pool (with each item's model), the responses so far, the
 * settings and a seed, so the server can keep the state of a section as the list of items
 * shown and their scores, recompute the next step from it on every save and make each step a
 * conditional write.
 *
 * The rule (see docs/psychometrics.md):
 * 1. stop when time is up, at `maxItems`, when the pool is exhausted, or, from `minItems` on,
 *    when the standard error of the EAP ability is at most `targetStandardError`;
 * 2. content balancing: if some question type is behind its share of the pool
 *    (shown < floor(share x (n + 1)) for the (n + 1)-th item), only the types behind are
 *    eligible (after Kingsbury & Zara 1989's constrained CAT); then, among those, items
 *    carrying a tag that is behind its share, when there are any;
 * 3. maximum Fisher information at the current EAP (at theta 0 for the first item) among the
 *    eligible items not yet shown;
 * 4. randomesque exposure control (Kingsbury & Zara 1989): a uniform pick among the `k` most
 *    informative, from a generator seeded by the seed and the item's position.
 */

import { type ItemModel, itemInformation } from './irt-model.ts';
import { type Ability, eap, type ScoredItem } from './psychometrics.ts';
import { seededRandom } from './random.ts';

/** An item of an adaptive section's pool. */
export interface PoolItem {
  /** The question version's key (unique in the pool). */
  key: string;
  /** Question type, for content balancing. */
  type: string;
  tags: readonly string[];
  model: ItemModel;
}

export interface AdaptiveSettings {
  minItems: number;
  maxItems: number;
  targetStandardError: number;
  /** Randomesque exposure control: pick among the k most informative (default 5). */
  randomesque?: number;
  /** Balance question types and tags against the pool's shares (default true). */
  balance?: boolean;
}

export interface AdaptiveResponse {
  key: string;
  score: number;
}

export type StopReason = 'target-standard-error' | 'max-items' | 'time-up' | 'pool-exhausted';

export type AdaptiveStep =
  | { kind: 'item'; key: string; position: number; ability: Ability }
  | { kind: 'complete'; reason: StopReason; items: number; ability: Ability };

export interface AdaptiveInput {
  pool: readonly PoolItem[];
  /** The items shown so far, in order, with their scores. */
  responses: readonly AdaptiveResponse[];
  settings: AdaptiveSettings;
  /** Seeds the randomesque pick (e.g. the attempt id and section). */
  seed: string;
  /** The section's time has run out. */
  timeUp?: boolean;
}

export const DEFAULT_RANDOMESQUE = 5;

const scored = (item: PoolItem, score: number): ScoredItem =>
  item.model.categories
    ? { a: item.model.a, steps: item.model.steps, categories: item.model.categories, score }
    : { a: item.model.a, b: item.model.steps[0]!, score };

/** The EAP ability from the responses so far (each must name an item of the pool). */
export function currentAbility(
  pool: ReadonlyMap<string, PoolItem>,
  responses: readonly AdaptiveResponse[],
): Ability {
  return eap(
    responses.map((r) => {
      const item = pool.get(r.key);
      if (!item) throw new Error(`Response to "${r.key}", which is not in the pool.`);
      return scored(item, r.score);
    }),
  );
}

/**
 * The next step of an adaptive section. Throws on a response to an item outside the pool or
 * shown twice: the caller's state is corrupt, not the candidate's input.
 */
export function nextStep(input: AdaptiveInput): AdaptiveStep {
  const { pool, responses, settings } = input;
  const byKey = new Map(pool.map((it) => [it.key, it]));
  const shown = new Set<string>();
  for (const r of responses) {
    if (shown.has(r.key)) throw new Error(`Item "${r.key}" was shown twice.`);
    shown.add(r.key);
  }
  const ability = currentAbility(byKey, responses);
  const n = responses.length;
  const complete = (reason: StopReason): AdaptiveStep => ({
    kind: 'complete',
    reason,
    items: n,
    ability,
  });
  if (input.timeUp) return complete('time-up');
  if (n >= settings.maxItems) return complete('max-items');
  if (n >= settings.minItems && ability.standardError <= settings.targetStandardError)
    return complete('target-standard-error');
  const remaining = pool.filter((it) => !shown.has(it.key));
  if (remaining.length === 0) return complete('pool-exhausted');

  const eligible = settings.balance === false ? remaining : balanced(pool, remaining, shown, n);
  const theta = n === 0 ? 0 : ability.theta;
  const ranked = eligible
    .map((it) => ({ key: it.key, info: itemInformation(it.model, theta) }))
    .sort((x, y) => y.info - x.info || (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
  const k = Math.max(1, Math.min(settings.randomesque ?? DEFAULT_RANDOMESQUE, ranked.length));
  const random = seededRandom(`${input.seed}#${n}`);
  const pick = ranked[Math.floor(random() * k)]!;
  return { kind: 'item', key: pick.key, position: n + 1, ability };
}

/**
 * The remaining items that keep question types, then tags, near their shares of the pool:
 * for the (n + 1)-th item a type (tag) is behind when it has been shown fewer than
 * floor(share x (n + 1)) times; the items of types behind (then those with a tag behind)
 * are eligible when there are any, otherwise every remaining item is.
 */
function balanced(
  pool: readonly PoolItem[],
  remaining: readonly PoolItem[],
  shown: ReadonlySet<string>,
  n: number,
): readonly PoolItem[] {
  const behind = (labels: (it: PoolItem) => readonly string[]) => {
    const inPool = new Map<string, number>();
    const seen = new Map<string, number>();
    for (const it of pool)
      for (const l of new Set(labels(it))) {
        inPool.set(l, (inPool.get(l) ?? 0) + 1);
        if (shown.has(it.key)) seen.set(l, (seen.get(l) ?? 0) + 1);
      }
    const out = new Set<string>();
    for (const [l, count] of inPool)
      if ((seen.get(l) ?? 0) < Math.floor((count / pool.length) * (n + 1))) out.add(l);
    return out;
  };
  const restrict = (items: readonly PoolItem[], labels: (it: PoolItem) => readonly string[]) => {
    const owed = behind(labels);
    if (owed.size === 0) return items;
    const some = items.filter((it) => labels(it).some((l) => owed.has(l)));
    return some.length > 0 ? some : items;
  };
  const byType = restrict(remaining, (it) => [it.type]);
  return restrict(byType, (it) => it.tags);
}
