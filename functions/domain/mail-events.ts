/**
 * What SES tells about a message after sending it (through the configuration set's event
 * destination, as EventBridge events), read into the news an invitation records. Pure.
 */
import type { MailState } from './mail.ts';

/** Message tags every mail carries, so SES's events lead back to the invitation and message. */
export const MAIL_TAGS = { invitation: 'assay-invitation', message: 'assay-message' } as const;

/** The EventBridge detail types the configuration set's events arrive as. */
export const SES_EVENT_TYPES = [
  'Email Delivered',
  'Email Bounced',
  'Email Complaint Received',
  'Email Rejected',
] as const;

export interface DeliveryNews {
  invitationId: string;
  /** The invitation's message number (`mailSeq`) the event is about. */
  seq: number;
  state: Extract<MailState, 'delivered' | 'bounced' | 'complained' | 'failed'>;
  reason?: string;
  at: string;
}

/** The recorded reason: enough to act on, bounded in size. */
const MAX_REASON = 500;

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === 'object' ? (v as Json) : {});
const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);

/**
 * The news in one SES event (EventBridge `detail`), or undefined for an event that is not
 * about one of Assay's messages or that changes nothing (sends, opens, delays).
 */
export function deliveryNewsOf(event: {
  time?: string;
  detail?: unknown;
}): DeliveryNews | undefined {
  const detail = obj(event.detail);
  const mail = obj(detail.mail);
  const tags = obj(mail.tags);
  const tag = (name: string) => {
    const v = tags[name];
    return str(Array.isArray(v) ? v[0] : v);
  };
  const invitationId = tag(MAIL_TAGS.invitation);
  const seq = Number(tag(MAIL_TAGS.message));
  if (!invitationId || !/^[0-9A-HJKMNP-TV-Z]{26}$/.test(invitationId)) return undefined;
  if (!Number.isInteger(seq) || seq < 1) return undefined;
  const eventType = str(detail.eventType) ?? str(detail.notificationType);
  const fallbackAt = str(event.time) ?? str(mail.timestamp) ?? new Date(0).toISOString();
  const news = (state: DeliveryNews['state'], section: Json, reason?: string): DeliveryNews => ({
    invitationId,
    seq,
    state,
    ...(reason ? { reason: reason.slice(0, MAX_REASON) } : {}),
    at: str(section.timestamp) ?? fallbackAt,
  });
  switch (eventType) {
    case 'Delivery':
      return news('delivered', obj(detail.delivery));
    case 'Bounce': {
      const b = obj(detail.bounce);
      const first = obj((Array.isArray(b.bouncedRecipients) ? b.bouncedRecipients : [])[0]);
      const kind = [str(b.bounceType), str(b.bounceSubType)].filter(Boolean).join('/');
      const why = str(first.diagnosticCode) ?? str(first.status);
      return news('bounced', b, [kind || 'Bounce', why].filter(Boolean).join(': '));
    }
    case 'Complaint': {
      const c = obj(detail.complaint);
      return news(
        'complained',
        c,
        `The recipient marked the message as spam${str(c.complaintFeedbackType) ? ` (${str(c.complaintFeedbackType)})` : ''}.`,
      );
    }
    case 'Reject': {
      const r = obj(detail.reject);
      return news('failed', r, `Rejected by SES: ${str(r.reason) ?? 'no reason given'}`);
    }
    default:
      return undefined;
  }
}
