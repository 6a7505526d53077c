/**
 * The reminders job's work: queue the one reminder of each pending invitation whose reminder is
 * due (the mail job then sends it from the stream). Apart from services/mail.ts so that the
 * reminders bundle loads no mail client and no mail-token key. See docs/mail.md.
 */
import { getAssessment } from '../data/assessments.ts';
import { getInvitation } from '../data/invitations.ts';
import { dueReminders, queueReminder, setReminderEntry } from '../data/outbox.ts';
import { reminderDecision } from '../domain/reminders.ts';
import { logger } from '../http/logger.ts';

/** How far back the reminders job reads the index: a longer outage than this skips reminders. */
export const REMINDER_LOOKBACK_HOURS = 24;

/** Queue every reminder that is due; an entry that is not due moves or goes. */
export async function remindDue(now: Date): Promise<{ queued: number }> {
  let queued = 0;
  for (const { invitationId, bucket } of await dueReminders(now, REMINDER_LOOKBACK_HOURS)) {
    // One invitation that cannot be handled must not hold up the others.
    try {
      const inv = await getInvitation(invitationId);
      const assessment = inv && (await getAssessment(inv.org, inv.assessmentId));
      if (!inv || !assessment) continue;
      const decision = reminderDecision(inv, assessment, now);
      if (decision.do === 'send') {
        if (await queueReminder(invitationId, bucket, now)) queued++;
      } else if (decision.do === 'move') await setReminderEntry(invitationId, decision.at);
      else if (decision.do === 'drop') await setReminderEntry(invitationId, undefined);
    } catch (err) {
      (await logger()).error('Could not queue a reminder', { invitationId, error: err as Error });
    }
  }
  if (queued) (await logger()).info('Reminders queued', { queued });
  return { queued };
}
