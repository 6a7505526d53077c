import { beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { onDynamoCall } from '../../functions/data/client.ts';
import { useTestApi } from './support.ts';

const api = useTestApi();
let author: string;
let otherOrgAuthor: string;

beforeAll(async () => {
  author = await api.token('author', 'acme');
  otherOrgAuthor = await api.token('author', 'globex');
});

const single = (id: string, over: Record<string, unknown> = {}) => ({
  id,
  area: 'serverless',
  type: 'single',
  difficulty: 2,
  prompt: `Which setting bounds the concurrency of function ${id}?`,
  options: [
    { id: 'a', text: 'Reserved concurrency' },
    { id: 'b', text: 'Memory size' },
    { id: 'c', text: 'Timeout' },
  ],
  answer: 'a',
  explanation: 'Reserved concurrency caps concurrent executions; memory and timeout do not.',
  tags: ['lambda-concurrency'],
  ...over,
});

const bank = (id: string, questions: unknown[]) => ({
  bank: { id, title: `Bank ${id}` },
  questions,
});

async function upload(doc: unknown, token = author) {
  return api.request('POST', '/v1/banks', { token, body: doc });
}

describe('uploading a bank', () => {
  it('stores every question and reports what it created; re-uploading changes nothing', async () => {
    const doc = bank('acme-core', [single('acme-q1'), single('acme-q2'), single('acme-q3')]);
    const first = await upload(doc);
    expect(first.status).toBe(201);
    expect(first.body).toEqual({
      importId: expect.stringMatching(/^[0-9A-Z]{26}$/),
      bankId: 'acme-core',
      imported: 3,
      created: 3,
      updated: 0,
      unchanged: 0,
      warnings: [],
      skipped: [],
    });
    const again = await upload(doc);
    expect(again.body).toEqual({
      importId: expect.not.stringMatching(first.body.importId),
      bankId: 'acme-core',
      imported: 3,
      created: 0,
      updated: 0,
      unchanged: 3,
      warnings: [],
      skipped: [],
    });
  });

  it('re-uploads an unchanged bank in ten calls, reading the registry once to recover and register', async () => {
    const doc = bank('acme-calls', [single('acme-c1'), single('acme-c2')]);
    expect((await upload(doc)).status).toBe(201);
    const calls: string[] = [];
    const stop = onDynamoCall((c) => calls.push(c.operation));
    const again = await upload(doc);
    stop();
    expect(again.body).toMatchObject({ imported: 2, unchanged: 2 });
    // docs/imports.md: the record (I2); the registry read once for recovery and the register,
    // which is an UpdateItem (I5); the heartbeat; the snapshot and the heads (I6); the commit
    // (I9); the clean-up of the import's items and the record marked clean (I11).
    expect(calls).toEqual([
      'PutItem',
      'GetItem',
      'UpdateItem',
      'UpdateItem',
      'GetItem',
      'BatchGetItem',
      'TransactWriteItems',
      'Query',
      'Query',
      'UpdateItem',
    ]);
  });

  it('makes version 2 only of the question whose content changed', async () => {
    const doc = bank('acme-core', [
      single('acme-q1'),
      single('acme-q2', { difficulty: 3 }),
      single('acme-q3'),
    ]);
    const res = await upload(doc);
    expect(res.body).toMatchObject({ created: 0, updated: 1, unchanged: 2 });
    const q2 = await api.request('GET', '/v1/questions/acme-q2', { token: author });
    expect(q2.body.version).toBe(2);
    expect(q2.body.versions.map((v: { version: number }) => v.version)).toEqual([1, 2]);
  });

  it('accepts YAML', async () => {
    const res = await api.request('POST', '/v1/banks', {
      token: author,
      raw: stringify(bank('acme-yaml', [single('acme-y1')])),
      contentType: 'application/yaml',
    });
    expect(res.status).toBe(201);
    expect(res.body.created).toBe(1);
  });

  it('answers malformed YAML with 400 and the line and column', async () => {
    const res = await api.request('POST', '/v1/banks', {
      token: author,
      raw: 'bank:\n  id: x\n  title: [unclosed\nquestions: []\n',
      contentType: 'application/yaml',
    });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].line).toBeGreaterThan(0);
    expect(res.body.errors[0].column).toBeGreaterThan(0);
    expect(res.body.detail).toMatch(/line \d+, column \d+/);
  });

  it('locates every problem of a YAML bank by question, field and line', async () => {
    const yaml = stringify(
      bank('acme-bad', [single('acme-ok'), single('acme-bad-1', { answer: 'z', difficulty: 5 })]),
    );
    const res = await api.request('POST', '/v1/banks', {
      token: author,
      raw: yaml,
      contentType: 'application/yaml',
    });
    expect(res.status).toBe(400);
    const lines = yaml.split('\n');
    for (const e of res.body.errors) {
      expect(e.questionIndex).toBe(1);
      expect(e.questionId).toBe('acme-bad-1');
      expect(e.line).toBeGreaterThan(0);
    }
    const answer = res.body.errors.find((e: { path: string }) => e.path === 'questions[1].answer');
    expect(lines[answer.line - 1]).toContain('answer');
    expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(
      'questions[1].difficulty',
    );
  });

  it('rejects a bank with duplicate question ids', async () => {
    const res = await upload(bank('acme-dup', [single('acme-d1'), single('acme-d1')]));
    expect(res.status).toBe(400);
    expect(res.body.errors[0]).toMatchObject({ path: 'questions[1].id', questionIndex: 1 });
    expect(res.body.errors[0].message).toMatch(/Duplicate question id/);
  });

  it('rejects a 5,000-question bank with one bad question, naming it, and stores nothing', async () => {
    const questions = Array.from({ length: 5000 }, (_, i) => single(`big-${i}`));
    questions[3217] = single('big-3217', { options: [{ id: 'a', text: 'Only one' }] });
    const res = await upload(bank('acme-big', questions));
    expect(res.status).toBe(400);
    expect(res.body.errors).toHaveLength(1);
    expect(res.body.errors[0]).toMatchObject({
      questionIndex: 3217,
      questionId: 'big-3217',
      path: 'questions[3217].options',
    });
    const list = await api.request('GET', '/v1/questions?area=serverless&limit=200', {
      token: author,
    });
    expect(list.body.items.some((q: { id: string }) => q.id.startsWith('big-'))).toBe(false);
  }, 120_000);

  it('imports 1,000 questions before the answer (201), counting its DynamoDB calls', async () => {
    const questions = Array.from({ length: 1000 }, (_, i) =>
      single(`bulk-${i}`, { area: i % 2 ? 'security' : 'serverless' }),
    );
    const calls: string[] = [];
    const stop = onDynamoCall((c) => calls.push(c.operation));
    const started = performance.now();
    const res = await upload(bank('acme-bulk', questions));
    const ms = performance.now() - started;
    stop();
    // On a machine too busy to stage 1,000 questions within the request's budget (8 s) the
    // request hands the import to the job instead (202, docs/imports.md): followed here.
    let counts = res.body;
    if (res.status === 202) {
      for (;;) {
        const s = await api.request('GET', res.headers.get('location')!, { token: author });
        if (s.body.status === 'succeeded' || s.body.status === 'failed') {
          counts = s.body;
          break;
        }
        await new Promise((r) => setTimeout(r, 200));
      }
    } else {
      expect(res.status).toBe(201);
      // One Put per new head, its version batched 25 a call, 10 BatchGets of heads, and a
      // handful for the record, the registry and the commit (docs/imports.md, I2-I9).
      expect(calls.length).toBeLessThanOrEqual(1000 + 40 + 10 + 20);
    }
    expect(counts).toMatchObject({ imported: 1000, created: 1000 });
    console.log(
      `1,000-question import: ${res.status} in ${ms.toFixed(0)} ms, ${calls.length} DynamoDB calls in the request (${JSON.stringify(countBy(calls))})`,
    );
    const areas = await api.request('GET', '/v1/areas', { token: author });
    expect(
      areas.body.areas.find((a: { id: string }) => a.id === 'security').questionCount,
    ).toBeGreaterThanOrEqual(500);
  }, 300_000);

  it('answers a body over the upload limit with 413', async () => {
    const res = await api.request('POST', '/v1/banks', {
      token: author,
      raw: 'x'.repeat(5 * 1024 * 1024),
      contentType: 'application/yaml',
    });
    expect(res.status).toBe(413);
  });

  it('answers an unsupported content type with 415', async () => {
    const res = await api.request('POST', '/v1/banks', {
      token: author,
      raw: '%PDF-1.7',
      contentType: 'application/pdf',
    });
    expect(res.status).toBe(415);
    expect(res.body.detail).toMatch(/application\/json/);
  });

  it('rejects a GIFT file with an essay question, naming its line and why', async () => {
    const gift = [
      '$CATEGORY: security',
      '::sec-gift-ok:: Which header carries a bearer token? {=Authorization ~Accept ~Host}',
      '',
      '// an essay question cannot be graded automatically',
      '::sec-essay:: Explain how you would',
      'store passwords.',
      '{',
      '}',
    ].join('\n');
    const res = await api.request('POST', '/v1/banks?format=gift', {
      token: author,
      raw: gift,
      contentType: 'text/plain',
    });
    expect(res.status).toBe(400);
    expect(res.body.errors.some((e: { line: number }) => e.line >= 5 && e.line <= 8)).toBe(true);
    expect(JSON.stringify(res.body.errors)).toMatch(/essay questions need manual grading/);
  });

  it('imports GIFT multiple choice as a single question', async () => {
    const gift =
      '$CATEGORY: security\n::sec-gift-ok:: Which header carries a bearer token? {=Authorization ~Accept ~Host ####Bearer tokens travel in the Authorization header.}\n';
    const res = await api.request('POST', '/v1/banks?format=gift', {
      token: author,
      raw: gift,
      contentType: 'text/plain',
    });
    expect(res.status).toBe(201);
    const q = await api.request('GET', '/v1/questions/sec-gift-ok', { token: author });
    expect(q.body).toMatchObject({ type: 'single', area: 'security', difficulty: 2 });
  });
});

