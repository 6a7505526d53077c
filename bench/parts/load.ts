/**
 * Part 5, load: many candidates at once through the local gateway over loopback, each saving
 * 20 answers one after the other and then submitting. The candidates run in a load-generator
 * process of their own (bench/load/client.ts); the gateway and its handlers run in this one,
 * where the data layer's call observer can see them. Bounded by a per-request timeout and an
 * overall deadline. Every answer acknowledged with 200 must be in the graded report. Floor: the
 * same number of raw UpdateItem calls from the same process at the same concurrency, straight
 * to DynamoDB Local, on copies of the same attempt items; floor and gateway runs alternate.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BatchWriteCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { build } from 'esbuild';
import { getDraw, pageCount, readHead } from '../../functions/data/attempts.ts';
import { db, tableName } from '../../functions/data/client.ts';
import { keys } from '../../functions/data/keys.ts';
import { slotOfHandle } from '../../functions/domain/handles.ts';
import { ESM_REQUIRE_BANNER } from '../../infra/aws/bundling.ts';
import { runNodeChild } from '../lib/child.ts';
import type { Bench } from '../lib/setup.ts';
import {
  median,
  ratio,
  round,
  type Spread,
  type Summary,
  spreadOf,
  summarize,
} from '../lib/stats.ts';
import {
  type Attempt,
  attemptOf,
  createAssessment,
  inParallel,
  invite,
  request,
} from '../lib/workflow.ts';
import type { LoadOutcome, LoadPlan } from '../load/client.ts';
import { OUT, ROOT } from './cold-start.ts';

export interface LoadRun {
  requests: number;
  ok: number;
  errors: number;
  /** Errors by kind: HTTP status, `network`, an SDK error name, or `not-sent` (deadline). */
  errorKinds: Record<string, number>;
  wallMs: number;
  /** Successful requests (or calls) per second. */
  throughput: number;
  latencyMs: Summary;
  hitDeadline: boolean;
}

export interface LoadResult {
  candidates: number;
  requestsPerCandidate: number;
  rounds: number;
  /** Every gateway round together (throughput: the median round). */
  gateway: LoadRun & {
    acknowledgedAnswers: number;
    /** Acknowledged answers missing from the graded report (or, unsubmitted, from the item). */
    lostAnswers: number;
    submitted: number;
  };
  /** Every floor round together (throughput: the median round). */
  floor: LoadRun;
  /** In the order they ran: floor, gateway, floor, ..., floor. */
  runs: (LoadRun & { kind: 'floor' | 'gateway' })[];
  /** Median gateway round throughput / median floor round throughput. */
  throughputRatio: number;
  /** Per gateway round: its throughput / the mean of the floor rounds on either side of it. */
  throughputRounds: Spread;
}

export interface LoadOptions {
  candidates: number;
  /** Gateway runs, each with fresh candidates, each between two floor runs. */
  rounds: number;
  /** Each run (gateway, floors) stops sending once this has passed; unsent requests are errors. */
  deadlineMs: number;
  requestTimeoutMs: number;
}

const ANSWERS = 20;

function runOf(o: LoadOutcome, planned: number): LoadRun {
  const errorKinds: Record<string, number> = {};
  let ok = 0;
  for (const x of o.outcomes) {
    if (x === 'ok') ok++;
    else errorKinds[x] = (errorKinds[x] ?? 0) + 1;
  }
  const notSent = planned - o.outcomes.length;
  if (notSent > 0) errorKinds['not-sent'] = notSent;
  return {
    requests: planned,
    ok,
    errors: planned - ok,
    errorKinds,
    wallMs: round(o.wallMs),
    throughput: round((ok / o.wallMs) * 1000, 1),
    latencyMs: summarize(o.latencies),
    hitDeadline: o.hitDeadline,
  };
}

/** Rounds of one kind as one run: counts summed, latencies pooled, the median round's rate. */
function combine(runs: LoadOutcome[], plannedEach: number): LoadRun {
  const all = runOf(
    {
      latencies: runs.flatMap((r) => r.latencies),
      outcomes: runs.flatMap((r) => r.outcomes),
      acknowledged: {},
      submitted: [],
      wallMs: runs.reduce((a, r) => a + r.wallMs, 0),
      hitDeadline: runs.some((r) => r.hitDeadline),
    },
    plannedEach * runs.length,
  );
  return { ...all, throughput: median(runs.map((r) => runOf(r, plannedEach).throughput)) };
}

