import { afterEach, describe, expect, it, vi } from 'vitest';
import { Api } from '../../../web/shared/api.ts';

afterEach(() => {
  vi.unstubAllGlobals();
});

const answering = (response: Response) => {
  vi.stubGlobal(
    'fetch',
    vi.fn(async () => response),
  );
};

describe("the web apps' API client", () => {
  it('takes an HTML page in place of the API (a Wi-Fi sign-in page, a CDN error page) as no answer, whatever its status', async () => {
    // Found from outside: a save answered 200 with an HTML page counted as saved.
    for (const status of [200, 201, 403, 503]) {
      answering(
        new Response('<html><body>Sign in to the hotel Wi-Fi</body></html>', {
          status,
          headers: { 'content-type': 'text/html; charset=utf-8' },
        }),
      );

      const res = await new Api().call('PUT', '/attempts/a/answers/q1', { body: { answer: 'o1' } });

      expect(res, String(status)).toEqual({ status: 0, body: undefined });
    }
  });

  it('gives up a request unanswered after timeoutMs, headers or body, as no answer', async () => {
    vi.useFakeTimers();
    try {
      // A stalled connection: the fetch never settles until it is aborted.
      const stalled = vi.fn(
        (_url: string, init: RequestInit) =>
          new Promise<Response>((_, reject) =>
            init.signal?.addEventListener('abort', () =>
              reject(new DOMException('', 'AbortError')),
            ),
          ),
      );
      vi.stubGlobal('fetch', stalled);
      const headers = new Api().call('PUT', '/attempts/a/answers/q1', { timeoutMs: 35_000 });
      await vi.advanceTimersByTimeAsync(35_000);
      expect(await headers).toEqual({ status: 0, body: undefined });

      // Headers came, the body stalls.
      vi.stubGlobal(
        'fetch',
        vi.fn(
          async (_url: string, init: RequestInit) =>
            new Response(
              new ReadableStream({
                start(c) {
                  init.signal?.addEventListener('abort', () => c.error(new Error('aborted')));
                },
              }),
              { status: 200, headers: { 'content-type': 'application/json' } },
            ),
        ),
      );
      const body = new Api().call('GET', '/attempts/a', { timeoutMs: 35_000 });
      await vi.advanceTimersByTimeAsync(35_000);
      expect(await body).toEqual({ status: 0, body: undefined });
    } finally {
      vi.useRealTimers();
    }
  });

  it("passes the API's own answers through: JSON, a problem, and text it was asked for", async () => {
    answering(
      new Response('{"savedAt":"2026-12-01T00:00:00.000Z"}', {
        status: 200,
        headers: { 'content-type': 'application/json' },
      }),
    );
    expect(await new Api().call('GET', '/attempts/a')).toMatchObject({
      status: 200,
      body: { savedAt: '2026-12-01T00:00:00.000Z' },
    });
    answering(
      new Response('{"status":503,"detail":"busy"}', {
        status: 503,
        headers: { 'content-type': 'application/problem+json', 'retry-after': '2' },
      }),
    );
    expect(await new Api().call('GET', '/attempts/a')).toMatchObject({
      status: 503,
      body: { detail: 'busy' },
    });
    answering(new Response('a,b\n1,2\n', { status: 200, headers: { 'content-type': 'text/csv' } }));
    expect(await new Api().call('GET', '/results.csv', { accept: 'text/csv' })).toMatchObject({
      status: 200,
      text: 'a,b\n1,2\n',
    });
  });
});
