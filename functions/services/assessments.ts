/**
 * The employer's side: assessments from a blueprint with frozen question pools, invitations
 * with single-use tokens, results and reports.
 */
import { createHash, randomBytes } from 'node:crypto';
import {
  type Assessment,
  getAssessment,
  putAssessment,
  type SampledRef,
  samplePool,
} from '../data/assessments.ts';
import { readBankSnapshot } from '../data/bank-visibility.ts';
import { batchGet } from '../data/batch-get.ts';
import { calibratedParameters } from '../data/calibrations.ts';
import { isConditionFailure } from '../data/errors.ts';
import {
  type ClaimRecord,
  claimIdempotencyKey,
  getInvitation,
  type IdempotencyRecord,
  type Invitation,
  putInvitations,
  putInvitationsIfAbsent,
} from '../data/invitations.ts';
import { keys } from '../data/keys.ts';
import { mailTokenKey } from '../data/mail-key.ts';
import { mailConfigured } from '../data/mailer.ts';
import {
  type CreateAssessmentInput,
  checkBlueprint,
  DEFAULT_REMIND_HOURS,
  poolCap,
  reminderAt,
  type Section,
  sectionLength,
} from '../domain/assessment.ts';
import { DomainError, type FieldIssue, NotFoundError, ValidationError } from '../domain/errors.ts';
import { thaw } from '../domain/frozen-parameters.ts';
import { newUlid } from '../domain/ids.ts';
import { UNDELIVERABLE } from '../domain/mail.ts';
import { bestStandardError, itemModel } from '../domain/psychometrics.ts';
import { sample, seededRandom } from '../domain/random.ts';
import { versionKey } from '../domain/response-records.ts';
import {
  derivedSecret,
  hashSecret,
  invitationToken,
  mailedSecret,
  newSecret,
} from '../domain/tokens.ts';
import { type Principal, PUBLIC_ORG } from '../http/principal.ts';
import { RETENTION_DAYS } from './retention.ts';

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
      ...(s.mode === 'adaptive' && s.adaptive ? { mode: s.mode, ...s.adaptive } : {}),
      ...(s.bestStandardError !== undefined ? { bestStandardError: s.bestStandardError } : {}),
    })),
    questionCount: a.questionCount,
    ...(a.instructions !== undefined ? { instructions: a.instructions } : {}),
    remindBeforeExpiryHours: a.remindBeforeExpiryHours ?? DEFAULT_REMIND_HOURS,
    // Absent `contentRev`: created before edits, so nothing proves that no attempt started.
    contentEditable: a.contentRev !== undefined && !a.contentLockedAt,
    ...(a.contentLockedAt ? { contentLockedAt: a.contentLockedAt } : {}),
    ...(a.archivedAt ? { archivedAt: a.archivedAt } : {}),
    createdAt: a.createdAt,
    ...(a.updatedAt ? { updatedAt: a.updatedAt } : {}),
  };
}

/** Build an assessment from a blueprint, its question pools frozen (see `freezeSections`). */
export async function createAssessment(
  principal: Principal,
  input: CreateAssessmentInput,
  now: Date,
  assessmentId = newUlid(now.getTime()),
): Promise<Assessment> {
  checkBlueprint(input);
  const sections = await freezeSections(principal, assessmentId, input.sections);
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
    ...(input.instructions !== undefined ? { instructions: input.instructions } : {}),
    ...(input.remindBeforeExpiryHours !== undefined
      ? { remindBeforeExpiryHours: input.remindBeforeExpiryHours }
      : {}),
    contentRev: 0,
    createdAt: now.toISOString(),
    createdBy: principal.subject,
  };
  await putAssessment(assessment);
  return assessment;
}

/**
 * Each section's pool sampled from the organisation's and the public bank's published
 * questions and frozen as (question, version) pairs. 422 names every section the bank cannot
 * fill and by how many questions.
 */
