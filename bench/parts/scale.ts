/**
 * Part 4, scale: creating an assessment, and the same 20-question workflow, against banks of
 * growing size, each in a table of its own. Creations and workflows are both interleaved across
 * the sizes (every table stays loaded): each round gives a largest/smallest ratio of medians taken
 * at one moment; the verdict needs the whole spread of those ratios. Every workflow starts with
 * an empty question cache, so each start makes the same calls at every size and only the size of
 * the bank differs. A request path whose cost or
 * latency grows with the bank shows up as a ratio above 1 between the largest and the smallest.
 * DynamoDB Local itself gets slower as a table grows (DynamoDB does not), so the latency target
 * is taken relative to a floor of raw calls interleaved with the workflows at each size.
 */
import {
  BatchGetItemCommand,
  DynamoDBClient,
  GetItemCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { clearAttemptCaches } from '../../functions/data/attempts.ts';
import { db, tableName } from '../../functions/data/client.ts';
import { keys } from '../../functions/data/keys.ts';
import { type LoadedBank, loadBank } from '../lib/bank.ts';
import { capacity, readUnits, writeUnits } from '../lib/dynamo.ts';
import type { Bench } from '../lib/setup.ts';
import { chunks, median, ratio, round, type Spread, spreadOf } from '../lib/stats.ts';
import {
  type Attempt,
  invite,
  type Measured,
  measure,
  runWorkflow,
  SECTIONS,
  type WorkflowRun,
  workflowMs,
} from '../lib/workflow.ts';
import { workflowTotals } from './cost.ts';

export interface ScalePoint {
  questions: number;
  /** p50 of a probe round of raw calls (GetItem, BatchGetItem of 20, UpdateItem, TransactWrite). */
  probeMsP50: number;
  /** workflowMsP50 / probeMsP50: the workflow in units of DynamoDB Local's speed at this size. */
  normalizedWorkflow: number;
  load: LoadedBank;
  /** Building an assessment (pool sampling), one request per round: time, calls, capacity. */
  createAssessment: { ms: Spread; calls: Spread; rcu: Spread; wcu: Spread };
  workflows: number;
  /** p50 over workflows of the summed client round trips of its 23 requests. */
  workflowMsP50: number;
  /** p50 per request kind, client round trip. */
  requestMsP50: { start: number; save: number; submit: number; report: number };
  callsPerWorkflow: number;
  localUnitsPerWorkflow: number;
  awsUnitsPerWorkflow: number;
  /**
   * Per round: the median of the round's workflows over the median of the round's probes at
   * this size (each round's workflows and probes were interleaved with the other sizes').
   */
  normalizedRounds: number[];
}

export interface ScaleResult {
  points: ScalePoint[];
  /** Largest bank / smallest bank, workflow p50 as measured. */
  latencyRatio: number;
  /** The same for the workflow p50 relative to the raw-call probe, per round (the target). */
  normalizedLatencyRatio: Spread;
  capacityRatio: number;
  /** Creating an assessment at the largest bank / at the smallest, per round: time and capacity. */
  createRatio: Spread;
  createCapacityRatio: Spread;
}

const PROBES_PER_WORKFLOW = 3;

interface Prober {
  round(): Promise<number>;
  close(): void;
}

/**
 * Raw calls like the workflow's, straight to DynamoDB Local with a client configured as the data
 * layer's: a consistent GetItem of the attempt's head, a BatchGetItem of its 20 question versions,
 * an UpdateItem of an answer and a one-item TransactWriteItems on a copy of the head.
 */
async function createProber(org: string, attempt: Attempt): Promise<Prober> {
  const table = tableName();
  const copy = { PK: 'BENCH#PROBE', SK: 'ATT' };
  const item = await db().send(
    new GetCommand({ TableName: table, Key: keys.attempt(attempt.attemptId) }),
  );
  await db().send(new PutCommand({ TableName: table, Item: { ...item.Item, ...copy } }));
  const endpoint = process.env.DYNAMODB_ENDPOINT;
  const raw = new DynamoDBClient({
    ...(endpoint
      ? {
          endpoint,
          region: 'local',
          credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        }
      : {}),
    maxAttempts: 4,
  });
  const key = (k: { PK: string; SK: string }) => ({ PK: { S: k.PK }, SK: { S: k.SK } });
  let n = 0;
  return {
    async round() {
      const q = attempt.questions[n++ % attempt.questions.length]!;
      const started = performance.now();
      await raw.send(
        new GetItemCommand({
          TableName: table,
          Key: key(keys.attempt(attempt.attemptId)),
          ConsistentRead: true,
        }),
      );
      await raw.send(
        new BatchGetItemCommand({
          RequestItems: {
            [table]: {
              Keys: attempt.questions.map((x) => key(keys.questionVersion(org, x.questionId, 1))),
            },
          },
        }),
      );
      // As a save writes an answer: one attribute of the head, and its revision.
      const i = attempt.questions.indexOf(q);
      await raw.send(
        new UpdateItemCommand({
          TableName: table,
          Key: key(copy),
          UpdateExpression: 'SET #a = :a ADD #r :one',
          ExpressionAttributeNames: { '#a': `a${i}`, '#r': `r${i}` },
          ExpressionAttributeValues: {
            ':a': { M: { v: { S: 'probe' }, t: { N: String(Date.now()) } } },
            ':one': { N: '1' },
          },
        }),
      );
      await raw.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            {
              Update: {
                TableName: table,
                Key: key(copy),
                UpdateExpression: 'SET probes = :n',
                ExpressionAttributeValues: { ':n': { N: String(n) } },
              },
            },
          ],
        }),
      );
      return performance.now() - started;
    },
    close: () => raw.destroy(),
  };
}