describe('editing and retiring', () => {
  beforeAll(async () => {
    await upload(
      bank('acme-edit', [
        single('edit-me', { area: 'cloud-native' }),
        single('edit-other', { area: 'cloud-native' }),
      ]),
    );
  });

  it('lists, edits with If-Match, rejects a stale edit with 412, retires, and lists without it', async () => {
    const listed = await api.request(
      'GET',
      '/v1/questions?area=cloud-native&difficulty=2&limit=200',
      { token: author },
    );
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((q: { id: string }) => q.id)).toContain('edit-me');

    const got = await api.request('GET', '/v1/questions/edit-me', { token: author });
    expect(got.headers.get('etag')).toBe('"1"');
    const { id, version, status, source, createdAt, updatedAt, versions, ...content } = got.body;
    const edited = await api.request('PUT', '/v1/questions/edit-me', {
      token: author,
      body: { ...content, prompt: `${content.prompt} (edited)` },
      headers: { 'if-match': '"1"' },
    });
    expect(edited.status).toBe(200);
    expect(edited.body.version).toBe(2);

    const stale = await api.request('PUT', '/v1/questions/edit-me', {
      token: author,
      body: { ...content, prompt: `${content.prompt} (stale)` },
      headers: { 'if-match': '"1"' },
    });
    expect(stale.status).toBe(412);
    expect(stale.body.detail).toMatch(/version 2/);

    const retired = await api.request('DELETE', '/v1/questions/edit-me', { token: author });
    expect(retired.status).toBe(204);
    const after = await api.request('GET', '/v1/questions?area=cloud-native&limit=200', {
      token: author,
    });
    expect(after.body.items.map((q: { id: string }) => q.id)).not.toContain('edit-me');
    const retiredList = await api.request('GET', '/v1/questions?status=retired', { token: author });
    expect(retiredList.body.items.map((q: { id: string }) => q.id)).toContain('edit-me');
    const v1 = await api.request('GET', '/v1/questions/edit-me?version=1', { token: author });
    expect(v1.body).toMatchObject({ version: 1, status: 'retired' });
  });

  it('answers an edit without If-Match with 428', async () => {
    const got = await api.request('GET', '/v1/questions/edit-other', { token: author });
    const { id, version, status, source, createdAt, updatedAt, versions, ...content } = got.body;
    const res = await api.request('PUT', '/v1/questions/edit-other', {
      token: author,
      body: content,
    });
    expect(res.status).toBe(428);
  });

  it('refuses an edit that writes a field twice, naming it, and keeps the question as it was', async () => {
    const got = await api.request('GET', '/v1/questions/edit-other', { token: author });
    const { id, version, status, source, createdAt, updatedAt, versions, ...content } = got.body;
    // JSON.parse keeps the last of two keys: this edit would silently change the key to c.
    const raw = `${JSON.stringify({ ...content, answer: 'a' }).slice(0, -1)},"answer":"c"}`;

    const res = await api.request('PUT', '/v1/questions/edit-other', {
      token: author,
      raw,
      contentType: 'application/json',
      headers: { 'if-match': String(version) },
    });

    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      { path: 'answer', message: expect.stringMatching(/"answer" is written twice/) },
    ]);
    const after = await api.request('GET', '/v1/questions/edit-other', { token: author });
    expect(after.body).toMatchObject({ version, answer: 'a' });
  });

  it('refuses a JSON bank that writes a field twice, naming the question and its line', async () => {
    const doc = bank('acme-dup-key', [single('acme-dup-q1')]);
    const raw = JSON.stringify(doc, null, 2).replace(
      '"answer": "a",',
      '"answer": "a", "answer": "c",',
    );

    const res = await api.request('POST', '/v1/banks', {
      token: author,
      raw,
      contentType: 'application/json',
    });

    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      expect.objectContaining({ path: 'questions[0].answer', questionId: 'acme-dup-q1', line: 27 }),
    ]);
    const listed = await api.request('GET', '/v1/questions/acme-dup-q1', { token: author });
    expect(listed.status).toBe(404);
  });

  it('names a body id that differs from the path together with every other problem of the edit', async () => {
    // Arrange: a body copied from another question, with a field of the wrong shape, an answer
    // that is no option and a read-only field changed.
    const got = await api.request('GET', '/v1/questions/edit-other', { token: author });
    const { id, version, status, source, createdAt, updatedAt, versions, ...content } = got.body;
    const edit = (over: Record<string, unknown>) =>
      api.request('PUT', '/v1/questions/edit-other', {
        token: author,
        body: { ...content, id: 'edit-me', ...over },
        headers: { 'if-match': String(version) },
      });
    const mismatch = {
      path: 'id',
      message: 'The body\'s id "edit-me" differs from the path\'s "edit-other".',
    };

    // Act
    const shape = await edit({ difficulty: 7 });
    const answer = await edit({ answer: 'nope' });
    const readOnly = await edit({ version: version + 5 });

    // Assert
    expect(shape.status).toBe(400);
    expect(shape.body.errors).toEqual([mismatch, expect.objectContaining({ path: 'difficulty' })]);
    expect(answer.status).toBe(400);
    expect(answer.body.errors).toEqual([mismatch, expect.objectContaining({ path: 'answer' })]);
    expect(readOnly.status).toBe(400);
    expect(readOnly.body.errors).toEqual([mismatch, expect.objectContaining({ path: 'version' })]);
    const after = await api.request('GET', '/v1/questions/edit-other', { token: author });
    expect(after.body).toMatchObject({ version });
  });

  it('validates an edit with the same rules as an upload', async () => {
    const res = await api.request('PUT', '/v1/questions/edit-other', {
      token: author,
      body: { ...single('edit-other', { area: 'cloud-native' }), answer: 'nope' },
      headers: { 'if-match': '1' },
    });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].path).toBe('answer');
  });

  it('pages through a listing with nextCursor', async () => {
    const first = await api.request('GET', '/v1/questions?limit=2', { token: author });
    expect(first.body.items).toHaveLength(2);
    expect(first.body.nextCursor).toBeTruthy();
    const second = await api.request(
      'GET',
      `/v1/questions?limit=2&cursor=${first.body.nextCursor}`,
      { token: author },
    );
    expect(second.body.items[0].id).not.toBe(first.body.items[0].id);
  });

  it('rejects a cursor of the right listing that is not a real position with 400', async () => {
    const forged = Buffer.from(
      JSON.stringify({ GSI1PK: 'ORG#acme#QS#published', foo: 'x' }),
    ).toString('base64url');
    const res = await api.request('GET', `/v1/questions?cursor=${forged}`, { token: author });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].path).toBe('query.cursor');
  });

  it('keeps questions for authors: an employer token gets 403', async () => {
    const res = await api.request('GET', '/v1/questions', {
      token: await api.token('employer', 'acme'),
    });
    expect(res.status).toBe(403);
  });

  it('rejects a tampered cursor with 400', async () => {
    const res = await api.request('GET', '/v1/questions?cursor=bm90LWEtY3Vyc29y', {
      token: author,
    });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].path).toBe('query.cursor');
  });
});

