/**
 * Adaptive sections inside attempts: building them into the draw at start (pool, frozen
 * parameters, reserved answer slots, the first item), resolving answer indexes to questions,
 * the candidate's view of sections, and what grading needs. The save itself (one read of the
 * section's page, one conditional write) is `answer` in `attempts.ts`. The state machine is
 * docs/state-machines.md#adaptive-section; the layout docs/access-patterns.md.
 */
import type { Assessment } from '../data/assessments.ts';
import type { ShownUnanswered } from '../data/attempt-results.ts';
import {
  type AttemptDraw,
  type AttemptState,
  adaptiveStateBytes,
  type DrawnQuestion,
  type DrawnSection,
  planBlocks,
} from '../data/attempts.ts';
import { versionsWithParameters } from '../data/calibrated-versions.ts';
import type { SetEntry } from '../data/calibrations.ts';
import { questionVersions } from '../data/question-cache.ts';
import type { PoolItem } from '../domain/adaptive.ts';
import {
  type AdaptiveSectionDraw,
  currentItem,
  entryModel,
  itemsAnswered,
  type PoolEntry,
  type SectionState,
  sectionPool,
  stepAfterSave,
  stopReasonOf,
  thaw,
} from '../domain/adaptive-section.ts';
import type { QuestionRef } from '../domain/assessment.ts';
import type { SavedAnswer } from '../domain/grading.ts';
import { questionHandle } from '../domain/handles.ts';
import type { AdaptiveAreaInput } from '../domain/profile.ts';
import type { CalibratedParameters } from '../domain/psychometrics.ts';
import { type QuestionContent, startQuestion } from '../domain/question.ts';
import { versionKey } from '../domain/response-records.ts';

/** Randomesque k of adaptive sections (`ADAPTIVE_RANDOMESQUE`, default 5), frozen per attempt. */
export function randomesqueSetting(): number {
  const k = Number(process.env.ADAPTIVE_RANDOMESQUE);
  return Number.isInteger(k) && k >= 1 && k <= 50 ? k : 5;
}

/** Every question version an attempt may show: its fixed questions and its adaptive pools. */
export function attemptRefs(draw: AttemptDraw): Pick<QuestionRef, 'o' | 'q' | 'v'>[] {
  return [...draw.questions, ...(draw.adaptive ?? []).flatMap((s) => s.pool)];
}

/**
 * The contents of every version the attempt may show, cached in memory (immutable): a function
 * that has served an adaptive attempt once reads none of them again, so a save reads only the
 * section's page.
 */
export function attemptContents(draw: AttemptDraw): Promise<Map<string, QuestionContent>> {
  return questionVersions(attemptRefs(draw));
}

const frozenOf = (params: ReadonlyMap<string, SetEntry>, r: Pick<QuestionRef, 'o' | 'q' | 'v'>) =>
  params.get(`${r.o}/${versionKey(r.q, r.v)}`);

/**
 * The parts of a draw that depend on the assessment's sections: the fixed questions (with
 * their option order and frozen calibrated parameters), the adaptive sections (pool, frozen
 * parameters and eligibility, reserved answer slots, page), the answer pages, and the
 * attributes each page starts with (every adaptive section's first item, `x<s>`).
 */
