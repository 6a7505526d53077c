/**
 * Opaque per-attempt handles: what a candidate calls a question (`q<n>`, its answer slot + 1)
 * and an option (`o<k>`, its position in the attempt's shuffled order). Bank ids name their
 * subject and could hint at the key, so no candidate-facing response carries one; answers are
 * still stored with the bank's ids. Pure functions of what the draw stores: nothing new is
 * stored, so attempts started before handles existed get them too (docs/state-machines.md).
 */
import type { CandidateQuestion, QuestionContent } from './question.ts';
import type { AnswerKind } from './question-types/type.ts';

/** The handle of the question in answer slot `slot` (0-based): `q1` for slot 0. */
export const questionHandle = (slot: number): string => `q${slot + 1}`;

/** At most 9999 slots: far above any attempt (sections are bounded well below that). */
const QUESTION_HANDLE = /^q([1-9][0-9]{0,3})$/;

/**
 * The answer slot a question handle names, or undefined for anything that is not a handle
 * (`q0`, `q01`, a bank id, `__proto__`...). Whether the slot holds a question of the attempt is
 * the caller's to check against its draw.
 */
export function slotOfHandle(handle: string): number | undefined {
  const m = QUESTION_HANDLE.exec(handle);
  return m ? Number(m[1]) - 1 : undefined;
}

/** The handle of the option shown k-th (0-based) in this attempt: `o1` is shown first. */
const optionHandle = (k: number) => `o${k + 1}`;

/**
 * A question's options in both directions, bank id <-> this attempt's handle, and what its
 * answers are (its type's `answerKind`: one option id, a list of them, or no option id).
 */
export interface OptionHandles {
  kind: AnswerKind;
  toHandle: ReadonlyMap<string, string>;
  toBank: ReadonlyMap<string, string>;
}

/** The option handles of a question as shown: by position in its candidate view's `options`. */
function optionHandlesOf(view: CandidateQuestion, kind: AnswerKind): OptionHandles {
  const options = (view.options as { id: string }[] | undefined) ?? [];
  const toHandle = new Map(options.map((o, k) => [o.id, optionHandle(k)]));
  return { kind, toHandle, toBank: new Map([...toHandle].map(([id, h]) => [h, id])) };
}

/**
 * The candidate view with handles for the question and its options, and the option map.
 * `kind` is the question type's `answerKind`. Only `options` carry author-chosen ids: a
 * matching question's right-hand ids are hashes of their text (question-types/matching.ts),
 * and no other type shows an id.
 */
export function viewWithHandles(
  view: CandidateQuestion,
  slot: number,
  kind: AnswerKind,
): { view: CandidateQuestion; options: OptionHandles } {
  const options = optionHandlesOf(view, kind);
  const shown = view.options as { id: string; text: string }[] | undefined;
  return {
    view: {
      ...view,
      questionId: questionHandle(slot),
      ...(shown?.length
        ? { options: shown.map((o) => ({ ...o, id: options.toHandle.get(o.id)! })) }
        : {}),
    },
    options,
  };
}

/**
 * The question as a candidate's answer is checked against: its options named by their handles,
 * in the order shown, so that the answer's schema accepts handles and its messages name
 * handles, never bank ids. Every type's `response` schema reads only the `options` of a
 * question with options.
 */
export function contentWithHandles(
  content: QuestionContent,
  options: OptionHandles,
): QuestionContent {
  if (!content.options?.length || options.toBank.size === 0) return content;
  const text = new Map(content.options.map((o) => [o.id, o.text]));
  return {
    ...content,
    options: [...options.toBank].map(([handle, id]) => ({ id: handle, text: text.get(id) ?? '' })),
  };
}

/**
 * An answer with each option id renamed through `names`, as its type's `answerKind` says an
 * answer names options: one option id, or a list of them; any other answer is returned as is.
 */
function renamed(value: unknown, kind: AnswerKind, names: ReadonlyMap<string, string>): unknown {
  const rename = (v: unknown) => (typeof v === 'string' ? (names.get(v) ?? v) : v);
  if (kind === 'one id') return rename(value);
  if (kind === 'ids' && Array.isArray(value)) return value.map(rename);
  return value;
}

/** A stored answer (bank option ids) as the candidate sent it (option handles). */
export const answerToHandles = (value: unknown, options: OptionHandles) =>
  renamed(value, options.kind, options.toHandle);

/** A checked answer (option handles) as it is stored and graded (bank option ids). */
export const answerToBank = (value: unknown, options: OptionHandles) =>
  renamed(value, options.kind, options.toBank);