describe('organisations', () => {
  it("never shows one organisation's question to another", async () => {
    await upload(bank('acme-secret', [single('acme-only')]));
    const res = await api.request('GET', '/v1/questions/acme-only', { token: otherOrgAuthor });
    expect(res.status).toBe(404);
    const edit = await api.request('DELETE', '/v1/questions/acme-only', { token: otherOrgAuthor });
    expect(edit.status).toBe(404);
  });

  it('lets the same question id exist in two organisations', async () => {
    const res = await upload(bank('globex-core', [single('acme-only')]), otherOrgAuthor);
    expect(res.body.created).toBe(1);
  });
});

function countBy(xs: string[]) {
  const out: Record<string, number> = {};
  for (const x of xs) out[x] = (out[x] ?? 0) + 1;
  return out;
}

describe('malformed JSON banks', () => {
  it('are answered with 400 and the line and column of the mistake', async () => {
    const res = await api.request('POST', '/v1/banks', {
      token: await api.token('author', 'acme'),
      raw: '{\n  "bank": {"id": "x-bank", "title": "X"},\n  "questions": [\n    {"id": "oops",}\n  ]\n}\n',
      contentType: 'application/json',
    });
    expect(res.status).toBe(400);
    expect(res.body.errors[0]).toMatchObject({ line: 4 });
    expect(res.body.detail).toMatch(/line 4, column \d+/);
  });
});
