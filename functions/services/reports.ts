/**
 * The employer's report of an attempt, as JSON (`GET /v1/attempts/{id}/report`) and as the
 * printable page built from it (`.../report.html`). Its reads: the result (one GetItem), the
 * norms (one GetItem) and the contents of the question versions the attempt was given, from the
 * immutable version cache (a cold function: one BatchGetItem). Staff only: the keys and
 * explanations it carries never reach a candidate route.
 */
import { listExtensions } from '../data/attempt-extensions.ts';
import type { Completion } from '../data/attempt-results.ts';
import { questionVersions } from '../data/question-cache.ts';
import { type Norms, readNorms } from '../data/statistics.ts';
import { NotFoundError } from '../domain/errors.ts';
import type { GradedQuestion } from '../domain/grading.ts';
import { currentProfile, levelRule } from '../domain/profile.ts';
import { describeAnswer, describeKey } from '../domain/question.ts';
import { percentileOf } from '../domain/statistics.ts';
import { findArea } from '../domain/taxonomy.ts';
import { completionFor, currentDeadline, developmentOf, type Loaded } from './attempts.ts';

/** How a question went: `unanswered` is not `wrong` (both score 0). */
export type Outcome = 'correct' | 'partial' | 'wrong' | 'unanswered' | 'unanswered-or-wrong';

/**
 * The outcome of a graded question. Results graded before `answered` was recorded cannot tell
 * a wrong answer from none when the score is 0: `unanswered-or-wrong`.
 */
export function outcomeOf(g: Pick<GradedQuestion, 'score' | 'answered'>): Outcome {
  if (g.answered === false) return 'unanswered';
  if (g.score >= 1) return 'correct';
  if (g.score > 0) return 'partial';
  return g.answered ? 'wrong' : 'unanswered-or-wrong';
}

/** `{percentile}` once the assessment has enough completed attempts, else nothing. */
export function withPercentile(score: number, norms: Norms) {
  const p = percentileOf(score, norms.histogram, norms.n);
  return p === undefined ? {} : { percentile: p };
}

const areaName = (id: string) => findArea(id)?.name ?? id;

/**
 * An attempt of this organisation: its completion (one read of its result), or while it runs
 * its draw and state; finalised first if its time ran out. Another organisation's is 404.
 */
export async function ownAttempt(org: string, attemptId: string, now: Date) {
  const found = await completionFor(attemptId, now);
  const owner = found?.completion?.org ?? found?.loaded?.draw.org;
  if (!found || owner !== org) throw new NotFoundError(`Attempt ${attemptId}`);
  return found;
}

/** The report of an attempt that is still running: who, when, its deadline; nothing graded yet. */
async function runningReport(l: Loaded) {
  const extensions = await listExtensions(l.draw.attemptId);
  return {
    attemptId: l.draw.attemptId,
    status: l.state.status,
    ...(l.draw.preview ? { preview: true } : {}),
    candidate: l.draw.candidate ?? {},
    assessment: { assessmentId: l.draw.assessmentId, title: l.draw.title },
    startedAt: l.draw.startedAt,
    deadline: currentDeadline(l),
    areas: [],
    strengths: [],
    gaps: [],
    development: [],
    integrity: { signals: [] },
    extensions,
    questions: [],
  };
}

/** Each graded question with its prompt, the answer given, the key and the explanation. */
async function reportQuestions(c: Completion) {
  const graded = c.result.questions;
  const contents = await questionVersions(
    graded.map((g, i) => ({ o: c.questionOrgs[i]!, q: g.questionId, v: g.version })),
  );
  return graded.map((g) => {
    const q = contents.get(g.questionId)!;
    // Described by the question's type when it was graded; an old-layout result kept the
    // answers beside it instead, and they are described now.
    const answer =
      g.answer ?? (c.legacyAnswers ? describeAnswer(q, c.legacyAnswers[g.questionId]) : undefined);
    return {
      questionId: g.questionId,
      version: g.version,
      area: g.area,
      areaName: areaName(g.area),
      type: q.type,
      difficulty: q.difficulty,
      score: g.score,
      secondsSpent: g.secondsSpent,
      outcome: outcomeOf(g),
      ...(g.answered !== undefined ? { answered: g.answered } : {}),
      ...(answer !== undefined ? { answer } : {}),
      prompt: q.prompt,
      correctAnswer: describeKey(q),
      explanation: q.explanation,
    };
  });
}

export type ReportQuestion = Awaited<ReturnType<typeof reportQuestions>>[number];

/** The report of a finished attempt: the stored result read under today's level rule. */
async function finishedReport(c: Completion) {
  const r = currentProfile(c.result);
  const [norms, questions] = await Promise.all([
    // A preview is in no norms; a percentile would compare it with candidates all the same.
    c.preview ? undefined : readNorms(c.org, c.assessmentId),
    reportQuestions(c),
  ]);
  const difficulties = new Map<string, number[]>();
  for (const q of questions)
    difficulties.set(q.area, [...(difficulties.get(q.area) ?? []), q.difficulty]);
  return {
    attemptId: c.attemptId,
    status: c.status,
    ...(c.preview ? { preview: true } : {}),
    candidate: c.candidate ?? {},
    assessment: { assessmentId: c.assessmentId, title: c.title },
    startedAt: c.startedAt,
    completedAt: c.completedAt,
    ...(c.deadline ? { deadline: c.deadline } : {}),
    secondsUsed: Math.round((Date.parse(c.completedAt) - Date.parse(c.startedAt)) / 1000),
    score: r.score,
    ...(r.passed !== undefined ? { passed: r.passed } : {}),
    ...(norms ? withPercentile(r.score, norms) : {}),
    technical: r.technical,
    soft: r.soft,
    areas: r.areas.map((a) => {
      const answered = questions.filter((q) => q.area === a.area && q.answered !== false).length;
      return {
        ...a,
        name: areaName(a.area),
        answered,
        levelRule: levelRule(a, difficulties.get(a.area), answered),
      };
    }),
    ...developmentOf(r),
    integrity: r.integrity ?? { signals: [] },
    extensions: c.extensions ?? [],
    questions,
    ...(c.erasedAt ? { erasedAt: c.erasedAt } : {}),
  };
}

export type FinishedReport = Awaited<ReturnType<typeof finishedReport>>;

/** The report of an attempt of this organisation, running or finished. */
export async function attemptReport(org: string, attemptId: string, now: Date) {
  const found = await ownAttempt(org, attemptId, now);
  return found.completion ? finishedReport(found.completion) : runningReport(found.loaded!);
}

/** The report of a finished attempt only (the HTML page and the chart need a result). */
export async function finishedAttemptReport(
  org: string,
  attemptId: string,
  now: Date,
): Promise<FinishedReport | undefined> {
  const found = await ownAttempt(org, attemptId, now);
  return found.completion ? finishedReport(found.completion) : undefined;
}
