import { readCalibrations, type StoredCalibration } from '../data/calibrations.ts';
import {
  editQuestion,
  getQuestion,
  getQuestionVersion,
  listQuestions,
  retireQuestion,
  type StoredQuestion,
} from '../data/questions.ts';
import { readItemSums } from '../data/statistics.ts';
import { clock } from '../domain/clock.ts';
import { checkText, decodeUpload } from '../domain/encoding.ts';
import {
  DomainError,
  type FieldIssue,
  ForbiddenError,
  NotFoundError,
  ValidationError,
} from '../domain/errors.ts';
import { type QuestionContent, validateQuestion } from '../domain/question.ts';
import { itemStatistics } from '../domain/statistics.ts';
import { uploadSpec } from '../domain/upload.ts';
import { issuesOf } from '../domain/z.ts';
import { createHttpHandler, type Operations, Reply } from '../http/api.ts';
import { PUBLIC_ORG } from '../http/principal.ts';
import { AUTHORING_ROUTES } from '../http/routes/authoring.ts';
import { QUESTION_IF_MATCH } from '../http/schemas/common.ts';
import {
  EditQuestionBody,
  READ_ONLY_FIELDS,
  type ReadOnlyField,
} from '../http/schemas/questions.ts';
import { calibrationRun, requestCalibration, runView } from '../services/calibration.ts';
import {
  createPartwiseImport,
  importStatus,
  pastStoppedImports,
  receiveImportPart,
  type UploadText,
  uploadBank,
} from '../services/imports.ts';

/** A version's calibration as the stats route shows it, or null (label priors apply). */
const calibrationView = (c: StoredCalibration | undefined) => {
  if (!c) return null;
  const { runId, questionId: _q, version: _v, area: _a, ...rest } = c;
  return { ...rest, calibrationId: runId };
};

const view = (q: StoredQuestion, extra: Record<string, unknown> = {}) => ({
  ...q,
  source: q.org === PUBLIC_ORG ? 'public' : 'org',
  ...extra,
});

/**
 * The text of an upload with how to read it (format from the Content-Type and ?format, and the
 * GIFT / Moodle XML options from the query). The bytes as they arrived (decompressed, if they
 * came gzip) are decoded here (UTF-8 with or without BOM, UTF-16 with BOM; Latin-1 refused
 * with its line and column), so that the text parsed now and the text stored for the import
 * job are the same UTF-8 text. The client's gzip is kept for storage only when it holds exactly
 * that text.
 */
function uploadOf(
  body: { text?: string | undefined; bytes?: Uint8Array | undefined; gzip?: Buffer | undefined },
  contentType: string | undefined,
  query: Parameters<typeof uploadSpec>[1],
): UploadText {
  const spec = uploadSpec(contentType, query);
  const text = body.bytes
    ? decodeUpload(body.bytes)
    : body.text !== undefined
      ? checkText(body.text)
      : '';
  const sameBytes =
    body.gzip !== undefined &&
    body.bytes !== undefined &&
    Buffer.from(text, 'utf8').equals(Buffer.from(body.bytes));
  return { text, ...(sameBytes ? { gzip: body.gzip } : {}), spec };
}

/** `Idempotency-Key`: any value up to 128 characters. */
function idempotencyKeyOf(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const key = header.trim();
  if (key === '' || key.length > 128) {
    throw new ValidationError([
      { path: 'header.idempotency-key', message: 'Idempotency-Key is 1 to 128 characters.' },
    ]);
  }
  return key;
}

/** `Prefer: respond-async` (RFC 7240), among other preferences. */
const prefersAsync = (header: string | undefined) =>
  (header ?? '').split(',').some((p) => p.split(';')[0]!.trim().toLowerCase() === 'respond-async');

const statusLocation = (importId: string) => `/v1/imports/${importId}`;

/** `If-Match: "3"`, `3` or `W/"3"` -> 3. */
function ifMatchVersion(header: string | undefined): number {
  if (!header)
    throw new DomainError(
      'precondition-required',
      'Send If-Match with the version you edited (e.g. If-Match: "3"), so that a concurrent edit is not overwritten.',
    );
  const m = QUESTION_IF_MATCH.exec(header);
  if (!m)
    throw new ValidationError([
      { path: 'header.if-match', message: 'If-Match must be a version number such as "3".' },
    ]);
  return Number(m[1]);
}

