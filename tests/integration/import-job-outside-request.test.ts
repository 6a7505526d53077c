/**
 * The import job runs outside the request that queued it, as its own function does in AWS
 * (docs/imports.md, "The job"). Locally the job runs in the gateway's process; it used to run
 * in the async context of the upload's request and so carried that request's deadline: the
 * request's short per-attempt timeouts, the circuit breaker's refusals of requests' calls, and
 * the request's abort signal, which failed every call the job made once the request's time ran
 * out, although the job has 15 minutes of its own.
 */
import { describe, expect, it } from 'vitest';
import { getImport } from '../../functions/data/imports.ts';
import { currentDeadline, withDeadline } from '../../functions/domain/deadline.ts';
import { uploadBank } from '../../functions/services/imports.ts';
import { sampleBank } from './fixtures.ts';
import { useTestApi } from './support.ts';

useTestApi();

describe('an import job started by a request', () => {
  it('keeps running on its own budget after the request that started it has run out of time', async () => {
    // Arrange: an upload request queues a bank for the job (Prefer: respond-async), under a
    // request deadline as every request runs.
    const org = 'own-budget';
    const text = JSON.stringify(sampleBank('own-budget', 100));
    const requestDeadline = new AbortController();

    // Act: the request answers 202, then its deadline passes (its function's time is over).
    const answer = await withDeadline(requestDeadline.signal, () =>
      uploadBank(
        { org, subject: 'author-1' },
        { text, spec: { format: 'json' } },
        { async: true, now: new Date() },
      ),
    );
    requestDeadline.abort();
    expect(currentDeadline()).toBeUndefined();
    expect(answer.status).toBe(202);
    const importId = answer.body.importId;
    let rec = await getImport(org, importId);
    for (let i = 0; i < 600 && (rec?.status === 'queued' || rec?.status === 'running'); i++) {
      await new Promise((r) => setTimeout(r, 100));
      rec = await getImport(org, importId);
    }

    // Assert: the job imported the bank. Before the fix its first call (the claim) was cut by
    // the request's deadline (`fault: deadline`), so the import stayed "queued", unable even to
    // record its failure, until it read "never started" 20 minutes later.
    expect({
      status: rec?.status,
      code: rec?.code,
      detail: rec?.detail,
      error: rec?.errors?.[0]?.message,
    }).toEqual({
      error: undefined,
      status: 'succeeded',
      code: undefined,
      detail: undefined,
    });
    expect(rec?.counts).toMatchObject({ imported: 200, created: 200 });
  }, 120_000);
});
