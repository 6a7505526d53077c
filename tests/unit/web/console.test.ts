/** The console's pure parts: sign-in (PKCE), capability detection, candidates, results, imports. */
import { describe, expect, it } from 'vitest';
import { buildOpenApi } from '../../../functions/http/openapi.ts';
import {
  authorizeUrl,
  type CognitoSettings,
  callbackOf,
  claimsOf,
  logoutUrl,
  pkceChallenge,
  randomToken,
  readSession,
  SESSION_KEY,
  sessionFromToken,
  tokenRequestBody,
} from '../../../web/console/auth.ts';
import {
  alreadyInvited,
  csvText,
  languagesOf,
  MAX_CANDIDATES,
  parseCandidates,
  withLanguage,
} from '../../../web/console/candidates.ts';
import { capabilitiesOf, routesOf } from '../../../web/console/capabilities.ts';
import { changesOf } from '../../../web/console/changes.ts';
import { promptExcerpt } from '../../../web/console/excerpt.ts';
import { CATALOGUE } from '../../../web/console/i18n.ts';
import {
  bankOfFile,
  fromPoll,
  fromUpload,
  uploadFormat,
  where,
} from '../../../web/console/imports.ts';
import type { Assessment } from '../../../web/console/model.ts';
import { estimateSeconds, type ResultRow, sortResults } from '../../../web/console/results.ts';
import { inScreenWords } from '../../../web/console/section-words.ts';

const COGNITO: CognitoSettings = {
  domain: 'https://acme.auth.eu-west-1.amazoncognito.com',
  clientId: 'client123',
  redirectUri: 'https://assess.example.com/console/',
  logoutUri: 'https://assess.example.com/console/',
};

const jwt = (claims: Record<string, unknown>) =>
  ['e30', Buffer.from(JSON.stringify(claims)).toString('base64url'), 'sig'].join('.');

describe('signing in with the hosted UI', () => {
  it('derives the PKCE challenge as RFC 7636 does (its appendix B example)', async () => {
    expect(await pkceChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe(
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    );
    expect(randomToken(32)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(randomToken(32)).not.toBe(randomToken(32));
  });

  it('asks for a code with S256, the state and the console as redirect; logs out back to it', () => {
    const url = new URL(authorizeUrl(COGNITO, 'st4te', 'ch4llenge'));
    expect(url.origin + url.pathname).toBe(`${COGNITO.domain}/oauth2/authorize`);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code',
      client_id: 'client123',
      redirect_uri: COGNITO.redirectUri,
      scope: 'openid email profile',
      state: 'st4te',
      code_challenge: 'ch4llenge',
      code_challenge_method: 'S256',
    });
    expect(logoutUrl(COGNITO)).toBe(
      `${COGNITO.domain}/logout?client_id=client123&logout_uri=https%3A%2F%2Fassess.example.com%2Fconsole%2F`,
    );
  });

  it('reads the redirect back: a code and state, an error, or nothing', () => {
    expect(callbackOf('?code=abc&state=xyz')).toEqual({ code: 'abc', state: 'xyz' });
    expect(callbackOf('?error=access_denied&error_description=Nope')).toEqual({ error: 'Nope' });
    expect(callbackOf('')).toBeUndefined();
    expect(callbackOf('?code=abc')).toBeUndefined();
  });

  it('exchanges the code with the verifier, and a refresh token for new tokens', () => {
    expect(
      Object.fromEntries(
        new URLSearchParams(tokenRequestBody(COGNITO, { code: 'c', verifier: 'v' })),
      ),
    ).toEqual({
      grant_type: 'authorization_code',
      client_id: 'client123',
      code: 'c',
      redirect_uri: COGNITO.redirectUri,
      code_verifier: 'v',
    });
    expect(tokenRequestBody(COGNITO, { refreshToken: 'r' })).toBe(
      'grant_type=refresh_token&client_id=client123&refresh_token=r',
    );
  });

  it('takes organisation, roles and expiry from the ID token; refuses one without an organisation or staff group', () => {
    const exp = Math.floor(Date.now() / 1000) + 3600;
    const token = jwt({
      'custom:org': 'acme',
      'cognito:groups': ['employers', 'authors', 'other'],
      email: 'ana@acme.example',
      exp,
    });
    expect(sessionFromToken(token, 'cognito', 'refresh')).toEqual({
      token,
      refreshToken: 'refresh',
      expiresAt: exp * 1000,
      org: 'acme',
      roles: ['author', 'employer'],
      who: 'ana@acme.example',
      via: 'cognito',
    });
    expect(
      sessionFromToken(jwt({ 'cognito:groups': ['employers'], exp }), 'cognito'),
    ).toBeUndefined();
    expect(sessionFromToken(jwt({ 'custom:org': 'acme', exp }), 'cognito')).toBeUndefined();
    expect(claimsOf('not-a-jwt')).toEqual({});
  });

  it('keeps a session in sessionStorage until it expires (unless it can be refreshed)', () => {
    const store = new Map<string, string>();
    const storage = {
      getItem: (k: string) => store.get(k) ?? null,
    } as Storage;
    const session = { token: 't', org: 'acme', roles: ['employer'], expiresAt: 2000, who: 'a' };
    store.set(SESSION_KEY, JSON.stringify(session));
    expect(readSession(storage, 1000)).toMatchObject({ org: 'acme' });
    expect(readSession(storage, 3000)).toBeUndefined();
    store.set(SESSION_KEY, JSON.stringify({ ...session, refreshToken: 'r' }));
    expect(readSession(storage, 3000)).toMatchObject({ refreshToken: 'r' });
    store.set(SESSION_KEY, '{not json');
    expect(readSession(storage, 1000)).toBeUndefined();
  });
});

