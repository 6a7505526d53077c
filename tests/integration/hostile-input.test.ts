/**
 * Hostile input through the API as a client sends it (issue 11 items 5-7): names every
 * JavaScript object already has, in every path parameter and id field; a YAML alias bomb; text
 * with controls, bidi overrides and lone surrogates; the CSV of results.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { RESERVED_NAMES } from '../../functions/domain/reserved.ts';
import { ROUTES } from '../../functions/http/routes.ts';
import { sampleBank, startedAttempt } from './fixtures.ts';
import { useTestApi } from './support.ts';

const api = useTestApi();
const tokens: Record<string, string> = {};
const ids: Record<string, string> = {};
const NAMES = [...RESERVED_NAMES].sort();

beforeAll(async () => {
  const fixture = await startedAttempt(api, {
    org: 'hostile',
    bankPrefix: 'hz',
    title: 'Hostile',
    candidateName: 'Hostile Candidate',
  });
  Object.assign(tokens, fixture.tokens);
  Object.assign(ids, fixture.ids);
  const imp = await api.request('POST', '/v1/imports', {
    token: tokens.author,
    body: { bank: { id: 'hz-parts', title: 'Parts' }, parts: 2 },
  });
  ids.importId = imp.body.importId;
  ids.part = '1';
}, 60_000);

const tokenFor = (group: string) =>
  group === 'authoring'
    ? tokens.author
    : group === 'employer' || group === 'employer-attempts'
      ? tokens.employer
      : group === 'candidate'
        ? tokens.candidate
        : undefined;

/** A body each write route would otherwise take, so that only the path is hostile. */
const bodyFor = (method: string, path: string) => {
  if (method === 'GET' || method === 'DELETE') return {};
  if (path.includes('/answers/')) return { body: { answer: 'a' } };
  if (path.includes('/parts/')) return { body: sampleBank('hz-part', 1) };
  return { body: {} };
};

const parameterised = ROUTES.filter((r) => r.path.includes('{'));

describe('a reserved name in a path parameter', () => {
  for (const route of parameterised) {
    const params = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
    for (const param of params) {
      it(`is a 4xx problem, never a 5xx, as {${param}} of ${route.method} ${route.path}`, async () => {
        await fc.assert(
          fc.asyncProperty(fc.constantFrom(...NAMES), async (name) => {
            // Every other parameter is a real id of the caller's own.
            const path = route.path.replace(/\{(\w+)\}/g, (_, p: string) =>
              p === param ? encodeURIComponent(name) : (ids[p] ?? 'x'),
            );
            const token = tokenFor(route.group);
            const res = await api.request(route.method, path, {
              ...(token ? { token } : {}),
              ...bodyFor(route.method, path),
            });
            const said = `${route.method} ${path} -> ${res.status} ${res.text.slice(0, 200)}`;
            expect(res.status, said).toBeGreaterThanOrEqual(400);
            expect(res.status, said).toBeLessThan(500);
            expect(res.headers.get('content-type'), said).toMatch(/application\/problem\+json/);
          }),
          { numRuns: NAMES.length * 2 },
        );
      }, 60_000);
    }
  }

  it("is a 404 as the question of a candidate's answer: PUT /v1/attempts/{id}/answers/__proto__ and friends", async () => {
    for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf']) {
      const res = await api.request('PUT', `/v1/attempts/${ids.attemptId}/answers/${name}`, {
        token: tokens.candidate,
        body: { answer: 'a' },
      });
      expect(res.status, `${name}: ${res.text}`).toBe(404);
    }
    // The attempt is unharmed: it still reads, with no answer recorded under those names.
    const ok = await api.request('GET', `/v1/attempts/${ids.attemptId}`, {
      token: tokens.candidate,
    });
    expect(ok.status).toBe(200);
    expect(Object.keys(ok.body.answers ?? {})).toEqual([]);
  });
});

