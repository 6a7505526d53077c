import { describeAnswer, gradeResponse, type QuestionContent } from './question.ts';
import { own } from './reserved.ts';

export interface GradedQuestion {
  questionId: string;
  version: number;
  area: string;
  /** Item score in [0,1]. */
  score: number;
  secondsSpent: number;
  /**
   * Whether an answer was saved: an unanswered question also scores 0, and a report must not
   * call it wrong. Absent in results graded before it was recorded.
   */
  answered?: boolean;
  /**
   * The saved answer as a person reads it, written by the question's type ("b — Use a queue"),
   * for the employer's report; absent when unanswered. Personal data: erasure removes it.
   */
  answer?: string;
}

export interface SavedAnswer {
  value: unknown;
  savedAt: string;
}

/**
 * Seconds a candidate spent on each question, from the server's save timestamps: the time
 * between the previous save (or the start) and the first save of this question. Unanswered: 0.
 */
export function secondsSpent(
  startedAt: string,
  answers: Readonly<Record<string, SavedAnswer>>,
): Map<string, number> {
  const saves = Object.entries(answers)
    .map(([q, a]) => ({ q, at: Date.parse(a.savedAt) }))
    .sort((x, y) => x.at - y.at);
  // A Map: question ids are user input, and an ordinary object would answer `constructor`.
  const out = new Map<string, number>();
  let previous = Date.parse(startedAt);
  for (const s of saves) {
    out.set(s.q, Math.max(0, Math.round((s.at - previous) / 1000)));
    previous = s.at;
  }
  return out;
}

/**
 * Grade each question of an attempt against the version it was given. Pure and deterministic:
 * regrading the same answers gives the same scores. Aggregates are the profile's job.
 */
export function gradeQuestions(
  questions: readonly { content: QuestionContent; version: number }[],
  answers: Readonly<Record<string, SavedAnswer>>,
  startedAt: string,
): GradedQuestion[] {
  const spent = secondsSpent(startedAt, answers);
  return questions.map(({ content, version }) => {
    const value = own(answers, content.id)?.value;
    const answered = value !== undefined && value !== null;
    const answer = describeAnswer(content, value);
    return {
      questionId: content.id,
      version,
      area: content.area,
      score: gradeResponse(content, value),
      secondsSpent: spent.get(content.id) ?? 0,
      answered,
      ...(answer !== undefined ? { answer } : {}),
    };
  });
}
