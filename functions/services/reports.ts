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

/**
 * Each graded question with its prompt, the answer given, the key and the explanation; then
 * each adaptive item the candidate was shown and did not answer (`shownNotAnswered`, not
 * graded), after its area's graded questions.
 */
async function reportQuestions(c: Completion) {
  const graded = c.result.questions;
  const shown = c.shownUnanswered ?? [];
  const contents = await questionVersions([
    ...graded.map((g, i) => ({ o: c.questionOrgs[i]!, q: g.questionId, v: g.version })),
    ...shown.map((x) => ({ o: x.org, q: x.questionId, v: x.version })),
  ]);
  const gradedOut = graded.map((g) => {
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
  const out: ((typeof gradedOut)[number] & { shownNotAnswered?: true })[] = gradedOut;
  for (const x of shown) {
    const q = contents.get(x.questionId)!;
    const after = out.findLastIndex((g) => g.area === x.area);
    out.splice(after + 1, 0, {
      questionId: x.questionId,
      version: x.version,
      area: x.area,
      areaName: areaName(x.area),
      type: q.type,
      difficulty: q.difficulty,
      score: 0,
      secondsSpent: 0,
      outcome: 'unanswered' as Outcome,
      answered: false,
      shownNotAnswered: true as const,
      prompt: q.prompt,
      correctAnswer: describeKey(q),
      explanation: q.explanation,
    });
  }
  return out;
}

type AdaptiveFacts = NonNullable<ReturnType<typeof currentProfile>['areas'][number]['adaptive']>;

const STOP_TEXT: Readonly<Record<AdaptiveFacts['stopReason'], (a: AdaptiveFacts) => string>> = {
  'target-standard-error': () => 'ended once its standard error reached the target',
  'max-items': (a) => `ended at its maximum of ${a.maxItems} questions`,
  'pool-exhausted': () => 'ended when its pool had no question left',
  'time-up': () => 'ended when the time ran out',
  submitted: () => 'ended when the candidate submitted before it finished',
};

/**
 * An adaptive area's facts in words (issue 17: items used, final standard error, stop reason),
 * what its score is, and the question it showed and the candidate did not answer: without this
 * a reader sees "12 answered, 12 fully right" beside a score of 88.2 and no reason. The JSON
 * report carries it (`areas[].adaptiveSummary`); the printable report and the console show it.
 */
export function adaptiveSummary(a: AdaptiveFacts, shownNotAnswered = 0): string {
  const n = a.itemsUsed;
  // As the profile counted them when it graded (absent in results graded before they counted).
  const short = a.unreached ?? 0;
  return (
    `Adaptive section: ${n} question${n === 1 ? '' : 's'} chosen one by one from the answers (${a.minItems} to ${a.maxItems}), ${STOP_TEXT[a.stopReason](a)}; standard error ${a.standardError.toFixed(2)} (target ${a.targetStandardError.toFixed(2)}). ` +
    'Its score is the expected score on the section’s whole question pool at this ability, not the share of its questions answered right: stronger candidates get harder questions' +
    (short
      ? `; the ${short} question${short === 1 ? '' : 's'} short of its minimum of ${a.minItems} that the candidate did not reach count 0.`
      : '.') +
    (shownNotAnswered
      ? ' The candidate was shown one more question and did not answer it: it is listed with the questions, not graded.'
      : '')
  );
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
  // The level rule weighs the graded questions only.
  const difficulties = new Map<string, number[]>();
  for (const q of questions.filter((x) => !x.shownNotAnswered))
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
      const shown = (c.shownUnanswered ?? []).filter((x) => x.area === a.area).length;
      return {
        ...a,
        name: areaName(a.area),
        answered,
        levelRule: levelRule(a, difficulties.get(a.area), answered),
        ...(a.adaptive ? { adaptiveSummary: adaptiveSummary(a.adaptive, shown) } : {}),
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