describe('what the server can do, from its OpenAPI document', () => {
  it("finds today's mail, lifecycle, extend and preview routes in the real document", () => {
    const doc = buildOpenApi();
    const caps = capabilitiesOf(doc);
    expect(routesOf(doc).has('GET /v1/attempts/{}/report')).toBe(true);
    for (const action of [
      'revoke',
      'reportSvg',
      'resend',
      'archive',
      'unarchive',
      'clone',
      'deleteAssessment',
      'update',
      'organisation',
      'extend',
      'preview',
    ] as const) {
      expect(caps.has(action), action).toBe(true);
    }
    expect(caps.sendInvitations).toBe(true);
  });

  it('finds a route whatever its parameters are called, and the send flag in a referenced schema', () => {
    const doc = {
      paths: {
        '/v1/invitations/{id}/resend': { post: {} },
        '/v1/assessments/{assessmentId}/invitations': {
          post: {
            requestBody: {
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Inv' } } },
            },
          },
        },
      },
      components: { schemas: { Inv: { properties: { candidates: {}, send: {} } } } },
    };
    const caps = capabilitiesOf(doc);
    expect(caps.has('resend')).toBe(true);
    expect(caps.has('extend')).toBe(false);
    expect(caps.sendInvitations).toBe(true);
    expect(capabilitiesOf({}).sendInvitations).toBe(false);
  });
});

