/**
 * The load generator, in a process of its own so that the candidates' HTTP clients do not share
 * the gateway's event loop. Every candidate runs at once: 20 saves one after the other, then
 * submit (`gateway`), or the same number of raw UpdateItem calls straight to DynamoDB (`floor`)
 * on a copy of its attempt item. Prints one `BENCH_RESULT` line.
 *
 *   node load-client.mjs <plan.json>
 */
import { readFileSync } from 'node:fs';
import { DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { perfectAnswer, perfectAnswerShown } from '../lib/answers.ts';
import { HttpClient } from '../lib/http.ts';

export interface LoadPlan {
  mode: 'gateway' | 'floor';
  /** Gateway base URL (gateway mode). */
  base: string;
  /** DynamoDB endpoint and table (floor mode). */
  endpoint: string;
  table: string;
  attempts: {
    attemptId: string;
    attemptToken: string;
    /** Key of the item the floor updates. */
    floorKey: { PK: string; SK: string };
    questions: { questionId: string; type: string; options?: { id: string; text: string }[] }[];
  }[];
  answers: number;
  deadlineMs: number;
  requestTimeoutMs: number;
}

export interface LoadOutcome {
  latencies: number[];
  /** Per request: `ok`, an HTTP status, `network`, or an SDK error name. */
  outcomes: string[];
  /** Per attempt: the question ids whose save was acknowledged with 200. */
  acknowledged: Record<string, string[]>;
  submitted: string[];
  wallMs: number;
  hitDeadline: boolean;
}

const plan = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as LoadPlan;
const latencies: number[] = [];
const outcomes: string[] = [];
const acknowledged: Record<string, string[]> = {};
const submitted: string[] = [];
let hitDeadline = false;

const http = new HttpClient(plan.base, plan.attempts.length);
// Configured as the data layer's client (functions/data/client.ts).
const raw = new DynamoDBClient({
  endpoint: plan.endpoint,
  region: 'local',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  maxAttempts: 4,
});

async function floorCall(a: LoadPlan['attempts'][number], k: number): Promise<void> {
  const q = a.questions[k % a.questions.length]!;
  const t = performance.now();
  try {
    await raw.send(
      // What a save sends: one answer attribute and its revision, conditioned on the state.
      new UpdateItemCommand({
        TableName: plan.table,
        Key: { PK: { S: a.floorKey.PK }, SK: { S: a.floorKey.SK } },
        UpdateExpression: 'SET #a = :ans ADD #r :one',
        ConditionExpression: 'st = :active',
        ExpressionAttributeNames: {
          '#a': `a${k % a.questions.length}`,
          '#r': `r${k % a.questions.length}`,
        },
        ExpressionAttributeValues: {
          ':ans': {
            M: {
              v: { S: JSON.stringify(perfectAnswer(q.type)) },
              t: { N: String(Date.now()) },
            },
          },
          ':active': { S: 'active' },
          ':one': { N: '1' },
        },
      }),
      { abortSignal: AbortSignal.timeout(plan.requestTimeoutMs) },
    );
    outcomes.push('ok');
  } catch (err) {
    outcomes.push((err as Error).name || 'error');
  }
  latencies.push(performance.now() - t);
}

async function gatewayCandidate(a: LoadPlan['attempts'][number], deadline: number) {
  const acks: string[] = [];
  acknowledged[a.attemptId] = acks;
  for (const q of a.questions.slice(0, plan.answers)) {
    if (performance.now() > deadline) {
      hitDeadline = true;
      return;
    }
    const res = await http.request('PUT', `/v1/attempts/${a.attemptId}/answers/${q.questionId}`, {
      token: a.attemptToken,
      body: { answer: perfectAnswerShown(q) },
      timeoutMs: plan.requestTimeoutMs,
    });
    latencies.push(res.ms);
    outcomes.push(res.status === 200 ? 'ok' : res.status === 0 ? 'network' : String(res.status));
    if (res.status === 200) acks.push(q.questionId);
  }
  if (performance.now() > deadline) {
    hitDeadline = true;
    return;
  }
  const res = await http.request('POST', `/v1/attempts/${a.attemptId}/submit`, {
    token: a.attemptToken,
    timeoutMs: plan.requestTimeoutMs,
  });
  latencies.push(res.ms);
  outcomes.push(res.status === 200 ? 'ok' : res.status === 0 ? 'network' : String(res.status));
  if (res.status === 200) submitted.push(a.attemptId);
}

const started = performance.now();
const deadline = started + plan.deadlineMs;
await Promise.all(
  plan.attempts.map(async (a) => {
    if (plan.mode === 'gateway') return gatewayCandidate(a, deadline);
    for (let k = 0; k <= plan.answers; k++) {
      if (performance.now() > deadline) {
        hitDeadline = true;
        return;
      }
      await floorCall(a, k);
    }
  }),
);
const out: LoadOutcome = {
  latencies,
  outcomes,
  acknowledged,
  submitted,
  wallMs: performance.now() - started,
  hitDeadline,
};
process.stdout.write(`\nBENCH_RESULT ${JSON.stringify(out)}\n`, () => process.exit(0));
