/**
 * Part 2, warm overhead. Candidates run start -> get attempt -> save one answer -> submit,
 * one request at a time through the local gateway over loopback HTTP. After the warm-up
 * candidates, every request's gateway time is set against the time its DynamoDB calls took
 * (the data layer's own observer): what the code adds on top of the database.
 */

import type { Bench } from '../lib/setup.ts';
import { median, ratio, round, type Summary, summarize } from '../lib/stats.ts';
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
  /** Sum of the request's DynamoDB call times, per request. */
  dynamoMs: Summary;
  /** DynamoDB calls per request (median, max). */
  calls: { median: number; max: number };
  /** p50 gateway time / p50 DynamoDB time. */
  ratio: number;
  /** Median over requests of gateway time / DynamoDB time. */
  medianRequestRatio: number;
  errors: number;
}

export interface WarmOptions {
  /** Measured requests per endpoint. */
  requests: number;
  /** Candidates run before measuring. */
  warmup: number;
}

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
    const server = ms.map((m) => m.serverMs);
    const dynamo = ms.map((m) => m.dynamoMs);
    return {
      endpoint: e.id,
      route: e.route,
      n: ms.length,
      clientMs: summarize(ms.map((m) => m.clientMs)),
      serverMs: summarize(server),
      dynamoMs: summarize(dynamo),
      calls: {
        median: median(ms.map((m) => m.calls.length)),
        max: Math.max(...ms.map((m) => m.calls.length)),
      },
      ratio: ratio(median(server), median(dynamo)),
      medianRequestRatio: round(median(ms.map((m) => m.serverMs / m.dynamoMs)), 3),
      errors: ms.filter((m) => m.res.status !== e.status).length,
    };
  });
}
