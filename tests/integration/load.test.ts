/**
 * Capacity through the local gateway's concurrency model: 200 candidates save 20 answers each,
 * 400 requests in flight, on a DynamoDB Local of the test's own. A client that does what the
 * API asks (wait Retry-After after a 429 or 503, then send the same request again) loses
 * nothing, never sees a 5xx other than 503 with Retry-After, and never has a connection closed
 * under it. Figures are reported, not asserted against a wall clock.
 */
import { describe, expect, it, onTestFinished } from 'vitest';
import { HttpClient, type HttpResponse } from '../../bench/lib/http.ts';
import { quantile } from '../../bench/lib/stats.ts';
import { inParallel } from '../../bench/lib/workflow.ts';
import { onDynamoCall } from '../../functions/data/client.ts';
import { perfectAnswer } from './fixtures.ts';
import { inviteCandidates, startOwnStack } from './own-stack.ts';
import { backoffMs } from './support.ts';

const CANDIDATES = 200;
const SAVES = 20;
const IN_FLIGHT = 400;
const MAX_TRIES = 30;

interface Tally {
  statuses: Map<string, number>;
  /** 5xx answers other than 503 with Retry-After: each one is a bug. */
  bad: string[];
  /** Requests that ended without an HTTP answer (a closed or reset connection), and why. */
  closed: string[];
  retries: number;
  ms: number[];
}

/**
 * Send a request until it is answered with something other than 429 or 503, waiting each
 * answer's Retry-After (with jitter) in between, as the API asks of clients.
 */
async function withRetries(tally: Tally, send: () => Promise<HttpResponse>) {
  for (let attempt = 1; ; attempt++) {
    const res = await send();
    tally.ms.push(res.ms);
    const key = res.status === 0 ? 'closed' : String(res.status);
    tally.statuses.set(key, (tally.statuses.get(key) ?? 0) + 1);
    if (res.status === 0) tally.closed.push(res.text);
    const retryAfter = res.headers['retry-after'];
    const retryable = (res.status === 429 || res.status === 503) && retryAfter;
    if (res.status >= 500 && !(res.status === 503 && retryAfter)) {
      tally.bad.push(`${res.status} ${res.text.slice(0, 200)}`);
    }
    if (!retryable || attempt >= MAX_TRIES) return res;
    tally.retries++;
    await new Promise((r) => setTimeout(r, backoffMs(Number(retryAfter), attempt)));
  }
}

describe('the local gateway under load', () => {
  it('loses no save of 200 candidates x 20 answers with 400 requests in flight', async () => {
    const stack = await startOwnStack();
    onTestFinished(() => stack.close());
    const { tokens } = await inviteCandidates(stack, CANDIDATES, SAVES);
    // One keep-alive socket per request in flight, as many browsers would open.
    const http = new HttpClient(stack.base, IN_FLIGHT);
    onTestFinished(() => http.close());
    const tally: Tally = { statuses: new Map(), bad: [], closed: [], retries: 0, ms: [] };
    const send = (method: string, path: string, token?: string, body?: unknown) =>
      http.request(method, path, {
        ...(token ? { token } : {}),
        ...(body === undefined ? {} : { body }),
        timeoutMs: 60_000,
      });

    const started = await inParallel(
      tokens.map(
        (t) => () =>
          withRetries(tally, () => send('POST', '/v1/attempts', undefined, { invitationToken: t })),
      ),
      IN_FLIGHT,
    );
    // A start retried after a 503 whose first try had landed resumes it: 200, same attempt.
    expect(started.filter((r) => r.status !== 201 && r.status !== 200)).toEqual([]);
    const attempts = started.map(
      (r) =>
        r.body as {
          attemptId: string;
          attemptToken: string;
          questions: { questionId: string; type: string }[];
        },
    );
    expect(attempts.every((a) => a.questions.length === SAVES)).toBe(true);

    const saveTally: Tally = { statuses: new Map(), bad: [], closed: [], retries: 0, ms: [] };
    // How long DynamoDB Local itself takes under this load: the SDK's per-attempt timeout
    // (5 s locally) must stay well above it.
    const dynamoMs: number[] = [];
    const stopWatching = onDynamoCall((c) => dynamoMs.push(c.ms));
    const t0 = performance.now();
    const saved = await inParallel(
      attempts.flatMap((a) =>
        a.questions.map(
          (q) => () =>
            withRetries(saveTally, () =>
              send('PUT', `/v1/attempts/${a.attemptId}/answers/${q.questionId}`, a.attemptToken, {
                answer: perfectAnswer(q),
              }),
            ),
        ),
      ),
      IN_FLIGHT,
    );
    const seconds = (performance.now() - t0) / 1000;
    stopWatching();

    // Nothing lost: every save was finally acknowledged, and every attempt holds all 20.
    const stored = await inParallel(
      attempts.map(
        (a) => () => stack.request('GET', `/v1/attempts/${a.attemptId}`, { token: a.attemptToken }),
      ),
      50,
    );
    const report = {
      saves: saved.length,
      seconds: Math.round(seconds * 10) / 10,
      perSecond: Math.round(saved.length / seconds),
      statuses: Object.fromEntries(saveTally.statuses),
      retries: saveTally.retries,
      p50ms: Math.round(quantile(saveTally.ms, 0.5)),
      p99ms: Math.round(quantile(saveTally.ms, 0.99)),
      dynamoP99ms: Math.round(quantile(dynamoMs, 0.99)),
      dynamoMaxMs: Math.round(Math.max(...dynamoMs)),
      startStatuses: Object.fromEntries(tally.statuses),
    };
    console.log(`load: ${JSON.stringify(report)}`);

    expect([...tally.closed, ...saveTally.closed], 'connections closed without an answer').toEqual(
      [],
    );
    expect([...tally.bad, ...saveTally.bad], '5xx other than 503 with Retry-After').toEqual([]);
    expect(saved.filter((r) => r.status !== 200).map((r) => `${r.status} ${r.text}`)).toEqual([]);
    for (const [i, a] of attempts.entries()) {
      expect(stored[i]!.status).toBe(200);
      expect(stored[i]!.body.answers).toEqual(
        Object.fromEntries(a.questions.map((q) => [q.questionId, perfectAnswer(q)])),
      );
    }
  }, 600_000);
});
