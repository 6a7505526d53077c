import { describe, expect, it } from 'vitest';
import {
  type CalibratedItem,
  type CalibrationResult,
  calibrate,
  type ResponseRecord,
} from '../../functions/domain/calibration.ts';
import { itemLocation } from '../../functions/domain/irt-model.ts';
import {
  normalGenerator,
  simulateRecords,
  syntheticPool,
} from '../../functions/domain/irt-simulation.ts';
import { seededRandom } from '../../functions/domain/random.ts';
import fixture from './fixtures/gpcm-responses.json' with { type: 'json' };

const HEAVY = 60_000;

const calibrated = (r: CalibrationResult, key: string): CalibratedItem => {
  const item = r.items.find((it) => it.item === key);
  if (item?.status !== 'calibrated') throw new Error(`${key} was not calibrated`);
  return item;
};

/**
 * LSAT section 6 (Bock & Lieberman 1970): 1,000 examinees, 5 items, as pattern counts in the
 * order 00000, 00001, ..., 11111 (R psych::bock.table, column Ob6; = ltm::LSAT, mirt::LSAT6).
 */
const LSAT6_COUNTS = [
  3, 6, 2, 11, 1, 1, 3, 4, 1, 8, 0, 16, 0, 3, 2, 15, 10, 29, 14, 81, 3, 28, 15, 80, 16, 56, 21, 173,
  11, 61, 28, 298,
];
const lsat6: ResponseRecord[] = LSAT6_COUNTS.flatMap((count, pattern) =>
  Array.from({ length: count }, () => ({
    responses: [...pattern.toString(2).padStart(5, '0')].map((bit, j) => ({
      item: `item${j + 1}`,
      score: Number(bit),
    })),
  })),
);

const correlation = (xs: number[], ys: number[]) => {
  const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
  const mx = mean(xs);
  const my = mean(ys);
  let sxy = 0;
  let sx = 0;
  let sy = 0;
  xs.forEach((x, i) => {
    sxy += (x - mx) * (ys[i]! - my);
    sx += (x - mx) ** 2;
    sy += (ys[i]! - my) ** 2;
  });
  return sxy / Math.sqrt(sx * sy);
};

describe('calibrate: maximum likelihood on LSAT-6 against published estimates', () => {
  it(
    'reproduces ltm’s 2PL estimates and standard errors (Rizopoulos 2006, J Stat Softw 17(5))',
    () => {
      // Published (ltm, 21 Gauss-Hermite points, observed-information standard errors):
      // log-likelihood -2466.653; item: b (se), a (se).
      const published = [
        { b: -3.3597, seB: 0.8669, a: 0.8254, seA: 0.2581 },
        { b: -1.3696, seB: 0.3073, a: 0.7229, seA: 0.1867 },
        { b: -0.2799, seB: 0.0997, a: 0.8905, seA: 0.2326 },
        { b: -1.8659, seB: 0.4341, a: 0.6886, seA: 0.1852 },
        { b: -3.1236, seB: 0.87, a: 0.6575, seA: 0.21 },
      ];

      const r = calibrate(lsat6, { prior: false, tolerance: 1e-6, maxCycles: 5000 });

      expect(r.converged).toBe(true);
      expect(r.candidates).toBe(1000);
      expect(r.logLikelihood).toBeCloseTo(-2466.653, 2);
      published.forEach((p, j) => {
        const it = calibrated(r, `item${j + 1}`);
        expect(it.model).toBe('2pl');
        // Quadrature differs (61 rectangles here, 21 Gauss-Hermite points in ltm).
        expect(Math.abs(it.b - p.b)).toBeLessThan(0.01);
        expect(Math.abs(it.a - p.a)).toBeLessThan(0.005);
        expect(Math.abs(it.standardErrors.b! - p.seB)).toBeLessThan(0.005);
        expect(Math.abs(it.standardErrors.a! - p.seA)).toBeLessThan(0.005);
      });
    },
    HEAVY,
  );
});

