import { type AddressInfo, connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createGateway, type RequestLine } from '../../infra/local/gateway.ts';

describe('the local gateway when a client goes away before its body ends', () => {
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
