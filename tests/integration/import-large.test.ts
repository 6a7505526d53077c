/**
 * A 50,000-question import (issue 11 item 8, docs/imports.md), part-wise and gzip-compressed as
 * `assay import` sends it, on a DynamoDB Local of the test's own (it runs in the heavy group,
 * whose files stop and load DynamoDB Locals of their own): every part is answered promptly, the
 * job imports the whole bank without running into any timeout, and a reader polling throughout
 * sees none of it or all of it, never part.
 */
import { gzipSync } from 'node:zlib';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startOwnStack } from './own-stack.ts';

// The copies of replaced heads are kept a minute after a commit for readers' snapshots; the
// test does not wait for the job's clean-up.
process.env.IMPORT_CLEANUP_DELAY_MS = '100';

// LARGE_IMPORT_QUESTIONS=100000 measures a bigger bank by hand (parts of 5,000 questions each).
const N = Number(process.env.LARGE_IMPORT_QUESTIONS ?? 50_000);
const PARTS = Math.ceil(N / 5000);

const single = (i: number) => ({
  id: `big-${i}`,
  area: 'security',
  type: 'single',
  difficulty: 1 + (i % 3),
  prompt: `Which header carries the bearer token of request number ${i}?`,
  options: [
    { id: 'a', text: 'Authorization' },
    { id: 'b', text: 'Accept' },
    { id: 'c', text: 'Host' },
  ],
  answer: 'a',
  explanation: 'A bearer token travels in the Authorization header.',
  tags: ['http-auth'],
});

describe(`a ${N.toLocaleString('en')}-question import`, () => {
  it('takes its parts promptly, imports them whole in the job, and a reader never sees part of it', async () => {
    // Arrange: a stack of the test's own and a reader of the first and last question.
    const stack = await startOwnStack();
    onTestFinished(() => stack.close());
    const author = await stack.token('author', 'large');
    const bank = { id: 'big-bank', title: 'Fifty thousand' };
    const questions = Array.from({ length: N }, (_, i) => single(i));
    let reading = true;
    const observations: { first: number; last: number }[] = [];
    const reader = (async () => {
      while (reading) {
        // First, last, first again: when both reads of the first agree, no commit fell between
        // them (visibility only turns on), so the last must agree too; a straddle says nothing.
        const first = await stack.request('GET', '/v1/questions/big-0', { token: author });
        const last = await stack.request('GET', `/v1/questions/big-${N - 1}`, { token: author });
        const again = await stack.request('GET', '/v1/questions/big-0', { token: author });
        if (again.status === first.status)
          observations.push({ first: first.status, last: last.status });
        await new Promise((r) => setTimeout(r, 250));
      }
    })();

    // Act: create the import, send the parts gzip-compressed, follow it to its end.
    const started = performance.now();
    const created = await stack.request('POST', '/v1/imports', {
      token: author,
      body: { bank, parts: PARTS },
      headers: { 'idempotency-key': `large-import-${N}-${PARTS}-key` },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id = created.body.importId as string;
    const partMs: number[] = [];
    const size = Math.ceil(N / PARTS);
    for (let p = 0; p < PARTS; p++) {
      const body = gzipSync(
        JSON.stringify({ bank, questions: questions.slice(p * size, (p + 1) * size) }),
      );
      const t = performance.now();
      const res = await fetch(`${stack.base}/v1/imports/${id}/parts/${p + 1}`, {
        method: 'PUT',
        headers: {
          authorization: `Bearer ${author}`,
          'content-type': 'application/json',
          'content-encoding': 'gzip',
        },
        body,
      });
      partMs.push(performance.now() - t);
      expect(res.status, await res.clone().text()).toBeLessThan(300);
      await res.arrayBuffer();
    }
    let status: Record<string, unknown> = {};
    const statuses = new Set<string>();
    const until = Date.now() + 1_200_000;
    for (;;) {
      const res = await stack.request('GET', `/v1/imports/${id}`, { token: author });
      expect(res.status).toBe(200);
      status = res.body;
      statuses.add(String(status.status));
      if (status.status === 'succeeded' || status.status === 'failed') break;
      if (Date.now() > until) throw new Error(`import still ${status.status} after 20 minutes`);
      await new Promise((r) => setTimeout(r, 1000));
    }
    const finishedMs = performance.now() - started;
    reading = false;
    await reader;

    // Assert: all of it, in one step for readers.
    expect(status).toMatchObject({
      status: 'succeeded',
      imported: N,
      created: N,
      errors: [],
      progress: { phase: 'done', done: N, total: N },
    });
    expect(statuses).not.toContain('failed');
    // Each part is answered well inside the gateway's 30 s integration timeout.
    expect(Math.max(...partMs)).toBeLessThan(29_000);
    expect(observations.some((o) => o.first === 404)).toBe(true);
    for (const o of observations) expect(o.last, JSON.stringify(o)).toBe(o.first);
    const [first, last] = await Promise.all([
      stack.request('GET', '/v1/questions/big-0', { token: author }),
      stack.request('GET', `/v1/questions/big-${N - 1}`, { token: author }),
    ]);
    expect([first.status, last.status]).toEqual([200, 200]);
    console.log(
      `${N.toLocaleString('en')}-question import: parts answered in ${Math.max(...partMs).toFixed(0)} ms at most, succeeded after ${(finishedMs / 1000).toFixed(1)} s; ${observations.length} reader observations`,
    );
  }, 1_500_000);
});
