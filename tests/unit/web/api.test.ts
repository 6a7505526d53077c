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