describe('candidates pasted or uploaded', () => {
  it('reads "Name, email", "Name <email>", a language, and rows copied from a spreadsheet (tabs)', () => {
    const { candidates, problems } = parseCandidates(
      'Ada Lovelace, ada@example.com\n\nGrace Hopper <grace@example.com>, ru\n',
    );
    const sheet = parseCandidates('Alan Turing\tturing@example.com\tEN\nJoan\tjoan@example.com\n');
    expect(problems).toEqual([]);
    expect(candidates).toEqual([
      { name: 'Ada Lovelace', email: 'ada@example.com', line: 1 },
      { name: 'Grace Hopper', email: 'grace@example.com', locale: 'ru', line: 3 },
    ]);
    expect(sheet).toEqual({
      candidates: [
        { name: 'Alan Turing', email: 'turing@example.com', locale: 'en', line: 1 },
        { name: 'Joan', email: 'joan@example.com', line: 2 },
      ],
      problems: [],
    });
  });

  it('reads a CSV whose header names its columns, in any order, with quoted commas and line breaks', () => {
    const csv =
      'Email,Full name,extraTimePercent,locale,externalId\r\n' +
      'a@example.com,"Lovelace, Ada",25,ru,A-1\r\n' +
      'b@example.com,"Hopper\nGrace",,,\r\n' +
      'c@example.com,Turing,300,de,\r\n';
    const { candidates, problems } = parseCandidates(csv);
    expect(candidates[0]).toEqual({
      email: 'a@example.com',
      name: 'Lovelace, Ada',
      extraTimePercent: 25,
      locale: 'ru',
      externalId: 'A-1',
      line: 2,
    });
    expect(candidates[1]).toMatchObject({ name: 'Hopper\nGrace', line: 3 });
    expect(problems).toEqual([
      // The API takes a name on one line: said here, on its line, not as the API's 400.
      { line: 3, message: 'the name is on more than one line.' },
      { line: 5, message: 'extra time "300" is not a whole percentage from 0 to 200.' },
      { line: 5, message: 'language "de" is not en or ru.' },
    ]);
  });

  it('reads headings as HR systems export them, and names a column it does not read', () => {
    // Before: "E-mail Address" was not a heading, so the header row became a candidate whose
    // address "E-mail Address" was refused, and every row was guessed.
    expect(parseCandidates('Full Name;E-mail Address\nAda;ada@example.test\n')).toEqual({
      candidates: [{ name: 'Ada', email: 'ada@example.test', line: 2 }],
      problems: [],
    });
    const { candidates, problems } = parseCandidates(
      'Name,Email,Department\nAda,ada@example.test,R&D\nAlan,alan@example.test,\n',
    );
    expect(candidates).toEqual([
      { name: 'Ada', email: 'ada@example.test', line: 2 },
      { name: 'Alan', email: 'alan@example.test', line: 3 },
    ]);
    expect(problems).toEqual([
      {
        line: 1,
        message:
          'the column "Department" is not one the console reads (name, email, locale, extraTimePercent, externalId): remove it, or empty its heading to leave it out.',
      },
    ]);
    // A first line with an address is a candidate, whatever its other cells say.
    expect(parseCandidates('Name, name@example.test').candidates).toEqual([
      { name: 'Name', email: 'name@example.test', line: 1 },
    ]);
  });

  it('says, by line, what is wrong: a bad or repeated email, an empty row', () => {
    const { problems } = parseCandidates(
      'Ada, ada@example\nGrace, g@example.com\nGrace again, G@example.com\n,,\n"",x',
    );
    expect(problems).toEqual([
      { line: 1, message: '"ada@example" is not an email address.' },
      { line: 3, message: 'G@example.com is already on line 2.' },
    ]);
    expect(parseCandidates('x').candidates).toEqual([{ name: 'x', line: 1 }]);
  });

  it('says so when a pasted line has a mistyped address or another language, instead of taking it as an id', () => {
    const { candidates, problems } = parseCandidates(
      [
        'Bad Address, ada.example.com',
        'Extra, extra@example.com, de',
        'Kim, kim@example.com, ru-RU, EMP-7',
        'No Email Person',
        'Ada Lovelace, ada@example.com',
        'Alan Turing\talan@example.com\tru',
      ].join('\n'),
    );
    expect(problems).toEqual([
      { line: 1, message: '"ada.example.com" is not an email address.' },
      { line: 2, message: 'language "de" is not en or ru.' },
    ]);
    expect(parseCandidates(`Long, ${'y'.repeat(250)}@example.com`).problems).toEqual([
      { line: 1, message: 'the email address is longer than 254 characters.' },
    ]);
    expect(candidates.slice(2)).toEqual([
      { name: 'Kim', email: 'kim@example.com', locale: 'ru', externalId: 'EMP-7', line: 3 },
      { name: 'No Email Person', line: 4 },
      { name: 'Ada Lovelace', email: 'ada@example.com', line: 5 },
      { name: 'Alan Turing', email: 'alan@example.com', locale: 'ru', line: 6 },
    ]);
  });

  it("reads a CSV file as Excel saved it: UTF-8, Windows-1252 (Excel's CSV), UTF-16 (its Unicode Text)", () => {
    const row = 'José Müller,jose@example.com\n';
    const utf16le = new Uint8Array([0xff, 0xfe, ...[...row].flatMap((c) => [c.charCodeAt(0), 0])]);
    const cp1252 = Uint8Array.from([...row].map((c) => c.charCodeAt(0)));
    const utf8bom = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(row)]);
    expect(csvText(cp1252).encoding).toBe('windows-1252');
    expect(csvText(utf8bom).encoding).toBe('utf-8');
    for (const bytes of [new TextEncoder().encode(row), utf8bom, cp1252, utf16le]) {
      expect(parseCandidates(csvText(bytes).text).candidates).toEqual([
        { name: 'José Müller', email: 'jose@example.com', line: 1 },
      ]);
    }
  });

  it('reads nothing from a UTF-32 file (FF FE 00 00 is not UTF-16 and a NUL), and says which it is', () => {
    const utf32le = new Uint8Array([0xff, 0xfe, 0, 0, 0x41, 0, 0, 0]);
    const utf32be = new Uint8Array([0, 0, 0xfe, 0xff, 0, 0, 0, 0x41]);
    expect(csvText(utf32le)).toEqual({ text: '', encoding: 'utf-32le' });
    expect(csvText(utf32be)).toEqual({ text: '', encoding: 'utf-32be' });
  });

  it('reads nothing from a file that is not text (an Excel workbook chosen instead of its CSV)', () => {
    // Before: read as Windows-1252, the workbook's bytes filled the list with lines of junk.
    const xlsx = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, 0x08, 0x00]);
    const xls = new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]);
    const anyBytes = Uint8Array.from({ length: 512 }, (_, i) => i % 256);
    for (const bytes of [xlsx, xls, anyBytes])
      expect(csvText(bytes)).toEqual({ text: '', encoding: 'binary' });
  });

  it(`refuses more than ${MAX_CANDIDATES} at a time`, () => {
    const text = Array.from({ length: MAX_CANDIDATES + 1 }, (_, i) => `C${i}, c${i}@example.com`);
    const { problems } = parseCandidates(text.join('\n'));
    expect(problems).toEqual([
      {
        line: MAX_CANDIDATES + 1,
        message: `at most ${MAX_CANDIDATES} candidates at a time; invite the rest separately.`,
      },
    ]);
  });
});

