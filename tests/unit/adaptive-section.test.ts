/**
 * Where selection meets persistence: an adaptive section run through a model of its answer
 * page (the shown list, answers by index, the completion) and of the conditional write that
 * advances it, as the service does on each save. Properties over random pools, settings and
 * candidates; the cost of one selection step on a 500-item pool.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PoolItem } from '../../functions/domain/adaptive.ts';
import {
  type AdaptiveSectionDraw,
  currentItem,
  freeze,
  itemsAnswered,
  type SectionState,
  type SectionStep,
  sectionPool,
  sectionResponses,
  stepAfterSave,
  stopReasonOf,
} from '../../functions/domain/adaptive-section.ts';
import { simulateScore, syntheticPool } from '../../functions/domain/irt-simulation.ts';
import type { QuestionContent } from '../../functions/domain/question.ts';
import { seededRandom } from '../../functions/domain/random.ts';

const OPTIONS = ['a', 'b', 'c', 'd'].map((id) => ({ id, text: `Option ${id}` }));

/** A question whose answers score exactly the item's category levels. */
function contentFor(item: PoolItem): QuestionContent {
  const base = {
    id: item.key,
    area: 'security',
    difficulty: 2 as const,
    prompt: `Question ${item.key}`,
    explanation: 'Because.',
    tags: [...item.tags],
    options: OPTIONS,
  };
  const levels = item.model.categories ?? [0, 1];
  if (levels.length === 2) return { ...base, type: 'single', answer: 'b' };
  const weights: Record<string, number> = {};
  levels.forEach((level, i) => {
    weights[OPTIONS[i]!.id] = level;
  });
  return { ...base, type: 'sjt', answer: { weights } };
}

/** The answer that scores `score` on a question of {@link contentFor}. */
function answerFor(content: QuestionContent, score: number): string {
  if (content.type === 'single') return score >= 1 ? 'b' : 'a';
  const weights = (content.answer as { weights: Record<string, number> }).weights;
  return Object.entries(weights).find(([, w]) => Math.abs(w - score) < 1e-9)![0];
}

function fixture(size: number, seed: string, settings: Partial<AdaptiveSectionDraw> = {}) {
  const items = syntheticPool(size, seed);
  const contents = new Map(items.map((it) => [it.key, contentFor(it)]));
  const section: AdaptiveSectionDraw = {
    s: 1,
    area: 'security',
    first: 3,
    page: 0,
    minItems: 5,
    maxItems: 20,
    targetStandardError: 0.4,
    randomesque: 5,
    pool: items.map((it) => ({
      o: 'acme',
      q: it.key,
      v: 1,
      p: freeze({ a: it.model.a, steps: it.model.steps, categories: it.model.categories! }),
    })),
    ...settings,
  };
  return { items, contents, section };
}

/** The answer page of one section, as DynamoDB keeps it, with its conditional advance. */
class Page {
  state: SectionState;
  answers = new Map<number, { value: unknown }>();
  constructor(first: SectionStep) {
    this.state =
      first.kind === 'item'
        ? { shown: [first.poolIndex] }
        : { shown: [], complete: first.completion };
  }

  /** `size(x) = :n AND attribute_not_exists(a<i>) AND attribute_not_exists(c)`, then the update. */
  write(n: number, index: number, value: unknown, step: SectionStep): boolean {
    if (this.state.shown.length !== n || this.answers.has(index) || this.state.complete)
      return false;
    this.answers.set(index, { value });
    if (step.kind === 'item') this.state = { shown: [...this.state.shown, step.poolIndex] };
    else this.state = { ...this.state, complete: step.completion };
    return true;
  }
}

/** What the service computes on a save of `value` to the current item, from the page as read. */
function stepOnSave(
  fx: ReturnType<typeof fixture>,
  pool: readonly PoolItem[],
  read: { state: SectionState; answers: ReadonlyMap<number, { value: unknown }> },
  value: string,
  attemptId: string,
  timeUp = false,
) {
  const j = read.state.shown.length - 1;
  const answers = new Map(read.answers);
  answers.set(fx.section.first + j, { value });
  const responses = sectionResponses(fx.section, read.state, answers, fx.contents);
  return {
    index: fx.section.first + j,
    step: stepAfterSave({ section: fx.section, pool, responses, attemptId, timeUp }),
  };
}

