import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ItemModel, itemInformation } from '../../functions/domain/irt-model.ts';
import {
  bestStandardError,
  eap,
  itemModel,
  itemParams,
  levelOf,
  type ScoredCalibratedItem,
  type Scored2plItem as ScoredItem,
} from '../../functions/domain/psychometrics.ts';
import { seededRandom } from '../../functions/domain/random.ts';

/** n items with a = 1, b = 0, the first k answered correctly and the rest wrongly. */
const pattern = (n: number, k: number): ScoredItem[] =>
  Array.from({ length: n }, (_, i) => ({ a: 1, b: 0, score: i < k ? 1 : 0 }));

/**
 * Reference EAP written from the definition, independently of the module: integrate
 * theta * posterior and posterior, posterior = N(0,1) density times the likelihood, with the
 * trapezoid rule on a grid ten times finer than the module's, over the same [-4, 4].
 */
function trapezoidEap(likelihood: (theta: number) => number) {
  const steps = 1200;
  const h = 8 / steps;
  let mass = 0;
  let first = 0;
  let second = 0;
  for (let i = 0; i <= steps; i++) {
    const theta = -4 + i * h;
    const density = (Math.exp((-theta * theta) / 2) / Math.sqrt(2 * Math.PI)) * likelihood(theta);
    const weight = i === 0 || i === steps ? h / 2 : h;
    mass += weight * density;
    first += weight * density * theta;
    second += weight * density * theta * theta;
  }
  const mean = first / mass;
  return { theta: mean, standardError: Math.sqrt(second / mass - mean * mean) };
}

/** The 2PL with fractional responses: prod P^s (1-P)^(1-s). */
const referenceEap = (items: ScoredItem[]) =>
  trapezoidEap((theta) =>
    items.reduce((l, { a, b, score }) => {
      const p = 1 / (1 + Math.exp(-a * (theta - b)));
      return l * p ** score * (1 - p) ** (1 - score);
    }, 1),
  );

const itemArb = fc.record({
  a: fc.double({ min: 0.3, max: 2.5, noNaN: true }),
  b: fc.double({ min: -2.5, max: 2.5, noNaN: true }),
  score: fc.oneof(fc.constant(0), fc.constant(1), fc.double({ min: 0, max: 1, noNaN: true })),
});

describe('eap', () => {
  it('places one correct answer to an average item at theta 0.413 (reference trapezoid)', () => {
    const items = [{ a: 1, b: 0, score: 1 }];
    const reference = referenceEap(items);
    // By Stein's lemma the untruncated value is E[P(1-P)] / E[P] = 0.2066 / 0.5 = 0.4132.
    expect(reference.theta).toBeCloseTo(0.413, 3);
    expect(eap(items).theta).toBeCloseTo(reference.theta, 4);
    expect(eap(items).standardError).toBeCloseTo(reference.standardError, 4);
  });

  it('matches the reference on mixed, calibrated and partial-credit patterns', () => {
    const items = [
      { a: 1.7, b: -0.4, score: 1 },
      { a: 0.6, b: 1.2, score: 0 },
      { a: 1.1, b: 0.3, score: 0.5 },
      { a: 2.2, b: 1.8, score: 0.25 },
    ];
    const got = eap(items);
    const reference = referenceEap(items);
    expect(got.theta).toBeCloseTo(reference.theta, 4);
    expect(got.standardError).toBeCloseTo(reference.standardError, 4);
  });

  it('puts all five of five average items correct above theta 1 (1.237, SE 0.737)', () => {
    const { theta, standardError } = eap(pattern(5, 5));
    expect(theta).toBeGreaterThan(1);
    expect(theta).toBeCloseTo(1.237, 3);
    expect(standardError).toBeCloseTo(0.737, 3);
  });

  it('returns the prior for no items', () => {
    const { theta, standardError } = eap([]);
    expect(theta).toBeCloseTo(0, 12);
    // The standard normal truncated to [-4, 4].
    expect(standardError).toBeCloseTo(1, 2);
  });

  it('mirrors all wrong against all correct on items centred at 0', () => {
    for (const n of [1, 3, 5, 12]) {
      expect(eap(pattern(n, 0)).theta).toBeCloseTo(-eap(pattern(n, n)).theta, 12);
      expect(eap(pattern(n, 0)).standardError).toBeCloseTo(eap(pattern(n, n)).standardError, 12);
    }
  });

  it('mirrors a score pattern s against 1 - s when the difficulties are mirrored too', () => {
    fc.assert(
      fc.property(fc.array(itemArb, { maxLength: 15 }), (items) => {
        const mirrored = items.map((i) => ({ a: i.a, b: -i.b, score: 1 - i.score }));
        expect(eap(mirrored).theta).toBeCloseTo(-eap(items).theta, 9);
        expect(eap(mirrored).standardError).toBeCloseTo(eap(items).standardError, 9);
      }),
    );
  });

  it('rises strictly with the number of correct answers', () => {
    const thetas = Array.from({ length: 11 }, (_, k) => eap(pattern(10, k)).theta);
    for (let k = 1; k < thetas.length; k++) expect(thetas[k]).toBeGreaterThan(thetas[k - 1]!);
  });

  it('rises when any one item score rises', () => {
    fc.assert(
      fc.property(fc.array(itemArb, { minLength: 1, maxLength: 15 }), fc.nat(), (items, pick) => {
        const i = pick % items.length;
        const better = items.map((it, j) => (j === i ? { ...it, score: 1 } : it));
        const worse = items.map((it, j) => (j === i ? { ...it, score: 0 } : it));
        expect(eap(better).theta).toBeGreaterThan(eap(worse).theta);
      }),
    );
  });

  it('shrinks the standard error as items are added', () => {
    const ses = [2, 4, 8, 16, 32].map((n) => eap(pattern(n, n / 2)).standardError);
    for (let k = 1; k < ses.length; k++) expect(ses[k]).toBeLessThan(ses[k - 1]!);
    expect(ses.at(-1)).toBeLessThan(0.35);
  });

  it('does not depend on the order of the items, to the last bit', () => {
    fc.assert(
      fc.property(
        fc
          .array(itemArb, { maxLength: 20 })
          .chain((items) =>
            fc.tuple(fc.constant(items), fc.shuffledSubarray(items, { minLength: items.length })),
          ),
        ([items, shuffled]) => {
          expect(eap(shuffled)).toEqual(eap(items));
        },
      ),
    );
  });

  it('stays finite on long, extreme and very discriminating patterns', () => {
    const hard = Array.from({ length: 200 }, () => ({ a: 4, b: 3.5, score: 1 }));
    const { theta, standardError } = eap(hard);
    expect(Number.isFinite(theta)).toBe(true);
    expect(theta).toBeGreaterThan(3);
    expect(theta).toBeLessThanOrEqual(4);
    expect(Number.isFinite(standardError)).toBe(true);
  });

  it('clamps scores outside [0, 1]', () => {
    expect(eap([{ a: 1, b: 0, score: 1.5 }])).toEqual(eap([{ a: 1, b: 0, score: 1 }]));
    expect(eap([{ a: 1, b: 0, score: -1 }])).toEqual(eap([{ a: 1, b: 0, score: 0 }]));
  });
});

