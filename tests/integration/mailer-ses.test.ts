/**
 * The SES path of the mailer (functions/data/mailer.ts) through the real SES v2 client, pointed
 * at a local HTTP server that answers as SES does (`AWS_ENDPOINT_URL_SESV2`): the request the
 * SDK sends, and how SES's refusals come back.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PermanentMailError, sendMail } from '../../functions/data/mailer.ts';

interface SesRequest {
  path: string;
  body: {
    FromEmailAddress: string;
    Destination: { ToAddresses: string[] };
    ReplyToAddresses?: string[];
    ConfigurationSetName: string;
  };
}

const received: SesRequest[] = [];
/** What the server answers next: a status and SES's error type, or a message id. */
let answer: { status: number; errorType?: string } = { status: 200 };
let server: Server;
const saved = { ...process.env };

const bodyOf = async (req: IncomingMessage) => {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as SesRequest['body'];
};

beforeAll(async () => {
  server = createServer(async (req, res) => {
    received.push({ path: req.url ?? '', body: await bodyOf(req) });
    if (answer.status === 200) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ MessageId: `ses-${received.length}` }));
      return;
    }
    res.writeHead(answer.status, {
      'content-type': 'application/json',
      'x-amzn-errortype': answer.errorType ?? '',
    });
    res.end(JSON.stringify({ message: 'Illegal address' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_SESV2: `http://127.0.0.1:${port}`,
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    SES_CONFIGURATION_SET: 'assay-mail',
    MAIL_FROM: 'assessments@assay.test',
  });
});

afterAll(async () => {
  for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
  Object.assign(process.env, saved);
  await new Promise((resolve) => server.close(resolve));
});

const mail = {
  to: 'ivan@example.test',
  subject: 'Müller GmbH invites you to an assessment',
  text: 'Hello',
  html: '<p>Hello</p>',
  tags: { 'assay-invitation': '01M8NHYMM2X90AN65KN9YKC79Z', 'assay-message': '1' },
};

describe('mail through SES', () => {
  it('names sender and candidate in 7-bit ASCII, as SES requires: encoded words for other scripts', async () => {
    answer = { status: 200 };
    const id = await sendMail({ ...mail, toName: 'Иван Петров', fromName: 'Müller GmbH' });

    expect(id).toBe(`ses-${received.length}`);
    const { path, body } = received.at(-1)!;
    expect(path).toBe('/v2/email/outbound-emails');
    expect(body.FromEmailAddress).toBe('=?UTF-8?B?TcO8bGxlciBHbWJI?= <assessments@assay.test>');
    expect(body.Destination.ToAddresses).toEqual([
      `=?UTF-8?B?${Buffer.from('Иван Петров').toString('base64')}?= <ivan@example.test>`,
    ]);
    expect(body.ConfigurationSetName).toBe('assay-mail');
  });

  it('quotes an ASCII name and sends the bare address when there is none', async () => {
    answer = { status: 200 };
    await sendMail({ ...mail, fromName: 'Acme "Robotics" Ltd', replyTo: 'hiring@acme.example' });

    const { body } = received.at(-1)!;
    expect(body.FromEmailAddress).toBe('"Acme \\"Robotics\\" Ltd" <assessments@assay.test>');
    expect(body.Destination.ToAddresses).toEqual(['ivan@example.test']);
    expect(body.ReplyToAddresses).toEqual(['hiring@acme.example']);
  });

  it('gives up on a message SES refuses for good, and leaves throttling to be retried', async () => {
    answer = { status: 400, errorType: 'MessageRejected' };
    await expect(sendMail({ ...mail, fromName: 'Acme' })).rejects.toBeInstanceOf(
      PermanentMailError,
    );
    answer = { status: 429, errorType: 'TooManyRequestsException' };
    const busy = await sendMail({ ...mail, fromName: 'Acme' }).catch((e: Error) => e);
    expect(busy).toBeInstanceOf(Error);
    expect(busy).not.toBeInstanceOf(PermanentMailError);
  }, 60_000);
});
