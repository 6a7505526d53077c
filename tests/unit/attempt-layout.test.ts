import { marshall } from '@aws-sdk/util-dynamodb';
import { describe, expect, it } from 'vitest';
import { itemSize } from '../../bench/lib/dynamo.ts';
import { bankFiles, readBankFile } from '../../functions/cli/bank-files.ts';
import { type Completion, completionOf, resultItem } from '../../functions/data/attempt-results.ts';
import { PAGE_BYTES, PAGE_OVERHEAD_BYTES, planPages } from '../../functions/data/attempts.ts';
import { completedAttemptOf, completionOfRecord } from '../../functions/data/stream-records.ts';
import {
  parseResponse,
  type QuestionContent,
  validateQuestion,
} from '../../functions/domain/question.ts';
import { scoreAttempt } from '../../functions/domain/result.ts';
import {
  answerAllowance,
  expectedRevision,
  SHORT_ANSWER_BYTES,
} from '../../functions/services/attempts.ts';

const options = ['a', 'b', 'c', 'd'].map((id) => ({ id, text: `Option ${id}` }));
const question = (id: string, extra: Record<string, unknown>) => {
  const v = validateQuestion({
    id,
    area: 'security',
    difficulty: 2,
    prompt: 'Which one is right, and why?',
    explanation: 'Because it is the right one.',
    tags: ['unit'],
    ...extra,
  });
  if (!v.question) throw new Error(JSON.stringify(v.issues));
  return v.question;
};
const single = question('q-single', { type: 'single', options, answer: 'b' });
const order = question('q-order', { type: 'order', options, answer: ['d', 'c', 'b', 'a'] });
const numeric = question('q-numeric', { type: 'numeric', answer: { value: 42, tolerance: 0 } });
const text = question('q-text', { type: 'text', answer: ['idempotency key'] });

/** The planned bytes of each page: the overhead plus every question's allowance. */
function plannedBytes(pages: number[], bytes: number[]): number[] {
  const out: number[] = [];
  pages.forEach((p, i) => {
    out[p] = (out[p] ?? PAGE_OVERHEAD_BYTES) + bytes[i]! + 24;
  });
  return out;
}

describe('answer pages', () => {
  it('plans one option id, any list of option ids, a number or a short text, as the question accepts', () => {
    expect(answerAllowance(single)).toBe(1);
    expect(answerAllowance(order)).toBe(11);
    expect(answerAllowance(numeric)).toBeLessThan(SHORT_ANSWER_BYTES);
    expect(answerAllowance(text)).toBe(SHORT_ANSWER_BYTES);
  });

  it('plans every question of the shipped bank as its own response schema says', () => {
    // answerAllowance reads what each type declares; asking every question's response schema
    // must give the same plan.
    const all = bankFiles(['questions']).flatMap((f) => readBankFile(f).questions);
    const accepts = (q: QuestionContent, answer: unknown) => parseResponse(q, answer).ok;
    const asked = (q: QuestionContent) => {
      const ids = q.options?.map((o) => o.id) ?? [];
      if (ids.length && accepts(q, ids[0])) return Math.max(...ids.map((id) => id.length));
      if (ids.length) return 3 + ids.reduce((n, id) => n + id.length + 1, 0);
      return accepts(q, 0) ? answerAllowance(numeric) : SHORT_ANSWER_BYTES;
    };

    expect(new Set(all.map((q) => q.type)).size).toBeGreaterThanOrEqual(5);
    for (const q of all) expect(answerAllowance(q), q.id).toBe(asked(q));
  });

  it('keeps a 20-question attempt on the head, even with six short-text questions', () => {
    const bytes = [
      ...Array(10).fill(answerAllowance(single)),
      ...Array(4).fill(answerAllowance(order)),
      ...Array(6).fill(answerAllowance(text)),
    ];
    expect(new Set(planPages(bytes))).toEqual(new Set([0]));
  });

  it('never plans a page over 1 KB, however long the attempt', () => {
    for (const n of [1, 20, 45, 200]) {
      const bytes = Array.from(
        { length: n },
        (_, i) => [answerAllowance(single), answerAllowance(text), 330][i % 3]!,
      );
      const pages = planPages(bytes);
      expect(pages).toHaveLength(n);
      expect(pages).toEqual([...pages].sort((x, y) => x - y));
      for (const b of plannedBytes(pages, bytes)) expect(b).toBeLessThanOrEqual(PAGE_BYTES);
    }
  });

  it('stores a real head of 20 answers in under 1 KB', () => {
    const head: Record<string, unknown> = {
      PK: 'ATT#01KBCDEFGHJKMNPQRSTVWXYZ01',
      SK: 'ATT',
      ly: 2,
      st: 'submitted',
      th: 'x'.repeat(43),
      due: '2026-11-21T10:30:10.000Z',
      rc: 3,
      at: '2026-11-21T10:29:00.000Z',
      ttl: 1_800_000_000,
    };
    const answers = [...Array(16).fill(['a', 'c']), 42, 1e15, 'idempotency key', 'x'.repeat(40)];
    answers.forEach((v, i) => {
      head[`a${i}`] = { v, t: 1_763_720_000_000 + i };
      head[`r${i}`] = 12;
    });
    expect(itemSize(head)).toBeLessThanOrEqual(1024);
  });
});

