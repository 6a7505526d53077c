import { beforeAll, describe, expect, it } from 'vitest';
import { importFinished, useTestApi } from './support.ts';

const api = useTestApi();
let author: string;

beforeAll(async () => {
  author = await api.token('author', 'moodle-org');
});

function uploadGift(text: string | Uint8Array, query: string) {
  return api.request('POST', `/v1/banks?format=gift&${query}`, {
    token: author,
    raw: text,
    contentType: typeof text === 'string' ? 'text/plain' : 'application/octet-stream',
  });
}

describe('uploading a Moodle GIFT export', () => {
  it('imports a bank without general feedback, with warnings by line and title, ids from [id:] and titles, tags from [tag:]', async () => {
    const gift = [
      '$CATEGORY: $course$/top/Default for Course 7',
      '',
      '// [id:grant-tomb] [tag:history]',
      "::Grant::Who is buried in Grant's tomb? {=Grant ~Nobody ~Napoleon}",
      '',
      '::Q1:: What is two plus two? {#4}',
    ].join('\n');
    const res = await uploadGift(gift, 'area=security&bank=week-one');
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ bankId: 'week-one', imported: 2, created: 2, skipped: [] });
    expect(res.body.warnings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          line: 4,
          title: 'Grant',
          message: 'no general feedback (`####`)',
        }),
        expect.objectContaining({ line: 6, title: 'Q1', message: 'no general feedback (`####`)' }),
      ]),
    );
    const q = await api.request('GET', '/v1/questions/grant-tomb', { token: author });
    expect(q.body).toMatchObject({ title: 'Grant', tags: ['history'], area: 'security' });
  });

  it('answers 409 naming both questions when another file derives an id that is already taken, and stores nothing', async () => {
    const first = await uploadGift(
      '::Q7:: What is two plus three? {#5}\n',
      'area=security&bank=file-one',
    );
    expect(first.status).toBe(201);
    const other = await uploadGift(
      '::Q7:: Which port does HTTPS use by default? {=443 ~80 ~22}\n',
      'area=security&bank=file-two',
    );
    expect(other.status).toBe(409);
    expect(other.body.errors[0]).toMatchObject({ line: 1, questionId: 'q-q7' });
    expect(other.body.errors[0].message).toMatch(/file-one/);
    const kept = await api.request('GET', '/v1/questions/q-q7', { token: author });
    expect(kept.body).toMatchObject({ type: 'numeric', version: 1 });
  });

  it('updates the same question when the same file is uploaded again, edited', async () => {
    await uploadGift(
      '::Capital:: The capital of France is Paris. {T}\n',
      'area=security&bank=capitals',
    );
    const again = await uploadGift(
      '::Capital:: The capital of France is Paris. {TRUE ####Paris has been the capital for centuries.}\n',
      'area=security&bank=capitals',
    );
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({ created: 0, updated: 1 });
  });

  it('lists skipped questions with line, title and reason on request, and refuses them by default', async () => {
    const gift = [
      '::Opinion:: Discuss serverless. {}',
      '',
      '::Yes:: Lambda is serverless. {T}',
    ].join('\n');
    const refused = await uploadGift(gift, 'area=security&bank=mixed');
    expect(refused.status).toBe(400);
    expect(refused.body.errors[0]).toMatchObject({ line: 1 });
    expect(refused.body.errors[0].message).toMatch(/essay questions need manual grading/);
    const partial = await uploadGift(gift, 'area=security&bank=mixed&skipUnsupported=true');
    expect(partial.status).toBe(201);
    expect(partial.body.skipped).toEqual([
      expect.objectContaining({
        line: 1,
        title: 'Opinion',
        reason: expect.stringMatching(/essay/),
      }),
    ]);
    expect(partial.body.imported).toBe(1);
  });

  it('names Latin-1 as the likely encoding of a file that is not UTF-8, and decodes UTF-16 with a byte-order mark', async () => {
    const latin1 = await uploadGift(
      Buffer.from('::Cafe:: Un caf\xe9 est une boisson. {T}\n', 'latin1'),
      'area=security&bank=latin',
    );
    expect(latin1.status).toBe(400);
    expect(latin1.body.errors[0].message).toMatch(/Latin-1/);
    const utf16 = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from('::Tea:: Un thé est une boisson. {T}\n', 'utf16le'),
    ]);
    const decoded = await uploadGift(utf16, 'area=security&bank=utf-sixteen');
    expect(decoded.status).toBe(201);
    const q = await api.request('GET', '/v1/questions/tea', { token: author });
    expect(q.body.prompt).toBe('Un thé est une boisson.');
  });
});

