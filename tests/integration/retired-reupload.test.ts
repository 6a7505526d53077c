/**
 * A retired question uploaded again (docs/state-machines.md, "Question versions"): an import
 * never revives it, with its content unchanged or changed, in the request (201), in the job
 * (202, the import's record) and through `assay import`; every path warns with the question's
 * id and how to restore it, and the restore (PUT with If-Match) publishes it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assay, SPAWN_TIMEOUT } from '../unit/cli-run.ts';
import { importFinished, useTestApi } from './support.ts';

process.env.IMPORT_CLEANUP_DELAY_MS = '100';

const api = useTestApi();
let author: string;
let dir: string;

beforeAll(async () => {
  author = await api.token('author', 'retire-org');
  dir = mkdtempSync(join(tmpdir(), 'assay-retired-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const single = (id: string, over: Record<string, unknown> = {}) => ({
  id,
  area: 'security',
  type: 'single',
  difficulty: 2,
  prompt: `Which control limits the blast radius of a leaked key for service ${id}?`,
  options: [
    { id: 'a', text: 'Least-privilege scopes' },
    { id: 'b', text: 'A longer key' },
  ],
  answer: 'a',
  explanation: 'A key that can do little does little harm when it leaks.',
  tags: ['least-privilege'],
  ...over,
});

const bank = (id: string, questions: unknown[]) => ({
  bank: { id, title: `Bank ${id}` },
  questions,
});

const upload = (doc: unknown, headers: Record<string, string> = {}) =>
  api.request('POST', '/v1/banks', { token: author, body: doc, headers });

const get = (id: string) => api.request('GET', `/v1/questions/${id}`, { token: author });

const follow = (location: string) => importFinished(api, location, author);

const securityCount = async () => {
  const res = await api.request('GET', '/v1/areas', { token: author });
  return res.body.areas.find((a: { id: string }) => a.id === 'security').questionCount as number;
};

const publishedIds = async () => {
  const res = await api.request('GET', '/v1/questions?area=security&limit=200', { token: author });
  return res.body.items.map((q: { id: string }) => q.id) as string[];
};

/** Upload `questions` as bank `bankId`, then retire `retire`. */
async function storedThenRetired(bankId: string, questions: unknown[], retire: string) {
  expect((await upload(bank(bankId, questions))).status).toBe(201);
  expect((await api.request('DELETE', `/v1/questions/${retire}`, { token: author })).status).toBe(
    204,
  );
}

