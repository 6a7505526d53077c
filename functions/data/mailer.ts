/**
 * Sending one email: through SES v2 in AWS (`SES_CONFIGURATION_SET` names the configuration
 * set, whose event destination reports deliveries, bounces and complaints), or through SMTP to
 * `SMTP_URL` locally (maildev, started by `npm start`). `MAIL_FROM` is the sender address; a
 * deployment without it sends no mail (the API refuses `send: true` instead of dropping mail).
 *
 * SES v2 builds the MIME message itself from the simple content, so the MIME composer and the
 * SMTP client (nodemailer's, functions/data/smtp.ts) are needed only on the SMTP path: they are
 * a side entry (`#side/smtp`, built beside each Lambda bundle) loaded by the first SMTP send,
 * which no deployed function makes, since every AWS mail goes through SES. Functions that only
 * ask `mailConfigured()` (the employer's) carry neither client.
 */
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { displayName, mailboxHeader } from '../domain/mailbox.ts';

export interface OutgoingMail {
  to: string;
  /** Display name for the To header (the candidate's, when the employer gave one). */
  toName?: string;
  /** Display name for the From header (the organisation's); the address is `MAIL_FROM`. */
  fromName: string;
  replyTo?: string;
  subject: string;
  text: string;
  html: string;
  /** SES message tags (letters, digits, `_` and `-`), echoed back in SES's events. */
  tags: Record<string, string>;
}

/** The mail service refused this message for good: sending it again would fail again. */
export class PermanentMailError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentMailError';
  }
}

/** Whether this deployment sends mail at all. */
export const mailConfigured = () => Boolean(process.env.MAIL_FROM);

/** The sender's address, `MAIL_FROM`. */
function fromAddress(): string {
  const address = process.env.MAIL_FROM;
  if (!address) throw new Error('MAIL_FROM is not set: this deployment sends no mail.');
  return address;
}

let ses: SESv2Client | undefined;

/** SES errors that no retry can fix (the rest, throttling above all, are retried). */
const PERMANENT_SES = new Set([
  'MessageRejected',
  'BadRequestException',
  'MailFromDomainNotVerifiedException',
  'AccountSuspendedException',
  'NotFoundException',
]);

async function viaSes(m: OutgoingMail, configurationSet: string): Promise<string> {
  ses ??= new SESv2Client({});
  try {
    const out = await ses.send(
      new SendEmailCommand({
        // SES takes ASCII only in these: a name in any other script goes as encoded words.
        FromEmailAddress: mailboxHeader(m.fromName, fromAddress()),
        Destination: { ToAddresses: [mailboxHeader(m.toName, m.to)] },
        ...(m.replyTo ? { ReplyToAddresses: [m.replyTo] } : {}),
        Content: {
          Simple: {
            Subject: { Data: m.subject, Charset: 'UTF-8' },
            Body: {
              Text: { Data: m.text, Charset: 'UTF-8' },
              Html: { Data: m.html, Charset: 'UTF-8' },
            },
          },
        },
        ConfigurationSetName: configurationSet,
        EmailTags: Object.entries(m.tags).map(([Name, Value]) => ({ Name, Value })),
      }),
    );
    return out.MessageId ?? '';
  } catch (err) {
    const name = (err as { name?: string }).name ?? '';
    if (PERMANENT_SES.has(name)) throw new PermanentMailError(`${name}: ${(err as Error).message}`);
    throw err;
  }
}

let smtpEntry: Promise<typeof import('#side/smtp')> | undefined;

/** The SMTP path's side entry, loaded once per process (a failed load is retried next time). */
function smtpClient(): Promise<typeof import('#side/smtp')> {
  smtpEntry ??= import('#side/smtp').catch((err) => {
    smtpEntry = undefined;
    throw err;
  });
  return smtpEntry;
}

/**
 * Load what `sendMail` will need and a cold process has not loaded yet (on the SMTP path, its
 * side entry), for a caller that has just sent a request and waits for its answer (the mail
 * job, for DynamoDB). The load starts on the next turn of the event loop, once the request is
 * on the wire (started at once, the side entry's import would compile before the request is
 * written and only delay it), and runs while the process would otherwise wait. A failed load
 * surfaces in `sendMail`. SES's client is in the bundle: nothing to load.
 */
export function prepareSend(): void {
  if (process.env.SES_CONFIGURATION_SET || !process.env.SMTP_URL || smtpEntry) return;
  setImmediate(() => smtpClient().catch(() => undefined));
}

async function viaSmtp(m: OutgoingMail, url: string): Promise<string> {
  const { sendSmtp } = await smtpClient();
  try {
    return await sendSmtp(url, {
      // nodemailer's composer quotes or encodes the names itself.
      from: { name: displayName(m.fromName), address: fromAddress() },
      to: m.toName && displayName(m.toName) ? { name: displayName(m.toName), address: m.to } : m.to,
      ...(m.replyTo ? { replyTo: m.replyTo } : {}),
      subject: m.subject,
      text: m.text,
      html: m.html,
      // What SES carries as message tags, as headers: a capture shows which message this is.
      headers: Object.fromEntries(Object.entries(m.tags).map(([k, v]) => [`X-${k}`, v])),
    });
  } catch (err) {
    const code = (err as { responseCode?: number }).responseCode;
    // 5xx: the server refused the message itself; anything else (no connection, 4xx) may pass later.
    if (code !== undefined && code >= 500) {
      throw new PermanentMailError(`SMTP ${code}: ${(err as Error).message}`);
    }
    throw err;
  }
}

/** Send one message; returns the mail service's message id. */
export async function sendMail(m: OutgoingMail): Promise<string> {
  const configurationSet = process.env.SES_CONFIGURATION_SET;
  if (configurationSet) return viaSes(m, configurationSet);
  const url = process.env.SMTP_URL;
  if (url) return viaSmtp(m, url);
  throw new Error('Neither SES_CONFIGURATION_SET nor SMTP_URL is set: no way to send mail.');
}
