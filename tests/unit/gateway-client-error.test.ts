import { request } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGateway } from '../../infra/local/gateway.ts';

/** Send raw bytes, then read until the server closes; the whole answer as text. */
function raw(port: number, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect(port, '127.0.0.1', () => socket.end(bytes));
    socket.on('data', (c) => chunks.push(c));
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
    socket.on('error', reject);
  });
}

describe('the local gateway when Node refuses a request before any handler runs', () => {
  let gateway: ReturnType<typeof createGateway>;
  let port: number;

  beforeAll(async () => {
    gateway = createGateway();
    await new Promise<void>((r) => gateway.listen(0, '127.0.0.1', r));
    port = (gateway.address() as AddressInfo).port;
  });

  afterAll(async () => {
    gateway.closeAllConnections();
    await new Promise((r) => gateway.close(r));
  });

  it('answers headers past the limit with a 431 problem naming the longest header, not a reset', async () => {
    // Found from outside: a 100 KB header value with a body behind it was answered with a bare
    // "431" and no body, or, while the client was still sending, with a reset connection.
    const answer = await new Promise<{ status: number; type: string; body: string }>(
      (resolve, reject) => {
        const req = request(
          {
            host: '127.0.0.1',
            port,
            method: 'PUT',
            path: '/v1/attempts/01M8PH4Q75BMT4ZWB994WRHRJ4/answers/q1',
            headers: {
              'content-type': 'application/json',
              'x-padding': 'x'.repeat(100_000),
            },
          },
          (res) => {
            let body = '';
            res.on('data', (c) => {
              body += c;
            });
            res.on('end', () =>
              resolve({
                status: res.statusCode ?? 0,
                type: String(res.headers['content-type']),
                body,
              }),
            );
          },
        );
        req.on('error', reject);
        req.end(JSON.stringify({ answer: 'y'.repeat(200_000) }));
      },
    );

    expect(answer.status).toBe(431);
    expect(answer.type).toBe('application/problem+json');
    expect(JSON.parse(answer.body)).toMatchObject({
      status: 431,
      code: 'headers-too-large',
      detail: expect.stringMatching(/limited to \d+ bytes.*the header x-padding alone/),
    });
  });

  it('answers a request that is not HTTP with a 400 problem, and keeps serving', async () => {
    const answer = await raw(port, 'GET /v1/health HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n');

    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(answer).toMatch(/content-type: application\/problem\+json/);
    expect(answer).toMatch(/"code":"malformed-request"/);
    const health = await fetch(`http://127.0.0.1:${port}/v1/health`);
    expect(health.status).toBe(200);
  });
});