describe('addresses already invited to the assessment', () => {
  const inv = (email: string, status: string, createdAt = '2026-11-20T10:00:00.000Z') => ({
    invitationId: `${email}-${status}`,
    status,
    createdAt,
    candidate: { email },
  });

  it('finds the candidates whose address has an open invitation (not yet used or being taken), whatever the case', () => {
    const { candidates } = parseCandidates(
      'Ada, ADA@example.com\nGrace, grace@example.com\nAlan, alan@example.com\nLinus, linus@example.com',
    );
    const found = alreadyInvited(candidates, [
      inv('ada@example.com', 'pending'),
      inv('grace@example.com', 'started'),
      inv('alan@example.com', 'expired'),
      inv('alan@example.com', 'revoked'),
      inv('linus@example.com', 'submitted'),
      inv('linus@example.com', 'undeliverable'),
    ]);
    expect(found.map((f) => [f.candidate.name, f.invitation.status])).toEqual([
      ['Ada', 'pending'],
      ['Grace', 'started'],
    ]);
  });

  it('gives the latest open invitation of an address, and nothing for a candidate without one', () => {
    const { candidates } = parseCandidates('Ada, ada@example.com\nNo Email');
    const found = alreadyInvited(candidates, [
      inv('ada@example.com', 'pending', '2026-11-01T00:00:00.000Z'),
      inv('ada@example.com', 'pending', '2026-11-03T00:00:00.000Z'),
      {
        invitationId: 'x',
        status: 'pending',
        createdAt: '2026-11-05T00:00:00.000Z',
        candidate: {},
      },
    ]);
    expect(found.map((f) => f.invitation.createdAt)).toEqual(['2026-11-03T00:00:00.000Z']);
  });
});