async function buildClient(): Promise<string> {
  const outfile = join(OUT, 'load-client.mjs');
  await build({
    entryPoints: [join(ROOT, 'bench/load/client.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    mainFields: ['module', 'main'],
    banner: { js: ESM_REQUIRE_BANNER },
    logLevel: 'warning',
  });
  return outfile;
}

function runClient(client: string, plan: LoadPlan, timeoutMs: number): Promise<LoadOutcome> {
  const file = join(OUT, `load-plan-${plan.mode}.json`);
  writeFileSync(file, JSON.stringify(plan));
  return runNodeChild<LoadOutcome>(
    [client, file],
    { PATH: process.env.PATH, HOME: process.env.HOME },
    timeoutMs,
    'load client',
  );
}

export async function load(b: Bench, opts: LoadOptions): Promise<LoadResult> {
  const client = await buildClient();
  const assessmentId = await createAssessment(b, 'Load');
  const tokens = await invite(b, assessmentId, opts.candidates * opts.rounds);
  const started = await inParallel(
    tokens.map((t) => async () => {
      const res = await request.start(b, t);
      if (res.status !== 201) throw new Error(`start answered ${res.status}: ${res.text}`);
      return attemptOf(res);
    }),
    8,
  );
  const rounds = Array.from({ length: opts.rounds }, (_, r) =>
    started.slice(r * opts.candidates, (r + 1) * opts.candidates),
  );

  // Floor items: the first round's attempts as they are now, under keys of their own.
  const floorKey = (i: number) => ({ PK: `BENCH#FLOOR#${i}`, SK: 'ATT' });
  const copies = await inParallel(
    rounds[0]!.map((a, i) => async () => {
      const res = await db().send(
        new GetCommand({ TableName: tableName(), Key: keys.attempt(a.attemptId) }),
      );
      return { ...res.Item, ...floorKey(i) };
    }),
    8,
  );
  for (let i = 0; i < copies.length; i += 25) {
    await db().send(
      new BatchWriteCommand({
        RequestItems: {
          [tableName()]: copies.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })),
        },
      }),
    );
  }

  const plan = (mode: LoadPlan['mode'], attempts: Attempt[]): LoadPlan => ({
    mode,
    base: b.base,
    endpoint: process.env.DYNAMODB_ENDPOINT!,
    table: tableName(),
    attempts: attempts.map((a, i) => ({ ...a, floorKey: floorKey(i) })),
    answers: ANSWERS,
    deadlineMs: opts.deadlineMs,
    requestTimeoutMs: opts.requestTimeoutMs,
  });
  const planned = opts.candidates * (ANSWERS + 1);
  // The client stops sending at the deadline; allow for the requests still in flight.
  const hardLimit = opts.deadlineMs + opts.requestTimeoutMs + 30_000;
  const floorPlan = plan('floor', rounds[0]!);

  // Unmeasured: a short floor pass so that no run pays DynamoDB Local's JIT warm-up. Then floor
  // and gateway runs alternate, floors on both sides, so drift on a shared machine hits both.
  await runClient(client, { ...floorPlan, attempts: floorPlan.attempts.slice(0, 10) }, hardLimit);
  const floors: LoadOutcome[] = [];
  const gateways: LoadOutcome[] = [];
  const runs: LoadResult['runs'] = [];
  const floorRun = async () => {
    const o = await runClient(client, floorPlan, hardLimit);
    floors.push(o);
    runs.push({ kind: 'floor', ...runOf(o, planned) });
  };
  for (const attempts of rounds) {
    await floorRun();
    const o = await runClient(client, plan('gateway', attempts), hardLimit);
    gateways.push(o);
    runs.push({ kind: 'gateway', ...runOf(o, planned) });
  }
  await floorRun();

  // Lost answers: the graded report for submitted attempts, the stored item for the others.
  const acknowledged: Record<string, string[]> = Object.assign(
    {},
    ...gateways.map((g) => g.acknowledged),
  );
  const submitted = new Set(gateways.flatMap((g) => g.submitted));
  const lost = await inParallel(
    started.map((a) => async () => {
      // Saves name questions by handle (their answer slot); the report and the stored items
      // by slot and bank id: compare slots.
      const acks = (acknowledged[a.attemptId] ?? []).map((h) => slotOfHandle(h) ?? -1);
      const draw = await getDraw(a.attemptId);
      if (submitted.has(a.attemptId)) {
        const report = await request.report(b, a.attemptId);
        const graded = new Map<string, number>(
          (report.body?.questions ?? []).map((q: { questionId: string; score: number }) => [
            q.questionId,
            q.score,
          ]),
        );
        return acks.filter((i) => graded.get(draw?.questions[i]?.q ?? '') !== 1).length;
      }
      const head = draw ? await readHead(a.attemptId, pageCount(draw)) : undefined;
      const stored = new Set(head?.layout === 'v2' ? head.state.answers.keys() : []);
      return acks.filter((i) => !stored.has(i)).length;
    }),
    8,
  );

  const gateway = combine(gateways, planned);
  const floor = combine(floors, planned);
  return {
    candidates: opts.candidates,
    requestsPerCandidate: ANSWERS + 1,
    rounds: opts.rounds,
    gateway: {
      ...gateway,
      acknowledgedAnswers: Object.values(acknowledged).reduce((n, s) => n + s.length, 0),
      lostAnswers: lost.reduce((x, y) => x + y, 0),
      submitted: submitted.size,
    },
    floor,
    runs,
    throughputRatio: ratio(gateway.throughput, floor.throughput),
    throughputRounds: spreadOf(
      gateways.map((g, i) => {
        const rate = (o: LoadOutcome) => runOf(o, planned).throughput;
        return rate(g) / ((rate(floors[i]!) + rate(floors[i + 1]!)) / 2);
      }),
    ),
  };
}
