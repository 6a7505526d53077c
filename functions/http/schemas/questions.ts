import * as z from 'zod/mini';
import { BankMeta, MAX_BANK_QUESTIONS } from '../../domain/bank-schema.ts';
import {
  Difficulty,
  QuestionDocument,
  QuestionEditShape,
  QuestionShape,
} from '../../domain/question.ts';
import { QUESTION_TYPE_LIST } from '../../domain/question-types/registry.ts';
import { notReserved } from '../../domain/reserved.ts';
import { AREA_IDS } from '../../domain/taxonomy.ts';
import { cleanText } from '../../domain/text.ts';
import { once } from '../../domain/z.ts';
import { Cursor } from './common.ts';

export const QuestionIdParams = once(() =>
  z.strictObject({
    questionId: z.string().check(z.minLength(1), z.maxLength(64)),
  }),
);

export const BankDocument = once(() =>
  z
    .strictObject({
      bank: BankMeta,
      questions: z.array(QuestionDocument).check(z.minLength(1), z.maxLength(MAX_BANK_QUESTIONS)),
    })
    .register(z.globalRegistry, {
      id: 'BankDocument',
      description: 'A question bank: see docs/question-format.md.',
    }),
);

export const UploadQuery = once(() =>
  z.strictObject({
    format: z.optional(
      z
        .enum(['json', 'yaml', 'gift', 'xml'])
        .check(
          z.describe(
            'gift: Moodle GIFT, as text/plain or application/octet-stream; xml: Moodle XML (also chosen by Content-Type application/xml or text/xml); yaml lets a YAML bank come as text/plain. Without it the Content-Type decides.',
          ),
        ),
    ),
    area: z.optional(
      z
        .enum(AREA_IDS)
        .check(
          z.describe(
            "GIFT and Moodle XML: the area of questions whose category names none. A 400 on a JSON or YAML upload, which names each question's area.",
          ),
        ),
    ),
    difficulty: z.optional(
      z
        .enum(['1', '2', '3'])
        .check(
          z.describe(
            "GIFT and Moodle XML: the difficulty of their questions. A 400 on a JSON or YAML upload, which names each question's difficulty.",
          ),
        ),
    ),
    /** The bank (the file) a GIFT or Moodle XML upload is: its questions' source. */
    bank: z.optional(
      z
        .string()
        .check(
          z.regex(
            /^[a-z0-9][a-z0-9-]{2,63}$/,
            'bank is 3-64 lower-case letters, digits and hyphens (e.g. the file name: week-3-quiz).',
          ),
          notReserved('Bank ids'),
        ),
    ),
    bankTitle: z.optional(cleanText('name', { min: 1, max: 200 })),
    skipUnsupported: z.optional(z.enum(['true', 'false'])),
    moveQuestions: z.optional(
      z
        .enum(['true', 'false'])
        .check(
          z.describe(
            'true: a question whose id the file writes (JSON, YAML) and that another bank holds with other content moves to this bank with this content; without it such a question is a 409 naming both banks, and nothing is stored.',
          ),
        ),
    ),
  }),
);

/** A located problem of an upload: as a 400 lists it, plus the part of a part-wise import. */
const LocatedIssue = once(() =>
  z.object({
    path: z.string(),
    message: z.string(),
    line: z.optional(z.int()),
    column: z.optional(z.int()),
    questionIndex: z.optional(z.int()),
    questionId: z.optional(z.string()),
    part: z.optional(z.int()),
  }),
);

/** Something an author should know about an imported question (nothing was refused). */
const UploadNotice = once(() =>
  z.object({
    /** `question-retired`: a retired question the upload left retired (docs/imports.md). */
    code: z.optional(z.enum(['question-retired'])),
    message: z.string(),
    line: z.optional(z.int()),
    column: z.optional(z.int()),
    questionIndex: z.optional(z.int()),
    questionId: z.optional(z.string()),
    title: z.optional(z.string()),
    part: z.optional(z.int()),
  }),
);

/** A question left out on request (?skipUnsupported=true), with the reason. */
const SkippedQuestion = once(() =>
  z.object({
    line: z.int(),
    questionIndex: z.int(),
    title: z.optional(z.string()),
    reason: z.string(),
    part: z.optional(z.int()),
  }),
);

