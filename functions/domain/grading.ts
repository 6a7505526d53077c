import { gradeResponse, type QuestionContent } from './question.ts';
import { findArea } from './taxonomy.ts';

export interface GradedQuestion {
  questionId: string;
  version: number;
  area: string;
  /** Item score in [0,1]. */
  score: number;
  secondsSpent: number;
}

export interface AreaResult {
  area: string;
  kind: 'technical' | 'soft';
  /** 0-100. */
  score: number;
  items: number;
  /** Items with full credit. */
  correct: number;
}

export interface AttemptResult {
  /** 0-100: the mean item score, so each section weighs by its size. */
  score: number;
  passed?: boolean;
  technical: { score: number } | null;
  soft: { score: number } | null;
  areas: AreaResult[];
  questions: GradedQuestion[];
}

export interface SavedAnswer {
  value: unknown;
  savedAt: string;
}

const pct = (xs: number[]) =>
  xs.length ? Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 1000) / 10 : 0;

/**
 * Seconds a candidate spent on each question, from the server's save timestamps: the time
 * between the previous save (or the start) and the first save of this question. Unanswered: 0.
 */
export function secondsSpent(
  startedAt: string,
  answers: Readonly<Record<string, SavedAnswer>>,
): Record<string, number> {
  const saves = Object.entries(answers)
    .map(([q, a]) => ({ q, at: Date.parse(a.savedAt) }))
    .sort((x, y) => x.at - y.at);
  const out: Record<string, number> = {};
  let previous = Date.parse(startedAt);
  for (const s of saves) {
    out[s.q] = Math.max(0, Math.round((s.at - previous) / 1000));
    previous = s.at;
  }
  return out;
}

/**
 * Grade an attempt against the question versions it was given. Pure and deterministic:
 * regrading the same answers gives the same result.
 */
export function gradeAttempt(
  questions: readonly { content: QuestionContent; version: number }[],
  answers: Readonly<Record<string, SavedAnswer>>,
  startedAt: string,
  passingScore?: number,
): AttemptResult {
  const spent = secondsSpent(startedAt, answers);
  const graded: GradedQuestion[] = questions.map(({ content, version }) => ({
    questionId: content.id,
    version,
    area: content.area,
    score: gradeResponse(content, answers[content.id]?.value),
    secondsSpent: spent[content.id] ?? 0,
  }));
  const byArea = new Map<string, GradedQuestion[]>();
  for (const g of graded) byArea.set(g.area, [...(byArea.get(g.area) ?? []), g]);
  const areas: AreaResult[] = [...byArea].map(([area, gs]) => ({
    area,
    kind: findArea(area)?.kind ?? 'technical',
    score: pct(gs.map((g) => g.score)),
    items: gs.length,
    correct: gs.filter((g) => g.score === 1).length,
  }));
  const kindScore = (kind: 'technical' | 'soft') => {
    const xs = graded.filter((g) => findArea(g.area)?.kind === kind).map((g) => g.score);
    return xs.length ? { score: pct(xs) } : null;
  };
  const score = pct(graded.map((g) => g.score));
  return {
    score,
    ...(passingScore !== undefined ? { passed: score >= passingScore } : {}),
    technical: kindScore('technical'),
    soft: kindScore('soft'),
    areas,
    questions: graded,
  };
}