describe('uploading Moodle XML', () => {
  it('imports weighted multiple answers with their weights, under the area given for a default category', async () => {
    const xml = [
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<quiz>',
      '  <question type="category"><category><text>$course$/top/Default for Course 7</text></category></question>',
      '  <question type="multichoice">',
      '    <name><text>Continents</text></name>',
      '    <questiontext format="html"><text><![CDATA[<p>Which are <b>continents</b>?</p>]]></text></questiontext>',
      '    <single>false</single><shuffleanswers>true</shuffleanswers>',
      '    <answer fraction="50"><text>Asia</text></answer>',
      '    <answer fraction="50"><text>Africa</text></answer>',
      '    <answer fraction="-100"><text>China</text></answer>',
      '  </question>',
      '</quiz>',
    ].join('\n');
    const res = await api.request('POST', '/v1/banks?area=security&bank=geo', {
      token: author,
      raw: xml,
      contentType: 'application/xml',
    });
    expect(res.status).toBe(201);
    const q = await api.request('GET', '/v1/questions/continents', { token: author });
    expect(q.body).toMatchObject({
      type: 'multi',
      prompt: 'Which are **continents**?',
      answer: { weights: { a: 0.5, b: 0.5, c: -1 } },
    });
  });

  it('answers a file that is not a Moodle quiz with a located 400', async () => {
    const res = await api.request('POST', '/v1/banks?area=security', {
      token: author,
      raw: '<bank>\n  <q>\n</bank>',
      contentType: 'application/xml',
    });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].line).toBeGreaterThanOrEqual(1);
  });
});

/** Poll an import until it has finished. */
const finished = (location: string, timeoutMs = 60_000) =>
  importFinished(api, location, author, timeoutMs);

describe('a Moodle upload imported by the import job', () => {
  it('reads the file as the request would (bank, skipUnsupported) and shows its warnings and skipped questions on the import', async () => {
    // Arrange: a UTF-16 file, so the job can only read it if the request decoded it first.
    const gift = [
      '::Async one:: Which port does SSH use? {#22}',
      '',
      '::Async essay:: Explain TLS in your own words. {}',
    ].join('\n');
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(gift, 'utf16le')]);

    // Act
    const res = await api.request(
      'POST',
      '/v1/banks?format=gift&area=security&bank=async-week&skipUnsupported=true',
      {
        token: author,
        raw: bytes,
        contentType: 'application/octet-stream',
        headers: { prefer: 'respond-async' },
      },
    );
    const done = await finished(res.headers.get('location') ?? '');

    // Assert
    expect(res.status).toBe(202);
    expect(done.body).toMatchObject({ status: 'succeeded', bankId: 'async-week', imported: 1 });
    expect(done.body.warnings).toEqual([
      expect.objectContaining({
        line: 1,
        title: 'Async one',
        message: 'no general feedback (`####`)',
      }),
    ]);
    expect(done.body.skipped).toEqual([
      expect.objectContaining({ line: 3, title: 'Async essay', reason: expect.any(String) }),
    ]);
  }, 90_000);

  it('fails the import with a conflict naming both questions when another file derives an id that is taken', async () => {
    // Arrange
    const first = await uploadGift(
      '::Q9:: What is four plus five? {#9}\n',
      'area=security&bank=job-one',
    );
    expect(first.status).toBe(201);

    // Act
    const other = await api.request('POST', '/v1/banks?format=gift&area=security&bank=job-two', {
      token: author,
      raw: '::Q9:: Which port does HTTP use by default? {=80 ~443 ~22}\n',
      contentType: 'text/plain',
      headers: { prefer: 'respond-async' },
    });
    const done = await finished(other.headers.get('location') ?? '');

    // Assert
    expect(other.status).toBe(202);
    expect(done.body).toMatchObject({ status: 'failed', code: 'conflict' });
    expect(done.body.errors[0]).toMatchObject({ line: 1, questionId: 'q-q9' });
    expect(done.body.errors[0].message).toMatch(/job-one/);
    const kept = await api.request('GET', '/v1/questions/q-q9', { token: author });
    expect(kept.body).toMatchObject({ type: 'numeric', version: 1 });
  }, 90_000);
});
