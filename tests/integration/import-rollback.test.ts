/**
 * An import that stops part-way (its job's deadline, a fault, a conflict) leaves nothing a
 * reader can see and nothing behind: what it staged is rolled back from its staged list
 * (docs/imports.md, I10).
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { describe, expect, it, onTestFinished } from 'vitest';
import { db, onDynamoCall, tableName } from '../../functions/data/client.ts';
import {
  compressText,
  createImport,
  currentSnapshot,
  deferImport,
  failImport,
  getImport,
  heartbeat,
  planImport,
  putBody,
  registerImport,
  stageQuestion,
  writeStagedList,
} from '../../functions/data/imports.ts';
import { questionPartition } from '../../functions/data/keys.ts';
import { getQuestion, listQuestions } from '../../functions/data/questions.ts';
import { validateBank } from '../../functions/domain/bank.ts';
import { UnavailableError } from '../../functions/domain/errors.ts';
import { importBankNow, runImportTask, stageAndCommit } from '../../functions/services/imports.ts';
import { requestVia, useTestApi } from './support.ts';

const testApi = useTestApi();

const question = (id: string, difficulty = 2) => ({
  id,
  area: 'security',
  type: 'single',
  difficulty,
  prompt: `Which header carries the bearer token of request ${id}?`,
  options: [
    { id: 'a', text: 'Authorization' },
    { id: 'b', text: 'Accept' },
  ],
  answer: 'a',
  explanation: 'A bearer token travels in the Authorization header.',
  tags: ['http-auth'],
});

const items = async (org: string, id: string) =>
  (
    await db().send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': questionPartition(org, id) },
        ConsistentRead: true,
      }),
    )
  ).Items ?? [];

/** The record of an import that is running (staging `total` questions) since `at`. */
const runningImport = (org: string, importId: string, at: Date, total: number) =>
  createImport({
    importId,
    org,
    status: 'running',
    createdAt: at.toISOString(),
    startedAt: at.toISOString(),
    heartbeatAt: at.toISOString(),
    parts: 1,
    received: [1],
    progress: { phase: 'staging', done: 0, total },
  });

describe('an import stopped while staging', () => {
  it('is rolled back: new questions gone, changed ones restored, the registry closed', async () => {
    // Arrange: 20 questions exist; an import changes them and adds 300.
    const org = 'rollback';
    await importBankNow(
      org,
      validateBank({
        bank: { id: 'rb-bank', title: 'RB' },
        questions: Array.from({ length: 20 }, (_, i) => question(`rb-${i}`)),
      }),
      new Date(),
    );
    const bank = validateBank({
      bank: { id: 'rb-bank', title: 'RB' },
      questions: [
        ...Array.from({ length: 20 }, (_, i) => question(`rb-${i}`, 3)),
        ...Array.from({ length: 300 }, (_, i) => question(`rb-new-${i}`)),
      ],
    });
    const importId = ulid();
    await runningImport(org, importId, new Date(), 320);
    // The job's deadline passes after 60 staging writes.
    const deadline = new AbortController();
    let writes = 0;
    const stop = onDynamoCall((c) => {
      if ((c.operation === 'PutItem' || c.operation === 'TransactWriteItems') && ++writes === 60) {
        deadline.abort();
      }
    });

    // Act
    const outcome = await stageAndCommit(
      { org, importId, bank, now: () => new Date(), signal: deadline.signal },
      async () => {},
    ).catch((err: Error) => err);
    stop();

    // Assert: it failed, and nothing of it is left anywhere.
    expect(outcome).toBeInstanceOf(Error);
    expect((outcome as Error).message).toMatch(/ran out of time/);
    for (const i of [0, 7, 19]) {
      const q = await getQuestion(org, `rb-${i}`);
      expect(q?.head).toMatchObject({ version: 1, difficulty: 2 });
      const stored = (await items(org, `rb-${i}`)).map((x) => x.SK);
      expect(stored).toEqual(['HEAD', 'V#000001']);
    }
    for (const i of [0, 150, 299]) {
      expect(await items(org, `rb-new-${i}`)).toEqual([]);
    }
    const listed = await listQuestions(org, { status: 'published', limit: 100 });
    expect(listed.items.map((q) => q.id).sort()).toHaveLength(20);
    const snap = await currentSnapshot(org);
    expect([...snap.open]).toEqual([]);
  }, 120_000);
});