/** JSON of a value with object keys sorted, so that equal values compare equal. */
const stable = (v: unknown): string =>
  JSON.stringify(v, (_k, x) =>
    x && typeof x === 'object' && !Array.isArray(x)
      ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : x,
  );

/**
 * The read-only fields of an edit (what GET showed: version, status, source, timestamps,
 * versions) must be as the server has them, so GET, edit, PUT works and nothing the server
 * owns changes silently. Checked against the version the client edited (If-Match) when it is
 * still the latest; when it is not, the edit fails with 412 anyway. Returns the problems.
 */
async function readOnlyIssues(
  org: string,
  questionId: string,
  expected: number,
  body: Partial<Record<ReadOnlyField, unknown>>,
): Promise<FieldIssue[]> {
  const sent = READ_ONLY_FIELDS.filter((f) => body[f] !== undefined);
  if (sent.length === 0) return [];
  const found = (await getQuestion(org, questionId)) ?? (await getQuestion(PUBLIC_ORG, questionId));
  if (!found || found.head.version !== expected) return [];
  const shown: Record<ReadOnlyField, unknown> = {
    version: found.head.version,
    status: found.head.status,
    source: found.head.org === PUBLIC_ORG ? 'public' : 'org',
    createdAt: found.head.createdAt,
    updatedAt: found.head.updatedAt,
    versions: found.versions,
  };
  // GET ?version=n shows that version's own createdAt.
  const versionCreated = found.versions.find((v) => v.version === expected)?.createdAt;
  const changed = sent.filter(
    (f) =>
      stable(body[f]) !== stable(shown[f]) &&
      !(f === 'createdAt' && versionCreated !== undefined && body[f] === versionCreated),
  );
  return changed.map((f) => ({
    path: f,
    message: `${f} is read-only (set by the server): send it as GET shows it (${stable(shown[f])}) or leave it out.`,
  }));
}

/**
 * An edit's body checked whole, so that one 400 names every problem: a body id that is not the
 * path's (a question pasted from another, the likeliest mistake, reported even when the body
 * has others), the body's shape, the answer by its type's rules, and the read-only fields.
 * Returns the question to store.
 */
async function checkedEdit(
  org: string,
  questionId: string,
  expected: number,
  sent: Record<string, unknown>,
): Promise<QuestionContent> {
  const issues: FieldIssue[] = [];
  if (typeof sent.id === 'string' && sent.id !== questionId) {
    issues.push({
      path: 'id',
      message: `The body's id "${sent.id}" differs from the path's "${questionId}".`,
    });
  }
  const parsed = EditQuestionBody().safeParse(sent);
  let question: QuestionContent | undefined;
  if (!parsed.success) issues.push(...issuesOf(parsed.error, '', sent));
  else {
    const {
      version: _v,
      status: _s,
      source: _o,
      createdAt: _c,
      updatedAt: _u,
      versions: _l,
      ...body
    } = parsed.data;
    const checked = validateQuestion({ ...body, id: questionId });
    if (checked.question) question = checked.question;
    else issues.push(...checked.issues);
  }
  issues.push(...(await readOnlyIssues(org, questionId, expected, sent)));
  if (issues.length || !question) throw new ValidationError(issues);
  return question;
}

/** A 404 for a question that exists in the shipped public bank becomes a clear 403. */
async function publicIsReadOnly<T>(questionId: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (err instanceof NotFoundError && (await getQuestion(PUBLIC_ORG, questionId))) {
      throw new ForbiddenError(
        'The shipped public bank is read-only; upload your own copy under a new id to change it.',
      );
    }
    throw err;
  }
}