export async function freezeSections(
  principal: Principal,
  assessmentId: string,
  input: CreateAssessmentInput['sections'],
): Promise<Section[]> {
  const random = seededRandom(`${assessmentId}#${randomBytes(8).toString('hex')}`);
  // One bank snapshot per source, read together, for every section: each section sees the same
  // bank, and a blueprint of n sections reads 2 registry items, not 2n. Eventually consistent is
  // enough: a pool leaves out what an open import staged (docs/imports.md, "The visibility rule").
  const sources = [principal.org, PUBLIC_ORG];
  const snapshots = new Map(
    await Promise.all(
      [...new Set(sources)].map(
        async (org) => [org, await readBankSnapshot(org, { consistent: false })] as const,
      ),
    ),
  );
  const seen = new Set<string>();
  const shortfalls: FieldIssue[] = [];
  const sections: Section[] = [];
  for (const [i, s] of input.entries()) {
    const difficulty = s.difficulty ?? 'mixed';
    const { count, adaptive } = sectionLength(s);
    // An adaptive section's pool is its whole choice: the same cap, from its maxItems.
    const cap = poolCap(count);
    const found: SampledRef[] = [];
    for (const org of sources) {
      for (const ref of await samplePool(
        org,
        s.area,
        difficulty,
        cap,
        random,
        snapshots.get(org)!,
      )) {
        // An id in both the organisation's bank and the public one is the organisation's.
        if (!seen.has(ref.q)) {
          seen.add(ref.q);
          found.push(ref);
        }
      }
    }
    if (found.length < count) {
      shortfalls.push({
        path: `sections[${i}]`,
        message: `${s.area}${difficulty === 'mixed' ? '' : ` at difficulty ${difficulty}`}: needs ${count} questions${adaptive ? ' (its maxItems)' : ''}, the bank has ${found.length} published, ${count - found.length} short.`,
      });
    }
    const pool = found.length > cap ? sample(found, cap, random) : found;
    sections.push({
      area: s.area,
      count,
      difficulty,
      pool: pool.map(({ calibration: _, ...ref }) => ref),
      ...(adaptive
        ? {
            mode: 'adaptive' as const,
            adaptive,
            bestStandardError: await reachOf(s.area, pool, adaptive.maxItems),
          }
        : {}),
    });
  }
  if (shortfalls.length) {
    throw new DomainError(
      'unprocessable',
      `The bank cannot fill ${shortfalls.length === 1 ? 'a section' : `${shortfalls.length} sections`}: ${shortfalls.map((s) => s.message).join(' ')}`,
      { errors: shortfalls },
    );
  }
  return sections;
}

/**
 * The lowest standard error an adaptive section's pool can reach within `maxItems`, with the
 * parameters a start would use today: each version's calibrated ones where the calibration job
 * estimated them (one Query per owner and area, cached a few minutes), otherwise the authored
 * or difficulty-label prior. Rounded up to 3 decimals, so it is never below the true figure.
 */
async function reachOf(area: string, pool: readonly SampledRef[], maxItems: number) {
  const params = await calibratedParameters(
    [...new Set(pool.map((r) => r.o))].map((owner) => ({ owner, area })),
  );
  const models = pool.map((r) => {
    const entry = params.get(`${r.o}/${versionKey(r.q, r.v)}`);
    return itemModel(r.calibration, entry ? thaw(entry.p) : undefined);
  });
  return Math.ceil(bestStandardError(models, maxItems) * 1000) / 1000;
}

interface AssessmentClaim extends ClaimRecord {
  assessmentId: string;
}

/**
 * `createAssessment` made safe to retry with an Idempotency-Key: the key is claimed with the
 * new assessment's id before anything is built, so a retry (after a 503 or a lost answer)
 * returns the assessment the first request stored, or builds it under the same id if that
 * request died first. A key reused with a different body is refused (422).
 */
export async function createAssessmentOnce(
  principal: Principal,
  input: CreateAssessmentInput,
  now: Date,
  idempotencyKey: string,
): Promise<Assessment> {
  const claim: AssessmentClaim = {
    requestHash: createHash('sha256')
      .update(JSON.stringify(['assessments', input]))
      .digest('hex'),
    assessmentId: newUlid(now.getTime()),
    nonce: randomBytes(16).toString('base64url'),
    createdAt: now.toISOString(),
  };
  const prior = await claimIdempotencyKey(
    principal.org,
    'assessments',
    idempotencyKey,
    claim,
    IDEMPOTENCY_TTL_SECONDS,
  );
  if (prior && prior.requestHash !== claim.requestHash) {
    throw new DomainError(
      'unprocessable',
      'This Idempotency-Key was already used with a different request body; use a new key for a new request.',
    );
  }
  const assessmentId = (prior ?? claim).assessmentId;
  if (prior) {
    const stored = await getAssessment(principal.org, assessmentId);
    if (stored) return stored;
  }
  try {
    return await createAssessment(principal, input, now, assessmentId);
  } catch (err) {
    // Another copy of this request, sent while this one ran (a client retrying a try it thought
    // lost), stored the assessment under the same id first: its conditional put won, and the
    // assessment it stored is the answer to every copy.
    if (!isConditionFailure(err)) throw err;
    const stored = await getAssessment(principal.org, assessmentId, { fresh: true });
    if (!stored) throw err;
    return stored;
  }
}

/** The assessment of this organisation, or 404 (another organisation's id is simply not found). */
export async function ownAssessment(
  org: string,
  assessmentId: string,
  opts: { fresh?: boolean } = {},
): Promise<Assessment> {
  const a = await getAssessment(org, assessmentId, opts);
  if (!a) throw new NotFoundError(`Assessment ${assessmentId}`);
  return a;
}

