import { request } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createGateway, type RequestLine } from '../../infra/local/gateway.ts';

const lines: RequestLine[] = [];
let gateway: ReturnType<typeof createGateway>;
let port: number;

beforeAll(async () => {
  gateway = createGateway({ onRequest: (line) => lines.push(line) });
  await new Promise<void>((r) => gateway.listen(0, '127.0.0.1', r));
  port = (gateway.address() as AddressInfo).port;
});

afterAll(async () => {
  gateway.closeAllConnections();
  await new Promise((r) => gateway.close(r));
});

describe('the local gateway when a client goes away before its body ends', () => {
  it('logs it as the client closing the request (499), not as a 500 with a stack trace', async () => {
    // Found from outside: a client that sent half a body and hung up made the gateway print
    // "gateway error Error: aborted" with its stack and log a 500, the status it reserves for
    // bugs in our code; no function ran and no one was answered.
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      await new Promise<void>((resolve, reject) => {
        const socket = connect(port, '127.0.0.1', () => {
          socket.write(
            'PUT /v1/attempts/01M8PH4Q75BMT4ZWB994WRHRJ4/answers/some-question HTTP/1.1\r\n' +
              'Host: localhost\r\nContent-Type: application/json\r\nAuthorization: Bearer x\r\n' +
              'Content-Length: 100\r\n\r\n{"answer"',
          );
          setTimeout(() => {
            socket.destroy();
            resolve();
          }, 100);
        });
        socket.on('error', reject);
      });
      const deadline = Date.now() + 5000;
      while (lines.length === 0 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 20));
      }

      expect(lines.map((l) => [l.method, l.status])).toEqual([['PUT', 499]]);
      expect(errors.mock.calls.flat().join(' ')).not.toMatch(/gateway error|at /);
    } finally {
      errors.mockRestore();
    }
  }, 10_000);
});

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

  it('names the line where the request broke, not the longest one', async () => {
    const answer = await raw(port, 'GET /v1/health HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n');

    expect(answer).toMatch(/HPE_INVALID_HEADER_TOKEN at the line \\"Bad Header\\"/);
    expect(answer).not.toMatch(/request line/);
  });

  it('answers a request pipelined before a broken one first, then the 400', async () => {
    // The 400 was written at once, ahead of the answer to the request before it: its client
    // read the problem as that request's answer, and the real answer was lost.
    const answer = await raw(
      port,
      'GET /v1/health HTTP/1.1\r\nHost: x\r\n\r\nGET /v1/health HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n',
    );

    expect(answer).toMatch(/^HTTP\/1\.1 200 .*\{"status":"ok"\}.*HTTP\/1\.1 400 /s);
    expect(answer).toMatch(/"code":"malformed-request"/);
  });
});
