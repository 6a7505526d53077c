/**
 * The candidate's side: start or resume, answer, finish. Shared by the candidate handler, the
 * employer handler (reading an attempt finalises it if its time ran out) and the sweeper job.
 * Every decision that races is a conditional write in `data/attempts.ts`.
 */
import { ulid } from 'ulid';
import { getAssessment } from '../data/assessments.ts';
import { listAttemptEvents } from '../data/attempt-events.ts';
import {
  type Attempt,
  type AttemptQuestion,
  createAttempt,
  finaliseAttempt,
  getAttempt,
  rotateAttemptToken,
  saveAnswer,
} from '../data/attempts.ts';
import { getInvitation } from '../data/invitations.ts';
import { questionVersions } from '../data/question-cache.ts';
import { deadlineOf, drawQuestions, dueAtOf, optionOrder } from '../domain/assessment.ts';
import {
  DomainError,
  GoneError,
  NotFoundError,
  UnauthorizedError,
  ValidationError,
} from '../domain/errors.ts';
import type { PageEvent } from '../domain/integrity.ts';
import { isStorableNumber, STORABLE_NUMBER_MESSAGE } from '../domain/numbers.ts';
import { candidateView } from '../domain/question.ts';
import { type AttemptResult, scoreAttempt } from '../domain/result.ts';
import { hashSecret, newSecret, parseInvitationToken, secretMatches } from '../domain/tokens.ts';

export const RETENTION_DAYS = Number(process.env.RETENTION_DAYS ?? 365);

export interface ClientInfo {
  userAgent?: string;
  sourceIp?: string;
}

export const INVALID_LINK =
  'This invitation link is not valid. Check that the whole link was copied.';

/** The candidate view of an attempt: questions in this attempt's order, no keys, no scores. */
export async function attemptView(attempt: Attempt, now: Date, attemptToken?: string) {
  const contents = await questionVersions(attempt.questions);
  return {
    attemptId: attempt.attemptId,
    ...(attemptToken ? { attemptToken } : {}),
    status: attempt.status,
    startedAt: attempt.startedAt,
    deadline: attempt.deadline,
    gracePeriodSeconds: attempt.gracePeriodSeconds,
    serverTime: now.toISOString(),
    assessment: { title: attempt.title, timeLimitMinutes: attempt.timeLimitMinutes },
    questions: attempt.questions.map((q) => candidateView(contents.get(q.q)!, q.order)),
    answers: Object.fromEntries(
      Object.entries(attempt.answers ?? {}).map(([q, a]) => [q, a.value]),
    ),
  };
}

/**
 * `POST /v1/attempts`: the first request for a pending invitation starts the attempt (201);
 * later ones while it is active resume it with a new token (200); however many race, the
 * invitation's conditional transition makes exactly one attempt.
 */
export async function startOrResume(
  invitationToken: string,
  now: Date,
  client: ClientInfo,
): Promise<{ created: boolean; attempt: Attempt; attemptToken: string }> {
  const parsed = parseInvitationToken(invitationToken);
  if (!parsed) throw new UnauthorizedError(INVALID_LINK);
  for (let round = 0; round < 3; round++) {
    const inv = await getInvitation(parsed.invitationId);
    if (!inv || !secretMatches(parsed.secret, inv.tokenHash))
      throw new UnauthorizedError(INVALID_LINK);
    if (inv.status === 'revoked')
      throw new GoneError('revoked', 'This invitation was withdrawn by the employer.');
    if (inv.status === 'completed')
      throw new GoneError(
        'finished',
        'This assessment has already been completed with this invitation.',
      );
    if (inv.status === 'started') return resume(inv.attemptId!, now, client);
    if (Date.parse(inv.expiresAt) <= now.getTime()) {
      throw new GoneError(
        'expired',
        `This invitation expired at ${inv.expiresAt}. Ask the employer for a new link.`,
      );
    }
    const assessment = await getAssessment(inv.org, inv.assessmentId);
    if (!assessment) throw new NotFoundError('The assessment of this invitation');
    const attemptId = ulid(now.getTime());
    const refs = drawQuestions(assessment.sections, attemptId);
    const contents = await questionVersions(refs);
    const questions: AttemptQuestion[] = refs.map((r) => {
      const c = contents.get(r.q)!;
      const ids = c.options?.map((o) => o.id);
      return { ...r, area: c.area, ...(ids ? { order: optionOrder(ids, attemptId, r.q) } : {}) };
    });
    const deadline = deadlineOf(now, assessment.timeLimitMinutes, inv.extraTimePercent);
    const secret = newSecret();
    const attempt: Attempt = {
      attemptId,
      org: inv.org,
      assessmentId: inv.assessmentId,
      invitationId: inv.invitationId,
      status: 'active',
      tokenHash: hashSecret(secret),
      startedAt: now.toISOString(),
      deadline: deadline.toISOString(),
      dueAt: dueAtOf(deadline, assessment.gracePeriodSeconds).toISOString(),
      gracePeriodSeconds: assessment.gracePeriodSeconds,
      timeLimitMinutes: assessment.timeLimitMinutes,
      extraTimePercent: inv.extraTimePercent,
      title: assessment.title,
      showResultToCandidate: assessment.showResultToCandidate,
      ...(assessment.passingScore !== undefined ? { passingScore: assessment.passingScore } : {}),
      candidate: inv.candidate,
      questions,
      qs: Object.fromEntries(
        questions.map((q) => [
          q.q,
          { t: q.t, o: contents.get(q.q)!.options?.map((o) => o.id) ?? [] },
        ]),
      ),
      answers: {},
      rev: 0,
      // The start counts as the first session, so a resume elsewhere shows as a change.
      resumes: [{ at: now.toISOString(), ...client }],
    };
    if (await createAttempt(attempt, inv.tokenHash, now))
      return { created: true, attempt, attemptToken: secret };
    // Lost the race (or the invitation changed under us): read it again and act on what won.
  }
  throw new DomainError('conflict', 'The invitation is changing too fast to start; try again.');
}

