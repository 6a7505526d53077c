/**
 * The candidate workflow over HTTP, as a client runs it: an employer builds an assessment and
 * invites; a candidate starts, reads the attempt, saves answers and submits; the employer
 * reads the graded report. Each step can be measured with the DynamoDB calls it made.
 */

import { perfectAnswerShown } from './answers.ts';
import {
  awsUnits,
  type CapacityRecord,
  dynamoMs,
  localUnits,
  operations,
  sendMs,
  type Window,
  watch,
  wireMs,
  wireSumMs,
} from './dynamo.ts';
import type { HttpResponse } from './http.ts';
import type { Bench } from './setup.ts';

/** 10 technical + 10 soft questions: the 20-question workflow of every part. */
export const SECTIONS = [
  { area: 'security', count: 10 },
  { area: 'collaboration', count: 10 },
];

export interface Attempt {
  attemptId: string;
  attemptToken: string;
  questions: { questionId: string; type: string; options?: { id: string; text: string }[] }[];
}

function expectStatus(res: HttpResponse, status: number, what: string): void {
  if (res.status !== status)
    throw new Error(`${what}: expected ${status}, got ${res.status}: ${res.text.slice(0, 300)}`);
}

export async function uploadBank(b: Bench, bank: unknown): Promise<void> {
  const res = await b.http.request('POST', '/v1/banks', {
    token: b.author,
    body: bank,
    timeoutMs: 120_000,
  });
  if (res.status === 202) {
    // A busy machine can run the upload out of its time budget: the import job takes it over
    // (202); wait for it as a client would, polling the import.
    const id = res.body.importId as string;
    const until = Date.now() + 300_000;
    for (;;) {
      const poll = await b.http.request('GET', `/v1/imports/${id}`, { token: b.author });
      expectStatus(poll, 200, 'poll import');
      if (poll.body.status === 'succeeded') return;
      if (poll.body.status === 'failed' || Date.now() > until)
        throw new Error(
          `upload bank: import ${id} ${poll.body.status}: ${poll.text.slice(0, 300)}`,
        );
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  expectStatus(res, 201, 'upload bank');
}

export async function createAssessment(b: Bench, title = 'Benchmark screen'): Promise<string> {
  const res = await b.http.request('POST', '/v1/assessments', {
    token: b.employer,
    body: {
      title,
      timeLimitMinutes: 240,
      sections: SECTIONS,
      passingScore: 60,
      showResultToCandidate: true,
    },
  });
  expectStatus(res, 201, 'create assessment');
  return res.body.assessmentId as string;
}

/** `n` invitation tokens for the assessment (500 a request, the API's limit). */
export async function invite(b: Bench, assessmentId: string, n: number): Promise<string[]> {
  const tokens: string[] = [];
  for (let i = 0; i < n; i += 500) {
    const res = await b.http.request('POST', `/v1/assessments/${assessmentId}/invitations`, {
      token: b.employer,
      body: {
        candidates: Array.from({ length: Math.min(500, n - i) }, (_, k) => ({
          name: `Candidate ${i + k}`,
          email: `candidate${i + k}@example.com`,
        })),
        expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
      },
      timeoutMs: 120_000,
    });
    expectStatus(res, 201, 'invite');
    for (const inv of res.body.invitations as { token: string }[]) tokens.push(inv.token);
  }
  return tokens;
}

export const request = {
  start: (b: Bench, invitationToken: string) =>
    b.http.request('POST', '/v1/attempts', { body: { invitationToken } }),
  get: (b: Bench, a: Attempt) =>
    b.http.request('GET', `/v1/attempts/${a.attemptId}`, { token: a.attemptToken }),
  save: (b: Bench, a: Attempt, q: Attempt['questions'][number]) =>
    b.http.request('PUT', `/v1/attempts/${a.attemptId}/answers/${q.questionId}`, {
      token: a.attemptToken,
      body: { answer: perfectAnswerShown(q) },
    }),
  submit: (b: Bench, a: Attempt) =>
    b.http.request('POST', `/v1/attempts/${a.attemptId}/submit`, { token: a.attemptToken }),
  report: (b: Bench, attemptId: string) =>
    b.http.request('GET', `/v1/attempts/${attemptId}/report`, { token: b.employer }),
  result: (b: Bench, a: Attempt) =>
    b.http.request('GET', `/v1/attempts/${a.attemptId}/result`, { token: a.attemptToken }),
};

export const attemptOf = (res: HttpResponse): Attempt => ({
  attemptId: res.body.attemptId,
  attemptToken: res.body.attemptToken,
  questions: res.body.questions,
});

/** One request with what it cost: client round trip, gateway time, DynamoDB calls. */
export interface Measured {
  res: HttpResponse;
  clientMs: number;
  /** In the gateway: request handler called to response handed to the socket. */
  serverMs: number;
  /** The function's invocation alone (Lambda's billed duration stand-in). */
  handlerMs: number;
  /** The request's DynamoDB calls as the data layer's observer saw them (summed). */
  dynamoMs: number;
  /** Time with at least one of its calls in the data layer's `send` (SDK and wire). */
  sendMs: number;
  /** Time with at least one of its calls on the wire (below the SDK and the HTTP client). */
  wireMs: number;
  /** The calls' wire times summed (more than `wireMs` when calls ran in parallel). */
  wireSumMs: number;
  calls: string[];
  localUnits: number;
  awsUnits: number;
  /** Per call: capacity as Local reports it and corrected (only while capacity is enabled). */
  capacity: CapacityRecord[];
}

/** Run one request alone (nothing else in flight) and attribute its DynamoDB calls to it. */
export async function measure(b: Bench, send: () => Promise<HttpResponse>): Promise<Measured> {
  const w = watch();
  const res = await send();
  const win: Window = w.stop();
  const line = b.lastRequest();
  return {
    res,
    clientMs: res.ms,
    serverMs: line?.ms ?? Number.NaN,
    handlerMs: line?.handlerMs ?? Number.NaN,
    dynamoMs: dynamoMs(win),
    sendMs: sendMs(win),
    wireMs: wireMs(win),
    wireSumMs: wireSumMs(win),
    calls: operations(win),
    localUnits: localUnits(win),
    awsUnits: awsUnits(win),
    capacity: win.capacity,
  };
}

export interface WorkflowRun {
  start: Measured;
  saves: Measured[];
  submit: Measured;
  /** The candidate's own result (the bench's assessments show results). */
  result: Measured;
  report: Measured;
  attempt: Attempt;
}

/**
 * Start, save a perfect answer to each of the 20 questions, submit, read the candidate's result
 * and the employer's report.
 */
export async function runWorkflow(
  b: Bench,
  invitationToken: string,
  beforeStart?: () => void,
): Promise<WorkflowRun> {
  beforeStart?.();
  const start = await measure(b, () => request.start(b, invitationToken));
  expectStatus(start.res, 201, 'start');
  const attempt = attemptOf(start.res);
  const saves: Measured[] = [];
  for (const q of attempt.questions) {
    const m = await measure(b, () => request.save(b, attempt, q));
    expectStatus(m.res, 200, 'save');
    saves.push(m);
  }
  const submit = await measure(b, () => request.submit(b, attempt));
  expectStatus(submit.res, 200, 'submit');
  const result = await measure(b, () => request.result(b, attempt));
  expectStatus(result.res, 200, 'result');
  const report = await measure(b, () => request.report(b, attempt.attemptId));
  expectStatus(report.res, 200, 'report');
  return { start, saves, submit, result, report, attempt };
}

export const workflowMs = (r: WorkflowRun) =>
  [r.start, ...r.saves, r.submit, r.report].reduce((a, m) => a + m.clientMs, 0);

/** Run `tasks` with at most `limit` in flight. */
export async function inParallel<T>(tasks: (() => Promise<T>)[], limit: number): Promise<T[]> {
  const out: T[] = new Array(tasks.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, tasks.length) }, async () => {
      while (next < tasks.length) {
        const i = next++;
        out[i] = await tasks[i]!();
      }
    }),
  );
  return out;
}