export const UploadResult = once(() =>
  z
    .object({
      importId: z.string(),
      bankId: z.string(),
      imported: z.int(),
      created: z.int(),
      updated: z.int(),
      unchanged: z.int(),
      warnings: z.array(UploadNotice()),
      skipped: z.array(SkippedQuestion()),
    })
    .register(z.globalRegistry, {
      id: 'UploadResult',
      description:
        'A bank imported before the answer (at most 1,000 questions and 2 MiB of text): counts, the warnings (e.g. "no general feedback (`####`)") and, with ?skipUnsupported=true, the questions left out with the reason.',
    }),
);

export const ImportStatusView = once(() =>
  z
    .object({
      importId: z.string(),
      status: z.enum(['receiving', 'queued', 'running', 'succeeded', 'failed']),
      bankId: z.optional(z.string()),
      parts: z.int(),
      received: z.array(z.int()),
      imported: z.optional(z.int()),
      created: z.optional(z.int()),
      updated: z.optional(z.int()),
      unchanged: z.optional(z.int()),
      progress: z.object({
        phase: z.enum([
          'receiving',
          'queued',
          'reading',
          'validating',
          'staging',
          'publishing',
          'done',
          'failed',
        ]),
        done: z.int(),
        total: z.int(),
      }),
      errors: z.array(LocatedIssue()),
      errorCount: z.int(),
      warnings: z.array(UploadNotice()),
      /** How many warnings there were, when the record keeps only the first 500. */
      warningCount: z.optional(z.int()),
      skipped: z.array(SkippedQuestion()),
      /** How many questions were skipped, when the record keeps only the first 500. */
      skippedCount: z.optional(z.int()),
      detail: z.optional(z.string()),
      code: z.optional(
        z.enum(['validation-failed', 'conflict', 'unavailable', 'stopped', 'internal']),
      ),
      createdAt: z.string(),
      startedAt: z.optional(z.string()),
      finishedAt: z.optional(z.string()),
    })
    .register(z.globalRegistry, {
      id: 'Import',
      description:
        'A bank import: receiving (part-wise, until every part is in), queued, running, then succeeded (every question visible at once) or failed (nothing visible; errors located, at most 1,000 kept, errorCount says how many). Warnings and the questions left out with ?skipUnsupported=true are those a 201 lists (at most 500 of each kept; warningCount and skippedCount say how many when there were more). See docs/imports.md.',
    }),
);

const ImportId = once(() =>
  z.string().check(z.regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'Not a valid id.')),
);

export const ImportParams = once(() => z.strictObject({ importId: ImportId() }));

export const ImportPartParams = once(() =>
  z.strictObject({
    importId: ImportId(),
    part: z.string().check(z.regex(/^[1-9]\d{0,2}$/, 'part is a whole number from 1.')),
  }),
);

export const CreateImportBody = once(() =>
  z
    .strictObject({
      bank: BankMeta,
      parts: z.int().check(z.gte(1), z.lte(200)),
    })
    .register(z.globalRegistry, {
      id: 'CreateImport',
      description:
        'A part-wise import of one bank: send each part (a bank document of the same bank) with PUT /v1/imports/{importId}/parts/{n}.',
    }),
);

export const ListQuestionsQuery = once(() =>
  z.strictObject({
    area: z.optional(z.enum(AREA_IDS)),
    difficulty: z.optional(z.enum(['1', '2', '3'])),
    status: z.optional(z.enum(['published', 'retired'])),
    source: z.optional(z.enum(['org', 'public'])),
    cursor: z.optional(Cursor),
    limit: z.optional(
      z.string().check(z.regex(/^([1-9]\d?|1\d\d|200)$/, 'limit is a whole number from 1 to 200.')),
    ),
  }),
);

export const GetQuestionQuery = once(() =>
  z.strictObject({
    version: z.optional(
      z.string().check(z.regex(/^[1-9]\d{0,5}$/, 'version is a positive whole number.')),
    ),
  }),
);

/**
 * What the server sets on a question: `GET` shows them, `PUT` ignores them when they are as `GET`
 * showed them (so a fetched question can be edited and sent back) and answers 400 naming each
 * one that changed. Marked readOnly in the document.
 */
