/**
 * An assessment's life after its creation (edit, archive, delete, clone), the content lock a
 * start takes, and an invitation's new link (resend). State machine and races:
 * docs/assessment-lifecycle.md.
 */
import { randomBytes } from 'node:crypto';
import {
  type AssessmentChanges,
  deleteAssessment as deleteAssessmentItem,
  type Refusal,
  setArchived,
  updateAssessment,
} from '../data/assessment-lifecycle.ts';
import { type Assessment, getAssessment } from '../data/assessments.ts';
import { mailTokenKey } from '../data/mail-key.ts';
import { mailConfigured } from '../data/mailer.ts';
import { replaceLink } from '../data/outbox.ts';
import {
  CONTENT_FIELDS,
  checkBlueprint,
  DEFAULT_REMIND_HOURS,
  reminderAt,
  sectionInputOf,
  type UpdateAssessmentInput,
} from '../domain/assessment.ts';
import { DomainError, NotFoundError, ValidationError } from '../domain/errors.ts';
import { hashSecret, invitationToken, mailedSecret, newSecret } from '../domain/tokens.ts';
import type { Principal } from '../http/principal.ts';
import {
  createAssessment,
  freezeSections,
  invitationView,
  ownAssessment,
  ownInvitation,
} from './assessments.ts';

function refused(assessmentId: string, r: Refusal): never {
  switch (r.why) {
    case 'not-found':
      throw new NotFoundError(`Assessment ${assessmentId}`);
    case 'locked':
      throw new DomainError(
        'conflict',
        `An attempt started at ${r.at}: the time limit, sections and grace period of assessment ${assessmentId} can no longer change. Clone it to change them.`,
        { contentLockedAt: r.at },
      );
    case 'legacy':
      throw new DomainError(
        'conflict',
        `Assessment ${assessmentId} was created before assessments could be edited, so nothing shows that no attempt has started: its time limit, sections and grace period stay as they are, and it cannot be deleted. Clone it to change them, archive it to retire it.`,
      );
    case 'changed':
      throw new DomainError(
        'conflict',
        `Assessment ${assessmentId} was changed by another request meanwhile; read it again and retry.`,
      );
  }
}

/**
 * `PATCH /v1/assessments/{id}`: one conditional write. Title, instructions, pass mark, result
 * visibility and the reminder setting may change at any time (pass mark and visibility apply to
 * attempts started afterwards: each attempt keeps what it started with). Time limit, sections
 * and grace period change only while no attempt has started: the write is conditioned on the
 * content not being locked, and a start locks it before it draws (`claimForStart`), so of a
 * PATCH and a start racing exactly one wins and the other sees it. All or nothing: a refused
 * content field refuses the whole edit.
 */
export async function patchAssessment(
  principal: Principal,
  assessmentId: string,
  input: UpdateAssessmentInput,
  now: Date,
): Promise<Assessment> {
  const given = Object.entries(input).filter(([, v]) => v !== undefined);
  if (given.length === 0) {
    throw new ValidationError([
      {
        path: '(body)',
        message:
          'Name at least one field to change: title, instructions, passingScore, showResultToCandidate, remindBeforeExpiryHours, timeLimitMinutes, sections, gracePeriodSeconds.',
      },
    ]);
  }
  if (input.sections) checkBlueprint({ sections: input.sections });
  const content = CONTENT_FIELDS.some((f) => input[f] !== undefined);
  const current = await ownAssessment(principal.org, assessmentId, { fresh: true });
  const changes: AssessmentChanges = {};
  for (const [field, value] of given) {
    if (field !== 'sections') (changes as Record<string, unknown>)[field] = value;
  }
  if (content) {
    // Refused before sampling pools for nothing; the write below decides a race.
    if (current.contentLockedAt)
      refused(assessmentId, { why: 'locked', at: current.contentLockedAt });
    if (current.contentRev === undefined) refused(assessmentId, { why: 'legacy' });
    if (input.sections) {
      const sections = await freezeSections(principal, assessmentId, input.sections);
      changes.sections = sections;
      changes.questionCount = sections.reduce((n, s) => n + s.count, 0);
    }
  }
  const result = await updateAssessment(
    principal.org,
    assessmentId,
    changes,
    now,
    content ? current.contentRev : undefined,
  );
  if (!result.ok) refused(assessmentId, result);
  return result.assessment;
}

/** Archive (no new invitations, no reminders; running attempts and sent links carry on) or undo it. */
export async function archiveAssessment(
  principal: Principal,
  assessmentId: string,
  archived: boolean,
  now: Date,
): Promise<Assessment> {
  const current = await ownAssessment(principal.org, assessmentId, { fresh: true });
  // Archiving twice keeps the first time.
  if (archived === Boolean(current.archivedAt)) return current;
  const a = await setArchived(principal.org, assessmentId, archived ? now : undefined, now);
  if (!a) throw new NotFoundError(`Assessment ${assessmentId}`);
  return a;
}

