/**
 * A question belongs to the bank (the file) that stored it: another bank's upload that writes the
 * same id with other content is a 409 naming both banks, and stores nothing, unless it says the
 * question moves (`?moveQuestions=true`). Found by curl: bank-two's "q-100" replaced bank-one's
 * question's prompt with a 201 `"updated": 1`, nothing said (docs/question-format.md, "No
 * overwrites across files").
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { importFinished, useTestApi } from './support.ts';

const api = useTestApi();
let author: string;

beforeAll(async () => {
  author = await api.token('author', 'ownership');
});

const question = (id: string, prompt: string) => ({
  id,
  area: 'security',
  type: 'single',
  difficulty: 1,
  prompt,
  options: [
    { id: 'a', text: 'Authorization' },
    { id: 'b', text: 'Accept' },
  ],
  answer: 'a',
  explanation: 'A bearer token travels in the Authorization header of the request.',
  tags: ['http-auth'],
});
const bank = (id: string, questions: unknown[]) => ({
  bank: { id, title: `Bank ${id}` },
  questions,
});
const upload = (doc: unknown, query = '') =>
  api.request('POST', `/v1/banks${query}`, { token: author, body: doc });
const promptOf = async (id: string) =>
  (await api.request('GET', `/v1/questions/${id}`, { token: author })).body as {
    prompt: string;
    version: number;
  };

/** Poll an import until it has finished. */
const finished = (importId: string) => importFinished(api, `/v1/imports/${importId}`, author);

describe('an id that another bank holds', () => {
  it('is a 409 naming both banks when the content differs, and nothing of the upload is stored', async () => {
    const bearer = 'Which header carries a bearer token?';
    expect((await upload(bank('bank-one', [question('own-100', bearer)]))).status).toBe(201);

    const copied = await upload(
      bank('bank-two', [
        question('own-200', 'Which header names the media type of the body?'),
        question('own-100', 'Which header carries the content type?'),
      ]),
    );

    expect(copied.status).toBe(409);
    expect(copied.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(copied.body.errors).toHaveLength(1);
    expect(copied.body.errors[0]).toMatchObject({
      path: 'questions[1].id',
      questionId: 'own-100',
    });
    expect(copied.body.errors[0].message).toMatch(
      /"own-100" \(questions\[1\]\) is already a question of another bank, with other content \(stored from bank "bank-one"\); this upload is bank "bank-two"\. Nothing was stored\..*\?moveQuestions=true/,
    );
    expect(await promptOf('own-100')).toMatchObject({ prompt: bearer, version: 1 });
    expect((await api.request('GET', '/v1/questions/own-200', { token: author })).status).toBe(404);
  });

  it('is no conflict with the same content: the question is unchanged', async () => {
    const same = await upload(
      bank('bank-three', [question('own-100', 'Which header carries a bearer token?')]),
    );
    expect(same.status).toBe(201);
    expect(same.body).toMatchObject({ created: 0, updated: 0, unchanged: 1 });
  });

  it('moves to the uploading bank with ?moveQuestions=true; then the first bank is refused it', async () => {
    const moved = await upload(
      bank('bank-two', [question('own-100', 'Which header carries the content type?')]),
      '?moveQuestions=true',
    );
    expect(moved.status).toBe(201);
    expect(moved.body).toMatchObject({ created: 0, updated: 1 });
    expect(await promptOf('own-100')).toMatchObject({
      prompt: 'Which header carries the content type?',
      version: 2,
    });

    const back = await upload(
      bank('bank-one', [question('own-100', 'Which header carries a bearer token?')]),
    );
    expect(back.status).toBe(409);
    expect(back.body.errors[0].message).toMatch(/stored from bank "bank-two"/);
  });

  it('fails a part-wise import in its job (code conflict), unless every part says the question moves', async () => {
    const partwise = async (query: string) => {
      const created = await api.request('POST', '/v1/imports', {
        token: author,
        body: { bank: { id: 'bank-four', title: 'Bank four' }, parts: 1 },
      });
      expect(created.status).toBe(201);
      const put = await api.request('PUT', `/v1/imports/${created.body.importId}/parts/1${query}`, {
        token: author,
        body: bank('bank-four', [question('own-100', 'Which header asks for a media type?')]),
      });
      expect(put.status).toBe(202);
      return finished(created.body.importId);
    };

    const refused = await partwise('');
    expect(refused.body).toMatchObject({ status: 'failed', code: 'conflict' });
    expect(refused.body.errors[0]).toMatchObject({ questionId: 'own-100' });
    expect(refused.body.errors[0].message).toMatch(/stored from bank "bank-two"/);
    expect((await promptOf('own-100')).version).toBe(2);

    const moved = await partwise('?moveQuestions=true');
    expect(moved.body).toMatchObject({ status: 'succeeded' });
    expect(await promptOf('own-100')).toMatchObject({
      prompt: 'Which header asks for a media type?',
      version: 3,
    });
  }, 90_000);
});
