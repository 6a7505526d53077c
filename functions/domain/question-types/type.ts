import type * as z from 'zod/mini';
import type { FieldIssue } from '../errors.ts';

export const QUESTION_TYPES = ['single', 'multi', 'order', 'numeric', 'text', 'sjt'] as const;
export type QuestionTypeId = (typeof QUESTION_TYPES)[number];

export interface Option {
  id: string;
  text: string;
}

/** A validated question as authors write it (one version's content). */
export interface QuestionContent {
  id: string;
  area: string;
  type: QuestionTypeId;
  difficulty: 1 | 2 | 3;
  prompt: string;
  options?: Option[];
  answer: unknown;
  explanation: string;
  tags: string[];
  timeHintSeconds?: number;
  discrimination?: number;
  difficultyParam?: number;
}

/** What a candidate may see of a question: never a key, weight, explanation or score. */
export interface CandidateQuestion {
  questionId: string;
  area: string;
  type: QuestionTypeId;
  prompt: string;
  options?: Option[];
}

/**
 * Everything about one question type lives in its module: the author's key schema and rules,
 * the candidate's answer schema, the candidate view, grading and the GIFT mapping. The rest
 * of the code looks types up in the registry.
 */
export interface QuestionType<Key = unknown, Response = unknown> {
  id: QuestionTypeId;
  /** Whether the type has options (required then, forbidden otherwise). */
  withOptions: boolean;
  /** Shape of the author's `answer`. */
  key: z.ZodMiniType<Key>;
  /** Rules beyond the shape, with paths relative to the question (e.g. `answer`). */
  rules(q: QuestionContent & { answer: Key }): FieldIssue[];
  /** Shape of a candidate's answer to this question. */
  response(q: QuestionContent & { answer: Key }): z.ZodMiniType<Response>;
  /** Score in [0,1]; deterministic. */
  grade(q: QuestionContent & { answer: Key }, response: Response): number;
  /** GIFT text for this question, or undefined when the type cannot be expressed in GIFT. */
  toGift?(q: QuestionContent & { answer: Key }): string | undefined;
}
