/**
 * Synthetic question banks of any size, sized like the shipped bank (about 2 KB a question:
 * a 350-character prompt, four 140-character options, a 600-character explanation), with the
 * answer a perfect candidate sends. Big banks are loaded fast: the first questions through the
 * data layer's own `importBank`, the rest by BatchWrite of items copied from what `importBank`
 * wrote, with only the id-dependent attributes rebuilt by `keys.ts` and `contentHash`, and the
 * area counts brought up to date with the data layer's own `areaCountsUpdate`.
 */
import { BatchWriteCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { AreaDeltas, areaCountsUpdate } from '../../functions/data/area-counts.ts';
import { db, tableName } from '../../functions/data/client.ts';
import { keys, questionPartition } from '../../functions/data/keys.ts';
import { getQuestion } from '../../functions/data/questions.ts';
import { type Bank, MAX_BANK_QUESTIONS, validateBank } from '../../functions/domain/bank.ts';
import { contentHash, pickContent, type QuestionContent } from '../../functions/domain/question.ts';
import { AREAS } from '../../functions/domain/taxonomy.ts';
import { importBankNow } from '../../functions/services/imports.ts';

const TECHNICAL_TYPES = ['single', 'multi', 'order', 'numeric', 'text'] as const;

const filler = (seed: string, length: number) => {
  const words = `${seed} consider the trade-offs of latency, cost, consistency and the failure modes of each option before you decide what to ship`;
  let out = '';
  while (out.length < length) out += (out ? ' ' : '') + words;
  return out.slice(0, length).trimEnd();
};

/** Question `i` of a synthetic bank: areas round-robin, soft areas situational-judgement. */
export function syntheticQuestion(prefix: string, i: number): Record<string, unknown> {
  const area = AREAS[i % AREAS.length]!;
  const round = Math.floor(i / AREAS.length);
  // A hashed head spreads ids over the key space like real ids (pool sampling starts at random).
  // Fixed length whatever the bank's size, so attempts (which hold ids) weigh the same.
  const head = ((i * 2654435761) >>> 0).toString(36).padStart(4, '0').slice(-4);
  const id = `${head}-${prefix}-${String(i).padStart(6, '0')}`;
  const type = area.kind === 'soft' ? 'sjt' : TECHNICAL_TYPES[round % TECHNICAL_TYPES.length]!;
  const base = {
    id,
    area: area.id,
    difficulty: (round % 3) + 1,
    prompt: `Question ${id}: ${filler('In a production backend,', 330)}?`,
    explanation: `The key holds because ${filler('experience shows that teams who', 580)}.`,
    tags: ['bench', area.id],
  };
  const options = ['a', 'b', 'c', 'd'].map((o) => ({
    id: o,
    text: `Option ${o}: ${filler('We would', 130)}`,
  }));
  switch (type) {
    case 'sjt':
      return { ...base, type, options, answer: { weights: { a: 1, b: 0.5, c: 0.25, d: 0 } } };
    case 'single':
      return { ...base, type, options, answer: 'b' };
    case 'multi':
      return { ...base, type, options, answer: ['a', 'c'] };
    case 'order':
      return { ...base, type, options, answer: ['d', 'c', 'b', 'a'] };
    case 'numeric':
      return { ...base, type, answer: { value: 42, tolerance: 0.5 } };
    default:
      return { ...base, type, answer: ['idempotency key'] };
  }
}

/** A bank document as `POST /v1/banks` takes it. */
export function syntheticBank(prefix: string, n: number) {
  return {
    bank: { id: `${prefix}-bank`, title: `Benchmark bank ${prefix} (${n} questions)` },
    questions: Array.from({ length: n }, (_, i) => syntheticQuestion(prefix, i)),
  };
}

/**
 * How many questions go through `importBank` itself before the rest is copied in bulk: one
 * transaction's worth. More would run importBank's parallel transactions, which all update the
 * organisation's counts item and so queue on its lock (DynamoDB Local times them out when the
 * machine is busy; DynamoDB would cancel them as transaction conflicts).
 */
const IMPORTED = 49;

async function pool<T>(tasks: (() => Promise<T>)[], limit: number): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, tasks.length) }, async () => {
      while (next < tasks.length) await tasks[next++]!();
    }),
  );
}

