/**
 * The console's development sign-in, a route of the local gateway only (never of the Lambda
 * API, never in the OpenAPI document): `POST /local/dev-token {org, roles}` mints a staff token
 * for a chosen organisation and role(s), as `npm run token` does. `GET /console/config.json`
 * tells the console to use it; in AWS the stack writes that file into the site bucket with the
 * Cognito hosted UI's settings instead (`infra/aws/edge.ts`).
 *
 * Anyone who can reach it can become any organisation, so it answers only a browser or client
 * on this machine: the connection must come from a loopback address, the Host must be a
 * loopback name (a DNS-rebinding page's Host is its own name), a browser's Origin must be this
 * same origin, and the body must be JSON (which a cross-site form cannot send without a CORS
 * preflight, which the gateway refuses).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isIP } from 'node:net';
import * as z from 'zod/mini';
import { ORG_PATTERN, PUBLIC_ORG } from '../../functions/http/principal.ts';
import { PROBLEM_CONTENT_TYPE, problemType } from '../../functions/http/problem.ts';
import type { Role } from '../../functions/http/route-types.ts';
import { mintToken } from './local-auth.ts';

export const DEV_TOKEN_PATH = '/local/dev-token';
export const CONSOLE_CONFIG_PATH = '/console/config.json';

/** How long a development sign-in lasts. */
export const DEV_TOKEN_TTL_SECONDS = 8 * 3600;

/** What the console reads at start: locally, sign in through the development endpoint. */
export const LOCAL_CONSOLE_CONFIG = { signIn: 'local', devTokenUrl: DEV_TOKEN_PATH } as const;

const DevTokenBody = z.strictObject({
  org: z.string().check(
    z.regex(
      ORG_PATTERN,
      'org is 2 to 63 lowercase letters, digits and hyphens, starting with a letter or digit.',
    ),
    z.refine((o) => o !== PUBLIC_ORG, `"${PUBLIC_ORG}" is the shipped bank, not an organisation.`),
  ),
  roles: z
    .array(z.enum(['author', 'employer'], { error: 'Each role is author or employer.' }))
    .check(z.minLength(1, 'Choose at least one role.'), z.maxLength(2)),
  name: z.optional(z.string().check(z.minLength(1), z.maxLength(100))),
});

const NO_STORE = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };

function json(res: ServerResponse, status: number, body: unknown, headers = {}): true {
  res.writeHead(status, { 'content-type': 'application/json', ...NO_STORE, ...headers });
  res.end(JSON.stringify(body));
  return true;
}

function problem(
  res: ServerResponse,
  status: number,
  code: string,
  title: string,
  detail: string,
  extra: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): true {
  res.writeHead(status, { 'content-type': PROBLEM_CONTENT_TYPE, ...NO_STORE, ...headers });
  res.end(
    JSON.stringify({ type: problemType(code), code, title, status, detail, ...extra }, null, 0),
  );
  return true;
}

/** 127.0.0.0/8, ::1, and IPv4-mapped loopback. */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  if (isIP(v4) === 4) return v4.startsWith('127.');
  return address === '::1';
}

/** `localhost`, `127.x.y.z` or `[::1]`, with or without a port. */
export function isLoopbackHost(host: string | undefined): boolean {
  if (!host) return false;
  const name = host.startsWith('[') ? host.slice(1, host.indexOf(']')) : host.split(':')[0]!;
  return name === 'localhost' || isLoopbackAddress(name);
}

async function readSmallBody(req: IncomingMessage, limit = 4096): Promise<string | undefined> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Answer the local-only routes. Returns false for any other path (the gateway goes on to the
 * web apps and the API).
 */
export async function serveLocalRoutes(
  req: IncomingMessage,
  res: ServerResponse,
): Promise<boolean> {
  const method = req.method ?? 'GET';
  const path = (req.url ?? '/').split('?')[0]!;
  if (path === CONSOLE_CONFIG_PATH && (method === 'GET' || method === 'HEAD')) {
    return json(res, 200, LOCAL_CONSOLE_CONFIG);
  }
  if (path !== DEV_TOKEN_PATH) return false;
  if (method !== 'POST') {
    return problem(
      res,
      405,
      'method-not-allowed',
      'Method not allowed',
      `${DEV_TOKEN_PATH} answers POST only.`,
      {},
      { allow: 'POST' },
    );
  }
  const origin = req.headers.origin;
  const host = req.headers.host;
  if (
    !isLoopbackAddress(req.socket.remoteAddress) ||
    !isLoopbackHost(host) ||
    (origin !== undefined && origin !== `http://${host}`)
  ) {
    return problem(
      res,
      403,
      'forbidden',
      'Forbidden',
      'The development sign-in answers only requests from this machine, to a loopback address, from its own pages.',
    );
  }
  if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) {
    return problem(
      res,
      415,
      'unsupported-media-type',
      'Unsupported media type',
      'Send the sign-in as application/json: {"org": "demo", "roles": ["employer"]}.',
    );
  }
  const text = await readSmallBody(req);
  let raw: unknown;
  try {
    raw = text === undefined ? undefined : JSON.parse(text);
  } catch {
    raw = undefined;
  }
  if (raw === undefined) {
    return problem(
      res,
      400,
      'malformed-body',
      'Malformed request body',
      'The body is missing, larger than 4 KB or not valid JSON.',
    );
  }
  const parsed = DevTokenBody.safeParse(raw);
  if (!parsed.success) {
    const errors = parsed.error.issues.map((i) => ({
      path: i.path.join('.') || '(body)',
      message: i.message,
    }));
    return problem(
      res,
      400,
      'validation-failed',
      'Validation failed',
      errors.map((e) => `${e.path}: ${e.message}`).join(' '),
      { errors },
    );
  }
  const { org, roles, name } = parsed.data;
  const unique = [...new Set(roles)] as Role[];
  const subject = `dev-${name ? name.toLowerCase().replace(/[^a-z0-9]+/g, '-') : unique.join('-')}@${org}`;
  const token = await mintToken({ roles: unique, org, subject, ttlSeconds: DEV_TOKEN_TTL_SECONDS });
  return json(res, 200, {
    token,
    org,
    roles: unique,
    expiresAt: new Date(Date.now() + DEV_TOKEN_TTL_SECONDS * 1000).toISOString(),
  });
}
