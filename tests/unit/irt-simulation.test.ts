import { describe, expect, it } from 'vitest';
import { categoryProbabilities } from '../../functions/domain/irt-model.ts';
import {
  normalGenerator,
  simulateRecords,
  simulateScore,
  syntheticPool,
} from '../../functions/domain/irt-simulation.ts';
import { seededRandom } from '../../functions/domain/random.ts';

describe('simulation', () => {
  it('draws standard normal abilities: mean 0 and SD 1 within sampling error', () => {
    const normal = normalGenerator('sim-normal');
    const xs = Array.from({ length: 20_000 }, normal);
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    const sd = Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length);
    // Standard errors: 0.007 for the mean, 0.005 for the SD.
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(sd - 1)).toBeLessThan(0.02);
  });

  it('draws each category of an item as often as the model says', () => {
    const model = { a: 1.2, steps: [-0.8, 0.1, 1.3], categories: [0, 0.5, 0.75, 1] };
    const random = seededRandom('sim-categories');
    const n = 40_000;
    const counts = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      const s = simulateScore(model, 0.4, random);
      counts.set(s, (counts.get(s) ?? 0) + 1);
    }
    const p = categoryProbabilities(model.a, model.steps, 0.4);
    model.categories.forEach((score, c) => {
      const sd = Math.sqrt((p[c]! * (1 - p[c]!)) / n);
      expect(Math.abs((counts.get(score) ?? 0) / n - p[c]!)).toBeLessThan(4 * sd);
    });
  });

  it('builds a pool in the bank’s type proportions, with partial credit on multi, order and sjt', () => {
    const pool = syntheticPool(130, 'sim-pool');
    const count = (type: string) => pool.filter((it) => it.type === type).length;

    expect(pool).toHaveLength(130);
    expect(new Set(pool.map((it) => it.key)).size).toBe(130);
    expect([
      count('single'),
      count('multi'),
      count('order'),
      count('numeric'),
      count('sjt'),
    ]).toEqual([62, 20, 12, 6, 30]);
    for (const it of pool) {
      const partial = ['multi', 'order', 'sjt'].includes(it.type);
      expect(it.model.steps.length > 1).toBe(partial);
      expect(it.model.categories).toHaveLength(it.model.steps.length + 1);
    }
  });

  it('gives each simulated candidate a form of the requested size from the pool', () => {
    const pool = syntheticPool(30, 'sim-forms');
    const records = simulateRecords(pool, [0, 1, -1], 'sim-forms', 8);
    for (const r of records) {
      expect(r.responses).toHaveLength(8);
      expect(new Set(r.responses.map((x) => x.item)).size).toBe(8);
    }
    expect(simulateRecords(pool, [0], 'sim-forms')[0]!.responses).toHaveLength(30);
  });
});