/**
 * The GPCM from its definition: P_k proportional to exp(sum_{v<=k} a (theta - b_v)), the
 * category the highest whose lower bound the quarter-rounded score reaches.
 */
const referenceGpcmEap = (items: ScoredCalibratedItem[]) =>
  trapezoidEap((theta) =>
    items.reduce((l, it) => {
      const cumulative = [0];
      for (const b of it.steps) cumulative.push(cumulative.at(-1)! + it.a * (theta - b));
      const total = cumulative.reduce((sum, z) => sum + Math.exp(z), 0);
      const rounded = Math.round(it.score * 4) / 4;
      const k = it.categories.filter((c, j) => j > 0 && rounded >= c).length;
      return (l * Math.exp(cumulative[k]!)) / total;
    }, 1),
  );

describe('eap with calibrated items', () => {
  it('matches the GPCM reference on a mixed pattern of 2PL and partial-credit items', () => {
    const items: ScoredCalibratedItem[] = [
      { a: 1.4, steps: [-0.3], categories: [0, 1], score: 1 },
      { a: 0.9, steps: [-1, 0.6], categories: [0, 0.5, 1], score: 0.5 },
      { a: 1.2, steps: [-0.8, 0.1, 1.3], categories: [0, 0.5, 0.75, 1], score: 0.8 },
      { a: 0.7, steps: [0.4, 1.9], categories: [0, 0.5, 1], score: 0 },
    ];

    const got = eap(items);
    const reference = referenceGpcmEap(items);

    expect(got.theta).toBeCloseTo(reference.theta, 4);
    expect(got.standardError).toBeCloseTo(reference.standardError, 4);
  });

  it('gives a calibrated right-or-wrong item the same estimate as the 2PL form', () => {
    fc.assert(
      fc.property(fc.array(itemArb, { maxLength: 10 }), (items) => {
        const dichotomous = items.map((it) => ({ ...it, score: it.score >= 0.5 ? 1 : 0 }));
        const calibrated = dichotomous.map((it) => ({
          a: it.a,
          steps: [it.b],
          categories: [0, 1],
          score: it.score,
        }));
        expect(eap(calibrated).theta).toBeCloseTo(eap(dichotomous).theta, 9);
      }),
    );
  });

  it('rises with a higher category on a partial-credit item', () => {
    const at = (score: number) =>
      eap([{ a: 1, steps: [-1, 0, 1], categories: [0, 0.25, 0.5, 1], score }]).theta;
    expect(at(0)).toBeLessThan(at(0.25));
    expect(at(0.25)).toBeLessThan(at(0.5));
    expect(at(0.5)).toBeLessThan(at(1));
  });
});