async function resume(attemptId: string, now: Date, client: ClientInfo) {
  const secret = newSecret();
  const session = { at: now.toISOString(), ...client };
  // Rotations are ordered by time, then by a random tie-breaker for resumes in the same ms.
  const order = (ms: number) => `${new Date(ms).toISOString()}#${newSecret().slice(0, 8)}`;
  let attempt = await rotateAttemptToken(
    attemptId,
    hashSecret(secret),
    session,
    order(now.getTime()),
  );
  // Another resume was ordered after this one (a concurrent one landed first): this live
  // request rotates again just after it, so the later answer wins, as for any two resumes.
  for (let round = 0; attempt && 'supersededAt' in attempt && round < 25; round++) {
    const after = order(Date.parse(attempt.supersededAt.slice(0, 24)) + 1);
    attempt = await rotateAttemptToken(attemptId, hashSecret(secret), session, after);
  }
  if (attempt && !('supersededAt' in attempt)) {
    return { created: false, attempt, attemptToken: secret };
  }
  await finishIfDue(attemptId, now);
  throw new GoneError(
    'finished',
    'This assessment has already finished: it was submitted or its time ran out.',
  );
}

/**
 * Grade and finalise an active attempt exactly once. `expire` records the deadline as the
 * finish time. When another request finalised it first, returns what that one stored.
 */
export async function finalise(
  attempt: Attempt,
  kind: 'submit' | 'expire',
  now: Date,
): Promise<Attempt> {
  let current = attempt;
  let events: Promise<PageEvent[]> | undefined;
  // A save that lands between the read and the write moves `rev` and fails the write: grade
  // again with it. Saves stop at the deadline, so this settles in a round or two.
  for (let round = 0; round < 5; round++) {
    if (current.status !== 'active') return current;
    // The candidate app's page events: one Query, read alongside the first round's questions.
    events ??= listAttemptEvents(current.attemptId);
    const [contents, pageEvents] = await Promise.all([questionVersions(current.questions), events]);
    const result = scoreAttempt({
      questions: current.questions.map((q) => ({ content: contents.get(q.q)!, version: q.v })),
      answers: current.answers ?? {},
      startedAt: current.startedAt,
      deadline: current.deadline,
      resumes: current.resumes ?? [],
      events: pageEvents,
      ...(current.passingScore !== undefined ? { passingScore: current.passingScore } : {}),
    });
    const status = kind === 'submit' ? 'submitted' : 'expired';
    const completedAt = kind === 'submit' ? now.toISOString() : current.deadline;
    // AttemptCompleted is published by the stream consumer from this committed change.
    const done = await finaliseAttempt(current, {
      status,
      completedAt,
      result,
      retentionDays: RETENTION_DAYS,
    });
    if (done) return { ...current, status, completedAt, result };
    const fresh = await getAttempt(current.attemptId);
    if (!fresh) throw new NotFoundError(`Attempt ${current.attemptId}`);
    current = fresh;
  }
  throw new DomainError('conflict', 'Answers are still being saved; submit again in a moment.');
}

const isDue = (a: Attempt, now: Date) =>
  a.status === 'active' && Date.parse(a.dueAt) < now.getTime();

/** Finalise an attempt whose time ran out; anything else is returned as it is. */
export async function finishIfDue(
  attemptIdOrAttempt: string | Attempt,
  now: Date,
): Promise<Attempt | undefined> {
  const attempt =
    typeof attemptIdOrAttempt === 'string'
      ? await getAttempt(attemptIdOrAttempt)
      : attemptIdOrAttempt;
  if (!attempt) return undefined;
  return isDue(attempt, now) ? finalise(attempt, 'expire', now) : attempt;
}