describe('a reserved name as a query key or a header', () => {
  const reading = ROUTES.filter((r) => r.method === 'GET' && r.query);
  const fill = (path: string) => path.replace(/\{(\w+)\}/g, (_, p: string) => ids[p] ?? 'x');

  it('is a 400 naming the key on every route that reads a query, as any unknown key is', async () => {
    // Before: the local gateway built the query as a plain object, so `?__proto__=x` vanished
    // (200, where every other unknown key is a 400) and `?constructor=x` reached the handler as
    // "function Object() { [native code] },x".
    expect(reading.length).toBeGreaterThan(3);
    for (const route of reading) {
      for (const name of NAMES) {
        const path = `${fill(route.path)}?${encodeURIComponent(name)}=x`;
        const token = tokenFor(route.group);
        const res = await api.request('GET', path, token ? { token } : {});
        const said = `GET ${path} -> ${res.status} ${res.text.slice(0, 200)}`;
        expect(res.status, said).toBe(400);
        expect(res.headers.get('content-type'), said).toMatch(/application\/problem\+json/);
        expect(res.body.errors, said).toEqual([
          { path: `query.${name}`, message: 'Unknown field.' },
        ]);
      }
    }
  }, 120_000);

  it('is ignored by a route that reads no query, and as a header by every route', async () => {
    const query = NAMES.map((n) => `${encodeURIComponent(n)}=x`).join('&');
    const headers = Object.fromEntries(NAMES.map((n) => [n, 'x']));
    const areas = await api.request('GET', `/v1/areas?${query}`, { headers });
    expect(areas.status, areas.text.slice(0, 200)).toBe(200);
    const listed = await api.request('GET', '/v1/questions?limit=1', {
      token: tokens.author,
      headers,
    });
    expect(listed.status, listed.text.slice(0, 200)).toBe(200);
  });
});

describe('a reserved name in an id field of an upload', () => {
  // The sample bank's first question has at least two options and one tag.
  type Question = { id: string; options: [{ id: string }, { id: string }]; tags: [string] };
  const base = () =>
    sampleBank('hz-up', 1) as unknown as { bank: { id: string }; questions: [Question] };
  const fields: [string, (doc: ReturnType<typeof base>, name: string) => void][] = [
    [
      'bank.id',
      (d, n) => {
        d.bank.id = n;
      },
    ],
    [
      'questions[0].id',
      (d, n) => {
        d.questions[0].id = n;
      },
    ],
    [
      'questions[0].options[1].id',
      (d, n) => {
        d.questions[0].options[1].id = n;
      },
    ],
    [
      'questions[0].tags[0]',
      (d, n) => {
        d.questions[0].tags[0] = n;
      },
    ],
  ];

  it('is refused with a 400 naming the field, and nothing is stored', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...NAMES),
        fc.constantFrom(...fields),
        async (name, [path, set]) => {
          const doc = base();
          set(doc, name);
          const res = await api.request('POST', '/v1/banks', { token: tokens.author, body: doc });
          const said = `${path} = ${name} -> ${res.status} ${res.text.slice(0, 300)}`;
          expect(res.status, said).toBe(400);
          const messages = res.body.errors
            .filter((e: { path: string }) => e.path === path)
            .map((e: { message: string }) => e.message);
          expect(messages.join(' | '), said).toContain(`cannot be "${name}"`);
        },
      ),
      { numRuns: 60 },
    );
    const stored = await api.request('GET', '/v1/questions/hz-up-security-0', {
      token: tokens.author,
    });
    expect(stored.status).toBe(404);
  }, 60_000);

  it('tells an author exactly why the question id "constructor" is refused', async () => {
    const doc = base();
    doc.questions[0].id = 'constructor';
    const res = await api.request('POST', '/v1/banks', { token: tokens.author, body: doc });
    expect(res.status).toBe(400);
    expect(res.body.errors).toContainEqual(
      expect.objectContaining({
        path: 'questions[0].id',
        questionIndex: 0,
        message:
          'Question ids cannot be "constructor": it is a name every JavaScript object already has.',
      }),
    );
  });

  it("is refused as a candidate's external id", async () => {
    const res = await api.request('POST', `/v1/assessments/${ids.assessmentId}/invitations`, {
      token: tokens.employer,
      body: {
        candidates: [{ name: 'X', externalId: '__proto__' }],
        expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
      },
    });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body.errors)).toContain('externalId');
  });
});

describe('a YAML alias bomb', () => {
  it('is a 400 naming the alias limit, answered in well under a second', async () => {
    const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 12; i++) {
      lines.push(`a${i}: &a${i} [${Array.from({ length: 10 }, () => `*a${i - 1}`).join(', ')}]`);
    }
    const started = performance.now();
    const res = await api.request('POST', '/v1/banks', {
      token: tokens.author,
      raw: lines.join('\n'),
      contentType: 'application/yaml',
    });
    const ms = performance.now() - started;
    expect(res.status).toBe(400);
    expect(res.text).toMatch(/alias/i);
    expect(ms).toBeLessThan(1000);
  });
});

