/**
 * The local mail capture: maildev (SMTP plus a web page and its REST API), so that the mail the
 * outbox sends on a laptop can be read instead of reaching anyone. `npm start` runs it and the
 * integration tests start their own.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MailDev } from 'maildev';

export interface MailCapture {
  /** Where the outbox sends (`SMTP_URL`). */
  smtpUrl: string;
  /** The web page listing the captured mail. */
  webUrl: string;
  /** maildev's REST API (`GET <apiUrl>/email` lists every message). */
  apiUrl: string;
  stop(): Promise<void>;
}

/**
 * Start maildev on loopback; port 0 picks a free port. `auth` makes it require a login,
 * `maxMessageSize` refuse larger messages (the tests of the SMTP path's refusals).
 */
export async function startMailCapture(
  opts: {
    smtpPort?: number;
    webPort?: number;
    host?: string;
    auth?: { user: string; pass: string };
    maxMessageSize?: number;
  } = {},
): Promise<MailCapture> {
  const host = opts.host ?? '127.0.0.1';
  // Its own folder, removed on stop: captured mail holds candidates' links.
  const dir = mkdtempSync(join(tmpdir(), 'assay-mail-'));
  const maildev = new MailDev({
    mailDirectory: dir,
    smtp: opts.smtpPort ?? 0,
    web: opts.webPort ?? 0,
    ip: host,
    webIp: host,
    silent: true,
    ...(opts.auth ? { incomingUser: opts.auth.user, incomingPass: opts.auth.pass } : {}),
    ...(opts.maxMessageSize ? { maxMessageSize: opts.maxMessageSize } : {}),
  });
  // maildev announces its API on the console whatever `silent` says; the caller prints its own line.
  const info = console.info;
  console.info = () => undefined;
  let servers: Awaited<ReturnType<MailDev['start']>>;
  try {
    servers = await maildev.start();
  } finally {
    console.info = info;
  }
  const smtpPort = (servers.smtp as unknown as { port: number }).port;
  const web = (
    servers.api as unknown as { server: { server: { address(): { port: number } } } }
  ).server.server.address();
  const webUrl = `http://${host}:${web.port}`;
  return {
    smtpUrl: `smtp://${host}:${smtpPort}`,
    webUrl,
    apiUrl: `${webUrl}/api`,
    stop: async () => {
      await maildev.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
