/**
 * When an invitation's reminder is due. Apart from domain/assessment.ts so that the mail and
 * reminders jobs, which need only this, load no assessment schema.
 */

/** Hours before an invitation expires that its reminder is sent, unless the assessment says. */
export const DEFAULT_REMIND_HOURS = 24;

/**
 * When a pending invitation's reminder is due: `hours` before it expires, if that is after it
 * was created (an invitation created closer to its expiry than that gets no reminder: its
 * invitation email is fresh). Undefined for no reminder.
 */
export function reminderAt(
  invitation: { createdAt: string; expiresAt: string },
  hours: number,
): Date | undefined {
  if (hours <= 0) return undefined;
  const at = Date.parse(invitation.expiresAt) - hours * 3_600_000;
  return at > Date.parse(invitation.createdAt) ? new Date(at) : undefined;
}
