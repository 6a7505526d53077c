import { describe, expect, it } from 'vitest';
import {
  ADAPTIVE_QUICK,
  adaptiveBench,
  fixedForms,
  formatAdaptive,
} from '../../bench/parts/adaptive.ts';

describe('the adaptive bench part', () => {
  it('runs end to end on tiny sizes and reports every figure and goal', () => {
    const result = adaptiveBench({
      ...ADAPTIVE_QUICK,
      candidates: 40,
      recoverySizes: [200],
      timingPool: 100,
      timingSections: 3,
      eligibility: { maxExposure: 0.3, simulees: 40, rounds: 2 },
      bisection: 1,
    });

    // Two pools x two exposure controls, one seed; two calibration designs.
    expect(result.comparisons).toHaveLength(4);
    expect(result.recovery).toHaveLength(2);
    for (const c of result.comparisons) {
      expect(c.deciles).toHaveLength(10);
      expect(c.meanItems).toBeGreaterThan(0);
      expect(c.meanItems).toBeLessThanOrEqual(c.fixedItems);
      expect(c.maxExposure).toBeGreaterThan(0);
      expect(c.maxExposure).toBeLessThanOrEqual(1);
    }
    // Every area of the shipped bank, uncalibrated, under the default rule.
    expect(result.shipped).toHaveLength(13);
    for (const a of result.shipped) {
      expect(a.poolSize).toBeGreaterThanOrEqual(30);
      expect(a.meanItems).toBeGreaterThanOrEqual(5);
      expect(a.meanItems).toBeLessThanOrEqual(20);
    }
    expect(result.goals.map((g) => g.id)).toEqual([
      'adaptive:items',
      'adaptive:exposure',
      'selection:cpu',
    ]);
    expect(formatAdaptive(result)).toMatch(/Goals:/);
  }, 120_000);
});

describe('the fixed forms the adaptive bench compares with', () => {
  it('take the whole pool when it has fewer items than a form (a growing area)', () => {
    // A shipped area with fewer than 20 questions crashed the bench (a form read past the pool).
    const pool = ['a', 'b'].map((key) => ({
      key,
      type: 'single',
      tags: [],
      model: { a: 1, steps: [0] },
    }));

    const { estimates, exposure } = fixedForms(pool, [0, 1], 20, '1');

    expect(estimates).toHaveLength(2);
    expect([...exposure].sort()).toEqual([
      ['a', 2],
      ['b', 2],
    ]);
  });
});