describe('an import whose job stopped', () => {
  it('reads as failed ("stopped") to its client, and the next import of the organisation rolls it back', async () => {
    // Arrange: an import registered and heartbeating 4 minutes ago staged one new question,
    // then its job died.
    const api = testApi;
    const org = 'stalled';
    const token = await api.token('author', org);
    const longAgo = new Date(Date.now() - 4 * 60_000);
    const importId = ulid();
    await runningImport(org, importId, longAgo, 1);
    const seq = (await registerImport(org, importId, longAgo))!;
    await heartbeat(org, importId, { phase: 'staging', done: 0, total: 1 }, longAgo, { seq });
    const stalledBank = validateBank({
      bank: { id: 'stalled-bank', title: 'S' },
      questions: [question('stalled-1')],
    });
    const plan = await planImport(org, stalledBank.questions, await currentSnapshot(org));
    await writeStagedList(org, importId, 0, [['stalled-1', 1, 0]]);
    await stageQuestion(org, seq, plan.changes[0]!, longAgo.toISOString(), 'stalled-bank');

    // Act
    const status = await api.request('GET', `/v1/imports/${importId}`, { token });
    const hidden = await api.request('GET', '/v1/questions/stalled-1', { token });
    await importBankNow(
      org,
      validateBank({ bank: { id: 'next-bank', title: 'N' }, questions: [question('next-1')] }),
      new Date(),
    );

    // Assert
    expect(status.body).toMatchObject({ status: 'failed', code: 'stopped' });
    expect(status.body.detail).toMatch(/stopped responding/);
    expect(hidden.status).toBe(404);
    expect(await items(org, 'stalled-1')).toEqual([]);
    const after = await api.request('GET', `/v1/imports/${importId}`, { token });
    expect(after.body).toMatchObject({ status: 'failed', code: 'stopped' });
    expect((await api.request('GET', '/v1/questions/next-1', { token })).status).toBe(200);
  }, 120_000);
});

/**
 * An import of `org` registered and heartbeating at `at` that staged question `id` and stopped
 * there: a new question, or (`replacing`) a changed version of one imported before.
 */
async function stagedByImport(org: string, id: string, at: Date, replacing = false) {
  const bank = { id: `${id}-bank`, title: 'B' };
  if (replacing) {
    await importBankNow(org, validateBank({ bank, questions: [question(id)] }), new Date());
  }
  const importId = ulid();
  await runningImport(org, importId, at, 1);
  const seq = (await registerImport(org, importId, at))!;
  await heartbeat(org, importId, { phase: 'staging', done: 0, total: 1 }, at, { seq });
  const staged = validateBank({ bank, questions: [question(id, replacing ? 3 : 2)] });
  const plan = await planImport(org, staged.questions, await currentSnapshot(org));
  await writeStagedList(org, importId, 0, [replacing ? [id, 2, 1] : [id, 1, 0]]);
  await stageQuestion(org, seq, plan.changes[0]!, at.toISOString(), bank.id);
  return { importId, bank };
}

describe('a question that an import which then stopped had replaced', () => {
  it('can be edited and retired: the stopped import is rolled back then, not when the next upload comes', async () => {
    // Found in review: its edit and its retirement were answered 409 "being replaced by a bank
    // import that has not finished; try again ... within a minute" for as long as no one
    // uploaded another bank, while GET /v1/imports/{id} already said the import had stopped.
    const api = testApi;
    const org = 'stopped-holds';
    const token = await api.token('author', org);
    const { importId } = await stagedByImport(
      org,
      'held-1',
      new Date(Date.now() - 4 * 60_000),
      true,
    );

    const before = await api.request('GET', '/v1/questions/held-1', { token });
    const edited = await api.request('PUT', '/v1/questions/held-1', {
      token,
      headers: { 'if-match': '"1"' },
      body: { ...question('held-1'), prompt: 'Which header carries the bearer token, edited?' },
    });
    const retired = await api.request('DELETE', '/v1/questions/held-1', { token });

    expect(before.body.version).toBe(1);
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    expect(edited.body.version).toBe(2);
    expect(retired.status, JSON.stringify(retired.body)).toBe(204);
    const status = await api.request('GET', `/v1/imports/${importId}`, { token });
    expect(status.body).toMatchObject({ status: 'failed', code: 'stopped' });
  }, 120_000);

  it('stays refused while the import that replaced it is alive', async () => {
    const api = testApi;
    const org = 'live-holds';
    const token = await api.token('author', org);
    const { importId } = await stagedByImport(org, 'live-1', new Date(), true);

    const retired = await api.request('DELETE', '/v1/questions/live-1', { token });

    expect(retired.status).toBe(409);
    expect(retired.body.reason).toBe('import-in-progress');
    await failImport(org, importId, { code: 'conflict', detail: 'test over' }, new Date());
  }, 120_000);
});