/** A candidate of ability theta answers the item the page waits for (drawn from its model). */
function answerCurrent(
  fx: ReturnType<typeof fixture>,
  page: Page,
  theta: number,
  random: () => number,
): string {
  const entry = fx.section.pool[currentItem(fx.section, page.state, page.answers)!]!;
  const model = fx.items.find((it) => it.key === entry.q)!.model;
  return answerFor(fx.contents.get(entry.q)!, simulateScore(model, theta, random));
}

function firstStep(fx: ReturnType<typeof fixture>, attemptId: string) {
  return stepAfterSave({
    section: fx.section,
    pool: sectionPool(fx.section, fx.contents),
    responses: [],
    attemptId,
  });
}

/** A whole section through the page, a candidate of ability theta answering. */
function runThroughPage(fx: ReturnType<typeof fixture>, attemptId: string, theta: number) {
  const random = seededRandom(`candidate:${attemptId}`);
  const page = new Page(firstStep(fx, attemptId));
  const pool = sectionPool(fx.section, fx.contents);
  const recomputed: boolean[] = [];
  for (let guard = 0; guard < 500 && !page.state.complete; guard++) {
    const value = answerCurrent(fx, page, theta, random);
    const read = { state: page.state, answers: new Map(page.answers) };
    const { index, step } = stepOnSave(fx, pool, read, value, attemptId);
    // Another function, with a pool built afresh from the draw, computes the same step.
    const again = stepOnSave(fx, sectionPool(fx.section, fx.contents), read, value, attemptId);
    recomputed.push(JSON.stringify(again.step) === JSON.stringify(step));
    expect(page.write(read.state.shown.length, index, value, step)).toBe(true);
  }
  return { page, recomputed };
}

const settingsArb = fc.record({
  size: fc.integer({ min: 8, max: 60 }),
  minItems: fc.integer({ min: 1, max: 8 }),
  extra: fc.integer({ min: 0, max: 12 }),
  targetStandardError: fc.double({ min: 0.25, max: 0.8, noNaN: true }),
  randomesque: fc.integer({ min: 1, max: 6 }),
  theta: fc.double({ min: -2.5, max: 2.5, noNaN: true }),
  seed: fc.string({ minLength: 1, maxLength: 8 }),
});

