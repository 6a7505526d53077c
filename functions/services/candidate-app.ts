/**
 * What the candidate app needs beyond the attempt itself: a read of the invitation that starts
 * nothing (the intro screen), and the page events it records as integrity evidence.
 */

import { getAssessment } from '../data/assessments.ts';
import { putEventBatch } from '../data/attempt-events.ts';
import { getInvitation } from '../data/invitations.ts';
import { getOrganisation } from '../data/organisations.ts';
import { deadlineOf, dueAtOf } from '../domain/assessment.ts';
import { DomainError, GoneError } from '../domain/errors.ts';
import { slotOfHandle } from '../domain/handles.ts';
import { newUlid } from '../domain/ids.ts';
import type { PageEvent, PageEventType } from '../domain/integrity.ts';
import { localeOr } from '../domain/locales.ts';
import { findArea } from '../domain/taxonomy.ts';
import { parseInvitationToken, secretMatches } from '../domain/tokens.ts';
import { shownItems } from './adaptive-attempts.ts';
import { candidateAttempt, invalidLink } from './attempts.ts';
import { RETENTION_DAYS } from './retention.ts';

/**
 * `POST /v1/invitations/inspect`: what the intro screen shows, read without starting or
 * changing anything. 401 for a token that is not an invitation's; 410 with the same reasons
 * as starting (`revoked`, `expired`, `finished`), including an attempt whose time ran out.
 */
export async function inspectInvitation(invitationToken: string, now: Date) {
  const parsed = parseInvitationToken(invitationToken);
  const inv = parsed ? await getInvitation(parsed.invitationId) : undefined;
  if (!parsed || !inv || !secretMatches(parsed.secret, inv.tokenHash)) throw invalidLink(inv);
  // The candidate app says why the link is gone in the candidate's language.
  const locale = localeOr(inv.candidate.locale);
  if (inv.status === 'revoked') {
    throw new GoneError('revoked', 'This invitation was withdrawn by the employer.', locale);
  }
  if (inv.status === 'completed') {
    throw new GoneError('finished', 'This assessment has already been completed.', locale);
  }
  if (inv.status === 'pending' && Date.parse(inv.expiresAt) <= now.getTime()) {
    throw new GoneError('expired', `This invitation expired at ${inv.expiresAt}.`, locale);
  }
  const [assessment, organisation] = await Promise.all([
    getAssessment(inv.org, inv.assessmentId),
    getOrganisation(inv.org),
  ]);
  // Deleted (its invitations are being removed): withdrawn, as a start says (claimForStart); a
  // 404 is not an answer this route has.
  if (!assessment)
    throw new GoneError('revoked', 'This invitation was withdrawn by the employer.', locale);
  let started: { startedAt: string; deadline: string } | undefined;
  if (inv.status === 'started' && inv.startedAt) {
    // An extension records the attempt's new `due` on the invitation (with its due entry).
    const deadline = inv.dueAt
      ? new Date(Date.parse(inv.dueAt) - assessment.gracePeriodSeconds * 1000)
      : deadlineOf(new Date(inv.startedAt), assessment.timeLimitMinutes, inv.extraTimePercent);
    // Time ran out: the sweeper (or the next request of the attempt) finalises it.
    if (dueAtOf(deadline, assessment.gracePeriodSeconds).getTime() < now.getTime()) {
      throw new GoneError('finished', 'The time of this assessment has run out.', locale);
    }
    started = { startedAt: inv.startedAt, deadline: deadline.toISOString() };
  }
  const allowedMs = deadlineOf(
    new Date(0),
    assessment.timeLimitMinutes,
    inv.extraTimePercent,
  ).getTime();
  return {
    status: inv.status === 'started' ? ('started' as const) : ('pending' as const),
    organisation: { name: organisation.name },
    candidate: inv.candidate.name ? { name: inv.candidate.name } : {},
    assessment: {
      title: assessment.title,
      timeLimitMinutes: assessment.timeLimitMinutes,
      extraTimePercent: inv.extraTimePercent,
      timeAllowedSeconds: Math.round(allowedMs / 1000),
      questionCount: assessment.questionCount,
      showResultToCandidate: assessment.showResultToCandidate,
      sections: assessment.sections.map((s) => ({
        area: s.area,
        name: findArea(s.area)?.name ?? s.area,
        kind: findArea(s.area)?.kind ?? 'technical',
        count: s.count,
        ...(s.mode === 'adaptive' && s.adaptive
          ? { mode: s.mode, minItems: s.adaptive.minItems, maxItems: s.adaptive.maxItems }
          : {}),
      })),
    },
    expiresAt: inv.expiresAt,
    locale: localeOr(inv.candidate.locale),
    ...(started ?? {}),
    serverTime: now.toISOString(),
  };
}

export interface PageEventInput {
  type: PageEventType;
  /** Milliseconds between the event and the request that carries it. */
  ageMs: number;
  questionId?: string;
  chars?: number;
}

/**
 * `POST /v1/attempts/{id}/events`: store a batch of page events, timed by the server (the
 * batch's arrival minus each event's age, never before the start). Accepted while the attempt
 * is active, with its current token; at most MAX_EVENT_BATCHES batches per attempt.
 */
export async function recordPageEvents(
  attemptId: string,
  bearer: string,
  input: readonly PageEventInput[],
  now: Date,
  batchId?: string,
) {
  const { draw, state } = await candidateAttempt(attemptId, bearer, now);
  if (state.status !== 'active') {
    throw new DomainError(
      state.status === 'submitted' ? 'already-submitted' : 'time-is-up',
      'This attempt has finished; page events are no longer recorded.',
    );
  }
  const started = Date.parse(draw.startedAt);
  // The candidate names questions by handle; the report links the bank's question, so each
  // handle of a question shown so far is stored as its bank id, and anything else is dropped.
  const bankIdOf = new Map(shownItems(draw, state).map((it) => [it.index, it.ref.q]));
  const bankId = (handle: string | undefined) => {
    const slot = handle === undefined ? undefined : slotOfHandle(handle);
    return slot === undefined ? undefined : bankIdOf.get(slot);
  };
  const events: PageEvent[] = input.map((e) => ({
    type: e.type,
    at: new Date(Math.max(started, now.getTime() - e.ageMs)).toISOString(),
    ...(bankId(e.questionId) ? { questionId: bankId(e.questionId)! } : {}),
    ...(e.type === 'paste' && e.chars !== undefined ? { chars: e.chars } : {}),
  }));
  const ttl = Math.floor(Date.parse(state.dueAt) / 1000) + RETENTION_DAYS * 86_400;
  // A batch the client named is stored once under its name: a retry of one that landed (its
  // answer lost, or a 503 after the write) changes nothing and answers as the first did.
  const outcome = await putEventBatch(
    attemptId,
    batchId ? `c-${batchId}` : newUlid(now.getTime()),
    events,
    now.toISOString(),
    ttl,
    batchId !== undefined,
  );
  if (outcome === 'full') {
    throw new DomainError(
      'conflict',
      'This attempt has recorded as many page events as it keeps; later ones are not stored.',
    );
  }
  return { recorded: events.length, serverTime: now.toISOString() };
}