describe('an upload retried after a fault left its staging behind', () => {
  it('is not refused as busy: the failed import is rolled back at once and the retry imports', async () => {
    // Arrange: an upload staged a question, then the database failed; its rollback failed too,
    // and it recorded its failure (as the request does before answering 503).
    const api = testApi;
    const org = 'faulted';
    const token = await api.token('author', org);
    const now = new Date();
    const importId = ulid();
    await runningImport(org, importId, now, 1);
    const seq = (await registerImport(org, importId, now))!;
    await heartbeat(org, importId, { phase: 'staging', done: 0, total: 1 }, now, { seq });
    const first = validateBank({
      bank: { id: 'faulted-bank', title: 'F' },
      questions: [question('faulted-1')],
    });
    const plan = await planImport(org, first.questions, await currentSnapshot(org));
    await writeStagedList(org, importId, 0, [['faulted-1', 1, 0]]);
    await stageQuestion(org, seq, plan.changes[0]!, now.toISOString(), 'faulted-bank');
    await failImport(org, importId, { code: 'unavailable', detail: 'The database failed.' }, now);

    // Act: the client uploads again right away.
    const retry = await api.request('POST', '/v1/banks', {
      token,
      body: { bank: { id: 'faulted-bank', title: 'F' }, questions: [question('faulted-1')] },
    });

    // Assert
    expect(retry.status).toBe(201);
    expect(retry.body).toMatchObject({ created: 1, updated: 0, unchanged: 0 });
    const q = await api.request('GET', '/v1/questions/faulted-1', { token });
    expect(q.body).toMatchObject({ version: 1 });
    expect([...(await currentSnapshot(org)).open]).toEqual([]);
  }, 120_000);
});

describe('an import whose registration landed but whose answer was lost', () => {
  it('registers once: the import that registers again gets its own entry, and its commit closes it', async () => {
    // Arrange: the registry write landed, but its answer never came back (a paused database, or
    // the request's deadline): the SDK's retry of it, or the job the request handed the import
    // to, registers again.
    const org = 'lost-register';
    const bank = validateBank({
      bank: { id: 'lost-bank', title: 'L' },
      questions: [question('lost-1'), question('lost-2')],
    });
    const importId = ulid();
    await runningImport(org, importId, new Date(), 2);
    const first = await registerImport(org, importId, new Date());

    // Act
    const again = await registerImport(org, importId, new Date());
    const outcome = await stageAndCommit(
      { org, importId, bank, now: () => new Date() },
      async () => {},
    );

    // Assert: one entry, the first one, and nothing left open once the import committed (a
    // second entry would hold one of the organisation's 8 slots until recovery, minutes later).
    expect(again).toBe(first);
    expect(outcome.counts).toMatchObject({ created: 2 });
    expect([...(await currentSnapshot(org)).open]).toEqual([]);
    expect(
      (
        await testApi.request('GET', '/v1/questions/lost-2', {
          token: await testApi.token('author', org),
        })
      ).status,
    ).toBe(200);
  }, 120_000);
});

describe('a staging write whose answer was lost', () => {
  it('is not a conflict when it is sent again: the head it finds is its own', async () => {
    // Found from outside: with DynamoDB Local paused under load, a bank of new questions that
    // nobody else touched failed "Question ... was changed by someone else (an edit or another
    // import) during this import": the SDK had sent a staging put again whose first copy had
    // landed, and the copy's condition (no head yet) failed on it.
    const org = 'lost-stage';
    const importId = ulid();
    const now = new Date();
    const seq = (await registerImport(org, importId, now))!;
    const bank = validateBank({
      bank: { id: 'lost-stage-bank', title: 'L' },
      questions: [question('lost-stage-1')],
    });
    const plan = await planImport(org, bank.questions, await currentSnapshot(org));
    const staged = await stageQuestion(org, seq, plan.changes[0]!, now.toISOString(), 'b');

    // Act: the same write again, as the SDK sends it when the first answer was lost.
    const again = await stageQuestion(org, seq, plan.changes[0]!, now.toISOString(), 'b');

    // Assert: the same version to write, and a write by another import still conflicts.
    expect(again).toEqual(staged);
    const other = (await registerImport(org, ulid(), now))!;
    await expect(
      stageQuestion(org, other, plan.changes[0]!, now.toISOString(), 'b'),
    ).rejects.toThrow(/changed by someone else/);
  }, 120_000);
});

