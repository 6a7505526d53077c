/**
 * The reminders job: every five minutes, queues the one reminder of each pending invitation
 * whose reminder is due (the outbox then mails it). Idempotent: queuing is a conditional write
 * that takes the invitation off the reminder index, so a second run finds nothing.
 */
import { clock } from '../domain/clock.ts';
import { remindDue } from '../services/reminders.ts';

export const handler = async () => remindDue(clock.now());
