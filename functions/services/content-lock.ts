/**
 * The content lock a start takes before it draws: see `lockAssessmentContent` and
 * docs/assessment-lifecycle.md. Apart from the other lifecycle services so that the start path
 * (services/attempts.ts) imports only what it needs.
 */
import { lockAssessmentContent } from '../data/assessment-lifecycle.ts';
import { type Assessment, getAssessment } from '../data/assessments.ts';
import { DomainError, GoneError } from '../domain/errors.ts';

/**
 * The assessment a start draws from, its content locked first (see `lockAssessmentContent`).
 * An edit that landed between the read and the lock makes it read again, fresh; a deleted
 * assessment answers 410 (its invitations are being removed).
 */
export async function contentForStart(org: string, assessmentId: string, now: Date) {
  const a = await getAssessment(org, assessmentId);
  if (a?.contentLockedAt) return a;
  // Starts racing in one function share one lock write (a cohort starting at 9:00 sharp).
  const key = `${org}/${assessmentId}`;
  let pending = inFlight.get(key);
  if (!pending) {
    pending = lockWithRetries(org, assessmentId, a, now).finally(() => inFlight.delete(key));
    inFlight.set(key, pending);
  }
  return pending;
}

const inFlight = new Map<string, Promise<Assessment>>();

async function lockWithRetries(
  org: string,
  assessmentId: string,
  first: Assessment | undefined,
  now: Date,
): Promise<Assessment> {
  let a = first;
  for (let round = 0; round < 3 && a; round++) {
    const locked = await lockAssessmentContent(a, now);
    if (locked) return locked;
    a = await getAssessment(org, assessmentId, { fresh: true });
  }
  if (!a) throw new GoneError('revoked', 'This invitation was withdrawn by the employer.');
  throw new DomainError('conflict', 'The assessment is being edited; try again in a moment.');
}
