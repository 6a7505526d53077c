/**
 * When a pending invitation gets its one reminder. Pure: the reminders job reads the invitation
 * and its assessment, this decides, and a conditional write makes the decision stick once.
 */

import { type MailState, UNDELIVERABLE } from './mail.ts';
import { DEFAULT_REMIND_HOURS, reminderAt } from './reminder-time.ts';

export interface ReminderSubject {
  status: string;
  createdAt: string;
  expiresAt: string;
  candidate: { email?: string };
  mailState?: MailState;
  remindedAt?: string;
}

export type ReminderDecision =
  /** Queue the reminder now. */
  | { do: 'send' }
  /** No reminder will ever be due: remove the entry. */
  | { do: 'drop' }
  /** Not yet: the entry belongs in the bucket of `at` (the setting changed). */
  | { do: 'move'; at: Date }
  /** The invitation email itself is still on its way: look again at the next run. */
  | { do: 'wait' };

export function reminderDecision(
  inv: ReminderSubject,
  assessment: { remindBeforeExpiryHours?: number; archivedAt?: string },
  now: Date,
): ReminderDecision {
  if (inv.status !== 'pending' || Date.parse(inv.expiresAt) <= now.getTime()) return { do: 'drop' };
  if (inv.remindedAt || !inv.candidate.email || !inv.mailState) return { do: 'drop' };
  if (assessment.archivedAt || UNDELIVERABLE.has(inv.mailState)) return { do: 'drop' };
  const at = reminderAt(inv, assessment.remindBeforeExpiryHours ?? DEFAULT_REMIND_HOURS);
  if (!at) return { do: 'drop' };
  if (at.getTime() > now.getTime()) return { do: 'move', at };
  if (inv.mailState === 'queued' || inv.mailState === 'sending') return { do: 'wait' };
  return { do: 'send' };
}
