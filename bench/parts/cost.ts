/**
 * Part 3, DynamoDB cost: the calls and the capacity of each candidate-workflow request and of a
 * whole 20-question attempt (start, 20 saves, submit, the candidate's result; the employer's
 * report beside it), as DynamoDB Local reports it and corrected to AWS's billing rules
 * (lib/dynamo.ts), read and write units apart; and what the stream consumer writes per
 * completion (norms and item statistics), measured by handing it the completion's stream record.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { getAssessment } from '../../functions/data/assessments.ts';
import { clearAttemptCaches } from '../../functions/data/attempts.ts';
import { db, tableName } from '../../functions/data/client.ts';
import { keys } from '../../functions/data/keys.ts';
import { questionVersions } from '../../functions/data/question-cache.ts';
import { handler as statistics } from '../../functions/jobs/stream.ts';
import {
  type CapacityRecord,
  capacity,
  itemSize,
  readUnits,
  watch,
  writeUnits,
} from '../lib/dynamo.ts';
import type { Bench } from '../lib/setup.ts';
import { mean, median, round, type Spread, spreadOf } from '../lib/stats.ts';
import {
  attemptOf,
  createAssessment,
  invite,
  type Measured,
  measure,
  request,
  runWorkflow,
  type WorkflowRun,
} from '../lib/workflow.ts';
import { freshProcessRun, httpEvent } from './cold-start.ts';

export interface OperationCost {
  operation: string;
  samples: number;
  /** The calls of the first sample, in order. */
  calls: string[];
  callCount: { median: number; max: number };
  /** Capacity units as DynamoDB Local reports them (median over samples). */
  localUnits: number;
  /** Read and write units as AWS bills them: median and range over samples. */
  rcu: Spread;
  wcu: Spread;
  /** Of Local's figure, the part spent on the indexes (GSI), median. */
  localIndexUnits: number;
  /** Set when a figure is not measured directly: how it was obtained. */
  note?: string;
}

export interface WorkflowCost {
  variant: string;
  samples: number;
  calls: number;
  rcu: Spread;
  wcu: Spread;
}

export interface CostResult {
  operations: OperationCost[];
  workflows: WorkflowCost[];
  /** Stream consumer, per completion: norms and item statistics. */
  statistics: OperationCost;
  itemBytes: {
    headAtStart: number;
    headAfter20Saves: number;
    draw: number;
    result: number;
    row: number;
    questionVersion: number;
    assessment: number;
  };
  /** Every save of every sampled workflow made exactly one UpdateItem. */
  everySaveOneUpdate: boolean;
}

const tally = (records: readonly CapacityRecord[]) => ({
  rcu: readUnits(records),
  wcu: writeUnits(records),
  local: records.reduce((a, r) => a + r.local, 0),
  index: records.reduce((a, r) => a + r.indexes, 0),
});

function costOf(
  name: string,
  ms: { calls: string[]; capacity: CapacityRecord[] }[],
): OperationCost {
  const t = ms.map((m) => tally(m.capacity));
  return {
    operation: name,
    samples: ms.length,
    calls: ms[0]?.calls ?? [],
    callCount: {
      median: median(ms.map((m) => m.calls.length)),
      max: Math.max(...ms.map((m) => m.calls.length)),
    },
    localUnits: round(median(t.map((x) => x.local))),
    rcu: spreadOf(t.map((x) => x.rcu)),
    wcu: spreadOf(t.map((x) => x.wcu)),
    localIndexUnits: round(median(t.map((x) => x.index))),
  };
}

/** Start, 20 saves, submit and the candidate's result: the whole attempt of the goals. */
export const requestsOf = (r: WorkflowRun): Measured[] => [r.start, ...r.saves, r.submit, r.result];

/** The same attempt with the employer's report read instead of the candidate's result. */
const withReport = (r: WorkflowRun): Measured[] => [r.start, ...r.saves, r.submit, r.report];