describe('calibrate: GPCM and 2PL items, incomplete design, against an independent reference', () => {
  const records: ResponseRecord[] = (fixture.scores as (number | null)[][]).map((row) => ({
    responses: row.flatMap((score, j) => (score === null ? [] : [{ item: `q${j}`, score }])),
  }));
  // Printed by tests/unit/fixtures/irt_reference.py (joint BFGS + Newton on the marginal
  // log-posterior, finite-difference Hessian): a (se), steps (se).
  const withPrior = [
    { a: 1.1885, seA: 0.2297, steps: [-0.3161], seSteps: [0.1261] },
    { a: 0.7897, seA: 0.1697, steps: [0.6456], seSteps: [0.1935] },
    { a: 1.9195, seA: 0.4108, steps: [1.1569], seSteps: [0.1536] },
    { a: 0.8826, seA: 0.1658, steps: [-1.0706, 0.4555], seSteps: [0.1992, 0.1663], seB: 0.1159 },
    { a: 0.8175, seA: 0.1551, steps: [-0.178, 0.895], seSteps: [0.179, 0.2036], seB: 0.1222 },
    {
      a: 1.1542,
      seA: 0.2337,
      steps: [-1.3469, -0.0663, 0.8597],
      seSteps: [0.196, 0.143, 0.1576],
      seB: 0.0894,
    },
  ];
  const withoutPrior = [
    { a: 1.1902, seA: 0.2473, steps: [-0.3152], seSteps: [0.1275] },
    { a: 0.7454, seA: 0.1878, steps: [0.6807], seSteps: [0.2178] },
    { a: 2.2069, seA: 0.5558, steps: [1.0955], seSteps: [0.1473] },
    { a: 0.8461, seA: 0.1742, steps: [-1.0975, 0.467], seSteps: [0.2134, 0.1732], seB: 0.1209 },
    { a: 0.7889, seA: 0.1635, steps: [-0.1736, 0.9166], seSteps: [0.1852, 0.2138], seB: 0.1276 },
    {
      a: 1.1839,
      seA: 0.2648,
      steps: [-1.3472, -0.0666, 0.8595],
      seSteps: [0.1984, 0.1406, 0.1557],
      seB: 0.0894,
    },
  ];

  for (const [label, options, expected] of [
    ['with the default priors', {}, withPrior],
    ['without priors', { prior: false as const }, withoutPrior],
  ] as const)
    it(
      `agrees to 1e-3 on every parameter and standard error ${label}`,
      () => {
        const r = calibrate(records, {
          ...options,
          minResponses: 100,
          tolerance: 1e-7,
          maxCycles: 5000,
        });

        expect(r.converged).toBe(true);
        expect(r.standardErrors).toBe('louis-full');
        expected.forEach((e, j) => {
          const it = calibrated(r, `q${j}`);
          expect(it.model).toBe(e.steps.length === 1 ? '2pl' : 'gpcm');
          expect(Math.abs(it.a - e.a)).toBeLessThan(1e-3);
          expect(Math.abs(it.standardErrors.a! - e.seA)).toBeLessThan(1e-3);
          e.steps.forEach((b, v) => {
            expect(Math.abs(it.steps[v]! - b)).toBeLessThan(1e-3);
            expect(Math.abs(it.standardErrors.steps[v]! - e.seSteps[v]!)).toBeLessThan(1e-3);
          });
          if ('seB' in e && e.seB !== undefined)
            expect(Math.abs(it.standardErrors.b! - e.seB)).toBeLessThan(1e-3);
        });
      },
      HEAVY,
    );

  it('falls back to per-item standard errors above the full-covariance limit, close to the full ones', () => {
    const full = calibrate(records, { minResponses: 100 });
    const perItem = calibrate(records, { minResponses: 100, fullCovarianceLimit: 0 });

    expect(perItem.standardErrors).toBe('louis-per-item');
    for (const key of ['q0', 'q3', 'q5']) {
      const f = calibrated(full, key).standardErrors;
      const p = calibrated(perItem, key).standardErrors;
      // Dropping the between-item terms can only shrink a variance, and not by much here.
      expect(p.a!).toBeLessThanOrEqual(f.a! + 1e-9);
      expect(p.a! / f.a!).toBeGreaterThan(0.8);
      expect(p.b! / f.b!).toBeGreaterThan(0.8);
    }
  });

  it('maps partial scores to categories at the observed score levels', () => {
    const r = calibrate(records, { minResponses: 100 });

    expect(calibrated(r, 'q0').categories).toEqual([0, 1]);
    expect(calibrated(r, 'q3').categories).toEqual([0, 0.5, 1]);
    expect(calibrated(r, 'q5').categories).toEqual([0, 0.25, 0.75, 1]);
    expect(calibrated(r, 'q5').categoryCounts.reduce((s, c) => s + c, 0)).toBe(
      calibrated(r, 'q5').responses,
    );
  });
});

