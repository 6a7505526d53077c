import type { AddressInfo } from 'node:net';
import { createServer as createTcpServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { configureDynamoClient } from '../../functions/data/client.ts';
import { createGateway, FunctionSlots } from '../../infra/local/gateway.ts';

const tick = () => new Promise((r) => setTimeout(r, 10));

describe('a function’s concurrency in the local gateway', () => {
  it('runs at most its limit at once and admits waiting requests in order as others finish', async () => {
    const slots = new FunctionSlots({ limit: 2, queue: 5, maxWaitMs: 60_000 });
    const first = await slots.acquire();
    const second = await slots.acquire();
    const started: string[] = [];
    const third = slots.acquire().then((r) => started.push('third') && r);
    const fourth = slots.acquire().then((r) => started.push('fourth') && r);
    await tick();
    expect(slots.load).toEqual({ running: 2, waiting: 2 });
    expect(started).toEqual([]);
    (first as () => void)();
    await tick();
    expect(started).toEqual(['third']);
    (second as () => void)();
    await Promise.all([third, fourth]);
    expect(started).toEqual(['third', 'fourth']);
    expect(slots.load).toEqual({ running: 2, waiting: 0 });
  });

  it('throttles at once when its queue is full, and after maxWaitMs when no slot frees', async () => {
    const slots = new FunctionSlots({ limit: 1, queue: 1, maxWaitMs: 50 });
    const running = await slots.acquire();
    const waiting = slots.acquire();
    expect(await slots.acquire()).toBe('throttled');
    expect(await waiting).toBe('throttled');
    expect(slots.load).toEqual({ running: 1, waiting: 0 });
    (running as () => void)();
    (running as () => void)();
    expect(slots.load.running).toBe(0);
  });
});

describe('the local gateway when a function is saturated', () => {
  let blackHole: Server;
  const sockets: Socket[] = [];
  let gateway: ReturnType<typeof createGateway>;
  let base: string;

  beforeAll(async () => {
    // A database that accepts connections and never answers keeps the readiness check busy.
    blackHole = createTcpServer((s) => sockets.push(s));
    await new Promise<void>((r) => blackHole.listen(0, '127.0.0.1', r));
    vi.stubEnv(
      'DYNAMODB_ENDPOINT',
      `http://127.0.0.1:${(blackHole.address() as AddressInfo).port}`,
    );
    configureDynamoClient({});
    gateway = createGateway({ concurrency: { public: { limit: 1, queue: 0, maxWaitMs: 1000 } } });
    await new Promise<void>((r) => gateway.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    gateway.closeAllConnections();
    await new Promise((r) => gateway.close(r));
    for (const s of sockets) s.destroy();
    await new Promise((r) => blackHole.close(r));
    vi.unstubAllEnvs();
    configureDynamoClient({});
  });

  it('answers 429 as API Gateway throttles, with Retry-After, and serves again once it is free', async () => {
    const busy = fetch(`${base}/v1/health/ready`);
    // The readiness check holds the public function's one slot once it is calling the database.
    while (sockets.length === 0) await new Promise((r) => setTimeout(r, 20));
    const throttled = await fetch(`${base}/v1/health`);
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('content-type')).toBe('application/json');
    expect(throttled.headers.get('retry-after')).toBe('1');
    expect(await throttled.json()).toEqual({ message: 'Too Many Requests' });
    expect((await busy).status).toBe(503);
    expect((await fetch(`${base}/v1/health`)).status).toBe(200);
  }, 30_000);
});
