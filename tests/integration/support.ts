import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, inject } from 'vitest';
import { ensureTable } from '../../functions/data/admin.ts';
import { onDynamoCall } from '../../functions/data/client.ts';
import type { Role } from '../../functions/http/route-types.ts';
import { createGateway, LISTEN_BACKLOG } from '../../infra/local/gateway.ts';
import { mintToken, useLocalIssuer } from '../../infra/local/local-auth.ts';

export interface ApiResponse {
  status: number;
  headers: Headers;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: test assertions read arbitrary JSON
  body: any;
}

export interface RequestOptions {
  token?: string;
  body?: unknown;
  /** Sent as is (with this content type) instead of JSON. */
  raw?: string | Uint8Array;
  contentType?: string;
  headers?: Record<string, string>;
}

export interface TestApi {
  base: string;
  table: string;
  request(method: string, path: string, opts?: RequestOptions): Promise<ApiResponse>;
  token(role: Role, org?: string): Promise<string>;
}

/**
 * A real local gateway on a free loopback port, in front of a fresh table of its own in the
 * run's DynamoDB Local: every test file is isolated, and requests go over HTTP as a client's do.
 * The table has a stream only with `streams: true`, for a file that runs a stream consumer
 * (createStreamPoller): DynamoDB Local keeps every stream record of the run, and each write to a
 * streamed table slows down as they pile up (functions/data/admin.ts, ensureTable), which made
 * the files that ran late several times slower than alone (the imports suite 117 s against 30).
 */
export function useTestApi({ streams = false }: { streams?: boolean } = {}): TestApi {
  const api = { base: '', table: '' } as TestApi;
  let server: ReturnType<typeof createGateway> | undefined;
  beforeAll(async () => {
    process.env.DYNAMODB_ENDPOINT = inject('dynamoEndpoint');
    process.env.TABLE_NAME = api.table = `test-${randomBytes(6).toString('hex')}`;
    process.env.ASSAY_LOCAL_DIR ??= '.local';
    await useLocalIssuer();
    await ensureTable(api.table, { stream: streams });
    server = createGateway();
    await new Promise<void>((r) =>
      server!.listen({ port: 0, host: '127.0.0.1', backlog: LISTEN_BACKLOG }, r),
    );
    api.base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  // No request path may Scan: every file's whole run is watched for one.
  const scans: string[] = [];
  const stopWatching = onDynamoCall((c) => {
    if (c.operation === 'Scan') scans.push(c.operation);
  });
  afterAll(async () => {
    stopWatching();
    await new Promise((r) => server?.close(r));
    expect(scans, 'DynamoDB Scan calls made during this file').toEqual([]);
  });
  // As a well-behaved client does: a busy machine may answer 429 or 503 with Retry-After.
  api.request = (method, path, opts = {}) =>
    withRetryAfter(() => requestVia(api.base, method, path, opts));
  api.token = (role, org = 'acme') => mintToken({ roles: [role], org, subject: `${role}@${org}` });
  return api;
}

/** One request to the API at `base`, as a client sends it (JSON unless `raw`). */
export async function requestVia(
  base: string,
  method: string,
  path: string,
  opts: RequestOptions = {},
): Promise<ApiResponse> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let body: string | Uint8Array | undefined;
  if (opts.raw !== undefined) {
    body = opts.raw;
    headers['content-type'] = opts.contentType ?? 'text/plain';
  } else if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers['content-type'] = opts.contentType ?? 'application/json';
  }
  const res = await fetch(`${base}${path}`, {
    method,
    headers,
    ...(body !== undefined ? { body } : {}),
  });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: res.status, headers: res.headers, text, body: parsed };
}

/**
 * Send a request again after a 429 or a 503 with Retry-After (up to `tries` times), as the
 * API's clients are told to (docs/faults.md): wait at least Retry-After, longer after each
 * refusal in a row (up to four times as long); the last answer is returned.
 */
export async function withRetryAfter(
  send: () => Promise<ApiResponse>,
  tries = 10,
): Promise<ApiResponse> {
  for (let attempt = 1; ; attempt++) {
    const res = await send();
    const after = res.headers.get('retry-after');
    if (!(res.status === 429 || res.status === 503) || !after || attempt >= tries) return res;
    await new Promise((r) => setTimeout(r, backoffMs(Number(after), attempt)));
  }
}

/** How long a client waits before try `attempt + 1`: Retry-After, doubled per refusal, x4 at most. */
export const backoffMs = (retryAfterSeconds: number, attempt: number) =>
  retryAfterSeconds * 1000 * Math.min(2 ** (attempt - 1), 4) * (1 + Math.random() / 4);

/** Poll an import's status (`GET /v1/imports/{id}`) until it has succeeded or failed, or answers other than 200. */
export async function importFinished(
  api: TestApi,
  location: string,
  token: string,
  timeoutMs = 60_000,
): Promise<ApiResponse> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const res = await api.request('GET', location, { token });
    if (res.status !== 200 || ['succeeded', 'failed'].includes(res.body.status)) return res;
    if (Date.now() > until)
      throw new Error(`import still ${res.body.status} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
