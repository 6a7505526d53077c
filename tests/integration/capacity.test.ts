/**
 * Capacity per phase of one 20-question attempt, as AWS would bill it (ReturnConsumedCapacity
 * on every call, with DynamoDB Local's figures corrected where it under-counts: see
 * bench/lib/dynamo.ts). The goals are docs/access-patterns.md#capacity.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { syntheticBank } from '../../bench/lib/bank.ts';
import {
  type CapacityRecord,
  calibrate,
  capacity,
  installRecorder,
  readUnits,
  watch,
  writeUnits,
} from '../../bench/lib/dynamo.ts';
import { SECTIONS } from '../../bench/lib/workflow.ts';
import { clearAttemptCaches } from '../../functions/data/attempts.ts';
import { createStreamPoller } from '../../functions/data/stream-poller.ts';
import { handler as statistics } from '../../functions/jobs/stream.ts';
import { perfectAnswer } from './fixtures.ts';
import { type ApiResponse, useTestApi } from './support.ts';

const api = useTestApi({ streams: true });
let employer: string;

interface Phase {
  res: ApiResponse;
  calls: string[];
  records: CapacityRecord[];
  rcu: number;
  wcu: number;
}

/** Run one request (nothing else in flight) and price the DynamoDB calls it made. */
async function phase(send: () => Promise<ApiResponse>): Promise<Phase> {
  const w = watch();
  const res = await send();
  const win = w.stop();
  return {
    res,
    calls: win.calls.map((c) => c.operation),
    records: win.capacity,
    rcu: readUnits(win.capacity),
    wcu: writeUnits(win.capacity),
  };
}

async function newAssessment(title: string): Promise<string> {
  const res = await api.request('POST', '/v1/assessments', {
    token: employer,
    body: { title, timeLimitMinutes: 60, sections: SECTIONS, showResultToCandidate: true },
  });
  expect(res.status).toBe(201);
  return res.body.assessmentId;
}

async function invite(assessmentId: string, n: number): Promise<string[]> {
  const res = await api.request('POST', `/v1/assessments/${assessmentId}/invitations`, {
    token: employer,
    body: {
      candidates: Array.from({ length: n }, (_, i) => ({
        name: `Candidate ${i}`,
        email: `candidate${i}@example.com`,
      })),
      expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
    },
  });
  expect(res.status).toBe(201);
  return res.body.invitations.map((i: { token: string }) => i.token);
}

interface AttemptRun {
  attemptId: string;
  start: Phase;
  saves: Phase[];
  submit: Phase;
  result: Phase;
  report: Phase;
}

