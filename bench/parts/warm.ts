/**
 * Part 2, warm overhead. Candidates run start -> get attempt -> save one answer -> submit,
 * one request at a time through the local gateway over loopback HTTP. After the warm-up
 * candidates, every request's gateway time is set against the time its DynamoDB calls spent on
 * the wire (below the SDK and the HTTP client, see `installWireTimer`): what the code, the SDK
 * included, adds on top of the database. Beside it, the function's own time (the handler's
 * invocation, what Lambda bills as its duration) against the same wire time: the gateway's
 * figure also holds the local gateway's own work (the event built, the response written), which
 * stands in for API Gateway and is not code Lambda runs. The SDK's own time (time in the data
 * layer's `send` that is not on the wire) is its own figure. The measured candidates are split
 * into rounds; each round gives a ratio, and the verdict needs the whole spread of the rounds'
 * ratios.
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
  /** The function's invocation alone: the handler called to its result (Lambda's duration). */
  handlerMs: Summary;
  /** The local gateway's own work per request: gateway time minus the function's. */
  localGatewayMs: Summary;
  /** Per request, the time its DynamoDB calls spent on the wire (union: parallel calls overlap). */
  wireMs: Summary;
  /** Per request, the wire times of its calls summed (above `wireMs` only for parallel calls). */
  wireSumMs: Summary;
  /** Per request, its time in the data layer's `send` that is not on the wire: the SDK's own. */
  sdkMs: Summary;
  /** Per request, the function's time outside DynamoDB calls: our code (middy, zod, logic). */
  ownMs: Summary;
  /** DynamoDB calls per request (median, max). */
  calls: { median: number; max: number };
  /** p50 gateway time / p50 wire time, over all measured requests. */
  ratio: number;
  /** The same ratio per round of candidates: the spread the verdict is given on. */
  rounds: Spread;
  /** p50 handler time / p50 wire time per round: the function alone, without the gateway. */
  handlerRounds: Spread;
  /** (p50 SDK + p50 wire) / p50 wire per round: the ratio with none of our code at all. */
  sdkOnlyRounds: Spread;
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

const p50 = (ms: readonly Measured[], f: (m: Measured) => number) => median(ms.map(f));
const ratioOf = (ms: readonly Measured[]) =>
  ratio(
    p50(ms, (m) => m.serverMs),
    p50(ms, (m) => m.wireMs),
  );
const handlerRatioOf = (ms: readonly Measured[]) =>
  ratio(
    p50(ms, (m) => m.handlerMs),
    p50(ms, (m) => m.wireMs),
  );
const sdkOf = (m: Measured) => Math.max(0, m.sendMs - m.wireMs);
const sdkOnlyRatioOf = (ms: readonly Measured[]) =>
  ratio(
    p50(ms, sdkOf) + p50(ms, (m) => m.wireMs),
    p50(ms, (m) => m.wireMs),
  );

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
      handlerMs: summarize(ms.map((m) => m.handlerMs)),
      localGatewayMs: summarize(ms.map((m) => m.serverMs - m.handlerMs)),
      wireMs: summarize(ms.map((m) => m.wireMs)),
      wireSumMs: summarize(ms.map((m) => m.wireSumMs)),
      sdkMs: summarize(ms.map(sdkOf)),
      ownMs: summarize(ms.map((m) => m.handlerMs - m.sendMs)),
      calls: {
        median: median(ms.map((m) => m.calls.length)),
        max: Math.max(...ms.map((m) => m.calls.length)),
      },
      ratio: round(ratioOf(ms), 3),
      rounds: spreadOf(chunks(ms, opts.rounds ?? 5).map(ratioOf)),
      handlerRounds: spreadOf(chunks(ms, opts.rounds ?? 5).map(handlerRatioOf)),
      sdkOnlyRounds: spreadOf(chunks(ms, opts.rounds ?? 5).map(sdkOnlyRatioOf)),
      errors: ms.filter((m) => m.res.status !== e.status).length,
    };
  });
}
