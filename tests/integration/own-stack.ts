import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { expect } from 'vitest';
import { ensureTable } from '../../functions/data/admin.ts';
import { configureDynamoClient } from '../../functions/data/client.ts';
import type { Role } from '../../functions/http/route-types.ts';
import { type DynamoLocal, startDynamoLocal } from '../../infra/local/dynamodb-local.ts';
import { createGateway, type GatewayOptions, LISTEN_BACKLOG } from '../../infra/local/gateway.ts';
import { mintToken, useLocalIssuer } from '../../infra/local/local-auth.ts';
import { sampleBank } from './fixtures.ts';
import { type ApiResponse, type RequestOptions, requestVia } from './support.ts';

export interface OwnStack {
  base: string;
  dynamo: DynamoLocal;
  table: string;
  request(method: string, path: string, opts?: RequestOptions): Promise<ApiResponse>;
  token(role: Role, org?: string): Promise<string>;
  /** Stop the gateway and this stack's DynamoDB Local (resumed first if it was paused). */
  close(): Promise<void>;
}

/**
 * A DynamoDB Local of the test's own, with a table and a gateway in front: for tests that
 * pause, kill or overload the database without touching any other test's.
 */
export async function startOwnStack(gateway: GatewayOptions = {}): Promise<OwnStack> {
  const dynamo = await startDynamoLocal();
  process.env.DYNAMODB_ENDPOINT = dynamo.endpoint;
  process.env.TABLE_NAME = `own-${randomBytes(6).toString('hex')}`;
  process.env.ASSAY_LOCAL_DIR ??= '.local';
  configureDynamoClient({});
  await useLocalIssuer();
  const server = createGateway(gateway);
  await new Promise<void>((r) =>
    server.listen({ port: 0, host: '127.0.0.1', backlog: LISTEN_BACKLOG }, r),
  );
  await ensureTable(process.env.TABLE_NAME);
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    dynamo,
    table: process.env.TABLE_NAME,
    request: (method, path, opts) => requestVia(base, method, path, opts),
    token: (role, org = 'acme') => mintToken({ roles: [role], org, subject: `${role}@${org}` }),
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      dynamo.resume();
      await dynamo.stop();
    },
  };
}

export interface Candidates {
  assessmentId: string;
  employer: string;
  /** Invitation tokens, one per candidate. */
  tokens: string[];
}

/**
 * The sample bank uploaded, an assessment of `questions` questions over it (half security, half
 * collaboration) and `n` invitations to it.
 */
export async function inviteCandidates(
  stack: Pick<OwnStack, 'request' | 'token'>,
  n: number,
  questions = 10,
): Promise<Candidates> {
  const author = await stack.token('author');
  const employer = await stack.token('employer');
  const up = await stack.request('POST', '/v1/banks', { token: author, body: sampleBank('own') });
  expect(up.status).toBe(201);
  const a = await stack.request('POST', '/v1/assessments', {
    token: employer,
    body: {
      title: 'Own stack',
      timeLimitMinutes: 60,
      sections: [
        { area: 'security', count: Math.ceil(questions / 2) },
        { area: 'collaboration', count: Math.floor(questions / 2) },
      ],
    },
  });
  expect(a.status).toBe(201);
  const tokens: string[] = [];
  for (let i = 0; i < n; i += 500) {
    const inv = await stack.request('POST', `/v1/assessments/${a.body.assessmentId}/invitations`, {
      token: employer,
      body: {
        candidates: Array.from({ length: Math.min(500, n - i) }, (_, k) => ({
          name: `Candidate ${i + k}`,
        })),
        expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
      },
    });
    expect(inv.status).toBe(201);
    tokens.push(...inv.body.invitations.map((x: { token: string }) => x.token));
  }
  return { assessmentId: a.body.assessmentId, employer, tokens };
}

/** Poll `check` until it is true or `ms` pass; returns how long it took, or throws. */
export async function eventually(check: () => Promise<boolean>, ms: number): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < ms) {
    if (await check()) return performance.now() - started;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`Still not true after ${ms} ms`);
}