export const operations: Operations<typeof AUTHORING_ROUTES> = {
  uploadBank: async ({ principal, text, bytes, gzip, contentType, query, headers }) => {
    const upload = uploadOf({ text, bytes, gzip }, contentType, query);
    const async = prefersAsync(headers.prefer);
    const key = idempotencyKeyOf(headers['idempotency-key']);
    const answer = await uploadBank({ org: principal!.org, subject: principal!.subject }, upload, {
      async,
      now: clock.now(),
      ...(key ? { idempotencyKey: key } : {}),
    });
    if (answer.status === 201) return new Reply(201, answer.body);
    return new Reply(202, answer.body, {
      location: statusLocation(answer.body.importId),
      'retry-after': '1',
      ...(async ? { 'preference-applied': 'respond-async' } : {}),
    });
  },

  createImport: async ({ principal, body, headers }) => {
    const key = idempotencyKeyOf(headers['idempotency-key']);
    const view = await createPartwiseImport(
      { org: principal!.org, subject: principal!.subject },
      body,
      { now: clock.now(), ...(key ? { idempotencyKey: key } : {}) },
    );
    return new Reply(201, view, { location: statusLocation(view.importId) });
  },

  putImportPart: async ({ principal, params, text, bytes, gzip, contentType, query }) => {
    const answer = await receiveImportPart(
      { org: principal!.org, subject: principal!.subject },
      params.importId,
      Number(params.part),
      uploadOf({ text, bytes, gzip }, contentType, query),
      clock.now(),
    );
    return new Reply(answer.status, answer.body, {
      location: statusLocation(params.importId),
      ...(answer.status === 202 ? { 'retry-after': '1' } : {}),
    });
  },

  getImport: async ({ principal, params }) => {
    const view = await importStatus(principal!.org, params.importId, clock.now());
    const running = view.status !== 'succeeded' && view.status !== 'failed';
    return new Reply(200, view, running ? { 'retry-after': '1' } : {});
  },

  listQuestions: async ({ principal, query }) => {
    const org = query.source === 'public' ? PUBLIC_ORG : principal!.org;
    const page = await listQuestions(org, {
      status: query.status ?? 'published',
      ...(query.area ? { area: query.area } : {}),
      ...(query.difficulty ? { difficulty: Number(query.difficulty) } : {}),
      limit: query.limit ? Number(query.limit) : 50,
      ...(query.cursor ? { cursor: query.cursor } : {}),
    });
    return { items: page.items.map((q) => view(q)), nextCursor: page.nextCursor };
  },

  getQuestion: async ({ principal, params, query }) => {
    for (const org of [principal!.org, PUBLIC_ORG]) {
      const found = await getQuestion(org, params.questionId);
      if (!found) continue;
      if (query.version) {
        const v = await getQuestionVersion(org, params.questionId, Number(query.version));
        if (!v)
          throw new NotFoundError(`Version ${query.version} of question ${params.questionId}`);
        return view(
          { ...v, status: found.head.status, updatedAt: found.head.updatedAt },
          { versions: found.versions },
        );
      }
      return new Reply(200, view(found.head, { versions: found.versions }), {
        etag: `"${found.head.version}"`,
      });
    }
    throw new NotFoundError(`Question ${params.questionId}`);
  },

  editQuestion: async ({ principal, params, body: sent, headers }) => {
    const expected = ifMatchVersion(headers['if-match']);
    const edited = await checkedEdit(principal!.org, params.questionId, expected, sent);
    const { question } = await publicIsReadOnly(params.questionId, () =>
      pastStoppedImports(principal!.org, () =>
        editQuestion(principal!.org, edited, expected, clock.now()),
      ),
    );
    return new Reply(200, view(question), { etag: `"${question.version}"` });
  },

  retireQuestion: async ({ principal, params }) => {
    await publicIsReadOnly(params.questionId, () =>
      pastStoppedImports(principal!.org, () =>
        retireQuestion(principal!.org, params.questionId, clock.now()),
      ),
    );
    return new Reply(204);
  },

  getQuestionStats: async ({ principal, params }) => {
    for (const org of [principal!.org, PUBLIC_ORG]) {
      const found = await getQuestion(org, params.questionId);
      if (!found) continue;
      const [sums, calibrations] = await Promise.all([
        readItemSums(principal!.org, org, params.questionId),
        readCalibrations(org, params.questionId),
      ]);
      const versions = found.versions.map((v) => ({
        version: v.version,
        ...itemStatistics(sums.get(v.version)),
        calibration: calibrationView(calibrations.get(v.version)),
      }));
      return {
        questionId: params.questionId,
        version: found.head.version,
        ...itemStatistics(sums.get(found.head.version)),
        calibration: calibrationView(calibrations.get(found.head.version)),
        versions,
      };
    }
    throw new NotFoundError(`Question ${params.questionId}`);
  },

  requestCalibration: async ({ principal }) => {
    const run = await requestCalibration(principal!.org, principal!.subject, clock.now());
    return new Reply(202, runView(run), { location: `/v1/calibrations/${run.runId}` });
  },

  getCalibration: async ({ principal, params }) =>
    runView(await calibrationRun(principal!.org, params.calibrationId)),
};

export const handler = createHttpHandler('authoring', AUTHORING_ROUTES, operations, {
  outputs: () => import('#side/outputs-authoring'),
});
