/**
 * What an employer does to attempts besides reading them: more time for a running attempt, and
 * a preview attempt of their own assessment. docs/state-machines.md describes both.
 */
import { createHash } from 'node:crypto';
import { extendDeadline, getExtension, MAX_EXTENSIONS } from '../data/attempt-extensions.ts';
import { deadlineOfDue, type Extension, ttlOf } from '../data/attempts.ts';
import { type Invitation, putPreviewInvitation } from '../data/invitations.ts';
import { deadlineOf, dueAtOf } from '../domain/assessment.ts';
import { DomainError, NotFoundError } from '../domain/errors.ts';
import { newUlid } from '../domain/ids.ts';
import { hashSecret, newSecret } from '../domain/tokens.ts';
import type { Principal } from '../http/principal.ts';
import { ownAssessment } from './assessments.ts';
import { type ClientInfo, currentDeadline, materialise, type Started, settle } from './attempts.ts';
import { RETENTION_DAYS } from './retention.ts';

/** Minutes one extension may add. */
export const EXTENSION_MINUTES = { min: 1, max: 600 } as const;
/** All extensions of one attempt together, over its first deadline. */
export const MAX_TOTAL_EXTENSION_MINUTES = 24 * 60;

export interface ExtendInput {
  minutes: number;
  reason: string;
}

const minutesWords = (m: number) => `${m} minute${m === 1 ? '' : 's'}`;

/**
 * `POST /v1/attempts/{id}/extend`: move a running attempt's deadline by `minutes`, audited.
 * 404 for another organisation's attempt; 409 when it has finished (a due one is finalised on
 * the way), when it has had MAX_EXTENSIONS, or when the total would pass 24 hours. The write is
 * one transaction conditioned on the head's `due` as read; losing to another extension reads
 * again and adds to the winner's deadline.
 */
export async function extendAttempt(
  principal: Principal,
  attemptId: string,
  input: ExtendInput,
  now: Date,
  idempotencyKey?: string,
) {
  // With a key, the audit item's id derives from it: a retry's transaction fails on that item's
  // condition and answers what the first request did, instead of adding the time again.
  const id = idempotencyKey
    ? `k${createHash('sha256').update(`${principal.org}#${idempotencyKey}`).digest('base64url')}`
    : newUlid(now.getTime());
  for (let round = 0; round < 3; round++) {
    const loaded = await settle(attemptId, now);
    if (!loaded || loaded.draw.org !== principal.org)
      throw new NotFoundError(`Attempt ${attemptId}`);
    const { draw, state } = loaded;
    const replay = idempotencyKey
      ? await replayed(attemptId, id, input, state.extensions)
      : undefined;
    if (replay) return replay;
    if (loaded.completion || state.status !== 'active') {
      const status = loaded.completion?.status ?? state.status;
      const at = loaded.completion?.completedAt ?? state.completedAt;
      throw new DomainError(
        'conflict',
        `This attempt has finished (${status}${at ? ` at ${at}` : ''}): only a running attempt can be given more time.`,
        { attemptStatus: status },
      );
    }
    if (state.extensions >= MAX_EXTENSIONS) {
      throw new DomainError(
        'conflict',
        `This attempt has had ${MAX_EXTENSIONS} extensions, the most one attempt can have.`,
      );
    }
    const from = currentDeadline(loaded);
    const toDue = new Date(Date.parse(state.dueAt) + input.minutes * 60_000).toISOString();
    const total = (Date.parse(toDue) - Date.parse(draw.dueAt)) / 60_000;
    if (total > MAX_TOTAL_EXTENSION_MINUTES) {
      const given = (Date.parse(state.dueAt) - Date.parse(draw.dueAt)) / 60_000;
      throw new DomainError(
        'conflict',
        `An attempt can be extended by at most ${MAX_TOTAL_EXTENSION_MINUTES / 60} hours in all; it has had ${minutesWords(given)}, so at most ${minutesWords(MAX_TOTAL_EXTENSION_MINUTES - given)} more.`,
      );
    }
    const to = deadlineOfDue(toDue, draw);
    const audit: Extension = {
      minutes: input.minutes,
      reason: input.reason,
      by: principal.subject,
      at: now.toISOString(),
      from,
      to,
    };
    const done = await extendDeadline(draw, state, {
      fromDue: state.dueAt,
      toDue,
      now,
      id,
      audit,
      ttl: ttlOf(toDue, RETENTION_DAYS),
    });
    if (done) return extended(attemptId, audit, state.extensions + 1);
    // Another extension, a save's seal or the deadline won the race (or, with a key, a twin
    // of this request did): read the head again.
  }
  throw new DomainError('conflict', 'The attempt is changing too fast to extend; try again.');
}

const extended = (attemptId: string, e: Extension, count: number) => ({
  attemptId,
  status: 'active' as const,
  deadline: e.to,
  previousDeadline: e.from,
  extension: e,
  extensionCount: count,
});

/** The answer of the request that used this Idempotency-Key before, if one did. */
async function replayed(attemptId: string, id: string, input: ExtendInput, count: number) {
  const prior = await getExtension(attemptId, id);
  if (!prior) return undefined;
  if (prior.minutes !== input.minutes || (prior.reason ?? input.reason) !== input.reason) {
    throw new DomainError(
      'unprocessable',
      `This Idempotency-Key already extended the attempt by ${minutesWords(prior.minutes)} with another length or reason; use a new key for a new extension.`,
    );
  }
  return extended(attemptId, prior, count);
}

/**
 * `POST /v1/assessments/{id}/preview`: an attempt of the employer's own assessment, started
 * from an internal invitation that is never listed and that no link can use (docs/
 * state-machines.md#preview-attempts). Returns the start, as a candidate's start returns it.
 */
export async function startPreview(
  principal: Principal,
  assessmentId: string,
  now: Date,
  client: ClientInfo,
): Promise<Started> {
  const assessment = await ownAssessment(principal.org, assessmentId);
  const attemptId = newUlid(now.getTime());
  const deadline = deadlineOf(now, assessment.timeLimitMinutes, 0);
  const dueAt = dueAtOf(deadline, assessment.gracePeriodSeconds);
  const inv: Invitation = {
    invitationId: newUlid(now.getTime()),
    org: principal.org,
    assessmentId,
    // The hash of a secret nobody keeps: no invitation link can start or resume a preview.
    tokenHash: hashSecret(newSecret()),
    status: 'started',
    expiresAt: now.toISOString(),
    candidate: { name: 'Preview', externalId: principal.subject },
    extraTimePercent: 0,
    createdAt: now.toISOString(),
    attemptId,
    startedAt: now.toISOString(),
    preview: true,
    ttl: ttlOf(dueAt.toISOString(), RETENTION_DAYS),
  };
  await putPreviewInvitation(inv, dueAt);
  const started = await materialise(inv, { at: now.toISOString(), ...client });
  // A new attempt id cannot exist already.
  if (started === 'exists') throw new Error(`Preview attempt ${attemptId} already exists`);
  return started;
}

/** Where the candidate app opens a preview: the token stays in the fragment (never sent). */
export const previewTakeUrl = (attemptId: string, attemptToken: string) =>
  `/take#preview:${attemptId}.${attemptToken}`;