describe('itemModel', () => {
  it('uses the calibrated parameters when the calibration job has estimated them', () => {
    const calibrated = { a: 1.3, steps: [-0.5, 0.7], categories: [0, 0.5, 1] };
    expect(itemModel({ difficulty: 2 }, calibrated)).toEqual(calibrated);
  });

  it('falls back to the difficulty-label 2PL otherwise', () => {
    expect(itemModel({ difficulty: 3 })).toEqual({ a: 1, steps: [1] });
    expect(itemModel({ difficulty: 1, discrimination: 1.5 })).toEqual({ a: 1.5, steps: [-1] });
  });
});

describe('itemParams', () => {
  it('defaults a to 1 and b to -1, 0, +1 for difficulty 1, 2, 3', () => {
    expect(itemParams({ difficulty: 1 })).toEqual({ a: 1, b: -1 });
    expect(itemParams({ difficulty: 2 })).toEqual({ a: 1, b: 0 });
    expect(itemParams({ difficulty: 3 })).toEqual({ a: 1, b: 1 });
  });

  it('uses calibrated parameters when the question has them', () => {
    expect(itemParams({ difficulty: 1, discrimination: 1.8, difficultyParam: 0.4 })).toEqual({
      a: 1.8,
      b: 0.4,
    });
    expect(itemParams({ difficulty: 3, discrimination: 0.7 })).toEqual({ a: 0.7, b: 1 });
  });
});

describe('levelOf', () => {
  it('reports insufficient evidence for fewer than 3 items or a standard error above 0.85', () => {
    expect(levelOf(2, 0.3, 2)).toBe('insufficient-evidence');
    expect(levelOf(2, 0.86, 10)).toBe('insufficient-evidence');
    expect(levelOf(2, 0.85, 10)).toBe('expert');
  });

  it('bands theta at -0.5, 0.5 and 1.5', () => {
    expect(levelOf(-0.51, 0.5, 5)).toBe('foundational');
    expect(levelOf(-0.5, 0.5, 5)).toBe('intermediate');
    expect(levelOf(0.49, 0.5, 5)).toBe('intermediate');
    expect(levelOf(0.5, 0.5, 5)).toBe('advanced');
    expect(levelOf(1.5, 0.8, 3)).toBe('expert');
  });

  it('gives a level to five of five correct but not to one item', () => {
    const five = eap(pattern(5, 5));
    expect(levelOf(five.theta, five.standardError, 5)).toBe('advanced');
    const one = eap(pattern(1, 1));
    expect(levelOf(one.theta, one.standardError, 1)).toBe('insufficient-evidence');
  });
});

describe('bestStandardError: the lowest standard error an adaptive section can reach', () => {
  const uncalibrated = (b: number): ItemModel => ({ a: 1, steps: [b] });

  it('is 1/sqrt(1 + 5) for 20 uncalibrated items: above the default target 0.4', () => {
    const pool = Array.from({ length: 40 }, (_, i) => uncalibrated((i % 3) - 1));
    expect(bestStandardError(pool, 20)).toBeCloseTo(1 / Math.sqrt(6), 6);
    expect(bestStandardError(pool, 20)).toBeGreaterThan(0.4);
  });

  it('counts the maxItems most informative items, and all of a smaller pool', () => {
    const pool = [...Array.from({ length: 30 }, () => uncalibrated(0)), { a: 2, steps: [0.5] }];
    // One item of a = 2 (peak 1) and 19 of a = 1 (0.25 each).
    expect(bestStandardError(pool, 20)).toBeCloseTo(1 / Math.sqrt(1 + 1 + 19 * 0.25), 6);
    expect(bestStandardError(pool.slice(0, 4), 20)).toBeCloseTo(1 / Math.sqrt(2), 6);
  });

  it('reads a calibrated item by its model (GPCM peaks above a^2/4)', () => {
    const gpcm: ItemModel = { a: 1.2, steps: [-0.5, 0.5], categories: [0, 0.5, 1] };
    const peak = Math.max(
      ...Array.from({ length: 121 }, (_, i) => itemInformation(gpcm, -4 + i / 15)),
    );
    expect(bestStandardError([gpcm], 5)).toBeCloseTo(1 / Math.sqrt(1 + peak), 6);
    expect(peak).toBeGreaterThan((1.2 * 1.2) / 4);
  });

  it('is never above what a candidate reaches: no EAP of maxItems pool items is below it', () => {
    const random = seededRandom('best-se');
    for (let trial = 0; trial < 300; trial++) {
      const pool = Array.from({ length: 25 }, () => ({
        a: 0.5 + random() * 1.5,
        b: (random() - 0.5) * 4,
      }));
      const best = bestStandardError(
        pool.map((p) => ({ a: p.a, steps: [p.b] })),
        10,
      );
      // Any 10 items of the pool, any responses: the estimate's standard error is no lower.
      const items = pool.slice(0, 10).map((p) => ({ ...p, score: random() < 0.5 ? 1 : 0 }));
      expect(eap(items).standardError).toBeGreaterThanOrEqual(best - 1e-9);
    }
  });
});