export interface InvitationsInput {
  candidates: {
    name?: string;
    email?: string;
    externalId?: string;
    extraTimePercent?: number;
    locale?: string;
  }[];
  expiresAt: string;
  /** Email each candidate who has an address their link (through the outbox). */
  send?: boolean;
}

/**
 * Derived status: a pending invitation past its expiry reads as `expired`; one whose latest
 * email bounced, was reported as spam or was refused reads as `undeliverable`. `delivery` is
 * the latest email's state (`sending` reads as `queued`).
 */
export function invitationView(inv: Invitation, now: Date) {
  const expired = inv.status === 'pending' && Date.parse(inv.expiresAt) <= now.getTime();
  const undeliverable =
    inv.status === 'pending' && inv.mailState !== undefined && UNDELIVERABLE.has(inv.mailState);
  return {
    invitationId: inv.invitationId,
    assessmentId: inv.assessmentId,
    status: expired ? 'expired' : undeliverable ? 'undeliverable' : inv.status,
    expiresAt: inv.expiresAt,
    candidate: inv.candidate,
    extraTimePercent: inv.extraTimePercent,
    createdAt: inv.createdAt,
    ...(inv.attemptId ? { attemptId: inv.attemptId } : {}),
    ...(inv.mailState
      ? {
          delivery: {
            status: inv.mailState === 'sending' ? 'queued' : inv.mailState,
            message: inv.mailKind ?? 'invitation',
            at: inv.mailAt ?? inv.createdAt,
            ...(inv.mailReason ? { reason: inv.mailReason } : {}),
          },
        }
      : {}),
    ...(inv.remindedAt
      ? { remindedAt: inv.remindedAt }
      : inv.remindAt && inv.status === 'pending'
        ? { reminderDueAt: inv.remindAt }
        : {}),
  };
}

const IDEMPOTENCY_TTL_SECONDS = 24 * 3600;
/** How long a retry waits for a concurrent first request before taking over its work. */
const TAKE_OVER_AFTER_MS = 30_000;

/**
 * The invitations of a request. `secretOf` gives each one's secret, or the nonce its mailed
 * secret derives from (a candidate with an email address in a `send` request): such an
 * invitation is created with its email queued (the outbox, see data/outbox.ts) and, if the
 * assessment reminds, its reminder entry.
 */
async function buildInvitations(
  principal: Principal,
  assessment: Assessment,
  input: InvitationsInput,
  ids: string[],
  createdAt: string,
  secretOf: (invitationId: string, mailed: boolean) => { secret: string } | { nonce: string },
) {
  const ttl = Math.floor(Date.parse(input.expiresAt) / 1000) + RETENTION_DAYS * 86400;
  const expiresAt = new Date(input.expiresAt).toISOString();
  const mailed = (c: InvitationsInput['candidates'][number]) => Boolean(input.send && c.email);
  const key = input.candidates.some(mailed) ? await mailTokenKey() : undefined;
  return input.candidates.map((c, i) => {
    const { extraTimePercent = 0, ...candidate } = c;
    const invitationId = ids[i]!;
    const s = secretOf(invitationId, mailed(c));
    const secret = 'secret' in s ? s.secret : mailedSecret(key!, invitationId, s.nonce);
    const remindAt =
      'nonce' in s
        ? reminderAt(
            { createdAt, expiresAt },
            assessment.remindBeforeExpiryHours ?? DEFAULT_REMIND_HOURS,
          )
        : undefined;
    const inv: Invitation = {
      invitationId,
      org: principal.org,
      assessmentId: assessment.assessmentId,
      tokenHash: hashSecret(secret),
      status: 'pending',
      expiresAt,
      candidate,
      extraTimePercent,
      createdAt,
      ...('nonce' in s
        ? {
            mailNonce: s.nonce,
            mailSeq: 1,
            mailKind: 'invitation' as const,
            mailState: 'queued' as const,
            mailAt: createdAt,
          }
        : {}),
      ...(remindAt ? { remindAt: remindAt.toISOString() } : {}),
      ttl,
    };
    return { inv, token: invitationToken(invitationId, secret) };
  });
}

/** 409 for an archived assessment; 422 for `send` where no mail can be sent. */
function checkInvitable(assessment: Assessment, input: InvitationsInput) {
  if (assessment.archivedAt) {
    throw new DomainError(
      'conflict',
      `Assessment ${assessment.assessmentId} was archived at ${assessment.archivedAt}: it takes no new invitations. Unarchive it (DELETE /v1/assessments/${assessment.assessmentId}/archive) or clone it.`,
    );
  }
  if (input.send && !mailConfigured()) {
    throw new ValidationError([
      {
        path: 'send',
        message:
          'This deployment sends no mail (no sender address is configured: MAIL_FROM, CDK context mailFrom). Leave send out and deliver the links yourself.',
      },
    ]);
  }
}

