/**
 * The ports `npm start` binds, checked before anything is started: a port that is taken (another
 * `npm start`, say) is one line naming the setting that moves it, given at once rather than after
 * DynamoDB Local has started and the bank has loaded.
 */
import { createServer } from 'node:net';

/** A port `npm start` binds and the environment variable that chooses it. */
export interface PortSetting {
  port: number;
  host: string;
  /** e.g. `PORT` or `MAIL_SMTP_PORT`. */
  setting: string;
}

/** One line a person can act on for a failed bind of `p`, or undefined for another error. */
function bindProblem(err: unknown, p: PortSetting): string | undefined {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EADDRINUSE') {
    return `Port ${p.port} on ${p.host} is already in use (another npm start?): stop what uses it, or choose another port with ${p.setting}=<port> npm start.`;
  }
  if (code === 'EACCES') {
    return `Port ${p.port} on ${p.host} needs privileges this user does not have: choose a port above 1023 with ${p.setting}=<port> npm start.`;
  }
  if (code === 'EADDRNOTAVAIL') {
    return `${p.host} is not an address of this machine: set HOST to one of its addresses (127.0.0.1 by default).`;
  }
  return undefined;
}

/**
 * Binds `p` and releases it at once. Rejects with `bindProblem`'s line when it cannot be bound.
 * Port 0 (any free port) always passes.
 */
export async function assertPortFree(p: PortSetting): Promise<void> {
  if (p.port === 0) return;
  const probe = createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', (err) => reject(new Error(bindProblem(err, p) ?? String(err))));
    probe.listen({ port: p.port, host: p.host, exclusive: true }, () =>
      probe.close(() => resolve()),
    );
  });
}

/**
 * The line for an error from binding one of `settings` (Node's listen errors carry the port),
 * or undefined when the error is not such a bind failure.
 */
export function listenProblem(err: unknown, settings: PortSetting[]): string | undefined {
  const port = (err as { port?: unknown } | undefined)?.port;
  const p = settings.find((s) => s.port === port);
  return p ? bindProblem(err, p) : undefined;
}