/**
 * Delete an assessment from which no attempt has started (one transaction: a start racing it
 * either locked the content first, and the delete is refused, or finds the deleted assessment's
 * tombstone, reads again, finds no assessment and starts nothing). Its invitations are removed right after by the mail job.
 */
export async function deleteAssessment(principal: Principal, assessmentId: string, now: Date) {
  await ownAssessment(principal.org, assessmentId, { fresh: true });
  const result = await deleteAssessmentItem(principal.org, assessmentId, now);
  if (!result.ok) {
    if (result.why === 'locked') {
      throw new DomainError(
        'conflict',
        `Assessment ${assessmentId} has attempts (the first started at ${result.at}): it cannot be deleted. Archive it instead.`,
        { contentLockedAt: result.at },
      );
    }
    refused(assessmentId, result);
  }
}

/**
 * A new assessment with the same blueprint and settings (not its invitations): its pools are
 * sampled afresh from today's bank, exactly as creating it would.
 */
export async function cloneAssessment(
  principal: Principal,
  assessmentId: string,
  input: { title?: string },
  now: Date,
): Promise<Assessment> {
  const source = await ownAssessment(principal.org, assessmentId);
  return createAssessment(
    principal,
    {
      title: input.title ?? `${source.title} (copy)`.slice(0, 200),
      timeLimitMinutes: source.timeLimitMinutes,
      // An adaptive section keeps its mode and stopping rule.
      sections: source.sections.map(sectionInputOf),
      ...(source.passingScore !== undefined ? { passingScore: source.passingScore } : {}),
      showResultToCandidate: source.showResultToCandidate,
      gracePeriodSeconds: source.gracePeriodSeconds,
      ...(source.instructions !== undefined ? { instructions: source.instructions } : {}),
      ...(source.remindBeforeExpiryHours !== undefined
        ? { remindBeforeExpiryHours: source.remindBeforeExpiryHours }
        : {}),
    },
    now,
  );
}

/**
 * `POST /v1/invitations/{id}/resend`: a new link for an unused invitation, in one conditional
 * write (the old link stops working at once; two resends racing cannot both hand out a live
 * link). Mailed when the invitation has an email address and this deployment sends mail.
 * An expired invitation needs a new `expiresAt`.
 */
export async function resendInvitation(
  principal: Principal,
  invitationId: string,
  input: { expiresAt?: string },
  now: Date,
) {
  const inv = await ownInvitation(principal.org, invitationId);
  const unused = (i: { status: string; attemptId?: string }) => {
    if (i.status === 'revoked') {
      throw new DomainError(
        'conflict',
        `Invitation ${invitationId} was revoked: its link cannot be sent again. Invite the candidate anew.`,
      );
    }
    if (i.status !== 'pending') {
      throw new DomainError(
        'conflict',
        `Invitation ${invitationId} has been used: it is ${i.status}${i.attemptId ? ` (attempt ${i.attemptId})` : ''}. A used invitation gets no new link.`,
      );
    }
  };
  unused(inv);
  if (input.expiresAt !== undefined && Date.parse(input.expiresAt) <= now.getTime()) {
    throw new ValidationError([
      {
        path: 'expiresAt',
        message: `Must be in the future (server time is ${now.toISOString()}).`,
      },
    ]);
  }
  const expiresAt = input.expiresAt ? new Date(input.expiresAt).toISOString() : undefined;
  if (!expiresAt && Date.parse(inv.expiresAt) <= now.getTime()) {
    throw new DomainError(
      'conflict',
      `Invitation ${invitationId} expired at ${inv.expiresAt}: send a new expiresAt to issue a link that works.`,
    );
  }
  const mailed = Boolean(inv.candidate?.email) && mailConfigured();
  const nonce = mailed ? randomBytes(32).toString('base64url') : undefined;
  const secret = nonce ? mailedSecret(await mailTokenKey(), invitationId, nonce) : newSecret();
  let remindAt: Date | undefined;
  if (expiresAt && mailed) {
    const a = await getAssessment(inv.org, inv.assessmentId);
    const hours = a?.archivedAt ? 0 : (a?.remindBeforeExpiryHours ?? DEFAULT_REMIND_HOURS);
    remindAt = reminderAt({ createdAt: now.toISOString(), expiresAt }, hours);
  }
  const result = await replaceLink(
    inv,
    {
      tokenHash: hashSecret(secret),
      ...(nonce ? { mailNonce: nonce } : {}),
      ...(expiresAt ? { expiresAt } : {}),
      ...(remindAt ? { remindAt } : {}),
    },
    now,
  );
  if (!result.replaced) {
    if (!result.current || result.current.org !== principal.org) {
      throw new NotFoundError(`Invitation ${invitationId}`);
    }
    unused(result.current);
    throw new DomainError(
      'conflict',
      `Invitation ${invitationId} got a new link from another request meanwhile; that link is the live one. Resend again for yet another.`,
    );
  }
  return {
    ...invitationView(result.invitation, now),
    token: invitationToken(invitationId, secret),
    emailed: mailed,
  };
}