describe('the console’s words', () => {
  it('count minutes of more time in the right number', () => {
    expect(CATALOGUE.en.extended('Ada', 1)).toBe('Ada has 1 more minute.');
    expect(CATALOGUE.en.extended('Ada', 15)).toBe('Ada has 15 more minutes.');
  });

  it('state an assessment’s sections and pass mark as facts, not as the form’s labels', () => {
    // Before: "Microservices: 3 of 15 (Hard (3))" beside "Passing score (optional)".
    const m = CATALOGUE.en;
    expect(m.sectionFact('Microservices', 3, m.difficulty(3), 15)).toBe(
      'Microservices: 3 questions drawn from 15 — difficulty: Hard (3)',
    );
    expect(m.sectionFact('Security', 1, m.difficultyMixed, 20)).toBe(
      'Security: 1 question drawn from 20 — difficulty: Mixed',
    );
    expect(m.passingScoreFact).toBe('Passing score');
  });

  it('say which column of a candidate’s line the server refused, in words', () => {
    expect(CATALOGUE.en.candidateField('extraTimePercent')).toBe('extra time');
    expect(CATALOGUE.en.candidateField('email')).toBe('email address');
  });
});

describe('the results table', () => {
  const row = (name: string, score: number, extra: Partial<ResultRow> = {}): ResultRow => ({
    attemptId: name,
    candidate: { name },
    status: 'submitted',
    score,
    completedAt: `2026-01-0${Math.round(score / 20) + 1}T00:00:00Z`,
    areas: {},
    ...extra,
  });
  const rows = [
    row('Ada', 90, { percentile: 80, areas: { security: 50 } }),
    row('Bob', 70, { areas: { security: 100 } }),
    row('Cy', 70, { percentile: 40 }),
  ];
  const names = (r: ResultRow[]) => r.map((x) => x.candidate.name);

  it('sorts by score, percentile and area either way; rows without a value last, ties in rank order', () => {
    expect(names(sortResults(rows, 'score', 'ascending'))).toEqual(['Bob', 'Cy', 'Ada']);
    expect(names(sortResults(rows, 'score', 'descending'))).toEqual(['Ada', 'Bob', 'Cy']);
    expect(names(sortResults(rows, 'percentile', 'ascending'))).toEqual(['Cy', 'Ada', 'Bob']);
    expect(names(sortResults(rows, 'percentile', 'descending'))).toEqual(['Ada', 'Cy', 'Bob']);
    expect(names(sortResults(rows, 'area:security', 'descending'))).toEqual(['Bob', 'Ada', 'Cy']);
    expect(names(sortResults(rows, 'name', 'descending'))).toEqual(['Cy', 'Bob', 'Ada']);
  });

  it('sorts names as people read them: accents beside their letter, case ignored, Cyrillic Ё beside Е', () => {
    const people = ['Zoë', 'émile', 'Adam', 'Ёлкин', 'Жуков', 'Евдокимов', 'Ørsted', 'Oscar'].map(
      (n) => row(n, 50),
    );

    const sorted = names(sortResults(people, 'name', 'ascending'));

    expect(sorted).toEqual([
      'Adam',
      'émile',
      'Ørsted',
      'Oscar',
      'Zoë',
      'Евдокимов',
      'Ёлкин',
      'Жуков',
    ]);
  });

  it('estimates the time from the areas’ time hints, saying when some areas have none', () => {
    const areas = [{ id: 'security', timeHintSeconds: 90 }, { id: 'collaboration' }];
    expect(estimateSeconds([{ area: 'security', count: 10 }], areas)).toEqual({
      seconds: 900,
      complete: true,
    });
    expect(
      estimateSeconds(
        [
          { area: 'security', count: 2 },
          { area: 'collaboration', count: 3 },
        ],
        areas,
      ),
    ).toEqual({ seconds: 180, complete: false });
  });
});

