/**
 * The contract test (issue 14): requests generated from the document the server serves, for
 * every operation in it, valid ones with real ids and tokens and invalid ones, each answer held
 * against the document (status, content type, body schema, and whether the request was one the
 * document allows). Generic over the document: a route added later is covered with no edit here.
 * See docs/contract.md.
 */
import { Validator } from '@seriousme/openapi-schema-validator';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { generatorsOf } from '../../functions/domain/question-types/generators.ts';
import { QUESTION_TYPE_LIST } from '../../functions/domain/question-types/registry.ts';
import type { Generators } from '../../functions/domain/question-types/type.ts';
import { type Answer, disagreements, documentFindings, type Exchange } from './contract/check.ts';
import { type Json, mediaType, operationsOf, SchemaValidator } from './contract/document.ts';
import { type GeneratedRequest, requestsFor, type World } from './contract/requests.ts';
import { sampleBank } from './fixtures.ts';
import { type ApiResponse, useTestApi, withRetryAfter } from './support.ts';

const api = useTestApi();
const ORG = 'contract';

/** Order of methods: reads first, deletes last, so that every operation meets live data. */
const METHOD_ORDER = ['GET', 'PUT', 'PATCH', 'POST', 'DELETE'];

let doc: Json;
let validator: SchemaValidator;
const exchanges: Exchange[] = [];
let elapsedMs = 0;

/** Texts for the question types' generators: short, distinct, valid everywhere. */
const WORDS = [
  'Alpha item',
  'Bravo item',
  'Charlie item',
  'Delta item',
  'Echo item',
  'Foxtrot item',
  'Golf item',
  'Hotel item',
  'India item',
  'Juliett item',
  'Kilo item',
  'Lima item',
];
const gen: Generators = {
  text: (min, max) => fc.constantFrom(...WORDS.filter((w) => w.length >= min && w.length <= max)),
  number: () => fc.integer({ min: -1000, max: 1000 }),
};

/** One question of every registered type (a new type joins by itself), all in `security`. */
function questionOfEachType() {
  return QUESTION_TYPE_LIST.map((t, i) => {
    const own = fc.sample(generatorsOf(t.id).arbitrary(fc, gen) as fc.Arbitrary<object>, {
      seed: 14 + i,
      numRuns: 1,
    })[0]!;
    return {
      id: `ct-type-${t.id}`,
      area: 'security',
      type: t.id,
      difficulty: 2,
      prompt: `Which answer fits this ${t.id} question?`,
      explanation: 'Because the key says so, and it is right.',
      tags: ['contract'],
      ...own,
    };
  });
}