describe('an upload that failed for a fault while staging', () => {
  it('is recorded as a fault, so a retry with its Idempotency-Key imports it, not 409 for good', async () => {
    // Found from outside: a fault while staging (UnavailableError) was recorded as a conflict,
    // and every retry with the key was answered 409 "The service is temporarily unavailable
    // (a fault on our side...). Retry in 1 second." for as long as the client kept trying.
    const org = 'fault-recorded';
    const token = await testApi.token('author', org);
    // The first try is sent once (the test client would retry a 503 by itself).
    const upload = (send = testApi.request) =>
      send('POST', '/v1/banks', {
        token,
        body: {
          bank: { id: 'fault-recorded-bank', title: 'F' },
          questions: [question('fault-recorded-1'), question('fault-recorded-2')],
        },
        headers: { 'idempotency-key': 'fault-recorded-key-0001' },
      });
    let failed = false;
    const stop = onDynamoCall((c) => {
      // The staged versions' write fails as a paused database makes it fail.
      if (c.operation === 'BatchWriteItem' && !failed) {
        failed = true;
        throw new UnavailableError('request-timeout');
      }
    });
    const first = await upload((...args) => requestVia(testApi.base, ...args)).finally(stop);

    // Act
    const retry = await upload();

    // Assert
    expect(first.status).toBe(503);
    expect(retry.status).toBe(201);
    expect(retry.body).toMatchObject({ created: 2 });
    const q = await testApi.request('GET', '/v1/questions/fault-recorded-2', { token });
    expect(q.status).toBe(200);
  }, 120_000);
});

describe('a queued import whose job comes after its client was told it stopped', () => {
  it('is not claimed: the late job runs nothing', async () => {
    // Lambda may deliver an asynchronous event hours late; its client read "never started,
    // upload the bank again" 20 minutes after the import was queued.
    const org = 'late-job';
    const importId = ulid();
    const queuedAt = new Date(Date.now() - 25 * 60_000).toISOString();
    await createImport({
      importId,
      org,
      status: 'queued',
      mode: 'async',
      createdAt: queuedAt,
      parts: 1,
      received: [1],
      progress: { phase: 'queued', done: 0, total: 0 },
    });

    await runImportTask({ task: 'run', org, importId });

    expect(await getImport(org, importId)).toMatchObject({ status: 'queued' });
  });
});

describe("an import handed to its job whose undoing of the request's staging fails for a fault", () => {
  it('keeps its staged list, so that recovery undoes that staging: none of it becomes visible', async () => {
    // Found in review: the job deleted the staged list whether or not its rollback had worked,
    // then went on under the request's registry entry; when a second fault then stopped it,
    // recovery closed that entry with nothing to undo, and the question the request had staged
    // became visible (a partial import).
    const org = 'handover-fault';
    const now = new Date();
    const { importId, bank } = await stagedByImport(org, 'handed-1', now);
    // As a request hands it over: the bank's text stored, the record queued with its number.
    const text = JSON.stringify({ bank, questions: [question('handed-1')] });
    await putBody(org, importId, 1, { format: 'json', textBytes: text.length }, compressText(text));
    await deferImport(org, importId, now);
    // Two faults in a row: the job's first delete of a staged head is throttled (once; the SDK
    // does not retry it), and so is the next read of the bank's text, if the job gets that far.
    const faults = { headDelete: true, bodyRead: true };
    const throttled = () =>
      Object.assign(new Error('Rate exceeded'), {
        name: 'ProvisionedThroughputExceededException',
        $metadata: {},
      });
    const plain = (v: string | { S?: string } | undefined) => (typeof v === 'string' ? v : v?.S);
    type Input = {
      Key?: { SK?: string | { S?: string } };
      ExpressionAttributeValues?: { ':p'?: string | { S?: string } };
    };
    type Stack = { add: (...a: unknown[]) => void; remove: (name: string) => boolean };
    const stack = (db() as unknown as { middlewareStack: Stack }).middlewareStack;
    stack.add(
      (next: (a: unknown) => Promise<unknown>, context: { commandName?: string }) =>
        async (args: { input: Input }) => {
          const { commandName } = context;
          if (
            faults.headDelete &&
            commandName === 'DeleteItemCommand' &&
            plain(args.input.Key?.SK) === 'HEAD'
          ) {
            faults.headDelete = false;
            throw throttled();
          }
          if (
            faults.bodyRead &&
            commandName === 'QueryCommand' &&
            plain(args.input.ExpressionAttributeValues?.[':p']) === 'BODY#'
          ) {
            faults.bodyRead = false;
            throw throttled();
          }
          return next(args);
        },
      { step: 'initialize', name: 'testThrottle' },
    );
    onTestFinished(() => {
      stack.remove('testThrottle');
    });

    await runImportTask({ task: 'run', org, importId });
    expect(faults.headDelete).toBe(false);
    faults.bodyRead = false;
    await importBankNow(
      org,
      validateBank({ bank: { id: 'after-bank', title: 'A' }, questions: [question('after-1')] }),
      new Date(),
    );

    expect(await getQuestion(org, 'handed-1')).toBeUndefined();
    expect(await getImport(org, importId)).toMatchObject({ status: 'failed', code: 'unavailable' });
    expect(await items(org, 'handed-1')).toEqual([]);
    expect(await getQuestion(org, 'after-1')).toBeDefined();
  });
});
