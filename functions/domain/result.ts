import { type GradedQuestion, gradeQuestions, type SavedAnswer } from './grading.ts';
import {
  type IntegritySignal,
  integritySignals,
  type PageEvent,
  type Resume,
  wordCount,
} from './integrity.ts';
import {
  type AdaptiveAreaInput,
  buildProfile,
  profileItems,
  type SkillProfile,
} from './profile.ts';
import type { CalibratedParameters } from './psychometrics.ts';
import type { QuestionContent } from './question.ts';
import { nullRecord } from './reserved.ts';

/** What finalising an attempt stores: the skill profile, per-question detail, integrity evidence. */
export interface AttemptResult extends SkillProfile {
  questions: GradedQuestion[];
  integrity: { signals: IntegritySignal[] };
}

export interface ScoringInput {
  /** The questions graded, with the calibrated parameters the attempt froze for them, if any. */
  questions: readonly {
    content: QuestionContent;
    version: number;
    calibrated?: CalibratedParameters;
  }[];
  /** The attempt's adaptive sections, by area (their items are among `questions`). */
  adaptive?: readonly AdaptiveAreaInput[];
  answers: Readonly<Record<string, SavedAnswer>>;
  startedAt: string;
  deadline: string;
  resumes: readonly Resume[];
  /** The candidate app's page events (visibility changes, pastes), if any were recorded. */
  events?: readonly PageEvent[];
  passingScore?: number;
}

/**
 * Grade an attempt and build its profile. Pure and deterministic, so a stored result can be
 * recomputed (regraded) from the attempt's answers and the question versions it was given.
 */
export function scoreAttempt(input: ScoringInput): AttemptResult {
  const graded = gradeQuestions(input.questions, input.answers, input.startedAt);
  const contents = input.questions.map((q) => q.content);
  const profile = buildProfile({
    items: profileItems(
      graded,
      input.questions.map((q) =>
        q.calibrated ? { ...q.content, calibrated: q.calibrated } : q.content,
      ),
    ),
    ...(input.adaptive?.length ? { adaptive: input.adaptive } : {}),
    ...(input.passingScore !== undefined ? { passingScore: input.passingScore } : {}),
  });
  const signals = integritySignals({
    startedAt: input.startedAt,
    deadline: input.deadline,
    answers: input.answers,
    questions: nullRecord(
      contents.map((c) => [c.id, { promptWords: wordCount(c.prompt), type: c.type }] as const),
    ),
    resumes: input.resumes,
    ...(input.events ? { pageEvents: input.events } : {}),
  });
  return { ...profile, questions: graded, integrity: { signals } };
}
