import { type AddressInfo, createServer, type Server, type Socket } from 'node:net';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { BREAKER_OPEN_MS, configureDynamoClient, db } from '../../functions/data/client.ts';
import { probeTable } from '../../functions/data/health.ts';
import { withDeadline } from '../../functions/domain/deadline.ts';

/**
 * A database stand-in on a TCP port: in `silent` mode it accepts connections and never answers
 * (DynamoDB Local stopped with SIGSTOP, as far as a client can tell); in `answer` mode it
 * answers every request as DynamoDB answers a GetItem of a missing item.
 */
let mode: 'silent' | 'answer' = 'silent';
let requests = 0;
const sockets: Socket[] = [];
let server: Server;

beforeAll(async () => {
  server = createServer((socket) => {
    sockets.push(socket);
    socket.on('data', (chunk) => {
      if (!chunk.toString('latin1').startsWith('POST ')) return;
      requests++;
      if (mode === 'answer') {
        socket.write(
          'HTTP/1.1 200 OK\r\ncontent-type: application/x-amz-json-1.0\r\ncontent-length: 2\r\n\r\n{}',
        );
      }
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  vi.stubEnv('DYNAMODB_ENDPOINT', `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});

afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise((r) => server.close(r));
  vi.unstubAllEnvs();
  configureDynamoClient({ requestTimeoutMs: 1500, maxAttempts: 3 });
});

beforeEach(() => {
  mode = 'silent';
  // A fresh client (and breaker) per test; one attempt of 200 ms keeps a silent database quick.
  configureDynamoClient({ requestTimeoutMs: 200, maxAttempts: 1 });
});

const read = () => db().send(new GetCommand({ TableName: 'assay', Key: { PK: 'A', SK: 'B' } }));

/** One call made as a request's work (under its deadline): how it ended and how long it took. */
async function inRequest(): Promise<{ fault?: string; ms: number }> {
  const started = performance.now();
  try {
    await withDeadline(new AbortController().signal, read);
    return { ms: performance.now() - started };
  } catch (err) {
    return {
      fault: (err as { fault?: string }).fault ?? String(err),
      ms: performance.now() - started,
    };
  }
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('requests when the database cannot be reached', () => {
  it('answer 503 at once, without calling it, for a second after a call could not reach it', async () => {
    // Found from outside: with DynamoDB Local paused and 400 requests in flight, every request
    // still waited its turn to time out against it (503 after 11 s at the median, 23.5 s at
    // worst, and 333 throttled after 20 s in the gateway's queue).
    expect((await inRequest()).fault).toBe('request-timeout');
    const before = requests;

    const next = await inRequest();

    expect(next.fault).toBe('database-unreachable');
    // Not sent (the count below), and not waiting out the 200 ms attempt either: a bound below
    // it, not a tight one, so a busy machine's stalled event loop does not fail the test.
    expect(next.ms).toBeLessThan(150);
    expect(requests).toBe(before);
  }, 10_000);

  it("not open when a request's deadline cuts a call before a whole attempt's time", async () => {
    // The deadline (100 ms) well inside one attempt's time (1 s): a busy machine's stalled event
    // loop must not let the attempt time out first (it did at 200 ms, in a busy CI run).
    configureDynamoClient({ requestTimeoutMs: 1000, maxAttempts: 3 });
    const quick = new AbortController();
    setTimeout(() => quick.abort(), 100);
    await expect(withDeadline(quick.signal, read)).rejects.toMatchObject({ fault: 'deadline' });
    const before = requests;
    expect((await inRequest()).fault).toBe('request-timeout');
    expect(requests).toBeGreaterThan(before);
  }, 20_000);

  it("refuse the SDK's retry of a request's call whose attempt timed out: it answers with that attempt's fault, the deadline unspent", async () => {
    // Found from outside: a call in flight when DynamoDB Local was paused timed out its first
    // attempt, and the SDK's retry then waited out the request's deadline, holding its
    // function's slot (503s after 10-28 s under load). The timeout opens the breaker, which
    // refuses the retry like any other call. (A deadline that cuts a call with no answer for a
    // whole attempt still opens it: reached now only when another call's answer closed the
    // breaker between this call's attempts.)
    configureDynamoClient({ requestTimeoutMs: 200, maxAttempts: 5 });
    const before = requests;
    const late = new AbortController();
    const timer = setTimeout(() => late.abort(), 5000);
    const started = performance.now();
    await expect(withDeadline(late.signal, read)).rejects.toMatchObject({
      fault: 'request-timeout',
    });
    clearTimeout(timer);

    expect(requests).toBe(before + 1);
    expect(performance.now() - started).toBeLessThan(5000);
    expect((await inRequest()).fault).toBe('database-unreachable');
  }, 20_000);

  it('let one call ask the database again once the second is over, while the others still answer at once', async () => {
    await inRequest();
    await pause(BREAKER_OPEN_MS + 100);
    const before = requests;

    const probe = inRequest();
    const others = await Promise.all([inRequest(), inRequest()]);

    expect(others.map((o) => o.fault)).toEqual(['database-unreachable', 'database-unreachable']);
    expect((await probe).fault).toBe('request-timeout');
    expect(requests).toBe(before + 1);
  }, 10_000);

  it('serve again from the first answer the database gives', async () => {
    await inRequest();
    mode = 'answer';
    await pause(BREAKER_OPEN_MS + 100);

    expect((await inRequest()).fault).toBeUndefined();
    expect((await inRequest()).fault).toBeUndefined();
  }, 10_000);

  it('never refuse the readiness check or work outside a request: those always ask the database', async () => {
    await inRequest();
    const before = requests;

    await expect(
      withDeadline(new AbortController().signal, () => probeTable(300)),
    ).rejects.toMatchObject({
      fault: 'request-timeout',
    });
    mode = 'answer';
    await read();

    expect(requests).toBe(before + 2);
    // The background call's answer proved the database reachable: requests are served again.
    expect((await inRequest()).fault).toBeUndefined();
  }, 10_000);
});