/** The attempt addressed by a candidate route, if the bearer is its current token (else 401). */
export async function candidateAttempt(
  attemptId: string,
  bearer: string,
  now: Date,
): Promise<Attempt> {
  const attempt = await getAttempt(attemptId);
  if (!attempt || !secretMatches(bearer, attempt.tokenHash)) {
    throw new UnauthorizedError(
      'The attempt token does not match this attempt (a resume elsewhere replaces it).',
    );
  }
  return (await finishIfDue(attempt, now))!;
}

/** The response of submit, identical however often it is asked for. */
export function submitBody(attempt: Attempt) {
  return {
    status: attempt.status,
    ...(attempt.showResultToCandidate && attempt.result
      ? { result: candidateResult(attempt) }
      : {}),
  };
}

/** Strength and gap areas as ids (the contract) and with their suggestions (`development`). */
export function developmentOf(r: AttemptResult) {
  return {
    strengths: r.strengths.map((d) => d.area),
    gaps: r.gaps.map((d) => d.area),
    development: [
      ...r.strengths.map((d) => ({ ...d, kind: 'strength' as const })),
      ...r.gaps.map((d) => ({ ...d, kind: 'gap' as const })),
    ],
  };
}

/** What a candidate may see of their result: scores and levels, no keys, no per-question detail. */
export function candidateResult(attempt: Attempt) {
  const r = attempt.result!;
  return {
    score: r.score,
    ...(r.passed !== undefined ? { passed: r.passed } : {}),
    technical: r.technical,
    soft: r.soft,
    areas: r.areas.map(({ area, kind, score, items, level }) => ({
      area,
      kind,
      score,
      items,
      level,
    })),
    ...developmentOf(r),
  };
}

export async function submit(attemptId: string, bearer: string, now: Date) {
  const attempt = await candidateAttempt(attemptId, bearer, now);
  return submitBody(await finalise(attempt, 'submit', now));
}

type AnswerValue = string | number | string[];

/** The answer's own shape; whether it fits its question is checked by the write's condition. */
function checkShape(raw: unknown): AnswerValue {
  const bad = (message: string) => new ValidationError([{ path: 'answer', message }]);
  if (typeof raw === 'number') {
    if (!isStorableNumber(raw)) throw bad(STORABLE_NUMBER_MESSAGE);
    return raw;
  }
  if (typeof raw === 'string') {
    if (raw.length > 500) throw bad('Answers are at most 500 characters.');
    return raw;
  }
  if (Array.isArray(raw)) {
    if (raw.length > 10 || raw.some((x) => typeof x !== 'string' || x.length > 32))
      throw bad('A list answer holds at most 10 option ids.');
    if (new Set(raw).size !== raw.length) throw bad('Each option may appear once.');
    return raw as string[];
  }
  throw bad('An answer is an option id, a list of option ids, a number or a short text.');
}

const EXPECTED: Record<string, string> = {
  single: 'one option id',
  sjt: 'one option id',
  multi: 'a list of distinct option ids',
  order: 'a list ranking every option id once',
  numeric: 'a number',
  text: 'a text',
};

/** `PUT /v1/attempts/{id}/answers/{qid}`: one conditional write; failures explained from the old item. */
export async function answer(
  attemptId: string,
  bearer: string,
  questionId: string,
  raw: unknown,
  now: Date,
) {
  const value = checkShape(raw);
  const out = await saveAnswer(attemptId, hashSecret(bearer), questionId, value, now);
  if (out.saved)
    return { savedAt: out.savedAt, serverTime: now.toISOString(), deadline: out.deadline };
  const a = out.current;
  if (!a || !secretMatches(bearer, a.tokenHash)) {
    throw new UnauthorizedError(
      'The attempt token does not match this attempt (a resume elsewhere replaces it).',
    );
  }
  if (a.status === 'submitted')
    throw new DomainError(
      'already-submitted',
      'This attempt was submitted; answers can no longer change.',
    );
  if (a.status === 'expired' || isDue(a, now)) {
    if (isDue(a, now)) await finalise(a, 'expire', now);
    throw new DomainError(
      'time-is-up',
      `Time ran out at ${a.deadline} (answers were accepted until ${a.dueAt}); your saved answers have been submitted.`,
    );
  }
  const q = a.qs[questionId];
  if (!q) throw new NotFoundError(`Question ${questionId} in this attempt`);
  const ids = q.o.length ? ` Options: ${q.o.join(', ')}.` : '';
  throw new ValidationError([
    { path: 'answer', message: `This ${q.t} question takes ${EXPECTED[q.t]}.${ids}` },
  ]);
}
