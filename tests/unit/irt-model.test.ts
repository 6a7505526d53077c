import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chiSquareSurvival } from '../../functions/domain/calibration.ts';
import {
  categoryProbabilities,
  gridScore,
  itemInformation,
  itemLocation,
  logLikelihood,
  normalQuadrature,
  scoreCategory,
} from '../../functions/domain/irt-model.ts';

const logistic = (x: number) => 1 / (1 + Math.exp(-x));

describe('categoryProbabilities', () => {
  it('is the 2PL with one step', () => {
    for (const [a, b, theta] of [
      [1, 0, 0],
      [1.7, -0.4, 1.2],
      [0.6, 2, -3],
    ] as const) {
      const p = categoryProbabilities(a, [b], theta);
      expect(p[1]).toBeCloseTo(logistic(a * (theta - b)), 12);
      expect(p[0]! + p[1]!).toBeCloseTo(1, 12);
    }
  });

  it('gives 1/(2+e), e/(2+e), 1/(2+e) for a = 1, steps -1 and +1 at theta 0 (worked by hand)', () => {
    // Cumulative logits: 0, 1 * (0 - (-1)) = 1, 1 + 1 * (0 - 1) = 0.
    const p = categoryProbabilities(1, [-1, 1], 0);
    const d = 2 + Math.E;
    expect(p[0]).toBeCloseTo(1 / d, 12);
    expect(p[1]).toBeCloseTo(Math.E / d, 12);
    expect(p[2]).toBeCloseTo(1 / d, 12);
  });

  it('sums to 1 and never overflows, whatever the parameters', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.05, max: 20, noNaN: true }),
        fc.array(fc.double({ min: -20, max: 20, noNaN: true }), { minLength: 1, maxLength: 4 }),
        fc.double({ min: -50, max: 50, noNaN: true }),
        (a, steps, theta) => {
          const p = categoryProbabilities(a, steps, theta);
          const sum = p.reduce((s, x) => s + x, 0);
          expect(sum).toBeCloseTo(1, 9);
          for (const x of p) expect(Number.isFinite(x) && x >= 0).toBe(true);
        },
      ),
    );
  });
});

describe('itemInformation', () => {
  it('is a^2 / 4 for a 2PL item at its difficulty', () => {
    expect(itemInformation({ a: 1.6, steps: [0.3] }, 0.3)).toBeCloseTo(1.6 ** 2 / 4, 12);
  });

  it('is a^2 times the variance of the category: 2 / (2 + e) for a = 1, steps -1, +1 at 0', () => {
    expect(itemInformation({ a: 1, steps: [-1, 1], categories: [0, 0.5, 1] }, 0)).toBeCloseTo(
      2 / (2 + Math.E),
      12,
    );
  });

  it('equals a times the slope of the expected category (Muraki 1993), checked numerically', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.2, max: 3, noNaN: true }),
        fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: 1, maxLength: 3 }),
        fc.double({ min: -3, max: 3, noNaN: true }),
        (a, steps, theta) => {
          const expected = (t: number) =>
            categoryProbabilities(a, steps, t).reduce((s, p, c) => s + c * p, 0);
          const h = 1e-5;
          const slope = (expected(theta + h) - expected(theta - h)) / (2 * h);
          expect(itemInformation({ a, steps }, theta)).toBeCloseTo(a * slope, 5);
        },
      ),
    );
  });
});

describe('score categories', () => {
  it('rounds scores to quarter steps', () => {
    expect([0, 0.1, 0.13, 0.5, 5 / 6, 0.87, 1, -2, 7, Number.NaN].map(gridScore)).toEqual([
      0, 0, 0.25, 0.5, 0.75, 0.75, 1, 0, 1, 0,
    ]);
  });

  it('puts a score in the highest category whose lower bound it reaches after rounding', () => {
    const categories = [0, 0.5, 1];
    expect([0, 0.2, 0.4, 0.6, 0.74, 0.9, 1].map((s) => scoreCategory(s, categories))).toEqual([
      0, 0, 1, 1, 1, 2, 2,
    ]);
    // A calibrated right-or-wrong item: partial credit below full counts as wrong.
    expect(scoreCategory(0.75, [0, 1])).toBe(0);
    expect(scoreCategory(1, [0, 1])).toBe(1);
  });
});

describe('logLikelihood', () => {
  it('is the fractional 2PL response for an uncalibrated item', () => {
    const p = logistic(1.3 * (0.4 - -0.2));
    expect(logLikelihood({ a: 1.3, steps: [-0.2] }, 0.25, 0.4)).toBeCloseTo(
      0.25 * Math.log(p) + 0.75 * Math.log(1 - p),
      12,
    );
  });

  it("is the log-probability of the score's category for a calibrated item", () => {
    const item = { a: 0.9, steps: [-0.5, 0.2, 1.1], categories: [0, 0.5, 0.75, 1] };
    const p = categoryProbabilities(item.a, item.steps, 0.3);
    expect(logLikelihood(item, 0.75, 0.3)).toBeCloseTo(Math.log(p[2]!), 12);
    expect(logLikelihood(item, 0, 0.3)).toBeCloseTo(Math.log(p[0]!), 12);
    expect(logLikelihood(item, 1, 0.3)).toBeCloseTo(Math.log(p[3]!), 12);
  });
});

describe('itemLocation and normalQuadrature', () => {
  it('places a GPCM item at the mean of its steps', () => {
    expect(itemLocation({ steps: [-1, 0.5, 2] })).toBeCloseTo(0.5, 12);
  });

  it('discretises N(0,1): weights sum to 1, mean 0, variance 1 within 1e-6', () => {
    const { nodes, weights } = normalQuadrature();
    let sum = 0;
    let m1 = 0;
    let m2 = 0;
    nodes.forEach((x, q) => {
      sum += weights[q]!;
      m1 += weights[q]! * x;
      m2 += weights[q]! * x * x;
    });
    expect(sum).toBeCloseTo(1, 12);
    expect(m1).toBeCloseTo(0, 12);
    expect(m2).toBeCloseTo(1, 6);
  });
});

describe('chiSquareSurvival', () => {
  it('matches scipy.stats.chi2.sf (values printed by tests/unit/fixtures/irt_reference.py)', () => {
    const cases: [number, number, number][] = [
      [6.2, 8, 0.6248399454],
      [30.9, 8, 0.0001463787089],
      [0.5, 1, 0.4795001222],
      [15, 3, 0.001816648967],
      [100, 7, 1.078797967e-18],
      [3, 10, 0.9814240638],
    ];
    for (const [x, df, p] of cases) expect(chiSquareSurvival(x, df) / p).toBeCloseTo(1, 8);
  });

  it('is 1 at 0', () => {
    expect(chiSquareSurvival(0, 4)).toBe(1);
  });
});