/**
 * Invitations with single-use tokens, shown only in this response and stored as hashes. With
 * an Idempotency-Key, the tokens are derived from the key (see `derivedSecret`), so a retry,
 * even one racing the first request, returns the same invitations with the same tokens.
 */
export async function createInvitations(
  principal: Principal,
  assessmentId: string,
  input: InvitationsInput,
  now: Date,
  idempotencyKey?: string,
) {
  // Read fresh: an assessment archived a moment ago takes no more invitations.
  const assessment = await ownAssessment(principal.org, assessmentId, { fresh: true });
  checkInvitable(assessment, input);
  if (Date.parse(input.expiresAt) <= now.getTime()) {
    throw new ValidationError([
      {
        path: 'expiresAt',
        message: `Must be in the future (server time is ${now.toISOString()}).`,
      },
    ]);
  }
  if (!idempotencyKey) {
    const ids = input.candidates.map((_, i) => newUlid(now.getTime() + i));
    const issued = await buildInvitations(
      principal,
      assessment,
      input,
      ids,
      now.toISOString(),
      (_, mailed) => (mailed ? { nonce: newSecret() } : { secret: newSecret() }),
    );
    await putInvitations(issued.map((x) => x.inv));
    return {
      invitations: issued.map(({ inv, token }) => ({ ...invitationView(inv, now), token })),
    };
  }

  const requestHash = createHash('sha256')
    .update(JSON.stringify([assessmentId, input]))
    .digest('hex');
  const claim: IdempotencyRecord = {
    requestHash,
    invitationIds: input.candidates.map((_, i) => newUlid(now.getTime() + i)),
    nonce: randomBytes(32).toString('base64url'),
    createdAt: now.toISOString(),
  };
  const prior = await claimIdempotencyKey(
    principal.org,
    assessmentId,
    idempotencyKey,
    claim,
    IDEMPOTENCY_TTL_SECONDS,
  );
  if (prior && prior.requestHash !== requestHash) {
    throw new DomainError(
      'unprocessable',
      'This Idempotency-Key was already used with a different request body; use a new key for a new request.',
    );
  }
  const rec = prior ?? claim;
  // A retry derives the same value again: the secret itself, or the nonce a mailed secret
  // derives from (with the mail-token key as well, so the mail job can derive it too).
  const issued = await buildInvitations(
    principal,
    assessment,
    input,
    rec.invitationIds,
    rec.createdAt,
    (id, mailed) => {
      const derived = derivedSecret(idempotencyKey, rec.nonce, id);
      return mailed ? { nonce: derived } : { secret: derived };
    },
  );
  if (!prior) {
    // Conditional writes: a retry that takes over may write the same items at the same time.
    await putInvitationsIfAbsent(issued.map((x) => x.inv));
  } else {
    // A retry: the first request may still be writing, or may have died after claiming the key.
    let stored = (await batchGet(
      rec.invitationIds.map((id) => keys.invitation(id)),
    )) as unknown as Invitation[];
    for (
      let wait = 0;
      stored.length < issued.length &&
      Date.now() - Date.parse(rec.createdAt) < TAKE_OVER_AFTER_MS &&
      wait < 6;
      wait++
    ) {
      await new Promise((r) => setTimeout(r, 250));
      stored = (await batchGet(
        rec.invitationIds.map((id) => keys.invitation(id)),
      )) as unknown as Invitation[];
    }
    if (stored.length < issued.length) {
      if (now.getTime() - Date.parse(rec.createdAt) < TAKE_OVER_AFTER_MS) {
        throw new DomainError(
          'conflict',
          'The first request with this Idempotency-Key is still being processed; retry in a moment.',
        );
      }
      // The first request died after claiming the key: write what is missing (the same items).
      const have = new Set(stored.map((i) => i.invitationId));
      await putInvitationsIfAbsent(
        issued.filter((x) => !have.has(x.inv.invitationId)).map((x) => x.inv),
      );
    }
    const current = new Map(stored.map((i) => [i.invitationId, i]));
    // A token is shown again only while its invitation is unused: once started, revoked or
    // erased, the retry reports the status without a credential.
    return {
      invitations: issued.map(({ inv, token }) => {
        const now_ = current.get(inv.invitationId) ?? inv;
        return { ...invitationView(now_, now), ...(now_.status === 'pending' ? { token } : {}) };
      }),
    };
  }
  return { invitations: issued.map(({ inv, token }) => ({ ...invitationView(inv, now), token })) };
}

/** An invitation of this organisation, or 404. */
export async function ownInvitation(org: string, invitationId: string): Promise<Invitation> {
  const inv = await getInvitation(invitationId);
  if (!inv || inv.org !== org) throw new NotFoundError(`Invitation ${invitationId}`);
  return inv;
}