/** Totals of one workflow: calls, Local units, AWS units split into reads and writes. */
export function workflowTotals(r: WorkflowRun, pick: (r: WorkflowRun) => Measured[] = requestsOf) {
  const ms = pick(r);
  const t = tally(ms.flatMap((m) => m.capacity));
  return {
    calls: ms.reduce((a, m) => a + m.calls.length, 0),
    localUnits: t.local,
    awsUnits: t.rcu + t.wcu,
    rcu: t.rcu,
    wcu: t.wcu,
  };
}

function workflowCost(
  variant: string,
  runs: WorkflowRun[],
  pick: (r: WorkflowRun) => Measured[] = requestsOf,
): WorkflowCost {
  const totals = runs.map((r) => workflowTotals(r, pick));
  return {
    variant,
    samples: runs.length,
    calls: median(totals.map((x) => x.calls)),
    rcu: spreadOf(totals.map((x) => x.rcu)),
    wcu: spreadOf(totals.map((x) => x.wcu)),
  };
}

export interface CostOptions {
  /** Workflows on warm caches (and up to 3 more with cold caches). */
  workflows: number;
}

async function rawItem(key: { PK: string; SK: string }): Promise<Record<string, unknown>> {
  const res = await db().send(new GetCommand({ TableName: tableName(), Key: key }));
  return res.Item ?? {};
}

/** Hand the stream consumer the record of a completion (its result item's INSERT). */
async function applyCompletion(attemptId: string) {
  const item = await rawItem(keys.attemptResult(attemptId));
  const image = marshall(item, { removeUndefinedValues: true, convertClassInstanceToMap: false });
  const w = watch();
  const out = await statistics({
    Records: [
      {
        eventID: `bench-${attemptId}`,
        eventName: 'INSERT',
        eventVersion: '1.1',
        eventSource: 'aws:dynamodb',
        awsRegion: 'local',
        dynamodb: {
          Keys: marshall(keys.attemptResult(attemptId)) as never,
          NewImage: image as never,
          SequenceNumber: '1',
          SizeBytes: 1024,
          StreamViewType: 'NEW_AND_OLD_IMAGES',
        },
      },
    ],
  });
  if (out.batchItemFailures.length) throw new Error('the stream consumer failed a completion');
  const win = w.stop();
  return { calls: win.calls.map((c) => c.operation), capacity: win.capacity };
}