const READ_ONLY_FIELDS = [
  'version',
  'status',
  'source',
  'createdAt',
  'updatedAt',
  'versions',
] as const;
export type ReadOnlyField = (typeof READ_ONLY_FIELDS)[number];
export { READ_ONLY_FIELDS };

function readOnly<T extends z.ZodMiniType>(schema: T, description: string): T {
  z.globalRegistry.add(schema, { readOnly: true, description });
  return schema;
}

/** Fresh schemas each call: a registered schema carries one set of metadata. */
const readOnlySchemas = () => ({
  version: readOnly(z.int(), 'The version shown (set by the server; If-Match names it).'),
  status: readOnly(
    z.enum(['published', 'retired']),
    'published, or retired (DELETE): set by the server.',
  ),
  source: readOnly(
    z.enum(['org', 'public']),
    'org: your organisation’s; public: the shipped bank (read-only).',
  ),
  createdAt: readOnly(
    z.string(),
    'When the question was created (with ?version=n: when that version was stored).',
  ),
  updatedAt: readOnly(z.string(), 'When the question last changed.'),
  versions: readOnly(
    z.array(z.object({ version: z.int(), createdAt: z.string() })),
    'Every version of the question, oldest first.',
  ),
});

/** The fields every question view has; its type adds `answer` and maybe `options`. */
const viewFields = () => {
  const ro = readOnlySchemas();
  return {
    id: z.string(),
    area: z.enum(AREA_IDS),
    difficulty: Difficulty,
    title: z.optional(z.string()),
    prompt: z.string(),
    explanation: z.string(),
    tags: z.array(z.string()),
    timeHintSeconds: z.optional(z.int()),
    discrimination: z.optional(z.number()),
    difficultyParam: z.optional(z.number()),
    version: ro.version,
    status: ro.status,
    source: ro.source,
    createdAt: ro.createdAt,
    updatedAt: ro.updatedAt,
    versions: z.optional(ro.versions),
  };
};

/**
 * A question as authors see it, with its key: one branch per question type, built from the
 * registry (a new type adds its branch here by itself).
 */
export const QuestionView = once(() =>
  z
    .discriminatedUnion(
      'type',
      QUESTION_TYPE_LIST.map((t) =>
        z.object({
          ...viewFields(),
          type: z.literal(t.id),
          answer: t.key,
          ...(t.withOptions
            ? { options: z.array(z.object({ id: z.string(), text: z.string() })) }
            : {}),
        }),
      ) as unknown as [z.ZodMiniObject, ...z.ZodMiniObject[]],
    )
    .register(z.globalRegistry, {
      id: 'Question',
      description:
        'A question as authors see it (with its key), one branch per question type. The readOnly fields are set by the server: PUT accepts them unchanged.',
    }),
);

export const QuestionPage = once(() =>
  z.object({
    items: z.array(QuestionView()),
    nextCursor: z.nullable(z.string()),
  }),
);

/** The read-only fields as `PUT` takes them: optional, checked against the stored question. */
const readOnlyInputs = () => {
  const ro = readOnlySchemas();
  return {
    version: z.optional(ro.version),
    status: z.optional(ro.status),
    source: z.optional(ro.source),
    createdAt: z.optional(ro.createdAt),
    updatedAt: z.optional(ro.updatedAt),
    versions: z.optional(ro.versions),
  };
};

/**
 * What the edit operation parses (not the route: see EditQuestionRequest); `validateQuestion`
 * then checks the answer by type.
 */
export const EditQuestionBody = once(() => z.extend(QuestionEditShape, readOnlyInputs()));

/**
 * What the route of `PUT /v1/questions/{id}` parses before the operation: any JSON object. The
 * operation checks it whole (EditQuestionBody, the answer's rules, the read-only fields) together
 * with the path's id, so that one 400 names every problem; the document shows EditQuestionDocument.
 */
export const EditQuestionRequest = once(() =>
  z.looseObject({}, 'The body is a question: a JSON object.'),
);

/**
 * The edit body as documented: one branch per question type (from the registry), `id`
 * optional, and the read-only fields of `GET` accepted unchanged.
 */
