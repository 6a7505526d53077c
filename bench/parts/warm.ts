/**
 * Part 2, warm overhead. Candidates run start -> get attempt -> save one answer -> submit,
 * one request at a time through the local gateway over loopback HTTP. After the warm-up
 * candidates, every request's gateway time is set against the time its DynamoDB calls spent on
 * the wire (below the SDK, see `installWireTimer`): what the code, the SDK included, adds on top
 * of the database. The SDK's own share (call time in the data layer minus wire time) is its own
 * figure. The measured candidates are split into rounds; each round gives a ratio, and the
 * verdict needs the whole spread of the rounds' ratios.
 */

import type { Bench } from '../lib/setup.ts';
import {
  chunks,
  median,
  ratio,
  round,
  type Spread,
  type Summary,
  spreadOf,
  summarize,
} from '../lib/stats.ts';
import {
  attemptOf,
  createAssessment,
  invite,
  type Measured,
  measure,
  request,
} from '../lib/workflow.ts';

export const WARM_ENDPOINTS = [
  { id: 'start', route: 'POST /v1/attempts', status: 201 },
  { id: 'getAttempt', route: 'GET /v1/attempts/{id}', status: 200 },
  { id: 'saveAnswer', route: 'PUT /v1/attempts/{id}/answers/{qid}', status: 200 },
  { id: 'submit', route: 'POST /v1/attempts/{id}/submit', status: 200 },
] as const;

export interface EndpointOverhead {
  endpoint: string;
  route: string;
  n: number;
  /** Round trip seen by the HTTP client. */
  clientMs: Summary;
  /** Time inside the gateway (API Gateway + Lambda stand-in): request in to response out. */
  serverMs: Summary;
  /** Per request, the time its DynamoDB calls spent on the wire. */
  wireMs: Summary;
  /** Per request, the SDK's own time around those calls (building, signing, parsing). */
  sdkMs: Summary;
  /** DynamoDB calls per request (median, max). */
  calls: { median: number; max: number };
  /** p50 gateway time / p50 wire time, over all measured requests. */
  ratio: number;
  /** The same ratio per round of candidates: the spread the verdict is given on. */
  rounds: Spread;
  errors: number;
}

export interface WarmOptions {
  /** Measured requests per endpoint. */
  requests: number;
  /** Candidates run before measuring. */
  warmup: number;
  /** Rounds the measured requests are split into (5 gives a median and a range). */
  rounds?: number;
}

const ratioOf = (ms: readonly Measured[]) =>
  ratio(median(ms.map((m) => m.serverMs)), median(ms.map((m) => m.wireMs)));

export async function warmOverhead(b: Bench, opts: WarmOptions): Promise<EndpointOverhead[]> {
  const assessmentId = await createAssessment(b, 'Warm overhead');
  const tokens = await invite(b, assessmentId, opts.warmup + opts.requests);
  const samples: Record<string, Measured[]> = Object.fromEntries(
    WARM_ENDPOINTS.map((e) => [e.id, []]),
  );
  for (const [i, token] of tokens.entries()) {
    const start = await measure(b, () => request.start(b, token));
    if (start.res.status !== 201) throw new Error(`start answered ${start.res.status}`);
    const a = attemptOf(start.res);
    const get = await measure(b, () => request.get(b, a));
    const save = await measure(b, () => request.save(b, a, a.questions[i % a.questions.length]!));
    const submit = await measure(b, () => request.submit(b, a));
    if (i < opts.warmup) continue;
    samples.start!.push(start);
    samples.getAttempt!.push(get);
    samples.saveAnswer!.push(save);
    samples.submit!.push(submit);
  }
  return WARM_ENDPOINTS.map((e) => {
    const ms = samples[e.id]!;
    return {
      endpoint: e.id,
      route: e.route,
      n: ms.length,
      clientMs: summarize(ms.map((m) => m.clientMs)),
      serverMs: summarize(ms.map((m) => m.serverMs)),
      wireMs: summarize(ms.map((m) => m.wireMs)),
      sdkMs: summarize(ms.map((m) => Math.max(0, m.dynamoMs - m.wireMs))),
      calls: {
        median: median(ms.map((m) => m.calls.length)),
        max: Math.max(...ms.map((m) => m.calls.length)),
      },
      ratio: round(ratioOf(ms), 3),
      rounds: spreadOf(chunks(ms, opts.rounds ?? 5).map(ratioOf)),
      errors: ms.filter((m) => m.res.status !== e.status).length,
    };
  });
}