describe('If-Match', () => {
  it('takes a quoted or bare revision and nothing else', () => {
    expect(expectedRevision(undefined)).toBeUndefined();
    expect(expectedRevision('"0"')).toBe(0);
    expect(expectedRevision('7')).toBe(7);
    expect(expectedRevision(' "12" ')).toBe(12);
    for (const bad of ['W/"1"', '*', '"a"', '-1', '1.5', '""'])
      expect(() => expectedRevision(bad), bad).toThrow(/If-Match/);
  });
});

describe('the result body', () => {
  const result = scoreAttempt({
    questions: [single, order, numeric, text].map((content) => ({ content, version: 1 })),
    answers: {
      'q-single': { value: 'b', savedAt: '2026-11-21T10:00:01.000Z' },
      'q-order': { value: ['d', 'c', 'b', 'a'], savedAt: '2026-11-21T10:00:02.000Z' },
    },
    startedAt: '2026-11-21T10:00:00.000Z',
    deadline: '2026-11-21T10:30:00.000Z',
    resumes: [{ at: '2026-11-21T10:00:00.000Z' }],
  });
  const completion: Completion = {
    attemptId: '01KBCDEFGHJKMNPQRSTVWXYZ01',
    org: 'acme',
    assessmentId: '01KBCDEFGHJKMNPQRSTVWXYZ02',
    invitationId: '01KBCDEFGHJKMNPQRSTVWXYZ03',
    status: 'submitted',
    startedAt: '2026-11-21T10:00:00.000Z',
    completedAt: '2026-11-21T10:10:00.000Z',
    title: 'Backend screen',
    showResultToCandidate: true,
    candidate: { name: 'Ada' },
    tokenHash: 'ab'.repeat(32),
    result,
    questionOrgs: ['acme', 'public', 'acme', 'acme'],
  };

  it('is stored compressed and read back unchanged', () => {
    const item = resultItem(completion, 1_800_000_000);
    expect(itemSize(item)).toBeLessThan(JSON.stringify(completion).length);
    expect(completionOf(item)).toEqual(completion);
  });

  it('is read back from a stream record, binary as Lambda sends it (base64) or as bytes', () => {
    const image = marshall(resultItem(completion, 1_800_000_000));
    // Lambda's event is JSON: binary values arrive as base64 text.
    const asLambda = Object.fromEntries(
      Object.entries(image).map(([k, v]) => [
        k,
        v.B ? { B: Buffer.from(v.B).toString('base64') } : v,
      ]),
    );
    for (const NewImage of [image, asLambda]) {
      const record = {
        eventName: 'INSERT' as const,
        dynamodb: { Keys: { PK: NewImage.PK, SK: NewImage.SK }, NewImage },
      };
      const completed = completedAttemptOf(record as never);
      expect(completed?.kind).toBe('result');
      expect(completionOfRecord(completed!)).toEqual(completion);
    }
  });

  it('ignores every other record of the attempt: saves, seals, rows, markers', () => {
    const other = (SK: string, eventName: string) => ({
      eventName,
      dynamodb: {
        Keys: { PK: { S: 'ATT#a1' }, SK: { S: SK } },
        NewImage: { PK: { S: 'ATT#a1' }, SK: { S: SK }, st: { S: 'submitted' } },
        OldImage: { PK: { S: 'ATT#a1' }, SK: { S: SK }, st: { S: 'active' } },
      },
    });
    for (const [sk, name] of [
      ['ATT', 'MODIFY'],
      ['A#01', 'MODIFY'],
      ['ROW', 'INSERT'],
      ['STATS', 'INSERT'],
      ['RESULT', 'MODIFY'],
    ])
      expect(completedAttemptOf(other(sk!, name!) as never), `${sk} ${name}`).toBeUndefined();
  });
});
