/**
 * An adaptive section inside an attempt: what the draw freezes at start (the pool with each
 * item's calibrated parameters and eligibility, the stopping rule), the selection state the
 * section's answer page keeps (the pool indexes shown, in order, and how it ended), and the
 * step from one to the next. Pure: the service reads the page, calls {@link stepAfterSave},
 * and writes the answer and the step in one conditional write (docs/state-machines.md).
 */

import { type AdaptiveResponse, type AdaptiveStep, nextStep, type PoolItem } from './adaptive.ts';
import { type FrozenParameters, thaw } from './frozen-parameters.ts';
import type { ItemModel } from './irt-model.ts';
import type { SectionStopReason } from './profile.ts';
import { itemModel } from './psychometrics.ts';
import { gradeResponse, type QuestionContent } from './question.ts';

// In a module of their own for the calibration job (which grades nothing); re-exported here.
export { type FrozenParameters, freeze, thaw } from './frozen-parameters.ts';

/** One question of an adaptive section's pool, as the draw keeps it. */
export interface PoolEntry {
  /** Organisation owning the question. */
  o: string;
  q: string;
  v: number;
  /** Calibrated parameters at start (absent: the difficulty-label prior of its content). */
  p?: FrozenParameters;
  /** Item eligibility (exposure control) from the calibration (absent: 1). */
  e?: number;
}

/** An adaptive section of an attempt, frozen in its draw at start. */
export interface AdaptiveSectionDraw {
  /** The section's index in the assessment (its state is `x<s>` / `c<s>` on its page). */
  s: number;
  area: string;
  /** The answer index of its first item: its j-th shown item's answer is `first + j`. */
  first: number;
  /** The answer page holding its answers and its selection state. */
  page: number;
  minItems: number;
  maxItems: number;
  targetStandardError: number;
  /** Randomesque k: the pick is among the k most informative items. */
  randomesque: number;
  pool: PoolEntry[];
}

/** How an adaptive section ended at a save (stored with its state). */
export interface SectionCompletion {
  reason: Exclude<SectionStopReason, 'submitted'>;
  items: number;
  theta: number;
  standardError: number;
}

/** The selection state of an adaptive section, as its page stores it. */
export interface SectionState {
  /** Pool indexes shown, in order; every one but the last unanswered one has its answer. */
  shown: number[];
  complete?: SectionCompletion;
}

/** The seed of a section's randomesque picks and eligibility draws. */
export const sectionSeed = (attemptId: string, s: number) => `${attemptId}#adaptive#${s}`;

/** The model of a pool entry: frozen calibrated parameters, else the content's label prior. */
export function entryModel(entry: PoolEntry, content: QuestionContent): ItemModel {
  return itemModel(content, entry.p ? thaw(entry.p) : undefined);
}

/**
 * The section's pool as selection sees it (keys are question ids, unique in an assessment),
 * from the frozen entries and the versions' contents (type and tags for content balancing).
 */
export function sectionPool(
  section: AdaptiveSectionDraw,
  contents: ReadonlyMap<string, QuestionContent>,
): PoolItem[] {
  return section.pool.map((entry) => {
    const content = contents.get(entry.q);
    if (!content) throw new Error(`No content for pool question ${entry.q}.`);
    return {
      key: entry.q,
      type: content.type,
      tags: content.tags ?? [],
      model: entryModel(entry, content),
      ...(entry.e !== undefined ? { eligibility: entry.e } : {}),
    };
  });
}

/**
 * The scored responses of a section so far: each shown item with a saved answer, in the order
 * shown, graded against its version.
 */
export function sectionResponses(
  section: AdaptiveSectionDraw,
  state: SectionState,
  answers: ReadonlyMap<number, { value: unknown }>,
  contents: ReadonlyMap<string, QuestionContent>,
): AdaptiveResponse[] {
  const out: AdaptiveResponse[] = [];
  state.shown.forEach((poolIndex, j) => {
    const a = answers.get(section.first + j);
    if (!a) return;
    const entry = section.pool[poolIndex];
    if (!entry) throw new Error(`Pool index ${poolIndex} is outside the section's pool.`);
    out.push({ key: entry.q, score: gradeResponse(contents.get(entry.q)!, a.value) });
  });
  return out;
}

/** The step after the current item's answer: the next item (as a pool index) or the end. */
export type SectionStep =
  | { kind: 'item'; poolIndex: number }
  | { kind: 'complete'; completion: SectionCompletion };

/**
 * The first item of a section (no responses yet), or the step after a save: {@link nextStep}
 * over the section's pool with its stopping rule and seed. `timeUp`: the attempt's deadline
 * has passed (a save in the grace period), which ends the section.
 */
export function stepAfterSave(input: {
  section: AdaptiveSectionDraw;
  pool: readonly PoolItem[];
  responses: readonly AdaptiveResponse[];
  attemptId: string;
  timeUp?: boolean;
}): SectionStep {
  const { section } = input;
  const step: AdaptiveStep = nextStep({
    pool: input.pool,
    responses: input.responses,
    settings: {
      minItems: section.minItems,
      maxItems: section.maxItems,
      targetStandardError: section.targetStandardError,
      randomesque: section.randomesque,
    },
    seed: sectionSeed(input.attemptId, section.s),
    ...(input.timeUp ? { timeUp: true } : {}),
  });
  if (step.kind === 'item') {
    const poolIndex = section.pool.findIndex((e) => e.q === step.key);
    return { kind: 'item', poolIndex };
  }
  return {
    kind: 'complete',
    completion: {
      reason: step.reason,
      items: step.items,
      theta: Math.round(step.ability.theta * 1000) / 1000,
      standardError: Math.round(step.ability.standardError * 1000) / 1000,
    },
  };
}

/** The pool index of the item waiting for an answer, or undefined (ended, or not started). */
export function currentItem(
  section: AdaptiveSectionDraw,
  state: SectionState | undefined,
  answers: ReadonlyMap<number, unknown>,
): number | undefined {
  if (!state || state.complete || state.shown.length === 0) return undefined;
  const j = state.shown.length - 1;
  return answers.has(section.first + j) ? undefined : state.shown[j];
}

/** Items answered in the section. */
export function itemsAnswered(
  section: AdaptiveSectionDraw,
  state: SectionState | undefined,
  answers: ReadonlyMap<number, unknown>,
): number {
  return (state?.shown ?? []).filter((_, j) => answers.has(section.first + j)).length;
}

/** Why a section ended, once the attempt has: its stored completion, else how the attempt ended. */
export function stopReasonOf(
  state: SectionState | undefined,
  attemptStatus: 'active' | 'submitted' | 'expired',
): SectionStopReason {
  if (state?.complete) return state.complete.reason;
  return attemptStatus === 'expired' ? 'time-up' : 'submitted';
}