describe('an adaptive section through its answer page', () => {
  it('never shows an item twice, keeps one unanswered item at a time, and stops only by its rules', () => {
    fc.assert(
      fc.property(settingsArb, (s) => {
        const fx = fixture(s.size, s.seed, {
          minItems: s.minItems,
          maxItems: s.minItems + s.extra,
          targetStandardError: s.targetStandardError,
          randomesque: s.randomesque,
        });
        const { page } = runThroughPage(fx, `att-${s.seed}`, s.theta);
        const { shown, complete } = page.state;
        expect(new Set(shown).size).toBe(shown.length);
        for (const p of shown) expect(p).toBeGreaterThanOrEqual(0);
        expect(complete).toBeDefined();
        const n = itemsAnswered(fx.section, page.state, page.answers);
        expect(n).toBe(shown.length);
        expect(complete!.items).toBe(n);
        expect(n).toBeLessThanOrEqual(fx.section.maxItems);
        if (complete!.reason === 'max-items') expect(n).toBe(fx.section.maxItems);
        if (complete!.reason === 'target-standard-error') {
          expect(n).toBeGreaterThanOrEqual(fx.section.minItems);
          expect(complete!.standardError).toBeLessThanOrEqual(
            fx.section.targetStandardError + 5e-4,
          );
        }
        if (complete!.reason === 'pool-exhausted') expect(n).toBe(s.size);
        expect(stopReasonOf(page.state, 'submitted')).toBe(complete!.reason);
      }),
      { numRuns: 60 },
    );
  }, 60_000);

  it('computes the same next item in any function from the same stored state', () => {
    fc.assert(
      fc.property(settingsArb, (s) => {
        const fx = fixture(s.size, s.seed, {
          maxItems: s.minItems + s.extra,
          minItems: s.minItems,
        });
        const { recomputed } = runThroughPage(fx, `att-${s.seed}`, s.theta);
        expect(recomputed.every(Boolean)).toBe(true);
      }),
      { numRuns: 40 },
    );
  }, 60_000);

  it('lets only one of two saves racing on the same item advance it, whatever they answered', () => {
    fc.assert(
      fc.property(
        settingsArb,
        fc.integer({ min: 0, max: 6 }),
        fc.boolean(),
        (s, before, firstWins) => {
          const fx = fixture(s.size, s.seed, { minItems: 10, maxItems: 12 });
          const attemptId = `race-${s.seed}`;
          const page = new Page(firstStep(fx, attemptId));
          const pool = sectionPool(fx.section, fx.contents);
          for (let i = 0; i < before; i++) {
            const read = { state: page.state, answers: new Map(page.answers) };
            const { index, step } = stepOnSave(fx, pool, read, 'a', attemptId);
            page.write(read.state.shown.length, index, 'a', step);
          }
          // Both read the same page, answer differently, and write one after the other.
          const read = { state: page.state, answers: new Map(page.answers) };
          const current = currentItem(fx.section, read.state, read.answers)!;
          const content = fx.contents.get(fx.section.pool[current]!.q)!;
          const values = [answerFor(content, 1), answerFor(content, 0)];
          const saves = values.map((v) => ({ v, ...stepOnSave(fx, pool, read, v, attemptId) }));
          const order = firstWins ? saves : [...saves].reverse();
          const outcomes = order.map((x) =>
            page.write(read.state.shown.length, x.index, x.v, x.step),
          );
          expect(outcomes).toEqual([true, false]);
          expect(page.state.shown.length).toBe(read.state.shown.length + 1);
          expect(page.answers.get(order[0]!.index)!.value).toBe(order[0]!.v);
        },
      ),
      { numRuns: 60 },
    );
  }, 60_000);

  it('ends the section at a save once time is up, whatever its state', () => {
    fc.assert(
      fc.property(settingsArb, fc.integer({ min: 0, max: 5 }), (s, before) => {
        const fx = fixture(s.size, s.seed, { minItems: 10, maxItems: 15 });
        const page = new Page(firstStep(fx, 'late'));
        const pool = sectionPool(fx.section, fx.contents);
        for (let i = 0; i < before; i++) {
          const read = { state: page.state, answers: new Map(page.answers) };
          const { index, step } = stepOnSave(fx, pool, read, 'b', 'late');
          page.write(read.state.shown.length, index, 'b', step);
        }
        const read = { state: page.state, answers: new Map(page.answers) };
        const { step } = stepOnSave(fx, pool, read, 'b', 'late', true);
        expect(step.kind).toBe('complete');
        if (step.kind === 'complete') expect(step.completion.reason).toBe('time-up');
      }),
      { numRuns: 30 },
    );
  });

  it('says why a section that never completed ended: time-up when the attempt expired, else submitted', () => {
    expect(stopReasonOf({ shown: [1] }, 'expired')).toBe('time-up');
    expect(stopReasonOf({ shown: [1] }, 'submitted')).toBe('submitted');
    expect(stopReasonOf(undefined, 'submitted')).toBe('submitted');
  });
});

describe('one selection step on a save', () => {
  it('costs under 5 ms of CPU at a 500-item pool (p95 over whole 40-item sections)', () => {
    const fx = fixture(500, 'cpu', { minItems: 40, maxItems: 40, targetStandardError: 0.1 });
    const cpu: number[] = [];
    for (let c = 0; c < 6; c++) {
      const attemptId = `cpu-${c}`;
      const random = seededRandom(attemptId);
      const theta = -1.5 + c * 0.6;
      const page = new Page(firstStep(fx, attemptId));
      // The pool is built once per attempt and section, then cached by the service.
      const pool = sectionPool(fx.section, fx.contents);
      while (!page.state.complete) {
        const value = answerCurrent(fx, page, theta, random);
        const read = { state: page.state, answers: new Map(page.answers) };
        const before = process.cpuUsage();
        const { index, step } = stepOnSave(fx, pool, read, value, attemptId);
        const used = process.cpuUsage(before);
        cpu.push((used.user + used.system) / 1000);
        page.write(read.state.shown.length, index, value, step);
      }
    }
    cpu.sort((a, b) => a - b);
    const at = (q: number) => cpu[Math.min(cpu.length - 1, Math.floor(q * cpu.length))]!;
    console.log(
      `selection step at a 500-item pool: ${cpu.length} steps, CPU p50 ${at(0.5).toFixed(2)} ms, p95 ${at(0.95).toFixed(2)} ms, max ${cpu.at(-1)!.toFixed(2)} ms`,
    );
    expect(cpu).toHaveLength(6 * 40);
    expect(at(0.95)).toBeLessThan(5);
  }, 60_000);
});
