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
 *    informative, from a generator seeded by the seed and the item's position; items equally
 *    informative are ranked by a draw seeded the same way, so a tie larger than k (every
 *    uncalibrated item of one difficulty) spreads over all its items;
 * 5. optionally, item eligibility (Sympson & Hetter 1985, in the per-candidate form of van der
 *    Linden & Veldkamp 2004): an item with eligibility e takes part in a candidate's section
 *    with probability e, drawn once per candidate and item from the seed, so that no item is
 *    shown to more than a set share of candidates. {@link exposureEligibility} computes e by
 *    simulation. Randomesque alone cannot cap the exposure of an item that is among the most
 *    informative over a wide range of abilities.
 */

import { type ItemModel, itemInformation } from './irt-model.ts';
import { normalDeviate } from './irt-simulation.ts';
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
  /** Probability that the item takes part in a candidate's section (default 1). */
  eligibility?: number;
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

/** Randomesque k when the settings give none: a pick among the 5 most informative items. */
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
  if (byKey.size !== pool.length) throw new Error('The pool has two items with the same key.');
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
  // The target before the maximum: a section whose last allowed answer brought the standard
  // error to the target reached its precision, and the report says so.
  if (n >= settings.minItems && ability.standardError <= settings.targetStandardError)
    return complete('target-standard-error');
  if (n >= settings.maxItems) return complete('max-items');
  const remaining = pool.filter((it) => !shown.has(it.key));
  if (remaining.length === 0) return complete('pool-exhausted');

  // Items the candidate's eligibility draw leaves out, unless that leaves nothing to show.
  const drawn = remaining.filter(
    (it) => it.eligibility === undefined || it.eligibility >= 1 || isEligible(input.seed, it),
  );
  const available = drawn.length > 0 ? drawn : remaining;
  const eligible = settings.balance === false ? available : balanced(pool, available, shown, n);
  const theta = n === 0 ? 0 : ability.theta;
  // Items equally informative (uncalibrated items share a = 1 and b = -1, 0 or +1) are ordered
  // by a draw per candidate, step and item, not by their keys: ordered by key, the top k of a
  // tie were the same k items for every candidate and the rest of the tie was never reached.
  // (Drawn only for ties, so a pool of distinct items costs no hashing.)
  const draw = (key: string) => uniformHash(`${input.seed}#${n}|${key}`);
  const ranked = eligible
    .map((it) => ({ key: it.key, info: itemInformation(it.model, theta) }))
    .sort((x, y) => y.info - x.info || draw(x.key) - draw(y.key) || (x.key < y.key ? -1 : 1));
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
    for (const it of pool) {
      const ls = labels(it);
      const isShown = shown.has(it.key);
      ls.forEach((l, i) => {
        if (i > 0 && ls.indexOf(l) < i) return; // a label repeated on one item counts once
        inPool.set(l, (inPool.get(l) ?? 0) + 1);
        if (isShown) seen.set(l, (seen.get(l) ?? 0) + 1);
      });
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

/**
 * Whether an item takes part in the section seeded by `seed`: a uniform number drawn once per
 * seed and item key (a 32-bit FNV-1a hash with murmur3's finaliser: fast, since every step
 * draws for every remaining item) compared with its eligibility.
 */
export function isEligible(seed: string, item: PoolItem): boolean {
  return uniformHash(`${seed}|${item.key}`) < (item.eligibility ?? 1);
}

function uniformHash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296;
}

export interface EligibilityOptions {
  /** The largest share of candidates an item may be shown to. */
  maxExposure: number;
  /** Simulated candidates per round (theta ~ N(0,1)). */
  simulees: number;
  rounds: number;
  seed: string;
  /** Scores of a simulated candidate: draws a score for an item at theta. */
  simulate: (item: PoolItem, theta: number, random: () => number) => number;
}

/**
 * Eligibility probabilities that keep every item's exposure at or below `maxExposure` (the
 * Sympson-Hetter iteration, van der Linden 2003): simulate sections with the current
 * eligibilities, then set e_i <- min(1, e_i x maxExposure / r_i) from each item's observed
 * exposure rate r_i, for a few rounds. The returned pool carries the eligibilities; pools of
 * real candidates differ from N(0,1), so a calibration job recomputes them with its own data.
 */
export function exposureEligibility(
  pool: readonly PoolItem[],
  settings: AdaptiveSettings,
  o: EligibilityOptions,
): { pool: PoolItem[]; rounds: { maxExposure: number; meanItems: number }[] } {
  let current = pool.map((it) => ({ ...it, eligibility: 1 }));
  const history: { maxExposure: number; meanItems: number }[] = [];
  for (let round = 0; round < o.rounds; round++) {
    const random = seededRandom(`${o.seed}:round-${round}`);
    const normal = () => normalDeviate(random);
    const byKey = new Map(current.map((it) => [it.key, it]));
    const shownCount = new Map<string, number>();
    let items = 0;
    for (let c = 0; c < o.simulees; c++) {
      const theta = normal();
      const responses: AdaptiveResponse[] = [];
      const seed = `${o.seed}:round-${round}:simulee-${c}`;
      for (;;) {
        const step = nextStep({ pool: current, responses, settings, seed });
        if (step.kind === 'complete') break;
        shownCount.set(step.key, (shownCount.get(step.key) ?? 0) + 1);
        responses.push({ key: step.key, score: o.simulate(byKey.get(step.key)!, theta, random) });
      }
      items += responses.length;
    }
    const rate = (key: string) => (shownCount.get(key) ?? 0) / o.simulees;
    history.push({
      maxExposure: Math.max(0, ...current.map((it) => rate(it.key))),
      meanItems: items / o.simulees,
    });
    current = current.map((it) => {
      const r = rate(it.key);
      return {
        ...it,
        eligibility: r > 0 ? Math.min(1, (it.eligibility * o.maxExposure) / r) : 1,
      };
    });
  }
  return { pool: current, rounds: history };
}
