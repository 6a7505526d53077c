/**
 * The SMTP path of the mailer (functions/data/mailer.ts with its side entry
 * functions/data/smtp.ts: nodemailer's MIME composer and SMTP client) against maildev: the
 * message it sends, the login, and which failures are for good (the invitation is marked
 * failed) and which are to be retried (the stream record comes back).
 */
import { createServer } from 'node:net';
import nodemailer from 'nodemailer';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type OutgoingMail, PermanentMailError, sendMail } from '../../functions/data/mailer.ts';
import { type MailCapture, startMailCapture } from '../../infra/local/mail-capture.ts';

const mail = (to: string, over: Partial<OutgoingMail> = {}): OutgoingMail => ({
  to,
  fromName: 'Acme "Robotics" Ltd',
  replyTo: 'hiring@acme.example',
  subject:
    'Acme Robotics invites you to an assessment: Backend screen, a title long enough to fold',
  text: `Hello Иван,\n\nStart the assessment: https://assess.example.test/take#${'x'.repeat(90)}\n`,
  html: '<!doctype html>\n<p>Hello <b>Иван</b> &amp; welcome</p>\n'.repeat(4),
  tags: { 'assay-invitation': '01M8NHYMM2X90AN65KN9YKC79Z', 'assay-message': '2' },
  ...over,
});

interface Captured {
  id: string;
  to: { address: string }[];
}

/** The raw source of the one message maildev captured for `address`. */
async function sourceFor(capture: MailCapture, address: string): Promise<string> {
  const all = (await (await fetch(`${capture.apiUrl}/email`)).json()) as Captured[];
  const found = all.filter((m) => m.to.some((t) => t.address === address));
  expect(found).toHaveLength(1);
  return (await fetch(`${capture.apiUrl}/email/${found[0]!.id}/source`)).text();
}

/** What differs between two sends of the same message: its id, date and MIME boundary. */
const withoutPerMessageParts = (source: string) =>
  source
    .replace(/^Message-ID: <[^>]+>/m, 'Message-ID: <id>')
    .replace(/^Date: .*$/m, 'Date: <date>')
    .replace(/--_NmP-[0-9a-f]+-Part_/g, '--_NmP-<boundary>-Part_');

/** A loopback port that nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const env = { ...process.env };
afterEach(() => {
  process.env.SMTP_URL = env.SMTP_URL;
  if (env.SMTP_URL === undefined) delete process.env.SMTP_URL;
});

let capture: MailCapture;
let strict: MailCapture;
beforeAll(async () => {
  process.env.MAIL_FROM = 'assessments@assay.test';
  capture = await startMailCapture();
  // One that wants a login and takes messages of at most 2 KB.
  strict = await startMailCapture({
    auth: { user: 'mailer', pass: 's3cret' },
    maxMessageSize: 2048,
  });
}, 60_000);

afterAll(async () => {
  await capture?.stop();
  await strict?.stop();
  if (env.MAIL_FROM === undefined) delete process.env.MAIL_FROM;
  else process.env.MAIL_FROM = env.MAIL_FROM;
});

describe('mail through SMTP', () => {
  it('sends the message nodemailer’s own transport sends for the same fields, headers and all', async () => {
    process.env.SMTP_URL = capture.smtpUrl;
    const ours = `ours-${Date.now()}@example.test`;
    const theirs = `theirs-${Date.now()}@example.test`;

    const messageId = await sendMail(mail(ours));
    const m = mail(theirs);
    await nodemailer.createTransport(capture.smtpUrl).sendMail({
      from: `"Acme \\"Robotics\\" Ltd" <assessments@assay.test>`,
      to: m.to,
      replyTo: m.replyTo,
      subject: m.subject,
      text: m.text,
      html: m.html,
      headers: { 'X-assay-invitation': '01M8NHYMM2X90AN65KN9YKC79Z', 'X-assay-message': '2' },
    });

    const sent = await sourceFor(capture, ours);
    expect(sent).toContain(`Message-ID: ${messageId}`);
    expect(sent).toContain('From: "Acme \\"Robotics\\" Ltd" <assessments@assay.test>');
    expect(sent).toContain('Reply-To: hiring@acme.example');
    expect(sent).toContain('X-Assay-Invitation: 01M8NHYMM2X90AN65KN9YKC79Z');
    expect(sent).toContain('X-Assay-Message: 2');
    expect(sent).toContain('Content-Type: multipart/alternative;');
    expect(withoutPerMessageParts(sent).replace(ours, theirs)).toBe(
      withoutPerMessageParts(await sourceFor(capture, theirs)),
    );
  });

  it('names sender and recipient in encoded words when the names are not ASCII', async () => {
    process.env.SMTP_URL = capture.smtpUrl;
    const to = `ivan-${Date.now()}@example.test`;

    await sendMail(mail(to, { fromName: 'Müller GmbH', toName: 'Иван Петров' }));

    const sent = await sourceFor(capture, to);
    expect(sent).toContain('From: =?UTF-8?Q?M=C3=BCller_GmbH?= <assessments@assay.test>');
    // (folded onto a second line: the header is longer than 78 characters)
    expect(sent).toMatch(
      new RegExp(`^To: =\\?UTF-8\\?B\\?[A-Za-z0-9+/=]+\\?=\\r?\\n <${to}>$`, 'm'),
    );
    const all = (await (await fetch(`${capture.apiUrl}/email`)).json()) as {
      from: { name: string }[];
      to: { address: string; name: string }[];
    }[];
    const parsed = all.find((m) => m.to.some((t) => t.address === to))!;
    expect(parsed.from[0]!.name).toBe('Müller GmbH');
    expect(parsed.to).toEqual([{ address: to, name: 'Иван Петров' }]);
  });

  it('logs in with the credentials in SMTP_URL', async () => {
    const to = `login-${Date.now()}@example.test`;
    process.env.SMTP_URL = strict.smtpUrl.replace('smtp://', 'smtp://mailer:s3cret@');

    await sendMail(mail(to));

    expect(await sourceFor(strict, to)).toContain(`To: ${to}`);
  });

  it('takes a server’s 5xx as a refusal for good: a login it wants, a message too large', async () => {
    process.env.SMTP_URL = strict.smtpUrl;
    const noLogin = sendMail(mail('refused@example.test'));
    await expect(noLogin).rejects.toBeInstanceOf(PermanentMailError);
    await expect(noLogin).rejects.toThrow(/^SMTP 530: /);

    process.env.SMTP_URL = strict.smtpUrl.replace('smtp://', 'smtp://mailer:s3cret@');
    const tooLarge = sendMail(mail('large@example.test', { text: 'x'.repeat(4096) }));
    await expect(tooLarge).rejects.toBeInstanceOf(PermanentMailError);
    await expect(tooLarge).rejects.toThrow(/^SMTP 552: /);
  });

  it('takes a server it cannot reach as a failure to retry, not a refusal', async () => {
    process.env.SMTP_URL = `smtp://127.0.0.1:${await closedPort()}`;

    const unreachable = sendMail(mail('later@example.test'));

    await expect(unreachable).rejects.toThrow(/ECONNREFUSED|connect/i);
    await expect(unreachable).rejects.not.toBeInstanceOf(PermanentMailError);
  });
});
