/**
 * Part 4, scale: the same 20-question workflow against banks of growing size, each in a table
 * of its own. Every workflow starts with an empty question cache, so each start makes the same
 * calls at every size and only the size of the bank differs. A request path whose cost or
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
import { db, tableName } from '../../functions/data/client.ts';
import { keys } from '../../functions/data/keys.ts';
import { clearQuestionCache } from '../../functions/data/question-cache.ts';
import { type LoadedBank, loadBank } from '../lib/bank.ts';
import { capacity } from '../lib/dynamo.ts';
import type { Bench } from '../lib/setup.ts';
import { median, ratio, round } from '../lib/stats.ts';
import {
  type Attempt,
  invite,
  measure,
  runWorkflow,
  SECTIONS,
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
  /** Building the assessment (pool sampling), one request: time and calls. */
  createAssessment: { ms: number; calls: number; awsUnits: number };
  workflows: number;
  /** p50 over workflows of the summed client round trips of its 23 requests. */
  workflowMsP50: number;
  /** p50 per request kind, client round trip. */
  requestMsP50: { start: number; save: number; submit: number; report: number };
  callsPerWorkflow: number;
  localUnitsPerWorkflow: number;
  awsUnitsPerWorkflow: number;
}

export interface ScaleResult {
  points: ScalePoint[];
  /** Largest bank / smallest bank, workflow p50 as measured. */
  latencyRatio: number;
  /** The same for the workflow p50 relative to the raw-call probe (the target). */
  normalizedLatencyRatio: number;
  capacityRatio: number;
}

const PROBES_PER_WORKFLOW = 3;

interface Prober {
  round(): Promise<number>;
  close(): void;
}

/**
 * Raw calls like the workflow's, straight to DynamoDB Local with a client configured as the data
 * layer's: a consistent GetItem of the attempt, a BatchGetItem of its 20 question versions, an
 * UpdateItem of an answer and a one-item TransactWriteItems on a copy of the attempt item.
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
      await raw.send(
        new UpdateItemCommand({
          TableName: table,
          Key: key(copy),
          UpdateExpression: 'SET answers.#q = :a',
          ExpressionAttributeNames: { '#q': q.questionId },
          ExpressionAttributeValues: { ':a': { M: { value: { S: 'probe' } } } },
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
}

export async function scale(b: Bench, opts: ScaleOptions): Promise<ScaleResult> {
  const points: ScalePoint[] = [];
  const home = b.table;
  try {
    for (const size of opts.sizes) {
      const table = await b.useNewTable(`scale-${size}`);
      try {
        clearQuestionCache();
        const load = await loadBank(b.org, 'scale', size);
        capacity.enabled = true;
        const created = await measure(b, async () => {
          const res = await b.http.request('POST', '/v1/assessments', {
            token: b.employer,
            body: {
              title: `Scale ${size}`,
              timeLimitMinutes: 240,
              sections: SECTIONS,
              showResultToCandidate: true,
            },
          });
          if (res.status !== 201) throw new Error(`create assessment: ${res.text}`);
          return res;
        });
        const assessmentId = created.res.body.assessmentId as string;
        const tokens = await invite(b, assessmentId, opts.warmup + opts.workflows);
        const runs = [];
        const probe: number[] = [];
        let prober: Prober | undefined;
        for (const [i, token] of tokens.entries()) {
          const run = await runWorkflow(b, token, clearQuestionCache);
          if (i < opts.warmup) continue;
          runs.push(run);
          // The floor, interleaved so it sees the same moment: raw calls at this table size.
          prober ??= await createProber(b.org, run.attempt);
          for (let k = 0; k < PROBES_PER_WORKFLOW; k++) probe.push(await prober.round());
        }
        prober?.close();
        capacity.enabled = false;
        const totals = runs.map(workflowTotals);
        const workflowMsP50 = round(median(runs.map(workflowMs)));
        const probeMsP50 = round(median(probe));
        points.push({
          questions: size,
          probeMsP50,
          normalizedWorkflow: ratio(workflowMsP50, probeMsP50),
          load: { ...load, ms: round(load.ms, 0) },
          createAssessment: {
            ms: round(created.clientMs),
            calls: created.calls.length,
            awsUnits: round(created.awsUnits),
          },
          workflows: runs.length,
          workflowMsP50,
          requestMsP50: {
            start: round(median(runs.map((r) => r.start.clientMs))),
            save: round(median(runs.flatMap((r) => r.saves.map((s) => s.clientMs)))),
            submit: round(median(runs.map((r) => r.submit.clientMs))),
            report: round(median(runs.map((r) => r.report.clientMs))),
          },
          callsPerWorkflow: median(totals.map((t) => t.calls)),
          localUnitsPerWorkflow: round(median(totals.map((t) => t.localUnits))),
          awsUnitsPerWorkflow: round(median(totals.map((t) => t.awsUnits))),
        });
      } finally {
        capacity.enabled = false;
        b.useTable(home);
        await b.dropTable(table);
      }
    }
  } finally {
    clearQuestionCache();
    b.useTable(home);
  }
  const first = points[0]!;
  const last = points[points.length - 1]!;
  return {
    points,
    latencyRatio: ratio(last.workflowMsP50, first.workflowMsP50),
    normalizedLatencyRatio: ratio(last.normalizedWorkflow, first.normalizedWorkflow),
    capacityRatio: ratio(last.awsUnitsPerWorkflow, first.awsUnitsPerWorkflow),
  };
}