export const EditQuestionDocument = once(() =>
  z
    .discriminatedUnion(
      'type',
      QUESTION_TYPE_LIST.map((t) =>
        z.extend(z.omit(QuestionEditShape, { options: true }), {
          type: z.literal(t.id),
          answer: t.key,
          ...(t.withOptions ? { options: QuestionShape.def.shape.options.def.innerType } : {}),
          ...readOnlyInputs(),
        }),
      ) as unknown as [z.ZodMiniObject, ...z.ZodMiniObject[]],
    )
    .register(z.globalRegistry, {
      id: 'QuestionEdit',
      description:
        'A question edit: the question as GET returns it, with a field or more changed. The readOnly fields may be left out or sent unchanged; changing one is a 400 naming it.',
    }),
);

const Stats = () => ({
  attempts: z.int(),
  facility: z.nullable(z.number()),
  discrimination: z.nullable(z.number()),
  meanSeconds: z.nullable(z.number()),
});

const SE = once(() => z.nullable(z.number()));

/** A version's calibrated item parameters (the calibration job), or null: label priors apply. */
export const Calibration = once(() =>
  z
    .object({
      model: z.enum(['2pl', 'gpcm']),
      a: z.number(),
      b: z.number(),
      steps: z.array(z.number()),
      categories: z.array(z.number()),
      categoryCounts: z.array(z.int()),
      standardErrors: z.object({ a: SE(), b: SE(), steps: z.array(SE()) }),
      fit: z.object({ x2: z.number(), df: z.int(), p: z.number(), groups: z.int() }),
      responses: z.int(),
      eligibility: z.optional(z.number()),
      calibratedAt: z.string(),
      calibrationId: z.string(),
    })
    .register(z.globalRegistry, {
      id: 'Calibration',
      description:
        'Item parameters estimated from response records by marginal maximum likelihood: a (discrimination) and b (location; the mean of the GPCM steps), the GPCM step difficulties and the lower score bound of each category, responses per category, standard errors (observed information), item fit (a chi-square after Orlando & Thissen; p < 0.01 flags misfit), and the item eligibility used for exposure control. See docs/psychometrics.md.',
    }),
);

export const QuestionStats = once(() =>
  z
    .object({
      questionId: z.string(),
      version: z.int(),
      ...Stats(),
      calibration: z.nullable(Calibration()),
      versions: z.array(
        z.object({ version: z.int(), ...Stats(), calibration: z.nullable(Calibration()) }),
      ),
    })
    .register(z.globalRegistry, {
      id: 'QuestionStats',
      description:
        "Item statistics of the latest version (and of each version): attempts, facility (mean item score), discrimination (corrected item-total correlation), mean seconds spent (this organisation's attempts), and the version's calibration when it has one (a public question's from every organisation's anonymous responses; an organisation's own question's from its own).",
    }),
);

export const CalibrationParams = once(() =>
  z.strictObject({
    calibrationId: z.string().check(z.regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'Not a valid id.')),
  }),
);

const AreaRun = once(() =>
  z.object({
    area: z.string(),
    candidates: z.int(),
    versions: z.int(),
    calibrated: z.int(),
    insufficient: z.int(),
    noVariation: z.int(),
    converged: z.boolean(),
    cycles: z.int(),
    misfitting: z.int(),
    ms: z.int(),
  }),
);

export const CalibrationRunView = once(() =>
  z
    .object({
      calibrationId: z.string(),
      status: z.enum(['queued', 'running', 'succeeded', 'failed']),
      trigger: z.enum(['request', 'schedule']),
      requestedAt: z.string(),
      startedAt: z.optional(z.string()),
      finishedAt: z.optional(z.string()),
      minResponses: z.int(),
      records: z.optional(z.int()),
      areas: z.array(AreaRun()),
      pending: z.optional(z.array(z.string())),
      error: z.optional(z.string()),
    })
    .register(z.globalRegistry, {
      id: 'CalibrationRun',
      description:
        "A calibration of the organisation's own questions: queued, running, then succeeded (or failed), with what it did per area: candidates (response records), question versions seen, calibrated (at least minResponses responses), left with too few responses, without variation, misfitting, EM cycles and whether EM converged.",
    }),
);
