/**
 * The employer's side: assessments from a blueprint with frozen question pools, invitations
 * with single-use tokens, results and reports.
 */
import { createHash, randomBytes } from 'node:crypto';
import { ulid } from 'ulid';
import { type Assessment, getAssessment, putAssessment, samplePool } from '../data/assessments.ts';
import {
  claimIdempotencyKey,
  getInvitation,
  type Invitation,
  putInvitations,
  reissueTokens,
} from '../data/invitations.ts';
import { keys } from '../data/keys.ts';
import { batchGet } from '../data/questions.ts';
import {
  type CreateAssessmentInput,
  checkBlueprint,
  poolCap,
  type QuestionRef,
  type Section,
} from '../domain/assessment.ts';
import { DomainError, type FieldIssue, NotFoundError, ValidationError } from '../domain/errors.ts';
import { sample, seededRandom } from '../domain/random.ts';
import { hashSecret, invitationToken, newSecret } from '../domain/tokens.ts';
import { type Principal, PUBLIC_ORG } from '../http/principal.ts';
import { RETENTION_DAYS } from './attempts.ts';

/** The employer's view of an assessment: pool sizes, not the pools. */
export function assessmentView(a: Assessment) {
  return {
    assessmentId: a.assessmentId,
    title: a.title,
    timeLimitMinutes: a.timeLimitMinutes,
    gracePeriodSeconds: a.gracePeriodSeconds,
    ...(a.passingScore !== undefined ? { passingScore: a.passingScore } : {}),
    showResultToCandidate: a.showResultToCandidate,
    sections: a.sections.map((s) => ({
      area: s.area,
      count: s.count,
      difficulty: s.difficulty,
      questionPool: s.pool.length,
    })),
    questionCount: a.questionCount,
    createdAt: a.createdAt,
  };
}

/**
 * Build an assessment: each section's pool is sampled from the organisation's and the public
 * bank's published questions and frozen as (question, version) pairs. 422 names every section
 * the bank cannot fill and by how many questions.
 */
export async function createAssessment(
  principal: Principal,
  input: CreateAssessmentInput,
  now: Date,
): Promise<Assessment> {
  checkBlueprint(input);
  const assessmentId = ulid(now.getTime());
  const random = seededRandom(`${assessmentId}#${randomBytes(8).toString('hex')}`);
  const seen = new Set<string>();
  const shortfalls: FieldIssue[] = [];
  const sections: Section[] = [];
  for (const [i, s] of input.sections.entries()) {
    const difficulty = s.difficulty ?? 'mixed';
    const cap = poolCap(s.count);
    const found: QuestionRef[] = [];
    for (const org of [principal.org, PUBLIC_ORG]) {
      for (const ref of await samplePool(org, s.area, difficulty, cap, random)) {
        // An id in both the organisation's bank and the public one is the organisation's.
        if (!seen.has(ref.q)) {
          seen.add(ref.q);
          found.push(ref);
        }
      }
    }
    if (found.length < s.count) {
      shortfalls.push({
        path: `sections[${i}]`,
        message: `${s.area}${difficulty === 'mixed' ? '' : ` at difficulty ${difficulty}`}: needs ${s.count} questions, the bank has ${found.length} published, ${s.count - found.length} short.`,
      });
    }
    sections.push({
      area: s.area,
      count: s.count,
      difficulty,
      pool: found.length > cap ? sample(found, cap, random) : found,
    });
  }
  if (shortfalls.length) {
    throw new DomainError(
      'unprocessable',
      `The bank cannot fill ${shortfalls.length === 1 ? 'a section' : `${shortfalls.length} sections`}: ${shortfalls.map((s) => s.message).join(' ')}`,
      { errors: shortfalls },
    );
  }
  const assessment: Assessment = {
    assessmentId,
    org: principal.org,
    title: input.title,
    timeLimitMinutes: input.timeLimitMinutes,
    gracePeriodSeconds: input.gracePeriodSeconds ?? 10,
    ...(input.passingScore !== undefined ? { passingScore: input.passingScore } : {}),
    showResultToCandidate: input.showResultToCandidate ?? false,
    sections,
    questionCount: sections.reduce((n, s) => n + s.count, 0),
    createdAt: now.toISOString(),
    createdBy: principal.subject,
  };
  await putAssessment(assessment);
  return assessment;
}

/** The assessment of this organisation, or 404 (another organisation's id is simply not found). */
export async function ownAssessment(org: string, assessmentId: string): Promise<Assessment> {
  const a = await getAssessment(org, assessmentId);
  if (!a) throw new NotFoundError(`Assessment ${assessmentId}`);
  return a;
}

