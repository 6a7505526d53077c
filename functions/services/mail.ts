/**
 * The outbox's work for the mail job (stream): send a queued message exactly once per claim,
 * follow an assessment's changes. Queuing due reminders (the reminders job) and recording what
 * SES reports (the mail-events job) live in modules of their own, reminders.ts and
 * mail-news.ts, so that those jobs' bundles carry neither the mail clients nor the mail-token
 * key; they are re-exported here. See docs/mail.md.
 */
import { getAssessment } from '../data/assessments.ts';
import { mailTokenKey } from '../data/mail-key.ts';
import { PermanentMailError, prepareSend, sendMail } from '../data/mailer.ts';
import { getOrganisation } from '../data/organisations.ts';
import {
  type AssessmentChange,
  claimMail,
  deleteInvitations,
  invitationsOf,
  markMail,
  releaseMail,
  setReminderEntry,
} from '../data/outbox.ts';
import { localeOr } from '../domain/locales.ts';
import { composeMail } from '../domain/mail.ts';
import { MAIL_TAGS } from '../domain/mail-events.ts';
import { DEFAULT_REMIND_HOURS, reminderAt } from '../domain/reminder-time.ts';
import { invitationToken, mailedSecret, secretMatches } from '../domain/tokens.ts';
import { logger } from '../http/logger.ts';

export { recordNews } from './mail-news.ts';
export { REMINDER_LOOKBACK_HOURS, remindDue } from './reminders.ts';

/** The link a candidate follows: the site's candidate app with the token in the fragment. */
export function candidateLink(token: string): string {
  const site = process.env.SITE_URL;
  if (!site) throw new Error('SITE_URL is not set: the mail job cannot build candidate links.');
  // In the fragment: browsers never send it to a server, so it reaches no access log.
  return `${site.replace(/\/+$/, '')}/take#${token}`;
}

export type Delivery =
  /** Sent now. */
  | 'sent'
  /** Nothing to do: sent before, superseded, or the invitation is gone. */
  | 'done'
  /** Another delivery of the same record holds the claim: retry the record later. */
  | 'busy'
  /** The message cannot be sent (recorded on the invitation with the reason). */
  | 'failed';

/**
 * Send message `seq` of an invitation if it is still queued: claim it (the send marker), build
 * its link from the stored nonce, send, mark it sent. A redelivered stream record finds the
 * message claimed or sent and sends nothing. A crash after sending and before marking leaves
 * the claim, which expires after CLAIM_LEASE_MS: the next delivery of the record sends again
 * (at-least-once: a candidate may get the same email twice, never none).
 */
export async function deliverQueued(
  invitationId: string,
  seq: number,
  now: Date,
): Promise<Delivery> {
  const claiming = claimMail(invitationId, seq, now);
  // A cold process loads the mail client (the SMTP path's side entry) while DynamoDB answers.
  prepareSend();
  const c = await claiming;
  if (c.outcome !== 'claimed') return c.outcome;
  const inv = c.invitation;
  const fail = async (reason: string): Promise<Delivery> => {
    await markMail(invitationId, seq, c.claim, { state: 'failed', reason }, now);
    (await logger()).warn('Mail not sent', { invitationId, seq, reason });
    return 'failed';
  };
  if (!inv.candidate?.email || !inv.mailNonce) return fail('The invitation has no email address.');
  // Revoked (or already used, or expired) before its email went out: a dead link helps nobody.
  if (inv.status !== 'pending' || Date.parse(inv.expiresAt) <= now.getTime()) {
    return fail(
      `Not sent: the invitation was ${inv.status === 'pending' ? 'expired' : inv.status} before its email went out.`,
    );
  }
  const [assessment, organisation, key] = await Promise.all([
    getAssessment(inv.org, inv.assessmentId),
    getOrganisation(inv.org),
    mailTokenKey(),
  ]);
  if (!assessment) return fail('The assessment was deleted.');
  const secret = mailedSecret(key, inv.invitationId, inv.mailNonce);
  // Never mail a link that would not work: the key changed, or the record is older than the link.
  if (!secretMatches(secret, inv.tokenHash)) {
    return fail('The link could not be derived again (the mail-token key changed): resend it.');
  }
  const content = composeMail({
    kind: inv.mailKind ?? 'invitation',
    locale: localeOr(inv.candidate.locale),
    organisation,
    assessment: {
      title: assessment.title,
      timeLimitMinutes: assessment.timeLimitMinutes,
      questionCount: assessment.questionCount,
      areas: assessment.sections.map((s) => s.area),
      ...(assessment.instructions ? { instructions: assessment.instructions } : {}),
    },
    candidate: inv.candidate.name ? { name: inv.candidate.name } : {},
    extraTimePercent: inv.extraTimePercent,
    expiresAt: inv.expiresAt,
    link: candidateLink(invitationToken(inv.invitationId, secret)),
  });
  let messageId: string;
  try {
    const sending = sendMail({
      to: inv.candidate.email,
      ...(inv.candidate.name ? { toName: inv.candidate.name } : {}),
      fromName: organisation.name,
      ...(organisation.replyTo ? { replyTo: organisation.replyTo } : {}),
      ...content,
      tags: { [MAIL_TAGS.invitation]: invitationId, [MAIL_TAGS.message]: String(seq) },
    });
    // Whatever the send's outcome, a line is logged: a cold process loads the logger while the
    // mail service answers (on the next turn of the event loop, once the send is under way).
    setImmediate(() => logger().catch(() => undefined));
    messageId = await sending;
  } catch (err) {
    if (err instanceof PermanentMailError) return fail(err.message);
    // Not sent (the service was unreachable or busy): queued again for the record's retry.
    await releaseMail(invitationId, seq, c.claim);
    throw err;
  }
  // The mail left: record it even if DynamoDB stumbles once (else it would be sent again).
  for (let attempt = 0; ; attempt++) {
    try {
      await markMail(invitationId, seq, c.claim, { state: 'sent', messageId }, now);
      break;
    } catch (err) {
      if (attempt >= 2) throw err;
      await new Promise((r) => setTimeout(r, 200 * 2 ** attempt));
    }
  }
  (await logger()).info('Mail sent', { invitationId, seq, kind: inv.mailKind });
  return 'sent';
}

/**
 * Follow an assessment's change: a new reminder setting (or archiving) re-times the reminders
 * of its pending invitations; a deletion removes its invitations (no attempt ever started).
 */
export async function followAssessmentChange(change: AssessmentChange, now: Date): Promise<void> {
  if (change.kind === 'removed') {
    for await (const page of invitationsOf(change.org, change.assessmentId)) {
      await deleteInvitations(page.map((i) => i.invitationId));
    }
    return;
  }
  const assessment = await getAssessment(change.org, change.assessmentId, { fresh: true });
  if (!assessment) return;
  const hours = assessment.archivedAt
    ? 0
    : (assessment.remindBeforeExpiryHours ?? DEFAULT_REMIND_HOURS);
  for await (const page of invitationsOf(change.org, change.assessmentId)) {
    for (const inv of page) {
      if (inv.status !== 'pending' || inv.remindedAt || !inv.mailState) continue;
      if (Date.parse(inv.expiresAt) <= now.getTime()) continue;
      const due = reminderAt(inv, hours);
      // Already due under the new setting: in the current bucket, so the next run sends it.
      const at = due && due.getTime() < now.getTime() ? now : due;
      if (at?.toISOString() === inv.remindAt) continue;
      if (at || inv.remindAt) await setReminderEntry(inv.invitationId, at);
    }
  }
}
