/**
 * Part 3, DynamoDB cost: the calls and consumed capacity of each candidate-workflow request and
 * of a whole 20-question workflow (start, 20 saves, submit, report), as DynamoDB Local reports
 * it and corrected to AWS's billing rules (calibrated in the same run, see lib/dynamo.ts).
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { getAssessment } from '../../functions/data/assessments.ts';
import { db, tableName } from '../../functions/data/client.ts';
import { keys } from '../../functions/data/keys.ts';
import { clearQuestionCache, questionVersions } from '../../functions/data/question-cache.ts';
import { type CapacityRecord, capacity, itemSize } from '../lib/dynamo.ts';
import type { Bench } from '../lib/setup.ts';
import { mean, median, round } from '../lib/stats.ts';
import {
  attemptOf,
  createAssessment,
  invite,
  type Measured,
  request,
  runWorkflow,
  type WorkflowRun,
} from '../lib/workflow.ts';
import { freshProcessRun, httpEvent } from './cold-start.ts';

const READS = new Set(['GetItem', 'Query', 'Scan', 'BatchGetItem', 'TransactGetItems']);

export interface OperationCost {
  operation: string;
  samples: number;
  /** The calls of the first sample, in order. */
  calls: string[];
  callCount: { median: number; max: number };
  /** Capacity units as DynamoDB Local reports them (median over samples). */
  localUnits: number;
  /** The same corrected to AWS's rules (median over samples). */
  awsUnits: number;
  /** Of the AWS units, the read and the write request units (medians). */
  awsReadUnits: number;
  awsWriteUnits: number;
  /** Of Local's figure, the part spent on the indexes (GSI), median. */
  localIndexUnits: number;
  /** Set when a figure is not measured directly: how it was obtained. */
  note?: string;
}

export interface WorkflowCost {
  variant: string;
  samples: number;
  calls: number;
  localUnits: number;
  awsUnits: number;
  awsReadUnits: number;
  awsWriteUnits: number;
  localIndexUnits: number;
  note?: string;
}

export interface CostResult {
  operations: OperationCost[];
  workflows: WorkflowCost[];
  itemBytes: {
    attemptAtStart: number;
    attemptSubmitted: number;
    questionVersion: number;
    assessment: number;
  };
  /** Every save of every sampled workflow made exactly one UpdateItem. */
  everySaveOneUpdate: boolean;
}

const tally = (records: readonly CapacityRecord[]) => {
  const s = { read: 0, write: 0, index: 0 };
  for (const r of records) {
    if (READS.has(r.operation)) s.read += r.aws;
    else s.write += r.aws;
    s.index += r.indexes;
  }
  return s;
};

function costOf(name: string, ms: Measured[]): OperationCost {
  const t = ms.map((m) => tally(m.capacity));
  return {
    operation: name,
    samples: ms.length,
    calls: ms[0]?.calls ?? [],
    callCount: {
      median: median(ms.map((m) => m.calls.length)),
      max: Math.max(...ms.map((m) => m.calls.length)),
    },
    localUnits: round(median(ms.map((m) => m.localUnits))),
    awsUnits: round(median(ms.map((m) => m.awsUnits))),
    awsReadUnits: round(median(t.map((x) => x.read))),
    awsWriteUnits: round(median(t.map((x) => x.write))),
    localIndexUnits: round(median(t.map((x) => x.index))),
  };
}

export const requestsOf = (r: WorkflowRun): Measured[] => [r.start, ...r.saves, r.submit, r.report];

/** Totals of one workflow: calls, Local units, AWS units split into reads and writes. */
export function workflowTotals(r: WorkflowRun) {
  const ms = requestsOf(r);
  const t = tally(ms.flatMap((m) => m.capacity));
  return {
    calls: ms.reduce((a, m) => a + m.calls.length, 0),
    localUnits: ms.reduce((a, m) => a + m.localUnits, 0),
    awsUnits: ms.reduce((a, m) => a + m.awsUnits, 0),
    awsReadUnits: t.read,
    awsWriteUnits: t.write,
    localIndexUnits: t.index,
  };
}

