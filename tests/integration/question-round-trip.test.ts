import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApi } from './support.ts';

const api = useTestApi();
let author: string;

const question = (id: string) => ({
  id,
  area: 'security',
  type: 'single',
  difficulty: 2,
  prompt: 'Which header carries the version you edited?',
  options: [
    { id: 'a', text: 'If-Match' },
    { id: 'b', text: 'If-None-Match' },
  ],
  answer: 'a',
  explanation: 'If-Match names the version the edit is based on.',
  tags: ['http'],
});

/** Upload one question and GET it back as an author sees it. */
async function stored(id: string) {
  const up = await api.request('POST', '/v1/banks', {
    token: author,
    body: { bank: { id: `${id}-bank`, title: 'Round trip' }, questions: [question(id)] },
  });
  expect(up.status).toBe(201);
  const got = await api.request('GET', `/v1/questions/${id}`, { token: author });
  expect(got.status).toBe(200);
  return got.body;
}

beforeAll(async () => {
  author = await api.token('author', 'round-trip');
});

describe('GET, edit, PUT of a question', () => {
  it('accepts what GET returned with one field edited, read-only fields and all', async () => {
    const got = await stored('rt-edit');
    expect(got).toMatchObject({ version: 1, source: 'org', status: 'published' });

    const put = await api.request('PUT', '/v1/questions/rt-edit', {
      token: author,
      headers: { 'if-match': `"${got.version}"` },
      body: { ...got, prompt: `${got.prompt} (edited)` },
    });

    expect(put.status, put.text).toBe(200);
    expect(put.body).toMatchObject({ version: 2, prompt: `${got.prompt} (edited)`, source: 'org' });
  });

  it('accepts a GET of ?version=n sent back unchanged but for one field', async () => {
    await stored('rt-version');
    const got = await api.request('GET', '/v1/questions/rt-version?version=1', { token: author });

    const put = await api.request('PUT', '/v1/questions/rt-version', {
      token: author,
      headers: { 'if-match': '"1"' },
      body: { ...got.body, tags: ['http', 'edited'] },
    });

    expect(put.status, put.text).toBe(200);
    expect(put.body.tags).toEqual(['http', 'edited']);
  });

  it('refuses changed read-only fields with a 400 naming each', async () => {
    const got = await stored('rt-readonly');

    const put = await api.request('PUT', '/v1/questions/rt-readonly', {
      token: author,
      headers: { 'if-match': '"1"' },
      body: { ...got, version: 7, source: 'public', createdAt: '2020-01-01T00:00:00.000Z' },
    });

    expect(put.status).toBe(400);
    expect(put.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(put.body.errors.map((e: { path: string }) => e.path).sort()).toEqual([
      'createdAt',
      'source',
      'version',
    ]);
    expect(put.body.errors[0].message).toMatch(/read-only/);
    const after = await api.request('GET', '/v1/questions/rt-readonly', { token: author });
    expect(after.body.version).toBe(1);
  });

  it('still answers a stale If-Match with 412, not with a read-only 400', async () => {
    const got = await stored('rt-stale');
    const first = await api.request('PUT', '/v1/questions/rt-stale', {
      token: author,
      headers: { 'if-match': '"1"' },
      body: { ...got, prompt: `${got.prompt} (first)` },
    });
    expect(first.status).toBe(200);

    const second = await api.request('PUT', '/v1/questions/rt-stale', {
      token: author,
      headers: { 'if-match': '"1"' },
      body: { ...got, prompt: `${got.prompt} (second)` },
    });

    expect(second.status).toBe(412);
    expect(second.body).toMatchObject({ code: 'version-conflict', currentVersion: 2 });
  });

  it('reads If-Match as the document types it: * is 400, empty is 428', async () => {
    const got = await stored('rt-if-match');
    const put = (value: string) =>
      api.request('PUT', '/v1/questions/rt-if-match', {
        token: author,
        headers: { 'if-match': value },
        body: got,
      });

    const star = await put('*');
    const empty = await put('');
    const weak = await put('W/"1"');

    expect(star.status).toBe(400);
    expect(star.body.errors[0].path).toBe('header.if-match');
    expect(empty.status).toBe(428);
    expect(weak.status).toBe(200);
  });
});