export async function drawSections(
  attemptId: string,
  assessment: Pick<Assessment, 'sections'>,
  refs: readonly QuestionRef[],
  answerAllowance: (q: QuestionContent) => number,
): Promise<{
  questions: DrawnQuestion[];
  pages: number[];
  sections: DrawnSection[];
  adaptive: AdaptiveSectionDraw[];
  pageExtras: Map<number, Record<string, unknown>>;
  initial: Map<number, SectionState>;
}> {
  const adaptiveSections = assessment.sections.flatMap((s, i) =>
    s.mode === 'adaptive' && s.adaptive ? [{ s, i, settings: s.adaptive }] : [],
  );
  const poolRefs = adaptiveSections.flatMap(({ s }) => s.pool);
  // The calibration sets of each owner and area the sections draw from, read in the batch of
  // the question versions (docs/access-patterns.md#the-starts-calls).
  const { contents, params } = await versionsWithParameters(
    [...refs, ...poolRefs],
    assessment.sections.flatMap((s) => s.pool.map((r) => ({ owner: r.o, area: s.area }))),
  );

  // Adaptive blocks first: each section's answers and state share a page, the head if it fits.
  const planned = planBlocks([
    ...adaptiveSections.map(({ s, settings }) => ({
      slots: settings.maxItems,
      bytes: Math.max(...s.pool.map((r) => answerAllowance(contents.get(r.q)!))),
      extra: adaptiveStateBytes(settings.maxItems),
    })),
    ...refs.map((r) => ({ slots: 1, bytes: answerAllowance(contents.get(r.q)!) })),
  ]);
  const k = adaptiveSections.length;
  const randomesque = randomesqueSetting();
  let first = refs.length;
  const adaptive: AdaptiveSectionDraw[] = adaptiveSections.map(({ s, i, settings }, n) => {
    const section: AdaptiveSectionDraw = {
      s: i,
      area: s.area,
      first,
      page: planned[n]![0]!,
      minItems: settings.minItems,
      maxItems: settings.maxItems,
      targetStandardError: settings.targetStandardError,
      randomesque,
      pool: s.pool.map((r): PoolEntry => {
        const f = frozenOf(params, r);
        return {
          o: r.o,
          q: r.q,
          v: r.v,
          ...(f ? { p: f.p } : {}),
          ...(f?.e !== undefined ? { e: f.e } : {}),
        };
      }),
    };
    first += settings.maxItems;
    return section;
  });
  const pages = [...planned.slice(k).flat(), ...planned.slice(0, k).flat()];

  const pageExtras = new Map<number, Record<string, unknown>>();
  const initial = new Map<number, SectionState>();
  for (const section of adaptive) {
    const step = stepAfterSave({
      section,
      pool: sectionPool(section, contents),
      responses: [],
      attemptId,
    });
    const state: SectionState =
      step.kind === 'item' ? { shown: [step.poolIndex] } : { shown: [], complete: step.completion };
    initial.set(section.s, state);
    pageExtras.set(section.page, {
      ...pageExtras.get(section.page),
      [`x${section.s}`]: state.shown,
      ...(state.complete ? { [`c${section.s}`]: state.complete } : {}),
    });
  }

  const questions = refs.map((r): DrawnQuestion => {
    const f = frozenOf(params, r);
    return {
      o: r.o,
      q: r.q,
      v: r.v,
      // The type's per-attempt data (a shuffle), a pure function of the attempt id.
      ...startQuestion(contents.get(r.q)!, attemptId),
      ...(f ? { p: f.p } : {}),
    };
  });
  const sections: DrawnSection[] = assessment.sections.map((s) =>
    s.mode === 'adaptive'
      ? { area: s.area, count: 0, adaptive: true }
      : { area: s.area, count: s.count },
  );
  return { questions, pages, sections, adaptive, pageExtras, initial };
}

// ---------------------------------------------------------------------------------------------
// Resolving answer indexes.

/** A question an attempt shows, where its answer lives, and its section. */
export interface ShownItem {
  ref: { o: string; q: string; v: number; p?: PoolEntry['p'] };
  /** Answer index. */
  index: number;
  /** Index of its section in the assessment (undefined for attempts without sections). */
  section?: number;
  adaptive?: AdaptiveSectionDraw;
}

/** The adaptive section of the assessment's section `s` in this draw. */
export const adaptiveSection = (draw: AttemptDraw, s: number) =>
  draw.adaptive?.find((a) => a.s === s);

/**
 * The questions shown so far, in section order: each fixed section's questions, each adaptive
 * section's items as shown (the current one included). Attempts started before sections were
 * recorded show their questions in draw order.
 */
export function shownItems(draw: AttemptDraw, state: Pick<AttemptState, 'sections'>): ShownItem[] {
  if (!draw.sections) return draw.questions.map((ref, index) => ({ ref, index }));
  const out: ShownItem[] = [];
  let next = 0;
  draw.sections.forEach((section, s) => {
    if (!section.adaptive) {
      for (let j = 0; j < section.count; j++, next++)
        out.push({ ref: draw.questions[next]!, index: next, section: s });
      return;
    }
    const a = adaptiveSection(draw, s);
    if (!a) return;
    (state.sections.get(s)?.shown ?? []).forEach((poolIndex, j) => {
      const entry = a.pool[poolIndex];
      if (entry) out.push({ ref: entry, index: a.first + j, section: s, adaptive: a });
    });
  });
  return out;
}

/**
 * The items adaptive sections showed and the candidate did not answer (at most one per
 * section, its current item): not graded, but the employer's report lists them.
 */
export function shownUnanswered(
  draw: AttemptDraw,
  state: Pick<AttemptState, 'sections' | 'answers'>,
): ShownUnanswered[] {
  return shownItems(draw, state)
    .filter((it) => it.adaptive && !state.answers.has(it.index))
    .map((it) => ({
      questionId: it.ref.q,
      version: it.ref.v,
      org: it.ref.o,
      area: it.adaptive!.area,
    }));
}