function workflowCost(variant: string, runs: WorkflowRun[]): WorkflowCost {
  const totals = runs.map(workflowTotals);
  const med = (f: (x: (typeof totals)[number]) => number) => round(median(totals.map(f)));
  return {
    variant,
    samples: runs.length,
    calls: med((x) => x.calls),
    localUnits: med((x) => x.localUnits),
    awsUnits: med((x) => x.awsUnits),
    awsReadUnits: med((x) => x.awsReadUnits),
    awsWriteUnits: med((x) => x.awsWriteUnits),
    localIndexUnits: med((x) => x.localIndexUnits),
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

    // In this process the assessment stays cached (creating invitations reads it, and the data
    // layer exports no way to forget it), so "cold" here means an empty question cache.
    const cold: WorkflowRun[] = [];
    for (let i = 0; i < Math.min(3, opts.workflows); i++) {
      const fresh = await createAssessment(b, `Cost, cold ${i}`);
      const [token] = await invite(b, fresh, 1);
      cold.push(await runWorkflow(b, token!, clearQuestionCache));
    }
    const assessmentId = await createAssessment(b, 'Cost, warm');
    const tokens = await invite(b, assessmentId, opts.workflows + 1);
    // Warm: the assessment and every question of its pools already in this function's memory.
    const assessment = await getAssessment(b.org, assessmentId);
    await questionVersions(assessment!.sections.flatMap((s) => s.pool));
    const warm: WorkflowRun[] = [];
    for (const token of tokens.slice(1)) warm.push(await runWorkflow(b, token));

    const at = (runs: WorkflowRun[], i: number) => runs.map((r) => requestsOf(r)[i]!);
    const coldStart = costOf('start (cold question cache)', at(cold, 0));
    // The one read the fresh function adds, priced from the assessment item's size (eventually
    // consistent GetItem: 0.5 per 4 KB).
    const assessmentBytes = itemSize(await rawItem(keys.assessment(b.org, assessmentId)));
    const assessmentRead = Math.ceil(assessmentBytes / 4096) * 0.5;
    const freshRow: OperationCost = {
      ...coldStart,
      operation: 'start (fresh function)',
      samples: 1,
      calls: freshStart.calls,
      callCount: { median: freshStart.calls.length, max: freshStart.calls.length },
      localUnits: Number.NaN,
      awsUnits: round(coldStart.awsUnits + assessmentRead),
      awsReadUnits: round(coldStart.awsReadUnits + assessmentRead),
      note: `calls counted in a fresh process; capacity = the cold-question-cache start + ${assessmentRead} RCU for the assessment GetItem (${assessmentBytes} B), computed from item size`,
    };
    const operations: OperationCost[] = [
      freshRow,
      coldStart,
      costOf('start (warm caches)', at(warm, 0)),
      costOf('save answer (1st)', at(warm, 1)),
      costOf('save answer (20th)', at(warm, 20)),
      costOf(
        'save answer (any)',
        warm.flatMap((r) => r.saves),
      ),
      costOf('submit', at(warm, 21)),
      costOf('report', at(warm, 22)),
    ];

    const fresh = attemptOf(await request.start(b, tokens[0]!));
    const sample = warm[0]!;
    const versions = await Promise.all(
      sample.attempt.questions.map((q) => rawItem(keys.questionVersion(b.org, q.questionId, 1))),
    );
    return {
      operations,
      workflows: [
        workflowCost('start (warm caches) + 20 saves + submit + report', warm),
        workflowCost('start (cold question cache) + 20 saves + submit + report', cold),
        ((w) => ({
          ...w,
          variant: 'start (fresh function) + 20 saves + submit + report',
          calls: w.calls + 1,
          localUnits: Number.NaN,
          awsUnits: round(w.awsUnits + assessmentRead),
          awsReadUnits: round(w.awsReadUnits + assessmentRead),
          note: 'the cold-question-cache workflow plus the assessment GetItem, computed from item size',
        }))(workflowCost('', cold)),
      ],
      itemBytes: {
        attemptAtStart: itemSize(await rawItem(keys.attempt(fresh.attemptId))),
        attemptSubmitted: itemSize(await rawItem(keys.attempt(sample.attempt.attemptId))),
        questionVersion: round(mean(versions.map(itemSize)), 0),
        assessment: assessmentBytes,
      },
      everySaveOneUpdate: [...warm, ...cold].every((r) =>
        r.saves.every((s) => s.calls.length === 1 && s.calls[0] === 'UpdateItem'),
      ),
    };
  } finally {
    capacity.enabled = false;
  }
}
