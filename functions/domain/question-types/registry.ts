/**
 * The question types: the one list of them. A new type is one module in this folder and one
 * entry here; everything else (validation, views, grading, reports, GIFT, the OpenAPI
 * document, property tests) reads this list.
 */
import { matching } from './matching.ts';
import { missingWord } from './missing-word.ts';
import { multi } from './multi.ts';
import { numeric } from './numeric.ts';
import { order } from './order.ts';
import { single } from './single.ts';
import { sjt } from './sjt.ts';
import { text } from './text.ts';
import type { QuestionType } from './type.ts';

/** Every question type, in the order documents and reports list them. */
// biome-ignore format: one type a line, so that adding one is a one-line change
export const QUESTION_TYPE_LIST = [
  single,
  multi,
  order,
  numeric,
  text,
  sjt,
  matching,
  missingWord,
] as const;

export type QuestionTypeId = (typeof QUESTION_TYPE_LIST)[number]['id'];

/** A question type seen by generic code, which passes it only what its own schemas accepted. */
export type AnyQuestionType = QuestionType<QuestionTypeId, unknown, unknown, object>;

// Pure (see domain/z.ts): a bundle that never reads the types (the statistics job reads no
// question) leaves them, their schemas and their GIFT and Moodle code out.
export const QUESTION_TYPES = /* @__PURE__ */ (() =>
  QUESTION_TYPE_LIST.map((t) => t.id) as [QuestionTypeId, ...QuestionTypeId[]])();

const byId = /* @__PURE__ */ (() =>
  new Map<string, AnyQuestionType>(QUESTION_TYPE_LIST.map((t) => [t.id, t])))();

/** The type module of a question. */
export function typeOf(id: QuestionTypeId): AnyQuestionType {
  return byId.get(id)!;
}

/** The type module with this id, or undefined for anything else (user input). */
export function findType(id: unknown): AnyQuestionType | undefined {
  return typeof id === 'string' ? byId.get(id) : undefined;
}
