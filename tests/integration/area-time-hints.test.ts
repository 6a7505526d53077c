/**
 * `GET /v1/areas` reports each area's mean time hint (`timeHintSeconds`) from sums kept beside
 * the question counts, in the same transactions that publish, edit and retire questions: still
 * one BatchGet per request, and the mean follows every change.
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { db, onDynamoCall, tableName } from '../../functions/data/client.ts';
import { keys } from '../../functions/data/keys.ts';
import { validateBank } from '../../functions/domain/bank.ts';
import { importBankNow } from '../../functions/services/imports.ts';
import { useTestApi } from './support.ts';

const api = useTestApi();
let author: string;

const question = (id: string, area: string, timeHintSeconds?: number) => ({
  id,
  area,
  type: 'single',
  difficulty: 1,
  prompt: `Question ${id}?`,
  options: [
    { id: 'a', text: 'Alpha' },
    { id: 'b', text: 'Bravo' },
  ],
  answer: 'a',
  explanation: 'Because the documentation says so.',
  tags: ['hints'],
  ...(timeHintSeconds === undefined ? {} : { timeHintSeconds }),
});

const bank = (id: string, questions: unknown[]) => ({ bank: { id, title: id }, questions });

const FIRST_FILE = bank('hints-1', [
  question('h-sec-1', 'security', 60),
  question('h-sec-2', 'security', 120),
  question('h-sec-3', 'security'),
  question('h-col-1', 'collaboration', 90),
]);

type AreaRow = { id: string; questionCount: number; timeHintSeconds?: number };

async function areas(token?: string): Promise<Record<string, AreaRow>> {
  const res = await api.request('GET', '/v1/areas', token ? { token } : {});
  expect(res.status).toBe(200);
  return Object.fromEntries(res.body.areas.map((a: AreaRow) => [a.id, a]));
}

async function edit(id: string, version: number, change: Record<string, unknown>) {
  const got = await api.request('GET', `/v1/questions/${id}`, { token: author });
  const {
    id: _id,
    version: _v,
    status,
    source,
    createdAt,
    updatedAt,
    versions,
    ...content
  } = got.body;
  const res = await api.request('PUT', `/v1/questions/${id}`, {
    token: author,
    body: { ...content, ...change },
    headers: { 'if-match': `"${version}"` },
  });
  expect(res.status, res.text).toBe(200);
}

beforeAll(async () => {
  author = await api.token('author', 'hints');
});

describe('the areas’ mean time hints', () => {
  it('averages the hints of the published questions that have one, and follows edits and retirements', async () => {
    const up = await api.request('POST', '/v1/banks', {
      token: author,
      body: FIRST_FILE,
    });
    expect(up.status).toBe(201);

    let seen = await areas(author);
    expect(seen.security).toMatchObject({ questionCount: 3, timeHintSeconds: 90 });
    expect(seen.collaboration).toMatchObject({ questionCount: 1, timeHintSeconds: 90 });
    // An area without questions has no hint; the caller's organisation is not the public's.
    expect(seen['cloud-native']!.timeHintSeconds).toBeUndefined();
    expect((await areas()).security!.timeHintSeconds).toBeUndefined();

    await edit('h-sec-1', 1, { timeHintSeconds: 30 });
    expect((await areas(author)).security).toMatchObject({
      questionCount: 3,
      timeHintSeconds: 75,
    });

    // A hint added to a question that had none; one moved to another area.
    await edit('h-sec-3', 1, { timeHintSeconds: 45 });
    await edit('h-col-1', 1, { area: 'security' });
    seen = await areas(author);
    expect(seen.security).toMatchObject({ questionCount: 4, timeHintSeconds: 71 }); // 285 / 4
    expect(seen.collaboration!.questionCount).toBe(0);
    expect(seen.collaboration!.timeHintSeconds).toBeUndefined();

    expect((await api.request('DELETE', '/v1/questions/h-sec-2', { token: author })).status).toBe(
      204,
    );
    expect((await areas(author)).security).toMatchObject({
      questionCount: 3,
      timeHintSeconds: 55, // (30 + 45 + 90) / 3
    });

    // The first file again: the edited questions get new versions (the retired one, unchanged
    // since, stays retired).
    const again = await api.request('POST', '/v1/banks', {
      token: author,
      body: FIRST_FILE,
    });
    expect(again.status).toBe(201);
    seen = await areas(author);
    expect(seen.security).toMatchObject({ questionCount: 2, timeHintSeconds: 60 });
    expect(seen.collaboration).toMatchObject({ questionCount: 1, timeHintSeconds: 90 });
  }, 60_000);

  it('adds the shipped bank’s hints to the organisation’s own, in one BatchGet', async () => {
    const own = await api.token('author', 'hints-own');
    await importBankNow(
      'public',
      validateBank(bank('public-hints', [question('p-api-1', 'api-first', 100)])),
      new Date(),
    );
    const up = await api.request('POST', '/v1/banks', {
      token: own,
      body: bank('own-hints', [question('o-api-1', 'api-first', 40)]),
    });
    expect(up.status).toBe(201);

    expect((await areas())['api-first']).toMatchObject({
      questionCount: 1,
      timeHintSeconds: 100,
    });
    const calls: string[] = [];
    const stop = onDynamoCall((c) => calls.push(c.operation));
    const mine = await areas(own);
    stop();
    expect(mine['api-first']).toMatchObject({ questionCount: 2, timeHintSeconds: 70 });
    expect(calls).toEqual(['BatchGetItem']);
  }, 60_000);

  it('never subtracts a hint that was not counted (questions stored before the sums existed)', async () => {
    const org = 'hints-legacy';
    const token = await api.token('author', org);
    const up = await api.request('POST', '/v1/banks', {
      token,
      body: bank('legacy', [
        question('l-rt-1', 'real-time-data', 50),
        question('l-rt-2', 'real-time-data', 150),
      ]),
    });
    expect(up.status).toBe(201);
    // As a head written before this change: no marker, and its hint not in the sums.
    await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.questionHead(org, 'l-rt-2'),
        UpdateExpression: 'REMOVE hintCounted',
      }),
    );
    await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.areaCounts(org, 0),
        UpdateExpression: 'ADD #h :h, #n :n',
        ExpressionAttributeNames: { '#h': 'hints_real-time-data', '#n': 'hinted_real-time-data' },
        ExpressionAttributeValues: { ':h': -150, ':n': -1 },
      }),
    );
    expect((await areas(token))['real-time-data']).toMatchObject({
      questionCount: 2,
      timeHintSeconds: 50,
    });

    const retired = await api.request('DELETE', '/v1/questions/l-rt-2', { token });
    expect(retired.status).toBe(204);
    expect((await areas(token))['real-time-data']).toMatchObject({
      questionCount: 1,
      timeHintSeconds: 50,
    });
  }, 60_000);
});
