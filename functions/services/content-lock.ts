/**
 * The start's claim of its invitation with the content lock it takes before it draws: see
 * `claimInvitationAndLock` and docs/assessment-lifecycle.md. Apart from the other lifecycle
 * services so that the start path (services/attempts.ts) imports only what it needs.
 */
import { type Assessment, getAssessment } from '../data/assessments.ts';
import { claimInvitation, claimInvitationAndLock, needsContentLock } from '../data/attempts.ts';
import type { Invitation } from '../data/invitations.ts';
import { deadlineOf, dueAtOf } from '../domain/assessment.ts';
import { DomainError, GoneError } from '../domain/errors.ts';

/**
 * Claim a pending invitation (`pending -> started`, filing the attempt's due entry) and return
 * the assessment the attempt draws from, its content locked in the same transaction when the
 * copy read shows it unlocked. An edit that landed between the read and the claim makes it read
 * the assessment again, fresh; a deleted assessment answers 410 (its invitations are being
 * removed). Undefined: the invitation was no longer pending (the caller reads it again).
 */
export async function claimForStart(
  inv: Invitation,
  attemptId: string,
  now: Date,
): Promise<Assessment | undefined> {
  let a = await getAssessment(inv.org, inv.assessmentId);
  for (let round = 0; round < 3 && a; round++) {
    const deadline = deadlineOf(now, a.timeLimitMinutes, inv.extraTimePercent);
    const dueAt = dueAtOf(deadline, a.gracePeriodSeconds);
    if (!needsContentLock(a))
      return (await claimInvitation(inv, attemptId, now, dueAt)) ? a : undefined;
    const outcome = await claimInvitationAndLock(inv, attemptId, now, dueAt, a);
    if (outcome === 'claimed') return a;
    if (outcome === 'taken') return undefined;
    a = await getAssessment(inv.org, inv.assessmentId, { fresh: true });
  }
  if (!a) throw new GoneError('revoked', 'This invitation was withdrawn by the employer.');
  throw new DomainError('conflict', 'The assessment is being edited; try again in a moment.');
}
