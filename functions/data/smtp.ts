/**
 * One message through SMTP (the local path: maildev; `SMTP_URL`), with the two parts of
 * nodemailer that sending needs: the MIME composer (`nodemailer/lib/mail-composer`) and the SMTP
 * client (`nodemailer/lib/smtp-connection`). Both are documented for use on their own
 * (nodemailer.com/extras/mailcomposer, /extras/smtp-connection) and are entry points of
 * nodemailer's `exports` map with their own types. nodemailer's transport (`createTransport`)
 * composes with the same MailComposer and sends with the same SMTPConnection, so the message and
 * the SMTP conversation are the ones it would produce; what it adds around them (the plugin
 * pipeline, connection pools, proxies, OAuth2, well-known services, DKIM, the other transports)
 * is code this path never runs, and was 271 KB of side module to load.
 *
 * A side entry (`#side/smtp`, built beside each Lambda bundle): only mail sent through SMTP
 * loads it, which no deployed function does (AWS mail goes through SES, functions/data/mailer.ts).
 * It throws nodemailer's own errors (`responseCode` on a server's refusal); the mailer decides
 * which of them are permanent, so that the error classes are the bundle's own.
 */
import MailComposer from 'nodemailer/lib/mail-composer';
import { parseConnectionUrl } from 'nodemailer/lib/shared';
import SMTPConnection from 'nodemailer/lib/smtp-connection';

/** An address with its display name, which the composer quotes or encodes (RFC 2047). */
export interface Mailbox {
  name: string;
  address: string;
}

export interface SmtpMessage {
  from: Mailbox;
  to: string | Mailbox;
  replyTo?: string;
  subject: string;
  text: string;
  html: string;
  /** Extra headers, in this order before the standard ones. */
  headers: Record<string, string>;
}

/**
 * Send one message to the SMTP server of `url` (`smtp://host:port`, `smtps://` for implicit
 * TLS, `user:pass@` to log in, query options of the connection as nodemailer reads them; the
 * transport's own, `?service=`, `?pool=` or `?proxy=`, have no transport to act on) over a
 * connection of its own, closed when the server has answered the message, as nodemailer's SMTP
 * transport does.
 * The message is composed and built while the connection is made and the server answers its
 * first commands (the transport composes first and builds as it sends): the same conversation,
 * with that CPU work inside the waits.
 *
 * @returns the message's Message-ID
 */
export function sendSmtp(url: string, message: SmtpMessage): Promise<string> {
  const options = parseConnectionUrl(url);
  return new Promise((resolve, reject) => {
    const connection = new SMTPConnection(options);
    let settled = false;
    let messageId = '';
    const finish = (err?: Error | null) => {
      if (settled) return;
      settled = true;
      connection.close();
      if (err) reject(err);
      else resolve(messageId);
    };
    connection.once('error', finish);
    let mime: ReturnType<MailComposer['compile']>;
    let raw: Promise<Buffer | undefined> = Promise.resolve(undefined);
    connection.connect((err) => {
      if (settled) return;
      if (err) return finish(err);
      const send = () =>
        raw.then((message) => {
          if (message && !settled) {
            connection.send(mime.getEnvelope(), message, (e) => finish(e));
          }
        });
      // As the transport does: log in when the URL has credentials and the server offers AUTH
      // (or `?forceAuth=true`), with the method `?authMethod=` names, else the first offered.
      if (!options.auth || !(connection.allowsAuth || options.forceAuth)) return void send();
      const { user, pass } = options.auth;
      const method = typeof options.authMethod === 'string' ? options.authMethod : false;
      connection.login({ user, method, credentials: { user, pass } }, (e) =>
        e ? finish(e) : void send(),
      );
    });
    // The connection's callbacks run on later turns of the event loop, after this.
    try {
      mime = new MailComposer(message).compile();
      messageId = mime.messageId();
      raw = mime.build().catch((err: Error) => {
        finish(err);
        return undefined;
      });
    } catch (err) {
      finish(err as Error);
    }
  });
}