describe('following an import', () => {
  it('reads the synchronous 201, a 400 with located errors, and the asynchronous states', () => {
    expect(fromUpload(201, { imported: 6, created: 6, updated: 0, unchanged: 0 })).toEqual({
      phase: 'done',
      fraction: 1,
      counts: { imported: 6, created: 6, updated: 0, unchanged: 0 },
      errors: [],
      warnings: [],
      skipped: [],
    });
    const failed = fromUpload(400, {
      detail: '1 invalid field',
      errors: [{ path: 'questions[0].answer', message: 'no such option', line: 13, column: 5 }],
    });
    expect(failed.phase).toBe('failed');
    expect(where(failed.errors[0]!)).toBe('line 13, column 5');
    expect(fromUpload(202, { status: 'queued' })).toMatchObject({ phase: 'running' });
    expect(fromPoll({ status: 'running', progress: { done: 50, total: 200 } }).fraction).toBe(0.25);
    expect(fromPoll({ status: 'running', progress: 40 }).fraction).toBe(0.4);
    expect(fromPoll({ status: 'running', progress: 0.5 }).fraction).toBe(0.5);
    expect(
      fromPoll({
        status: 'succeeded',
        counts: { imported: 3, created: 1, updated: 2, unchanged: 0 },
      }),
    ).toMatchObject({ phase: 'done', fraction: 1, counts: { imported: 3, updated: 2 } });
    expect(
      fromPoll({
        status: 'failed',
        errors: [{ path: 'x', message: 'y', line: 2 }],
        warnings: [{ path: 'w', message: 'v' }],
      }),
    ).toMatchObject({ phase: 'failed', errors: [{ line: 2 }], warnings: [{ path: 'w' }] });
  });

  it('lists the questions an import left out (skipUnsupported), from the 201 and from the record', () => {
    const skipped = [
      { line: 10, questionIndex: 1, title: 'Essay one', reason: 'a Moodle essay question' },
    ];
    const want = [{ path: '', message: 'Essay one: a Moodle essay question', line: 10 }];
    expect(fromUpload(201, { imported: 1, skipped }).skipped).toEqual(want);
    expect(fromPoll({ status: 'succeeded', skipped }).skipped).toEqual(want);
  });

  it('uploads by the file name: JSON, YAML, else GIFT as text', () => {
    expect(uploadFormat('bank.JSON')).toEqual({ contentType: 'application/json', format: 'json' });
    expect(uploadFormat('bank.yml')).toEqual({ contentType: 'application/yaml', format: 'yaml' });
    expect(uploadFormat('moodle-export.XML')).toEqual({
      contentType: 'application/xml',
      format: 'xml',
    });
    expect(uploadFormat('bank.gift')).toEqual({ contentType: 'text/plain', format: 'gift' });
  });

  it("names a Moodle file's bank after the file, as the CLI does, so that one file cannot replace another's questions", () => {
    expect(bankOfFile('Week 3 quiz.gift')).toEqual({
      bank: 'week-3-quiz',
      bankTitle: 'Week 3 quiz.gift',
    });
    expect(bankOfFile('Café Ümlaut.XML').bank).toBe('cafe-umlaut');
    expect(bankOfFile(`${'a'.repeat(70)}.gift`).bank).toBe('a'.repeat(64));
    const russian = bankOfFile('Тест.gift').bank;
    expect(russian).toMatch(/^bank-[0-9a-f]+$/);
    expect(bankOfFile('Экзамен.gift').bank).not.toBe(russian);
    expect(bankOfFile('q.gift').bank).toMatch(/^bank-q-[0-9a-f]+$/);
    for (const name of [
      'Week 3 quiz.gift',
      'Тест.gift',
      'q.gift',
      '---.xml',
      `${'é'.repeat(90)}.gift`,
    ]) {
      expect(bankOfFile(name).bank).toMatch(/^[a-z0-9][a-z0-9-]{2,63}$/);
    }
  });
});

describe('candidates’ languages', () => {
  it('gives each candidate its own language, else the chosen default, and counts them', () => {
    const { candidates } = parseCandidates(
      'Ada, ada@example.com\nИван <ivan@example.com>, ru\nGrace, grace@example.com, en',
    );
    expect(withLanguage(candidates, 'ru')).toEqual([
      { name: 'Ada', email: 'ada@example.com', locale: 'ru' },
      { name: 'Иван', email: 'ivan@example.com', locale: 'ru' },
      { name: 'Grace', email: 'grace@example.com', locale: 'en' },
    ]);
    expect(languagesOf(candidates, 'en')).toEqual([
      ['en', 2],
      ['ru', 1],
    ]);
    expect(languagesOf(candidates, 'ru')).toEqual([
      ['en', 1],
      ['ru', 2],
    ]);
  });
});