async function batchWrite(items: Record<string, unknown>[]): Promise<void> {
  const tasks: (() => Promise<void>)[] = [];
  for (let i = 0; i < items.length; i += 25) {
    const chunk = items.slice(i, i + 25);
    tasks.push(async () => {
      let pending: unknown[] | undefined = chunk.map((Item) => ({ PutRequest: { Item } }));
      for (let attempt = 0; pending?.length; attempt++) {
        const res: { UnprocessedItems?: Record<string, unknown[]> } = await db().send(
          new BatchWriteCommand({ RequestItems: { [tableName()]: pending as never } }),
        );
        pending = res.UnprocessedItems?.[tableName()];
        if (pending?.length) await new Promise((r) => setTimeout(r, 20 * 2 ** attempt));
      }
    });
  }
  await pool(tasks, 12);
}

const KEY_ATTRIBUTES = new Set(['PK', 'SK', 'GSI1PK', 'GSI1SK', 'GSI2PK', 'GSI2SK']);

/** The stored attributes of an item that are neither content nor keys (org, version, dates...). */
function metaOf(item: Record<string, unknown>): Record<string, unknown> {
  const content = new Set(Object.keys(pickContent(item)));
  return Object.fromEntries(
    Object.entries(item).filter(([k]) => !content.has(k) && !KEY_ATTRIBUTES.has(k)),
  );
}

export interface LoadedBank {
  questions: number;
  viaImportBank: number;
  viaBatchWrite: number;
  ms: number;
  importBankMs: number;
  batchWriteMs: number;
}

/**
 * Store `n` synthetic questions for `org` in the current table, every one validated by the
 * domain's `validateBank` first. Returns how they were written and how long it took.
 */
export async function loadBank(org: string, prefix: string, n: number): Promise<LoadedBank> {
  const started = performance.now();
  const all: QuestionContent[] = [];
  for (let i = 0; i < n; i += MAX_BANK_QUESTIONS) {
    const raw = Array.from({ length: Math.min(MAX_BANK_QUESTIONS, n - i) }, (_, k) =>
      syntheticQuestion(prefix, i + k),
    );
    all.push(
      ...validateBank({ bank: { id: `${prefix}-bank`, title: 'bench' }, questions: raw }).questions,
    );
  }
  const first: Bank = {
    bank: { id: `${prefix}-bank`, title: `Benchmark bank ${prefix}` },
    questions: all.slice(0, IMPORTED),
  };
  const importStarted = performance.now();
  await importBankNow(org, first, new Date());
  const importBankMs = performance.now() - importStarted;
  const batchStarted = performance.now();
  const rest = all.slice(IMPORTED);
  if (rest.length) {
    // Templates: the head and version items importBank wrote for the first question.
    const q0 = all[0]!;
    const res = await db().send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': questionPartition(org, q0.id) },
      }),
    );
    const headTemplate = res.Items?.find((i) => i.SK === 'HEAD');
    const versionTemplate = res.Items?.find((i) => String(i.SK).startsWith('V#'));
    if (!headTemplate || !versionTemplate) throw new Error('importBank wrote no head/version');
    const headMeta = metaOf(headTemplate);
    const versionMeta = metaOf(versionTemplate);
    const items: Record<string, unknown>[] = [];
    const deltas = new AreaDeltas();
    for (const q of rest) {
      const hash = contentHash(q);
      items.push({
        ...keys.questionHead(org, q.id),
        ...keys.questionListing(org, 'published', q.area, q.difficulty, q.id),
        ...q,
        ...headMeta,
        contentHash: hash,
      });
      items.push({
        ...keys.questionVersion(org, q.id, 1),
        ...q,
        ...versionMeta,
        contentHash: hash,
      });
      deltas.enter(q);
    }
    await batchWrite(items);
    const counts = areaCountsUpdate(org, deltas);
    if (counts) await db().send(new TransactWriteCommand({ TransactItems: [counts] as never }));
    // The copies must read back through the data layer exactly like imported questions.
    for (const q of [rest[0]!, rest[rest.length - 1]!]) {
      const got = await getQuestion(org, q.id);
      if (got?.head.contentHash !== contentHash(q) || got.versions.length !== 1)
        throw new Error(`Bulk-loaded question ${q.id} does not read back like an imported one`);
    }
  }
  return {
    questions: n,
    viaImportBank: first.questions.length,
    viaBatchWrite: rest.length,
    ms: Math.round(performance.now() - started),
    importBankMs: Math.round(importBankMs),
    batchWriteMs: Math.round(performance.now() - batchStarted),
  };
}