describe('a YAML text of many tiny nodes', () => {
  it('is read by the import job, not inside the request, when it has more nodes than a request reads', async () => {
    // 400 KB of one-letter scalars (200,000 nodes; 2 MiB holds a million): before, the request
    // parsed it itself, 40 us and 1 KB a node, and a million took it 39-79 s, past its 29 s.
    const text = `questions: [${'a,'.repeat(200_000)}a]\n`;
    const started = performance.now();
    const res = await api.request('POST', '/v1/banks', {
      token: tokens.author,
      raw: text,
      contentType: 'application/yaml',
    });
    expect(res.status, res.text.slice(0, 300)).toBe(202);
    expect(performance.now() - started).toBeLessThan(10_000);
    let status = res.body;
    for (let i = 0; i < 120 && (status.status === 'queued' || status.status === 'running'); i++) {
      await new Promise((r) => setTimeout(r, 500));
      status = (
        await api.request('GET', `/v1/imports/${res.body.importId}`, { token: tokens.author })
      ).body;
    }
    expect(status).toMatchObject({ status: 'failed', code: 'validation-failed' });
    expect(status.errors.map((e: { path: string }) => e.path)).toEqual(['bank', 'questions']);
  }, 120_000);
});

describe('text', () => {
  const invite = (candidate: Record<string, unknown>) =>
    api.request('POST', `/v1/assessments/${ids.assessmentId}/invitations`, {
      token: tokens.employer,
      body: { candidates: [candidate], expiresAt: new Date(Date.now() + 3_600_000).toISOString() },
    });

  it.each([
    ['a bidi override', 'Ann\u202Egnp.exe'],
    ['a NUL', 'Ann\u0000Lee'],
    ['a C1 control', 'Ann\u0085Lee'],
    ['a lone surrogate', 'Ann\uD800Lee'],
    ['a line separator (U+2028)', 'Ann\u2028Lee'],
    ['a paragraph separator (U+2029)', 'Ann\u2029Lee'],
  ])("with %s in a candidate's name is refused with a 400 naming the field", async (_, name) => {
    const res = await invite({ name });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toContain('candidates[0].name');
  });

  const createTitled = (title: string) =>
    api.request('POST', '/v1/assessments', {
      token: tokens.employer,
      body: { title, timeLimitMinutes: 5, sections: [{ area: 'security', count: 1 }] },
    });

  it('with a line or paragraph separator in one-line fields is refused like a newline, naming every field', async () => {
    const res = await createTitled('Quarterly\u2029review');
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/problem\+json/);
    expect(res.body.errors).toContainEqual(
      expect.objectContaining({
        path: 'title',
        message: 'Contains a line break at character 10: this field is one line.',
      }),
    );
    const invited = await invite({
      name: 'Ann\u2028Lee',
      email: 'ann\u2028@example.test',
      externalId: 'ext\u2029-1',
    });
    expect(invited.status).toBe(400);
    expect(invited.body.errors.map((e: { path: string }) => e.path).sort()).toEqual([
      'candidates[0].email',
      'candidates[0].externalId',
      'candidates[0].name',
    ]);
  });

  it('with a bidi override in an assessment title is refused with a 400 naming the field', async () => {
    const res = await createTitled('Quarterly \u202Ereview');
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toContain('title');
  });

  it('is stored NFC-normalised: a decomposed name reads back composed', async () => {
    const res = await invite({ name: 'Rene\u0301e' });
    expect(res.status).toBe(201);
    const list = await api.request('GET', `/v1/assessments/${ids.assessmentId}/invitations`, {
      token: tokens.employer,
    });
    const names = list.body.items.map((i: { candidate?: { name?: string } }) => i.candidate?.name);
    expect(names).toContain('Ren\u00e9e');
  });

  it('in the CSV of results carries no raw control character', async () => {
    await api.request('POST', `/v1/attempts/${ids.attemptId}/submit`, { token: tokens.candidate });
    const res = await api.request('GET', `/v1/assessments/${ids.assessmentId}/results`, {
      token: tokens.employer,
      headers: { accept: 'text/csv' },
    });
    expect(res.status).toBe(200);
    expect(res.text).toContain('Hostile Candidate');
    // Line breaks end rows (and may sit inside quoted cells); nothing else below U+0020.
    const controls = [...res.text].filter((c) => {
      const code = c.codePointAt(0)!;
      return (code < 0x20 && c !== '\n' && c !== '\r') || (code >= 0x7f && code <= 0x9f);
    });
    expect(controls).toEqual([]);
  });
});