/**
 * The adaptive section whose answer slots hold `slot` (a question handle's), with the item's
 * position in the section: which pool item that is, if any yet, is on the section's page.
 */
export function adaptiveSlot(
  draw: AttemptDraw,
  slot: number,
): { section: AdaptiveSectionDraw; j: number } | undefined {
  const section = draw.adaptive?.find((a) => slot >= a.first && slot < a.first + a.maxItems);
  return section ? { section, j: slot - section.first } : undefined;
}

const pools = new Map<string, PoolItem[]>();

/** A section's pool for selection, built once per attempt and section (cached: immutable). */
export function poolOf(
  draw: AttemptDraw,
  section: AdaptiveSectionDraw,
  contents: ReadonlyMap<string, QuestionContent>,
): PoolItem[] {
  const key = `${draw.attemptId}#${section.s}`;
  let pool = pools.get(key);
  if (!pool) {
    pool = sectionPool(section, contents);
    if (pools.size > 2000) pools.clear();
    pools.set(key, pool);
  }
  return pool;
}

// ---------------------------------------------------------------------------------------------
// Views.

/**
 * A section as the candidate sees it: which questions (by handle: docs/state-machines.md), and
 * for an adaptive one how far.
 */
export function sectionViews(draw: AttemptDraw, state: Pick<AttemptState, 'sections' | 'answers'>) {
  if (!draw.sections) return undefined;
  const items = shownItems(draw, state);
  return draw.sections.map((section, s) => {
    const questionIds = items
      .filter((it) => it.section === s)
      .map((it) => questionHandle(it.index));
    const a = section.adaptive ? adaptiveSection(draw, s) : undefined;
    if (!a) return { index: s, area: section.area, mode: 'fixed' as const, questionIds };
    return {
      index: s,
      area: section.area,
      ...adaptiveView(a, state.sections.get(s), state.answers),
    };
  });
}

/** An adaptive section's progress: items answered, at most how many are left, the current one. */
export function adaptiveView(
  a: AdaptiveSectionDraw,
  st: SectionState | undefined,
  answers: ReadonlyMap<number, unknown>,
) {
  const answered = itemsAnswered(a, st, answers);
  const current = currentItem(a, st, answers);
  return {
    mode: 'adaptive' as const,
    questionIds: (st?.shown ?? []).map((_, j) => questionHandle(a.first + j)),
    minItems: a.minItems,
    maxItems: a.maxItems,
    answered,
    itemsLeftAtMost: st?.complete || !st ? 0 : a.maxItems - answered,
    // The current item is the last one shown: the section's next slot.
    current: current === undefined ? null : questionHandle(a.first + st!.shown.length - 1),
    complete: st?.complete ? { reason: st.complete.reason } : null,
  };
}

// ---------------------------------------------------------------------------------------------
// Grading.

/**
 * What grading needs: the questions to grade (every fixed question; the answered items of
 * adaptive sections) with the parameters frozen for them, their answers by question id, and
 * each adaptive section's pool and stopping rule, with why it ended.
 */
export function gradingInput(
  draw: AttemptDraw,
  state: Pick<AttemptState, 'sections' | 'answers' | 'status'>,
  contents: ReadonlyMap<string, QuestionContent>,
): {
  questions: { content: QuestionContent; version: number; calibrated?: CalibratedParameters }[];
  answers: Record<string, SavedAnswer>;
  adaptive: AdaptiveAreaInput[];
} {
  const answers: Record<string, SavedAnswer> = {};
  const questions: {
    content: QuestionContent;
    version: number;
    calibrated?: CalibratedParameters;
  }[] = [];
  for (const it of shownItems(draw, state)) {
    const a = state.answers.get(it.index);
    if (it.adaptive && !a) continue;
    if (a) answers[it.ref.q] = { value: a.value, savedAt: a.savedAt };
    questions.push({
      content: contents.get(it.ref.q)!,
      version: it.ref.v,
      ...(it.ref.p ? { calibrated: thaw(it.ref.p) } : {}),
    });
  }
  const adaptive = (draw.adaptive ?? []).map(
    (a): AdaptiveAreaInput => ({
      area: a.area,
      pool: a.pool.map((e) => entryModel(e, contents.get(e.q)!)),
      minItems: a.minItems,
      maxItems: a.maxItems,
      targetStandardError: a.targetStandardError,
      stopReason: stopReasonOf(state.sections.get(a.s), state.status),
    }),
  );
  return { questions, answers, adaptive };
}