/** Start, answer all 20 questions, submit, read the candidate's result and the report. */
async function takeAttempt(token: string): Promise<AttemptRun> {
  const start = await phase(() =>
    api.request('POST', '/v1/attempts', { body: { invitationToken: token } }),
  );
  expect(start.res.status).toBe(201);
  const { attemptId, attemptToken, questions } = start.res.body;
  expect(questions).toHaveLength(20);
  const saves: Phase[] = [];
  for (const q of questions) {
    const save = await phase(() =>
      api.request('PUT', `/v1/attempts/${attemptId}/answers/${q.questionId}`, {
        token: attemptToken,
        body: { answer: perfectAnswer(q) },
      }),
    );
    expect(save.res.status).toBe(200);
    saves.push(save);
  }
  const submit = await phase(() =>
    api.request('POST', `/v1/attempts/${attemptId}/submit`, { token: attemptToken }),
  );
  expect(submit.res.status).toBe(200);
  const result = await phase(() =>
    api.request('GET', `/v1/attempts/${attemptId}/result`, { token: attemptToken }),
  );
  expect(result.res.status).toBe(200);
  const report = await phase(() =>
    api.request('GET', `/v1/attempts/${attemptId}/report`, { token: employer }),
  );
  expect(report.res.status).toBe(200);
  return { attemptId, start, saves, submit, result, report };
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const whole = (r: AttemptRun) => {
  const phases = [r.start, ...r.saves, r.submit, r.result];
  return { wcu: sum(phases.map((p) => p.wcu)), rcu: sum(phases.map((p) => p.rcu)) };
};

let cold: AttemptRun;
let warm: AttemptRun;

beforeAll(async () => {
  employer = await api.token('employer', 'capacity');
  const author = await api.token('author', 'capacity');
  // Questions sized like the shipped bank (about 1.7 KB stored), 10 per area.
  const up = await api.request('POST', '/v1/banks', {
    token: author,
    body: syntheticBank('cap', 130),
  });
  expect(up.status).toBe(201);
  installRecorder();
  // Price transactions as AWS does, from what this DynamoDB Local reports (bench/lib/dynamo.ts).
  await calibrate();
  capacity.enabled = true;
  // Cold: the first attempt of a new assessment, in a function that has read nothing yet.
  const first = await newAssessment('Capacity, cold');
  const [coldToken] = await invite(first, 1);
  clearAttemptCaches();
  cold = await takeAttempt(coldToken!);
  // Warm: a second candidate of the same assessment, caches as the first one left them.
  const [warmToken] = await invite(first, 1);
  warm = await takeAttempt(warmToken!);
}, 120_000);

describe('capacity of one 20-question attempt, priced as AWS bills it', () => {
  it('saves an answer with one conditional write of at most 1 WCU, every time', () => {
    for (const run of [cold, warm]) {
      for (const [i, save] of run.saves.entries()) {
        expect(save.calls, `save ${i + 1}`).toEqual(['UpdateItem']);
        expect(save.wcu, `save ${i + 1}`).toBeLessThanOrEqual(1);
        expect(save.rcu, `save ${i + 1}`).toBe(0);
      }
    }
  });

  it('submits with at most 8 WCU and no transaction', () => {
    for (const run of [cold, warm]) {
      expect(run.submit.wcu).toBeLessThanOrEqual(8);
      expect(run.submit.calls).not.toContain('TransactWriteItems');
    }
  });

  it('starts with one transaction only where the content is locked: the first start of a new assessment, lock and claim together', () => {
    expect(cold.start.calls.filter((c) => c === 'TransactWriteItems')).toHaveLength(1);
    expect(warm.start.calls).not.toContain('TransactWriteItems');
  });

  it('reads the candidate result and the employer report for at most 1 RCU each', () => {
    for (const run of [cold, warm]) {
      expect(run.result.rcu).toBeLessThanOrEqual(1);
      expect(run.result.wcu).toBe(0);
      expect(run.report.rcu).toBeLessThanOrEqual(1);
      expect(run.report.wcu).toBe(0);
    }
  });

  it('costs at most 40 WCU and 14 RCU for the first attempt of a new assessment', () => {
    const c = whole(cold);
    console.log(
      `cold attempt: ${c.wcu} WCU, ${c.rcu} RCU (start ${cold.start.wcu}/${cold.start.rcu}, submit ${cold.submit.wcu}/${cold.submit.rcu}, result ${cold.result.rcu}, report ${cold.report.rcu})`,
    );
    expect(c.wcu).toBeLessThanOrEqual(40);
    expect(c.rcu).toBeLessThanOrEqual(14);
  });

  it('costs at most 40 WCU and 12 RCU with warm caches', () => {
    const w = whole(warm);
    console.log(`warm attempt: ${w.wcu} WCU, ${w.rcu} RCU`);
    expect(w.wcu).toBeLessThanOrEqual(40);
    expect(w.rcu).toBeLessThanOrEqual(12);
  });

  it('applies a completion to the norms and item statistics for at most 25 WCU, once', async () => {
    capacity.enabled = false;
    const poller = createStreamPoller((e) => statistics(e));
    // Everything completed so far is applied first: the measured drain sees one completion.
    await poller.drain();
    const assessmentId = await newAssessment('Capacity, statistics');
    const [token] = await invite(assessmentId, 1);
    await takeAttempt(token!);
    capacity.enabled = true;
    const applied = await phase(async () => {
      await poller.drain();
      return { status: 200 } as ApiResponse;
    });
    console.log(`derived statistics: ${applied.wcu} WCU, ${applied.rcu} RCU`);
    expect(applied.calls.filter((c) => c === 'UpdateItem').length).toBe(21);
    expect(applied.calls).not.toContain('TransactWriteItems');
    expect(applied.wcu).toBeLessThanOrEqual(25);
    // A fresh poller reads the stream from its start again: nothing is written twice.
    const again = await phase(async () => {
      await createStreamPoller((e) => statistics(e)).drain();
      return { status: 200 } as ApiResponse;
    });
    expect(again.wcu).toBe(0);
  }, 60_000);
});