describe('what an edit sends', () => {
  const assessment: Assessment = {
    assessmentId: 'A',
    title: 'Screen',
    timeLimitMinutes: 30,
    passingScore: 50,
    showResultToCandidate: false,
    sections: [{ area: 'security', count: 5, difficulty: 'mixed', questionPool: 9 }],
    questionCount: 5,
    instructions: 'Bring a pen.',
    remindBeforeExpiryHours: 24,
    contentEditable: true,
    createdAt: '2026-01-01T00:00:00Z',
  };
  const same = {
    title: 'Screen',
    timeLimitMinutes: 30,
    sections: [{ area: 'security', count: 5, difficulty: 'mixed' as const }],
    instructions: 'Bring a pen.',
    passingScore: 50,
    showResultToCandidate: false,
    remindBeforeExpiryHours: 24,
  };

  it('sends nothing for an unchanged form, and only the fields that changed otherwise', () => {
    expect(changesOf(assessment, same, true)).toEqual({});
    expect(
      changesOf(assessment, { ...same, title: 'Senior screen', remindBeforeExpiryHours: 0 }, true),
    ).toEqual({ title: 'Senior screen', remindBeforeExpiryHours: 0 });
  });

  it('removes emptied instructions and pass mark with null', () => {
    expect(
      changesOf(assessment, { ...same, instructions: '', passingScore: undefined }, true),
    ).toEqual({ instructions: null, passingScore: null });
  });

  it('sends time limit and sections only while the content is editable', () => {
    const changed = {
      ...same,
      timeLimitMinutes: 45,
      sections: [
        { area: 'security', count: 5, difficulty: 2 as const },
        { area: 'collaboration', count: 1, difficulty: 'mixed' as const },
      ],
    };
    expect(changesOf(assessment, changed, true)).toEqual({
      timeLimitMinutes: 45,
      sections: changed.sections,
    });
    expect(changesOf(assessment, { ...changed, title: 'Renamed' }, false)).toEqual({
      title: 'Renamed',
    });
  });
});

describe('section errors on the create and edit screens', () => {
  const names: Record<string, string> = {
    microservices: 'Microservices',
    'problem-solving': 'Problem-solving',
  };
  const areaName = (id: string) => names[id];

  it('number sections from 1 as the screen does and name areas as the screen does', () => {
    expect(
      inScreenWords(
        'Overlaps sections[0] (microservices, difficulty mixed): one question could be drawn twice. Merge them or use distinct difficulties.',
        areaName,
      ),
    ).toBe(
      'Overlaps Section 1 (Microservices, difficulty mixed): one question could be drawn twice. Merge them or use distinct difficulties.',
    );
    expect(
      inScreenWords(
        'microservices at difficulty 3: needs 45 questions, the bank has 15 published, 30 short.',
        areaName,
      ),
    ).toBe(
      'Microservices at difficulty 3: needs 45 questions, the bank has 15 published, 30 short.',
    );
    expect(
      inScreenWords('problem-solving: needs 2 questions, the bank has 0 published.', areaName),
    ).toBe('Problem-solving: needs 2 questions, the bank has 0 published.');
  });

  it('leave words that are not area ids alone', () => {
    expect(inScreenWords('Too big: expected number to be <=100', areaName)).toBe(
      'Too big: expected number to be <=100',
    );
    expect(inScreenWords('unknown: something', areaName)).toBe('unknown: something');
  });
});

describe('the bank list', () => {
  it('shows a prompt as the words a candidate reads: escapes resolved, markdown and code blocks left out', () => {
    // A GIFT import stores literal characters escaped: the list showed "\<img…> \\2+2\\".
    expect(promptExcerpt('What is \\<img src=x> \\*\\*2+2\\*\\*? \\[link\\](x)')).toBe(
      'What is <img src=x> **2+2**? [link](x)',
    );
    expect(
      promptExcerpt('## Pods\n\nA *pod* runs `api`:\n\n```yaml\nimage: x\n```\n\n- one\n- two'),
    ).toBe('Pods A pod runs api: one two');
    expect(promptExcerpt('x'.repeat(200))).toBe(`${'x'.repeat(107)}…`);
  });
});