export async function dynamoCost(b: Bench, opts: CostOptions): Promise<CostResult> {
  capacity.enabled = true;
  try {
    // A start served by a candidate function in a fresh process: nothing in its memory. Its
    // calls are counted there (the SDK inside a bundle cannot report capacity to the bench).
    const freshAssessment = await createAssessment(b, 'Cost, fresh function');
    const [freshToken] = await invite(b, freshAssessment, 1);
    const freshStart = await freshProcessRun(
      b,
      'candidate',
      await httpEvent('candidate', 'POST', '/v1/attempts', undefined, {
        invitationToken: freshToken,
      }),
    );
    if (freshStart.status !== 201) throw new Error(`fresh start answered ${freshStart.status}`);
    // The same on an assessment that an earlier start has locked: the common case of a fresh
    // function (no lock to take, so no transaction).
    const [lockedToken] = await invite(b, freshAssessment, 1);
    const lockedStart = await freshProcessRun(
      b,
      'candidate',
      await httpEvent('candidate', 'POST', '/v1/attempts', undefined, {
        invitationToken: lockedToken,
      }),
    );
    if (lockedStart.status !== 201)
      throw new Error(`fresh start of a locked assessment answered ${lockedStart.status}`);

    // Cold: the first attempt of a new assessment, every cache of this function emptied first
    // (assessments, question versions, draws): what a function that has read nothing does.
    const cold: WorkflowRun[] = [];
    const coldLocked: Measured[] = [];
    for (let i = 0; i < Math.min(3, opts.workflows); i++) {
      const fresh = await createAssessment(b, `Cost, cold ${i}`);
      const [token, second] = await invite(b, fresh, 2);
      cold.push(await runWorkflow(b, token!, clearAttemptCaches));
      // A second candidate of the now locked assessment, every cache emptied again.
      clearAttemptCaches();
      coldLocked.push(await measure(b, () => request.start(b, second!)));
    }
    const assessmentId = await createAssessment(b, 'Cost, warm');
    const tokens = await invite(b, assessmentId, opts.workflows + 1);
    // Warm: the assessment and every question of its pools already in this function's memory
    // (a candidate before them warmed the rest).
    await runWorkflow(b, tokens[0]!);
    const assessment = await getAssessment(b.org, assessmentId);
    await questionVersions(assessment!.sections.flatMap((s) => s.pool));
    const warm: WorkflowRun[] = [];
    for (const token of tokens.slice(1)) warm.push(await runWorkflow(b, token));

    const derived = [];
    for (const r of [...cold, ...warm]) derived.push(await applyCompletion(r.attempt.attemptId));

    const at = (runs: WorkflowRun[], i: number) => runs.map((r) => requestsOf(r)[i]!);
    const operations: OperationCost[] = [
      {
        ...costOf('start (fresh function)', at(cold, 0)),
        samples: 1,
        calls: freshStart.calls,
        callCount: { median: freshStart.calls.length, max: freshStart.calls.length },
        note: 'calls counted in a fresh process; capacity as the cold start in this process (same calls)',
      },
      {
        ...costOf('start (fresh function, locked assessment)', coldLocked),
        samples: 1,
        calls: lockedStart.calls,
        callCount: { median: lockedStart.calls.length, max: lockedStart.calls.length },
        note: 'calls counted in a fresh process; capacity as the cold start of a locked assessment in this process (same calls)',
      },
      costOf('start (cold caches)', at(cold, 0)),
      costOf('start (warm caches)', at(warm, 0)),
      costOf('save answer (1st)', at(warm, 1)),
      costOf('save answer (20th)', at(warm, 20)),
      costOf(
        'save answer (any)',
        [...cold, ...warm].flatMap((r) => r.saves),
      ),
      costOf('submit', [...at(cold, 21), ...at(warm, 21)]),
      costOf(
        'candidate result',
        [...cold, ...warm].map((r) => r.result),
      ),
      costOf(
        'employer report',
        [...cold, ...warm].map((r) => r.report),
      ),
    ];

    const sample = warm[0]!;
    const fresh = attemptOf(await request.start(b, (await invite(b, assessmentId, 1))[0]!));
    const versions = await Promise.all(
      sample.attempt.questions.map((q) => rawItem(keys.questionVersion(b.org, q.questionId, 1))),
    );
    return {
      operations,
      workflows: [
        workflowCost('start (cold caches) + 20 saves + submit + result', cold),
        workflowCost('start (warm caches) + 20 saves + submit + result', warm),
        workflowCost('start (cold caches) + 20 saves + submit + report', cold, withReport),
        workflowCost('start (warm caches) + 20 saves + submit + report', warm, withReport),
      ],
      statistics: costOf('derived statistics, per completion', derived),
      itemBytes: {
        headAtStart: itemSize(await rawItem(keys.attempt(fresh.attemptId))),
        headAfter20Saves: itemSize(await rawItem(keys.attempt(sample.attempt.attemptId))),
        draw: itemSize(await rawItem(keys.attemptDraw(sample.attempt.attemptId))),
        result: itemSize(await rawItem(keys.attemptResult(sample.attempt.attemptId))),
        row: itemSize(await rawItem(keys.attemptRow(sample.attempt.attemptId))),
        questionVersion: round(mean(versions.map(itemSize)), 0),
        assessment: itemSize(await rawItem(keys.assessment(b.org, assessmentId))),
      },
      everySaveOneUpdate: [...warm, ...cold].every((r) =>
        r.saves.every((s) => s.calls.length === 1 && s.calls[0] === 'UpdateItem'),
      ),
    };
  } finally {
    capacity.enabled = false;
  }
}
