import { createServer, type Server, type Socket } from 'node:net';
import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { configureDynamoClient } from '../../functions/data/client.ts';
import { probeTable } from '../../functions/data/health.ts';
import { currentDeadline } from '../../functions/domain/deadline.ts';
import { UnavailableError } from '../../functions/domain/errors.ts';
import { createHttpHandler, type HttpEvent, type Operation } from '../../functions/http/api.ts';
import type { RouteDef } from '../../functions/http/route-types.ts';
import { DEADLINE_MARGIN_MS } from '../../functions/http/timeouts.ts';

const route: RouteDef = {
  operationId: 'work',
  method: 'GET',
  path: '/v1/work',
  group: 'public',
  access: 'public',
  responses: { 200: {} },
};

const event = () =>
  ({
    version: '2.0',
    routeKey: 'GET /v1/work',
    rawPath: '/v1/work',
    rawQueryString: '',
    headers: {},
    requestContext: {
      http: { method: 'GET', path: '/v1/work', sourceIp: '127.0.0.1' },
      requestId: 'req-1',
    },
    isBase64Encoded: false,
  }) as unknown as HttpEvent;

/** A Lambda context whose function has `ms` left from now. */
function contextWith(ms: number): Context {
  const started = Date.now();
  return { getRemainingTimeInMillis: () => ms - (Date.now() - started) } as Context;
}

/** Run one invocation of `work` and capture what it logs. */
async function invoke(work: Operation, context: Context = {} as Context) {
  const logged: string[] = [];
  const capture = (chunk: unknown) => {
    logged.push(String(chunk));
    return true;
  };
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(capture);
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(capture);
  try {
    const started = performance.now();
    const res = await createHttpHandler('public', [route], { work })(event(), context);
    return { res, ms: performance.now() - started, logged: logged.join('') };
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
}

/** The WARN lines a test's invocation logged, parsed. */
const warnings = (logged: string) =>
  logged
    .split('\n')
    .filter((l) => l.includes('"level":"WARN"'))
    .map((l) => JSON.parse(l));

describe('an unexpected error in an operation', () => {
  it('becomes a bare 500 problem+json that quotes the request id, and is logged', async () => {
    const { res, logged } = await invoke(async () => {
      throw new Error('database password is hunter2');
    });
    expect(res.statusCode).toBe(500);
    expect(res.headers?.['content-type']).toBe('application/problem+json');
    const body = JSON.parse(res.body!);
    expect(body).toMatchObject({ status: 500, code: 'internal' });
    expect(body.detail).toContain('req-1');
    expect(res.body).not.toContain('hunter2');
    expect(logged).toContain('Unhandled error');
  });
});

describe('a fault in an operation', () => {
  it('is a 503 problem+json with Retry-After, logged once with its cause and nothing leaked', async () => {
    const cause = Object.assign(new Error('connect ECONNREFUSED 10.0.0.7:8000'), {
      code: 'ECONNREFUSED',
    });
    const { res, logged } = await invoke(async () => {
      throw new UnavailableError('connection-refused', 1, { cause });
    });
    expect(res.statusCode).toBe(503);
    expect(res.headers?.['content-type']).toBe('application/problem+json');
    expect(res.headers?.['retry-after']).toBe('1');
    const body = JSON.parse(res.body!);
    expect(body).toMatchObject({ status: 503, code: 'unavailable', title: 'Service unavailable' });
    expect(body.detail).toMatch(/Retry in 1 second/);
    expect(res.body).not.toContain('10.0.0.7');
    const lines = warnings(logged);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      message: 'Unavailable',
      fault: 'connection-refused',
      error: { code: 'ECONNREFUSED' },
    });
  });

  it('is answered before the function runs out of time, and the work left behind sees its deadline aborted', async () => {
    let seen: AbortSignal | undefined;
    const { res, ms, logged } = await invoke(
      () => {
        seen = currentDeadline();
        return new Promise(() => {});
      },
      contextWith(DEADLINE_MARGIN_MS + 300),
    );
    expect(res.statusCode).toBe(503);
    expect(res.headers?.['retry-after']).toBe('1');
    expect(ms).toBeLessThan(DEADLINE_MARGIN_MS + 300);
    expect(seen?.aborted).toBe(true);
    expect(warnings(logged)[0]).toMatchObject({ fault: 'function-timeout' });
  });
});

describe('a DynamoDB call under a request deadline', () => {
  let blackHole: Server;
  const sockets: Socket[] = [];
  let closedPort: number;

  beforeAll(async () => {
    // Accepts connections and never answers: a database that is paused.
    blackHole = createServer((s) => sockets.push(s));
    await new Promise<void>((r) => blackHole.listen(0, '127.0.0.1', r));
    const spare = createServer();
    await new Promise<void>((r) => spare.listen(0, '127.0.0.1', r));
    closedPort = (spare.address() as { port: number }).port;
    await new Promise((r) => spare.close(r));
  });

  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((r) => blackHole.close(r));
    vi.unstubAllEnvs();
    configureDynamoClient({});
  });

  const useEndpoint = (port: number) => {
    vi.stubEnv('DYNAMODB_ENDPOINT', `http://127.0.0.1:${port}`);
    configureDynamoClient({});
  };

  it('is cut by the deadline when the database does not answer, long before the SDK gives up', async () => {
    useEndpoint((blackHole.address() as { port: number }).port);
    let settled: (err: unknown) => void = () => {};
    const call = new Promise<unknown>((resolve) => {
      settled = resolve;
    });
    const { res, logged } = await invoke(
      () =>
        probeTable(60_000).then(
          () => ({}),
          (err) => {
            settled(err);
            throw err;
          },
        ),
      contextWith(DEADLINE_MARGIN_MS + 500),
    );
    expect(res.statusCode).toBe(503);
    expect(res.headers?.['retry-after']).toBe('1');
    expect(warnings(logged).map((l) => l.fault)).toEqual(['function-timeout']);
    // The call itself was aborted by the deadline (500 ms), not by the SDK's 1.5 s per-attempt timeout.
    expect(await call).toMatchObject({ code: 'unavailable', fault: 'deadline' });
  }, 20_000);

  it('fails at once with 503 when the database refuses connections', async () => {
    useEndpoint(closedPort);
    const { res, logged } = await invoke(
      () => probeTable(60_000).then(() => ({})),
      contextWith(10_000),
    );
    expect(res.statusCode).toBe(503);
    expect(warnings(logged).map((l) => l.fault)).toEqual(['connection-refused']);
  }, 20_000);
});