export interface ScaleOptions {
  sizes: number[];
  workflows: number;
  warmup: number;
  /** Rounds of assessment creations, each at every size (5 gives a median and a range). */
  rounds?: number;
  /** Assessments created at each size in each round; the round's figure is their median (10). */
  creationsPerRound?: number;
}

/** Same-length prefixes, so the ids (which attempts hold) weigh the same at every size. */
const prefixOf = (i: number) => `sc${i}`;

export async function scale(b: Bench, opts: ScaleOptions): Promise<ScaleResult> {
  const points: ScalePoint[] = [];
  const home = b.table;
  const tables: string[] = [];
  const loads: LoadedBank[] = [];
  const rounds = opts.rounds ?? 5;
  const creations: { round: number; made: Measured }[][] = opts.sizes.map(() => []);
  try {
    for (const [i, size] of opts.sizes.entries()) {
      tables.push(await b.useNewTable(`scale-${size}`));
      clearAttemptCaches();
      loads.push(await loadBank(b.org, prefixOf(i), size));
    }
    // Creations, interleaved: each round creates `creationsPerRound` assessments at every size
    // (one size after another, the order turning every time), so a round's ratio between sizes
    // compares medians taken at one moment of the shared machine.
    const createAt = async (i: number) => {
      b.useTable(tables[i]!);
      return measure(b, async () => {
        const res = await b.http.request('POST', '/v1/assessments', {
          token: b.employer,
          body: {
            title: `Scale ${opts.sizes[i]}`,
            timeLimitMinutes: 240,
            sections: SECTIONS,
            showResultToCandidate: true,
          },
        });
        if (res.status !== 201) throw new Error(`create assessment: ${res.text}`);
        return res;
      });
    };
    capacity.enabled = true;
    // A warm-up at every size first.
    for (let i = 0; i < opts.sizes.length; i++) await createAt(i);
    for (let r = 0; r < rounds; r++) {
      for (let c = 0; c < (opts.creationsPerRound ?? 10); c++) {
        for (let k = 0; k < opts.sizes.length; k++) {
          const i = (k + r + c) % opts.sizes.length;
          creations[i]!.push({ round: r, made: await createAt(i) });
        }
      }
    }
    capacity.enabled = false;

    // Workflows, interleaved the same way: workflow w runs at every size before w + 1, each
    // followed by its probes of raw calls at that size, so a round's ratio between sizes is
    // taken at one moment too.
    const assessments = opts.sizes.map((_, i) => creations[i]!.at(-1)!.made.res.body.assessmentId);
    const tokens: string[][] = [];
    for (const [i, assessmentId] of assessments.entries()) {
      b.useTable(tables[i]!);
      tokens.push(await invite(b, assessmentId as string, opts.warmup + opts.workflows));
    }
    const runs: WorkflowRun[][] = opts.sizes.map(() => []);
    /** Per size, per workflow: the workflow's time and its probes' times. */
    const paired: { workflow: number; probes: number[] }[][] = opts.sizes.map(() => []);
    const probers: (Prober | undefined)[] = opts.sizes.map(() => undefined);
    capacity.enabled = true;
    try {
      for (let w = 0; w < opts.warmup + opts.workflows; w++) {
        for (let k = 0; k < opts.sizes.length; k++) {
          const i = (k + w) % opts.sizes.length;
          b.useTable(tables[i]!);
          const run = await runWorkflow(b, tokens[i]![w]!, clearAttemptCaches);
          if (w < opts.warmup) continue;
          runs[i]!.push(run);
          probers[i] ??= await createProber(b.org, run.attempt);
          const mine: number[] = [];
          for (let p = 0; p < PROBES_PER_WORKFLOW; p++) mine.push(await probers[i]!.round());
          paired[i]!.push({ workflow: workflowMs(run), probes: mine });
        }
      }
    } finally {
      capacity.enabled = false;
      for (const prober of probers) prober?.close();
    }

    for (const [i, size] of opts.sizes.entries()) {
      const totals = runs[i]!.map((r) => workflowTotals(r));
      const workflowMsP50 = round(median(runs[i]!.map(workflowMs)));
      const probeMsP50 = round(median(paired[i]!.flatMap((p) => p.probes)));
      const made = creations[i]!.map((c) => c.made);
      points.push({
        questions: size,
        probeMsP50,
        normalizedWorkflow: ratio(workflowMsP50, probeMsP50),
        load: { ...loads[i]!, ms: round(loads[i]!.ms, 0) },
        createAssessment: {
          ms: spreadOf(made.map((m) => m.clientMs)),
          calls: spreadOf(made.map((m) => m.calls.length)),
          rcu: spreadOf(made.map((m) => readUnits(m.capacity))),
          wcu: spreadOf(made.map((m) => writeUnits(m.capacity))),
        },
        workflows: runs[i]!.length,
        workflowMsP50,
        requestMsP50: {
          start: round(median(runs[i]!.map((r) => r.start.clientMs))),
          save: round(median(runs[i]!.flatMap((r) => r.saves.map((s) => s.clientMs)))),
          submit: round(median(runs[i]!.map((r) => r.submit.clientMs))),
          report: round(median(runs[i]!.map((r) => r.report.clientMs))),
        },
        callsPerWorkflow: median(totals.map((t) => t.calls)),
        localUnitsPerWorkflow: round(median(totals.map((t) => t.localUnits))),
        awsUnitsPerWorkflow: round(median(totals.map((t) => t.awsUnits))),
        // A round's ratio of medians, not the median of per-workflow ratios: dividing each
        // workflow by its own three probes made the denominator as noisy as the numerator.
        normalizedRounds: chunks(paired[i]!, Math.min(rounds, paired[i]!.length)).map(
          (round) => median(round.map((p) => p.workflow)) / median(round.flatMap((p) => p.probes)),
        ),
      });
    }
  } finally {
    capacity.enabled = false;
    clearAttemptCaches();
    b.useTable(home);
    for (const t of tables) await b.dropTable(t);
  }
  const first = points[0]!;
  const last = points[points.length - 1]!;
  const units = (m: Measured) => readUnits(m.capacity) + writeUnits(m.capacity);
  /** Per round: median of `f` over the round's creations at the largest / at the smallest. */
  const perRound = (f: (m: Measured) => number) =>
    spreadOf(
      Array.from({ length: rounds }, (_, r) => {
        const at = (i: number) =>
          median(creations[i]!.filter((c) => c.round === r).map((c) => f(c.made)));
        return at(creations.length - 1) / at(0);
      }),
    );
  return {
    points,
    latencyRatio: ratio(last.workflowMsP50, first.workflowMsP50),
    normalizedLatencyRatio: spreadOf(
      last.normalizedRounds.map((x, i) => x / (first.normalizedRounds[i] ?? Number.NaN)),
    ),
    capacityRatio: ratio(last.awsUnitsPerWorkflow, first.awsUnitsPerWorkflow),
    createRatio: perRound((m) => m.clientMs),
    createCapacityRatio: perRound(units),
  };
}