describe('a retired question uploaded again in a bank', () => {
  it('with unchanged content stays retired, and the 201 warns with its id and how to restore it', async () => {
    // Arrange
    const questions = [single('ret-same-1'), single('ret-same-2')];
    await storedThenRetired('ret-same', questions, 'ret-same-1');
    const count = await securityCount();

    // Act
    const again = await upload(bank('ret-same', questions));

    // Assert
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({ created: 0, updated: 0, unchanged: 2 });
    expect(again.body.warnings).toEqual([
      {
        code: 'question-retired',
        questionId: 'ret-same-1',
        questionIndex: 0,
        message: expect.stringContaining(
          'PUT /v1/questions/ret-same-1 with If-Match: "1" and the question as GET /v1/questions/ret-same-1 returns it',
        ),
      },
    ]);
    expect(again.body.warnings[0].message).toMatch(/is retired, so this upload left it retired/);
    expect((await get('ret-same-1')).body).toMatchObject({ status: 'retired', version: 1 });
    expect(await publishedIds()).not.toContain('ret-same-1');
    expect(await securityCount()).toBe(count);
  });

  it('with changed content stores the new version still retired, and warns', async () => {
    // Arrange
    await storedThenRetired('ret-changed', [single('ret-changed-1')], 'ret-changed-1');
    const count = await securityCount();

    // Act
    const again = await upload(
      bank('ret-changed', [
        single('ret-changed-1', { explanation: 'Changed: scopes bound harm.' }),
      ]),
    );

    // Assert
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({ created: 0, updated: 1, unchanged: 0 });
    expect(again.body.warnings).toEqual([
      expect.objectContaining({ code: 'question-retired', questionId: 'ret-changed-1' }),
    ]);
    expect(again.body.warnings[0].message).toMatch(
      /stored its new content as version 2 and left it retired.*If-Match: "2"/,
    );
    const stored = await get('ret-changed-1');
    expect(stored.body).toMatchObject({
      status: 'retired',
      version: 2,
      explanation: 'Changed: scopes bound harm.',
    });
    expect(await publishedIds()).not.toContain('ret-changed-1');
    expect(await securityCount()).toBe(count);
  });

  it('in the import job keeps it retired and puts the warning on the import record', async () => {
    // Arrange
    await storedThenRetired('ret-job', [single('ret-job-1'), single('ret-job-2')], 'ret-job-2');

    // Act
    const accepted = await upload(
      bank('ret-job', [single('ret-job-1'), single('ret-job-2', { difficulty: 3 })]),
      { prefer: 'respond-async' },
    );
    const done = await follow(accepted.headers.get('location')!);

    // Assert
    expect(accepted.status).toBe(202);
    expect(done.body).toMatchObject({ status: 'succeeded', updated: 1, unchanged: 1 });
    expect(done.body.warnings).toEqual([
      expect.objectContaining({
        code: 'question-retired',
        questionId: 'ret-job-2',
        questionIndex: 1,
      }),
    ]);
    expect((await get('ret-job-2')).body).toMatchObject({ status: 'retired', difficulty: 3 });
  }, 90_000);

  it('in a part-wise import names the part and the index in it', async () => {
    // Arrange
    await storedThenRetired(
      'ret-parts',
      [single('ret-parts-1'), single('ret-parts-2')],
      'ret-parts-2',
    );
    const created = await api.request('POST', '/v1/imports', {
      token: author,
      body: { bank: { id: 'ret-parts', title: 'Bank ret-parts' }, parts: 2 },
    });

    // Act
    for (const [n, q] of [single('ret-parts-1'), single('ret-parts-2')].entries()) {
      await api.request('PUT', `/v1/imports/${created.body.importId}/parts/${n + 1}`, {
        token: author,
        body: bank('ret-parts', [q]),
      });
    }
    const done = await follow(`/v1/imports/${created.body.importId}`);

    // Assert
    expect(done.body).toMatchObject({ status: 'succeeded', unchanged: 2 });
    expect(done.body.warnings).toEqual([
      expect.objectContaining({
        code: 'question-retired',
        questionId: 'ret-parts-2',
        part: 2,
        questionIndex: 0,
      }),
    ]);
  }, 90_000);

  it('from a GIFT file warns on the question line, after which a restore publishes it', async () => {
    // Arrange
    const gift = [
      '$CATEGORY: security',
      '',
      '::Key scope::Which control limits the blast radius of a leaked key?{',
      '  =Least-privilege scopes',
      '  ~A longer key',
      '  ####A key that can do little does little harm.',
      '}',
      '',
    ].join('\n');
    const send = () =>
      api.request('POST', '/v1/banks?format=gift&bank=ret-gift', {
        token: author,
        raw: gift,
        contentType: 'text/plain',
      });
    const first = await send();
    expect(first.status).toBe(201);
    const id = (
      await api.request('GET', '/v1/questions?area=security&limit=200', { token: author })
    ).body.items.find((q: { title?: string }) => q.title === 'Key scope').id as string;
    await api.request('DELETE', `/v1/questions/${id}`, { token: author });

    // Act
    const again = await send();
    const got = await get(id);
    const { version, status, source, createdAt, updatedAt, versions, ...content } = got.body;
    const restored = await api.request('PUT', `/v1/questions/${id}`, {
      token: author,
      body: { ...content, status, version },
      headers: { 'if-match': `"${version}"` },
    });

    // Assert
    expect(again.status).toBe(201);
    expect(again.body.warnings).toEqual([
      expect.objectContaining({ code: 'question-retired', questionId: id, line: 3 }),
    ]);
    expect(got.body.status).toBe('retired');
    expect(restored.status).toBe(200);
    expect(restored.body).toMatchObject({ status: 'published', version: version + 1 });
    expect(await publishedIds()).toContain(id);
  });

  it(
    'through assay import: prints the warning with the file, line and id, and exits 0',
    async () => {
      // Arrange
      await storedThenRetired('ret-cli', [single('ret-cli-1')], 'ret-cli-1');
      const file = join(dir, 'ret-cli.json');
      writeFileSync(file, JSON.stringify(bank('ret-cli', [single('ret-cli-1')])));

      // Act
      const r = await assay('import', file, '--api', api.base, '--token', author);

      // Assert
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(`${file}: 0 created, 0 updated, 1 unchanged.\n`);
      expect(r.stderr).toMatch(
        new RegExp(
          `^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: warning \\[ret-cli-1\\]: Question "ret-cli-1" is retired, so this upload left it retired.*PUT /v1/questions/ret-cli-1`,
        ),
      );
      expect((await get('ret-cli-1')).body.status).toBe('retired');
    },
    SPAWN_TIMEOUT,
  );
});