export interface InvitationsInput {
  candidates: { name?: string; email?: string; externalId?: string; extraTimePercent?: number }[];
  expiresAt: string;
}

/** Derived status: a pending invitation past its expiry reads as `expired`. */
export function invitationView(inv: Invitation, now: Date) {
  const expired = inv.status === 'pending' && Date.parse(inv.expiresAt) <= now.getTime();
  return {
    invitationId: inv.invitationId,
    assessmentId: inv.assessmentId,
    status: expired ? 'expired' : inv.status,
    expiresAt: inv.expiresAt,
    candidate: inv.candidate,
    extraTimePercent: inv.extraTimePercent,
    createdAt: inv.createdAt,
    ...(inv.attemptId ? { attemptId: inv.attemptId } : {}),
  };
}

const IDEMPOTENCY_TTL_SECONDS = 24 * 3600;

/**
 * Invitations with single-use tokens, shown only in this response and stored as hashes. With
 * an Idempotency-Key, a retry returns the same invitations; since no token is ever stored, the
 * retry re-issues their tokens (the ones from the lost response stop working).
 */
export async function createInvitations(
  principal: Principal,
  assessmentId: string,
  input: InvitationsInput,
  now: Date,
  idempotencyKey?: string,
) {
  await ownAssessment(principal.org, assessmentId);
  if (Date.parse(input.expiresAt) <= now.getTime()) {
    throw new ValidationError([
      {
        path: 'expiresAt',
        message: `Must be in the future (server time is ${now.toISOString()}).`,
      },
    ]);
  }
  const ids = input.candidates.map((_, i) => ulid(now.getTime() + i));
  if (idempotencyKey) {
    const requestHash = createHash('sha256')
      .update(JSON.stringify([assessmentId, input]))
      .digest('hex');
    const prior = await claimIdempotencyKey(
      principal.org,
      assessmentId,
      idempotencyKey,
      { requestHash, invitationIds: ids, createdAt: now.toISOString() },
      IDEMPOTENCY_TTL_SECONDS,
    );
    if (prior) {
      if (prior.requestHash !== requestHash) {
        throw new DomainError(
          'unprocessable',
          'This Idempotency-Key was already used with a different request body; use a new key for a new request.',
        );
      }
      return reissue(principal.org, prior.invitationIds, now);
    }
  }
  const expiresTtl = Math.floor(Date.parse(input.expiresAt) / 1000) + RETENTION_DAYS * 86400;
  const issued = input.candidates.map((c, i) => {
    const secret = newSecret();
    const { extraTimePercent = 0, ...candidate } = c;
    const inv: Invitation = {
      invitationId: ids[i]!,
      org: principal.org,
      assessmentId,
      tokenHash: hashSecret(secret),
      status: 'pending',
      expiresAt: new Date(input.expiresAt).toISOString(),
      candidate,
      extraTimePercent,
      createdAt: now.toISOString(),
      ttl: expiresTtl,
    };
    return { inv, token: invitationToken(inv.invitationId, secret) };
  });
  await putInvitations(issued.map((x) => x.inv));
  return { invitations: issued.map(({ inv, token }) => ({ ...invitationView(inv, now), token })) };
}

async function reissue(org: string, invitationIds: string[], now: Date) {
  const items = (await batchGet(
    invitationIds.map((id) => keys.invitation(id)),
  )) as unknown as Invitation[];
  if (items.length !== invitationIds.length) {
    throw new DomainError(
      'conflict',
      'The first request with this Idempotency-Key is still being processed; retry in a moment.',
    );
  }
  const byId = new Map(items.map((i) => [i.invitationId, i]));
  const inUse = items.filter((i) => i.status !== 'pending');
  if (inUse.length) {
    throw new DomainError(
      'conflict',
      `${inUse.length} of these invitations are already ${inUse[0]!.status}; their tokens cannot be issued again.`,
    );
  }
  const fresh = invitationIds.map((id) => ({ id, secret: newSecret() }));
  await reissueTokens(
    org,
    fresh.map((f) => ({ invitationId: f.id, tokenHash: hashSecret(f.secret) })),
  );
  return {
    invitations: fresh.map((f) => ({
      ...invitationView(byId.get(f.id)!, now),
      token: invitationToken(f.id, f.secret),
    })),
  };
}

/** An invitation of this organisation, or 404. */
export async function ownInvitation(org: string, invitationId: string): Promise<Invitation> {
  const inv = await getInvitation(invitationId);
  if (!inv || inv.org !== org) throw new NotFoundError(`Invitation ${invitationId}`);
  return inv;
}
