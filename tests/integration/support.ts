import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, inject } from 'vitest';
import { ensureTable } from '../../functions/data/admin.ts';
import { onDynamoCall } from '../../functions/data/client.ts';
import type { Role } from '../../functions/http/route-types.ts';
import { createGateway } from '../../infra/local/gateway.ts';
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
 */
export function useTestApi(): TestApi {
  const api = { base: '', table: '' } as TestApi;
  let server: ReturnType<typeof createGateway> | undefined;
  beforeAll(async () => {
    process.env.DYNAMODB_ENDPOINT = inject('dynamoEndpoint');
    process.env.TABLE_NAME = api.table = `test-${randomBytes(6).toString('hex')}`;
    process.env.ASSAY_LOCAL_DIR ??= '.local';
    await useLocalIssuer();
    await ensureTable(api.table);
    server = createGateway();
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
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
  api.request = async (method, path, opts = {}) => {
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
    const res = await fetch(`${api.base}${path}`, {
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
  };
  api.token = (role, org = 'acme') => mintToken({ roles: [role], org, subject: `${role}@${org}` });
  return api;
}