describe('calibrate: which items are calibrated', () => {
  const records = (n: number, item: (i: number) => { item: string; score: number }[]) =>
    Array.from({ length: n }, (_, i) => ({ responses: item(i) }));

  it('leaves out an item below the minimum number of responses (200 by default)', () => {
    const r = calibrate(
      records(250, (i) => [
        { item: 'common', score: i % 3 === 0 ? 0 : 1 },
        ...(i < 199 ? [{ item: 'rare', score: i % 2 }] : []),
      ]),
    );

    expect(r.items.find((it) => it.item === 'rare')).toEqual({
      item: 'rare',
      status: 'insufficient-responses',
      responses: 199,
    });
    expect(calibrated(r, 'common').responses).toBe(250);
  });

  it('reports an item everyone scored alike as without variation', () => {
    const r = calibrate(
      records(300, (i) => [
        { item: 'same', score: 1 },
        { item: 'other', score: i % 2 },
      ]),
    );

    expect(r.items.find((it) => it.item === 'same')?.status).toBe('no-variation');
  });

  it('merges a sparse score level into the category below it', () => {
    // 0.5 is given 4 times out of 300: fewer than 10, so it joins the 0 category.
    const r = calibrate(
      records(300, (i) => [
        { item: 'partial', score: i < 4 ? 0.5 : i % 2 },
        { item: 'other', score: (i >> 1) % 2 },
      ]),
    );

    const it = calibrated(r, 'partial');
    expect(it.categories).toEqual([0, 1]);
    expect(it.categoryCounts).toEqual([4 + 148, 148]);
    expect(it.model).toBe('2pl');
  });

  it('counts an item answered twice by one candidate once, with the last score', () => {
    const r = calibrate(
      records(300, (i) => [
        { item: 'twice', score: 1 },
        { item: 'twice', score: i % 2 },
        { item: 'other', score: (i >> 1) % 2 },
      ]),
    );

    expect(calibrated(r, 'twice').categoryCounts).toEqual([150, 150]);
  });

  it('gives the same result for the same records', () => {
    const input = records(300, (i) => [
      { item: 'x', score: i % 2 },
      { item: 'y', score: (i * 7) % 3 === 0 ? 1 : 0 },
      { item: 'z', score: ((i * 13) % 4) / 4 },
    ]);

    expect(calibrate(input)).toEqual(calibrate(input));
  });
});

describe('calibrate: parameter recovery on simulated data (seeded)', () => {
  it(
    'recovers a and b from 1,000 simulated candidates on a 26-item pool (r(b) >= 0.95, r(a) >= 0.8, RMSE(b) <= 0.25)',
    () => {
      const pool = syntheticPool(26, 'recovery-test');
      const normal = normalGenerator('recovery-test-thetas');
      const thetas = Array.from({ length: 1000 }, normal);
      const records = simulateRecords(pool, thetas, 'recovery-test');

      const r = calibrate(records);

      const items = r.items.filter((it): it is CalibratedItem => it.status === 'calibrated');
      expect(items).toHaveLength(26);
      const truth = new Map(pool.map((p) => [p.key, p.model]));
      const trueA = items.map((it) => truth.get(it.item)!.a);
      const trueB = items.map((it) => itemLocation(truth.get(it.item)!));
      const rmseB = Math.sqrt(
        items.reduce((s, it, i) => s + (it.b - trueB[i]!) ** 2, 0) / items.length,
      );
      expect(
        correlation(
          trueB,
          items.map((it) => it.b),
        ),
      ).toBeGreaterThanOrEqual(0.95);
      expect(
        correlation(
          trueA,
          items.map((it) => it.a),
        ),
      ).toBeGreaterThanOrEqual(0.8);
      expect(rmseB).toBeLessThanOrEqual(0.25);
      // Reported standard errors are of the size of the actual errors (within a factor 2).
      const meanSe = items.reduce((s, it) => s + it.standardErrors.b!, 0) / items.length;
      expect(meanSe).toBeGreaterThan(rmseB / 2);
      expect(meanSe).toBeLessThan(rmseB * 2);
    },
    HEAVY,
  );
});

describe('calibrate: item fit', () => {
  it(
    'flags a non-monotone item and passes items that follow the model',
    () => {
      const pool = syntheticPool(20, 'fit-test', { partialCredit: false });
      const normal = normalGenerator('fit-test-thetas');
      const thetas = Array.from({ length: 1000 }, normal);
      const records = simulateRecords(pool, thetas, 'fit-test');
      const random = seededRandom('fit-test-misfit');
      // An item easiest for average candidates: strong candidates overthink it.
      const withMisfit = records.map((rec, i) => {
        const theta = thetas[i]!;
        const p = 0.85 * Math.exp((-theta * theta) / 2);
        return { responses: [...rec.responses, { item: 'bump', score: random() < p ? 1 : 0 }] };
      });

      const r = calibrate(withMisfit);

      expect(calibrated(r, 'bump').fit.p).toBeLessThan(1e-6);
      const fitting = pool.map((p) => calibrated(r, p.key).fit);
      expect(fitting.every((f) => f.groups === 10 && f.df === 8)).toBe(true);
      // At a 1% level, 20 fitting items give 0.2 false alarms on average.
      expect(fitting.filter((f) => f.p < 0.01).length).toBeLessThanOrEqual(2);
    },
    HEAVY,
  );
});