async function send(r: {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
}): Promise<Answer> {
  const res: ApiResponse = await withRetryAfter(async () => {
    const out = await fetch(`${api.base}${r.url}`, {
      method: r.method,
      headers: r.headers,
      ...(r.body !== undefined ? { body: r.body } : {}),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await out.text();
    return { status: out.status, headers: out.headers, text, body: undefined };
  });
  return {
    status: res.status,
    contentType: mediaType(res.headers.get('content-type')),
    text: res.text,
    headers: Object.fromEntries(res.headers),
  };
}

beforeAll(async () => {
  const t0 = performance.now();
  doc = JSON.parse((await send({ method: 'GET', url: '/v1/openapi.json', headers: {} })).text);
  validator = new SchemaValidator(doc);
  const ops = operationsOf(doc);
  const byId = new Map(ops.map((o) => [o.operationId, o]));

  // Tokens by role: every role some operation names, and the attempt token once there is one.
  const roles = [...new Set(ops.flatMap((o) => o.security?.roles ?? []))];
  const tokens: Record<string, string> = {};
  for (const role of roles) tokens[role] = await api.token(role as 'author', ORG);
  const values: Record<string, string> = {};
  const world: World = {
    values,
    credential: (scheme, role) =>
      scheme === 'attemptToken' ? values.attemptToken : (tokens[role] ?? Object.values(tokens)[0]),
    wrongRole: (_scheme, role) => Object.entries(tokens).find(([r]) => r !== role)?.[1],
  };

  /** A request of the scenario, checked like a generated one (its expectation: valid). */
  const scenario = async (
    operationId: string,
    label: string,
    parts: {
      path?: Record<string, string | undefined>;
      header?: Record<string, string>;
      body?: unknown;
      auth?: string;
      query?: Record<string, string>;
      /** A body that is not JSON (a GIFT bank), with its content type. */
      raw?: { text: string; contentType: string };
      /** A 400 naming this member is the expected answer (a rule the request breaks). */
      refusal?: string;
    },
  ) => {
    const operation = byId.get(operationId);
    if (!operation) throw new Error(`The document has no operation ${operationId}`);
    const path = (parts.path ?? {}) as Record<string, string>;
    const query = parts.query ?? {};
    const url =
      operation.path.replace(/\{(\w+)\}/g, (_m, n: string) => encodeURIComponent(path[n]!)) +
      (Object.keys(query).length ? `?${new URLSearchParams(query)}` : '');
    const headers: Record<string, string> = { ...parts.header };
    const auth =
      parts.auth ??
      (operation.security
        ? world.credential(operation.security.scheme, operation.security.roles[0] ?? '')
        : undefined);
    if (auth) headers.authorization = `Bearer ${auth}`;
    if (parts.body !== undefined) headers['content-type'] = 'application/json';
    if (parts.raw) headers['content-type'] = parts.raw.contentType;
    const request: GeneratedRequest = {
      operation,
      label: `scenario: ${label}`,
      method: operation.method,
      url,
      headers,
      ...(parts.body !== undefined ? { body: JSON.stringify(parts.body) } : {}),
      ...(parts.raw ? { body: parts.raw.text } : {}),
      parts: {
        path,
        query,
        header: parts.header ?? {},
        body: parts.body,
        ...(parts.body !== undefined ? { contentType: 'application/json' } : {}),
        ...(parts.raw ? { contentType: parts.raw.contentType } : {}),
      },
      expect:
        parts.refusal !== undefined
          ? { kind: 'status', status: 400, member: parts.refusal }
          : { kind: 'valid' },
    };
    const answer = await send(request);
    exchanges.push({ request, answer });
    return {
      status: answer.status,
      body: answer.contentType.endsWith('json') ? JSON.parse(answer.text) : answer.text,
    };
  };

  // The scenario: real ids and tokens, and the answers every item of the issue is about.
  const bank = sampleBank('ct', 6);
  bank.questions.push(...questionOfEachType());
  const uploaded = await scenario('uploadBank', 'a bank with every question type', { body: bank });
  expect(uploaded.status, JSON.stringify(uploaded.body)).toBe(201);
  // A part-wise import waiting for its parts: the import routes have a real id to act on.
  const partwise = await scenario('createImport', 'a part-wise import of two parts', {
    body: { bank: { id: 'ct-parts', title: 'Parts' }, parts: 2 },
  });
  expect(partwise.status, JSON.stringify(partwise.body)).toBe(201);
  values.importId = partwise.body.importId;
  values.part = '1';
  await scenario('uploadBank', 'a bank with an invalid question', {
    body: {
      bank: { id: 'ct-bad', title: 'Bad' },
      questions: [{ ...bank.questions[0], id: 'ct-bad-1', prompt: 'short' }],
    },
  });
  // A GIFT bank with located problems: each error carries its line, column and the question's
  // title (GIFT `::title::`), which the Problem schema must declare.
  await scenario('uploadBank', 'a GIFT bank with located problems', {
    refusal: 'questions[0].area',
    query: { format: 'gift', bank: 'ct-gift' },
    raw: {
      text: '::Sum:: What is 2+2? {=4 ~3 ~5}\n\n::Essay:: Describe a queue. {}\n',
      contentType: 'text/plain',
    },
  });
  // An import in a job: 202 with Location and Retry-After, then its record.
  const queued = await scenario('uploadBank', 'Prefer: respond-async', {
    // In an area the assessment below does not draw from.
    body: {
      bank: { id: 'ct-async', title: 'Async' },
      questions: sampleBank('ct-async', 2).questions.map((q) => ({ ...q, area: 'devops-cicd' })),
    },
    header: { Prefer: 'respond-async' },
  });
  expect(queued.status, JSON.stringify(queued.body)).toBe(202);
  await scenario('getImport', 'an import in a job', { path: { importId: queued.body.importId } });
  // Sections: fixed ones have a count and no stopping rule, adaptive ones the reverse (the
  // document says so; a 400 naming the member).
  for (const [label, section, member] of [
    ['a fixed section with minItems', { area: 'security', count: 2, minItems: 2 }, 'minItems'],
    ['a fixed section without a count', { area: 'security' }, 'count'],
    ['an adaptive section with a count', { area: 'security', mode: 'adaptive', count: 2 }, 'count'],
  ] as const)
    await scenario('createAssessment', label, {
      refusal: `sections[0].${member}`,
      body: { title: 'Sections', timeLimitMinutes: 30, sections: [section] },
    });
  const security = bank.questions.filter((q) => q.area === 'security');
  const created = await scenario('createAssessment', 'every security question', {
    body: {
      title: 'Contract',
      timeLimitMinutes: 30,
      sections: [{ area: 'security', count: security.length }],
      showResultToCandidate: true,
    },
    header: { 'Idempotency-Key': 'contract-test-create-0001' },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  values.assessmentId = created.body.assessmentId;
  const invited = await scenario('createInvitations', 'two candidates', {
    path: { assessmentId: values.assessmentId },
    body: {
      candidates: [{ name: 'Ada' }, { name: 'Grace' }, { name: 'Hedy' }],
      expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
    },
    header: { 'Idempotency-Key': 'contract-test-invite-0001' },
  });
  expect(invited.status, JSON.stringify(invited.body)).toBe(201);
  await scenario('createInvitations', 'the same Idempotency-Key, another body', {
    path: { assessmentId: values.assessmentId },
    body: {
      candidates: [{ name: 'Other' }],
      expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
    },
    header: { 'Idempotency-Key': 'contract-test-invite-0001' },
  });
  values.invitationToken = invited.body.invitations[0].token;
  // The second invitation stays unused: revoke and resend have something to act on.
  values.invitationId = invited.body.invitations[1].invitationId;
  const started = await scenario('startAttempt', 'start', {
    body: { invitationToken: values.invitationToken },
  });
  expect(started.status, JSON.stringify(started.body)).toBe(201);
  values.attemptId = started.body.attemptId;
  values.attemptToken = started.body.attemptToken;
  // The candidate's view names questions and options by handle: the prompt and the options'
  // texts say which bank question and option each is.
  const byPrompt = new Map(bank.questions.map((q) => [q.prompt as string, q]));
  const saved = new Map<string, unknown>();
  let singleHandle = '';
  type Shown = {
    questionId: string;
    type: string;
    prompt: string;
    options?: { id: string; text: string }[];
  };
  for (const q of started.body.questions as Shown[]) {
    const t = QUESTION_TYPE_LIST.find((x) => x.id === q.type)!;
    const content = (byPrompt.get(q.prompt) ??
      bank.questions.find((b) => b.id === `ct-type-${q.type}`)!) as {
      id: string;
      options?: { id: string; text: string }[];
    };
    const bankAnswer = fc.sample(generatorsOf(t.id).answers(fc, content as never), {
      seed: 7,
      numRuns: 1,
    })[0];
    // The bank's option ids, as the candidate names them: by the handle shown with its text.
    const handleOf = new Map(
      (content.options ?? []).map((o) => [o.id, q.options!.find((x) => x.text === o.text)!.id]),
    );
    const shown = (v: unknown) => (typeof v === 'string' ? (handleOf.get(v) ?? v) : v);
    const answer = Array.isArray(bankAnswer) ? bankAnswer.map(shown) : shown(bankAnswer);
    if (content.id === 'ct-type-single') singleHandle = q.questionId;
    saved.set(q.questionId, answer);
    await scenario('saveAnswer', `a ${q.type} answer`, {
      path: { attemptId: values.attemptId, questionId: q.questionId },
      body: { answer },
    });
  }
  await scenario('saveAnswer', 'a stale If-Match', {
    path: { attemptId: values.attemptId, questionId: singleHandle },
    body: { answer: saved.get(singleHandle) },
    header: { 'If-Match': '"7"' },
  });
  values.questionId = 'ct-type-single';
  // GET, edit, PUT: what GET shows goes back with one field changed.
  const got = await scenario('getQuestion', 'before an edit', {
    path: { questionId: values.questionId },
  });
  await scenario('editQuestion', 'GET, edit, PUT', {
    path: { questionId: values.questionId },
    header: { 'If-Match': `"${got.body.version}"` },
    body: { ...got.body, prompt: `${got.body.prompt} (edited)` },
  });
  values['If-Match'] = `"${got.body.version + 1}"`;
  await scenario('listResults', 'as CSV', {
    path: { assessmentId: values.assessmentId },
    header: { accept: 'text/csv' },
  });
  // A running attempt's candidate data cannot be erased yet (409).
  const running = await scenario('startAttempt', 'a second attempt', {
    body: { invitationToken: invited.body.invitations[2].token },
  });
  expect(running.status, JSON.stringify(running.body)).toBe(201);
  await scenario('eraseCandidateData', 'while the attempt runs', {
    path: { invitationId: invited.body.invitations[2].invitationId },
  });
  // Submitted: the reports, the candidate's result and the repeated submit answer 200.
  await scenario('submitAttempt', 'submit', { path: { attemptId: values.attemptId } });
  const calibration = await scenario('requestCalibration', 'queue one', {});
  if (calibration.body?.calibrationId) values.calibrationId = calibration.body.calibrationId;

  // Generated: every operation of the document, reads first and deletes last.
  const ordered = [...ops].sort(
    (a, b) => METHOD_ORDER.indexOf(a.method) - METHOD_ORDER.indexOf(b.method),
  );
  for (const operation of ordered) {
    for (const request of requestsFor(doc, validator, operation, world)) {
      const answer = await send(request);
      exchanges.push({ request, answer });
      // A start or resume hands out a new attempt token (and a preview a new attempt).
      if (answer.status < 300 && answer.contentType === 'application/json') {
        const body = JSON.parse(answer.text);
        if (body?.attemptId && body?.attemptToken) {
          values.attemptId = body.attemptId;
          values.attemptToken = body.attemptToken;
        }
      }
    }
  }
  // Every path, with a method it does not take: 405 with Allow.
  for (const [path, item] of Object.entries<Json>(doc.paths)) {
    const taken = Object.keys(item).map((m) => m.toUpperCase());
    const method = ['PATCH', 'PUT', 'DELETE', 'POST', 'GET'].find((m) => !taken.includes(m));
    if (!method) continue;
    const url = path.replace(/\{(\w+)\}/g, (_m, n: string) => values[n] ?? 'x');
    const answer = await send({ method, url, headers: {} });
    exchanges.push({
      request: {
        operation: {
          operationId: `405 ${path}`,
          method,
          path,
          op: { responses: { 405: methodNotAllowed(doc) } },
          parameters: [],
          security: undefined,
        },
        label: `${method} not taken (allow ${taken.join(', ')})`,
        method,
        url,
        headers: {},
        parts: { path: {}, query: {}, header: {} },
        expect: { kind: 'status', status: 405 },
      },
      answer,
    });
  }
  elapsedMs = performance.now() - t0;
}, 180_000);

/** The components a part of the document refers to, directly or through other components. */
function refsOf(d: Json, parts: unknown[]): Set<string> {
  const found = new Set<string>();
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        const m = k === '$ref' && typeof x === 'string' && /^#\/components\/schemas\/(.+)$/.exec(x);
        if (m && !found.has(m[1]!)) {
          found.add(m[1]!);
          walk(d.components.schemas[m[1]!]);
        } else walk(x);
      }
    }
  };
  walk(parts);
  return found;
}

/** The answer every path gives a method it does not take (API Gateway's $default route). */
function methodNotAllowed(d: Json) {
  return {
    description: 'Method not allowed',
    content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
    ...(d ? {} : {}),
  };
}

describe('the contract: the server and /v1/openapi.json agree', () => {
  it('serves a valid OpenAPI 3.1 document', async () => {
    const result = await new Validator().validate(structuredClone(doc));
    expect(result.errors ?? []).toEqual([]);
  });

  it('keeps the document’s own promises: descriptions, tags, licence, problem bodies, no empty schema', () => {
    expect(documentFindings(doc)).toEqual([]);
  });

  it('answers every generated request as the document declares', () => {
    const failures = exchanges.flatMap((x) => disagreements(validator, x));
    expect(failures).toEqual([]);
  });

  it('sends requests to every operation of the document, in well under two minutes', () => {
    const reached = new Set(exchanges.map((x) => x.request.operation.operationId));
    const missing = operationsOf(doc).filter((o) => !reached.has(o.operationId));
    expect(missing.map((o) => o.operationId)).toEqual([]);
    const ok = new Set(
      exchanges.filter((x) => x.answer.status < 300).map((x) => x.request.operation.operationId),
    );
    console.info(
      `contract: ${operationsOf(doc).length} operations, ${exchanges.length} requests in ${(elapsedMs / 1000).toFixed(1)} s; ${ok.size} operations answered 2xx; not: ${
        operationsOf(doc)
          .filter((o) => !ok.has(o.operationId))
          .map((o) => o.operationId)
          .join(', ') || 'none'
      }`,
    );
    expect(elapsedMs).toBeLessThan(120_000);
  });
});

/**
 * Each finding of issue 14 put back into a copy of the served document: the same exchanges
 * held against it must fail. This is how we know the checks above can catch what the issue saw.
 */
describe('the contract test catches each finding of issue 14', () => {
  const op = (d: Json, id: string) => operationsOf(d).find((o) => o.operationId === id)!.op;
  const failuresWith = (break_: (d: Json) => void) => {
    const broken = structuredClone(doc);
    break_(broken);
    const v = new SchemaValidator(broken);
    // Operations are looked up again in the broken copy, so the checks read it.
    const ops = new Map(operationsOf(broken).map((o) => [o.operationId, o]));
    // Only the exchanges whose part of the document changed: their operation, or a component
    // that the schemas of their request or of their answer's status refer to.
    const same = (a: Json, b: Json) => JSON.stringify(a) === JSON.stringify(b);
    const changed = new Set(
      Object.keys(doc.components.schemas).filter(
        (n) => !same(doc.components.schemas[n], broken.components.schemas[n]),
      ),
    );
    const affected = (x: Exchange) => {
      const now = ops.get(x.request.operation.operationId);
      if (!now || !same(now.op, x.request.operation.op)) return true;
      const used = refsOf(doc, [now.op.requestBody, now.op.responses?.[String(x.answer.status)]]);
      return [...used].some((n) => changed.has(n));
    };
    return [
      ...documentFindings(broken),
      ...exchanges.filter(affected).flatMap((x) =>
        disagreements(v, {
          ...x,
          request: {
            ...x.request,
            operation: ops.get(x.request.operation.operationId) ?? x.request.operation,
          },
        }),
      ),
    ];
  };
  const problem = (d: Json) => d.components.schemas.Problem;

  it.each<[string, (d: Json) => void, RegExp]>([
    [
      'errors[] without questionIndex and questionId',
      (d) => {
        const items = problem(d).properties.errors.items;
        delete items.properties.questionIndex;
        delete items.properties.questionId;
      },
      /uploadBank .*additional properties/,
    ],
    [
      'a Problem without allow (405)',
      (d) => {
        delete problem(d).properties.allow;
      },
      /^405 .*additional properties/,
    ],
    [
      'a Problem without current (412)',
      (d) => {
        delete problem(d).properties.current;
      },
      /saveAnswer .*412.*additional properties/,
    ],
    [
      'answer: {} on PUT .../answers/{questionId}',
      (d) => {
        op(d, 'saveAnswer').requestBody.content['application/json'].schema.properties.answer = {};
      },
      /empty schema/,
    ],
    [
      'Question.answer: {} in bank uploads',
      (d) => {
        for (const b of d.components.schemas.BankDocument.properties.questions.items.oneOf)
          b.properties.answer = {};
      },
      /empty schema/,
    ],
    [
      'If-Match as a bare string',
      (d) => {
        const p = op(d, 'editQuestion').parameters.find((x: Json) => x.name === 'If-Match');
        p.schema = { type: 'string' };
      },
      /refused a If-Match header that the document allows/,
    ],
    [
      'no text/csv on results',
      (d) => {
        delete op(d, 'listResults').responses['200'].content['text/csv'];
      },
      /listResults .*text\/csv is not declared/,
    ],
    [
      'no 413 and 415',
      (d) => {
        delete op(d, 'createAssessment').responses['413'];
        delete op(d, 'createAssessment').responses['415'];
      },
      /createAssessment .*(413|415)/,
    ],
    [
      "no 413 of API Gateway's on a route without a body",
      (d) => {
        delete op(d, 'submitAttempt').responses['413'];
      },
      /POST \/v1\/attempts\/\{attemptId\}\/submit declares no 413 of API Gateway's/,
    ],
    [
      'a 4xx without application/problem+json',
      (d) => {
        op(d, 'editQuestion').responses['412'] = { description: 'Stale.' };
      },
      /412 does not declare application\/problem\+json/,
    ],
    [
      'Idempotency-Key up to 128 characters only',
      (d) => {
        delete op(d, 'createAssessment').parameters.find((x: Json) => x.name === 'Idempotency-Key')
          .schema.minLength;
      },
      /refused a Idempotency-Key header that the document allows/,
    ],
    [
      'an operation without a description',
      (d) => {
        delete op(d, 'uploadBank').description;
      },
      /has no description/,
    ],
    [
      'no licence',
      (d) => {
        delete d.info.license;
      },
      /info has no license/,
    ],
    [
      'read-only fields the edit does not take',
      (d) => {
        for (const b of d.components.schemas.QuestionEdit.oneOf) delete b.properties.source;
      },
      /editQuestion \[scenario: GET, edit, PUT\] accepted/,
    ],
    // Found by the outside-tester pass of round 10 (docs/contract.md).
    [
      'errors[] without title (a GIFT bank’s located problems)',
      (d) => {
        delete problem(d).properties.errors.items.properties.title;
      },
      /uploadBank \[scenario: a GIFT bank.*additional properties/,
    ],
    [
      'an upload’s Idempotency-Key as any string (the server takes 1-128 characters)',
      (d) => {
        op(d, 'uploadBank').parameters.find((x: Json) => x.name === 'Idempotency-Key').schema = {
          type: 'string',
        };
      },
      /uploadBank .*refused a Idempotency-Key header that the document allows/,
    ],
    [
      'sections without their fixed and adaptive rules',
      (d) => {
        delete d.components.schemas.CreateAssessment.properties.sections.items.oneOf;
      },
      /createAssessment \[scenario: a fixed section with minItems\] refused \(400\) what the document allows/,
    ],
    [
      'a save’s ETag not declared',
      (d) => {
        delete op(d, 'saveAnswer').responses['200'].headers;
      },
      /saveAnswer .*sends etag, which is not declared/,
    ],
    [
      'a 202 without its Location',
      (d) => {
        delete op(d, 'uploadBank').responses['202'].headers;
      },
      /uploadBank .*202 sends location, which is not declared/,
    ],
  ])('%s', (_name, break_, expected) => {
    const failures = failuresWith(break_);
    expect(
      failures.some((f) => expected.test(f)),
      failures.slice(0, 5).join('\n'),
    ).toBe(true);
  });
});
