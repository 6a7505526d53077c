import { createHash } from 'node:crypto';
import * as z from 'zod/mini';
import type { FieldIssue } from './errors.ts';
import { storable } from './numbers.ts';
import {
  type AnyQuestionType,
  findType,
  QUESTION_TYPE_LIST,
  QUESTION_TYPES,
  typeOf,
} from './question-types/registry.ts';
import type { AnswerKind, AttemptData, Option, QuestionContent } from './question-types/type.ts';
import { seededRandom } from './random.ts';
import { notReserved } from './reserved.ts';
import { AREA_IDS } from './taxonomy.ts';
import { cleanText } from './text.ts';
import { issuesOf, once } from './z.ts';

export type { AttemptData, Option, QuestionContent } from './question-types/type.ts';

export const QUESTION_ID_PATTERN = /^[a-z0-9][a-z0-9-]{2,63}$/;
export const OPTION_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,31}$/;
export const TAG_PATTERN = /^[a-z0-9][a-z0-9-]{0,39}$/;

export const LIMITS = {
  prompt: 4000,
  explanation: 4000,
  title: 255,
  optionText: 1000,
  minOptions: 2,
  maxOptions: 10,
  maxTags: 10,
} as const;

export const QuestionId = /* @__PURE__ */ (() =>
  z
    .string()
    .check(
      z.regex(
        QUESTION_ID_PATTERN,
        'Ids are 3-64 characters: lower-case letters, digits and hyphens, starting with a letter or digit.',
      ),
      notReserved('Question ids'),
    ))();

/** An option id (also the key of an sjt weight and an answer's value). */
export const OptionId = /* @__PURE__ */ (() =>
  z
    .string()
    .check(
      z.regex(OPTION_ID_PATTERN, 'Option ids are 1-32 lower-case letters, digits or hyphens.'),
      notReserved('Option ids'),
    ))();

export const OptionSchema = /* @__PURE__ */ (() =>
  z.strictObject({
    id: OptionId,
    text: cleanText('long', { min: 1, max: LIMITS.optionText }),
  }))();

export const Difficulty = /* @__PURE__ */ (() =>
  // One literal of three values, not a union of three: the error reports of a union name only the
  // branch closest to the value ("expected 1"), so the message below would never be read.
  z.literal([1, 2, 3], {
    error: 'Difficulty is 1 (working knowledge), 2 (practitioner) or 3 (senior).',
  }))();

/** The shape common to every type; `answer` is checked by the type's own schema afterwards. */
export const QuestionShape = /* @__PURE__ */ (() =>
  z.strictObject({
    id: QuestionId,
    area: z.enum(AREA_IDS, {
      error: (issue) =>
        `${issue.input === undefined ? 'Required: an area' : 'Unknown area'}; use one of: ${AREA_IDS.join(', ')}.`,
    }),
    type: z.enum(QUESTION_TYPES, {
      error: (issue) =>
        `${issue.input === undefined ? 'Required: a type' : 'Unknown type'}; use one of: ${QUESTION_TYPES.join(', ')}.`,
    }),
    difficulty: Difficulty,
    title: z.optional(cleanText('name', { min: 1, max: LIMITS.title })),
    prompt: cleanText('long', { min: 10, max: LIMITS.prompt }),
    options: z.optional(
      z.array(OptionSchema).check(z.minLength(LIMITS.minOptions), z.maxLength(LIMITS.maxOptions)),
    ),
    answer: z.unknown(),
    // May be empty: an imported question without feedback (the upload warns); the shipped bank
    // holds its own questions to explaining every key (tests/unit/question-bank.test.ts).
    explanation: cleanText('long', { max: LIMITS.explanation }),
    tags: z
      .array(
        z
          .string()
          .check(
            z.regex(
              TAG_PATTERN,
              'Tags are lower-case letters, digits and hyphens, up to 40 characters.',
            ),
            notReserved('Tags'),
          ),
      )
      .check(z.minLength(1), z.maxLength(LIMITS.maxTags)),
    timeHintSeconds: z.optional(z.int().check(z.gte(10), z.lte(3600))),
    discrimination: z.optional(z.number().check(z.gte(0.1), z.lte(4))),
    difficultyParam: z.optional(z.number().check(z.gte(-4), z.lte(4), storable())),
  }))();

/** The question without its id, as `PUT /v1/questions/{id}` takes it (id optional there). */
export const QuestionEditShape = /* @__PURE__ */ (() =>
  z.extend(QuestionShape, { id: z.optional(QuestionId) }))();

const prefixed = (issues: FieldIssue[], prefix: string) =>
  issues.map((i) => ({ ...i, path: prefix ? (i.path ? `${prefix}.${i.path}` : prefix) : i.path }));

/**
 * Validate one question: the common shape, then the type's key schema and rules. Returns the
 * question or every issue, with paths under `prefix` (e.g. `questions[3]`).
 */
export function validateQuestion(
  raw: unknown,
  prefix = '',
): { question: QuestionContent; issues: [] } | { question: undefined; issues: FieldIssue[] } {
  const shape = QuestionShape.safeParse(raw);
  const issues: FieldIssue[] = shape.success ? [] : issuesOf(shape.error, '', raw);
  // Even when the common shape fails, check what the type owns, so every problem is reported.
  const loose = (raw ?? {}) as Record<string, unknown>;
  const type = findType(loose.type);
  if (type && typeof loose === 'object') {
    const typeId = type.id;
    const options = Array.isArray(loose.options) ? (loose.options as Option[]) : undefined;
    if (type.withOptions && loose.options === undefined) {
      issues.push({ path: 'options', message: `A ${typeId} question needs 2-10 options.` });
    }
    if (!type.withOptions && loose.options !== undefined) {
      issues.push({
        path: 'options',
        message: `A ${typeId} question has no options; remove them.`,
      });
    }
    const seen = new Map<string, number>();
    options?.forEach((o, i) => {
      const first = seen.get(o?.id);
      if (first !== undefined) {
        issues.push({
          path: `options[${i}].id`,
          message: `Duplicate option id "${o.id}" (also options[${first}]).`,
        });
      } else if (typeof o?.id === 'string') seen.set(o.id, i);
    });
    const key = type.key.safeParse(loose.answer);
    if (!key.success) issues.push(...issuesOf(key.error, 'answer', loose.answer));
    else if (
      // Options that are not a list are reported by the shape; rules need a list or none.
      (loose.options === undefined || options) &&
      (!options || options.every((o) => typeof o?.id === 'string'))
    ) {
      // Type rules read only the options and the key, so they run even if other fields failed.
      issues.push(
        ...type.rules({
          ...(loose as unknown as QuestionContent),
          ...(options ? { options } : {}),
          answer: key.data,
        }),
      );
    }
    if (issues.length === 0) {
      return { question: { ...(shape.data as QuestionContent), answer: key.data }, issues: [] };
    }
  }
  return { question: undefined, issues: prefixed(dedupe(issues), prefix) };
}

function dedupe(issues: FieldIssue[]): FieldIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const k = `${i.path}|${i.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Canonical JSON: object keys sorted, so equal content always hashes equally. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Hash of a question's content; identical content never makes a new version. */
export function contentHash(q: QuestionContent): string {
  return createHash('sha256').update(canonical(q)).digest('base64url').slice(0, 32);
}

/**
 * The fields of a question's content, in `QuestionShape`'s order (a unit test holds the two
 * equal): a list, so that reading a stored question does not build the upload schema.
 */
export const CONTENT_FIELDS = [
  'id',
  'area',
  'type',
  'difficulty',
  'title',
  'prompt',
  'options',
  'answer',
  'explanation',
  'tags',
  'timeHintSeconds',
  'discrimination',
  'difficultyParam',
] as const satisfies readonly (keyof QuestionContent)[];

/** The content fields of a stored item, in a stable order (drops storage attributes). */
export function pickContent(item: Record<string, unknown>): QuestionContent {
  const out: Record<string, unknown> = {};
  for (const k of CONTENT_FIELDS) if (item[k] !== undefined) out[k] = item[k];
  return out as unknown as QuestionContent;
}

/**
 * A type's candidate view schema: strict, so a field the type does not declare is a bug. The
 * fields every candidate view has, then the type's own (see `view` in its module).
 */
const candidateBranch = (t: AnyQuestionType) =>
  z.strictObject({ ...candidateCommon(), type: z.literal(t.id), ...t.view });

/** The fields every candidate view has, shared by the branches. */
const candidateCommon = /* @__PURE__ */ once(() => ({
  questionId: z.string(),
  area: z.enum(AREA_IDS),
  prompt: z.string(),
}));

/**
 * The candidate view of a question, one branch per type. Deliberately no `answer`, weights,
 * explanation or score: each type declares the fields a candidate sees. Built on first use (a
 * function that holds it, such as the employer's, builds it only for a request that answers
 * with a candidate view).
 */
export const CandidateQuestionSchema = /* @__PURE__ */ once(() =>
  z.discriminatedUnion(
    'type',
    QUESTION_TYPE_LIST.map(candidateBranch) as unknown as [
      ReturnType<typeof candidateBranch>,
      ...ReturnType<typeof candidateBranch>[],
    ],
  ),
);

/** What a candidate sees of a question: never a key, weight, explanation or score. */
export type CandidateQuestion = {
  questionId: string;
  area: string;
  type: QuestionContent['type'];
  prompt: string;
} & Record<string, unknown>;

/**
 * What an attempt stores with a question it draws: its type's per-attempt data (for example
 * the shuffled order of the options), a pure function of the attempt id and the question, so a
 * rebuilt draw is the same. An attempt id is public: each type shuffles from an order that
 * says nothing about the key (see `shuffleOptions`), so recomputing a shuffle reveals nothing.
 */
export function startQuestion(q: QuestionContent, attemptId: string): AttemptData {
  return typeOf(q.type).start?.(q, seededRandom(`${attemptId}#options#${q.id}`)) ?? {};
}

/**
 * What a candidate sees: the prompt and what the question's type shows for this attempt.
 * This is the only function that builds candidate-facing question data.
 */
export function candidateView(q: QuestionContent, attempt: AttemptData = {}): CandidateQuestion {
  return {
    questionId: q.id,
    area: q.area,
    type: q.type,
    prompt: q.prompt,
    ...(typeOf(q.type).show(q, attempt) as Record<string, unknown>),
  };
}

/**
 * A candidate's answer in the shape of some question type, before the question is known: one
 * branch per type (the OpenAPI document names each by its type). Which branch applies is decided
 * by the question, so the body carries no discriminator; `parseResponse` then checks the answer
 * against the question itself. Built on first use, as the candidate view.
 */
export const AnswerSchema = /* @__PURE__ */ once(() =>
  z.union(
    QUESTION_TYPE_LIST.map((t) =>
      t.answer.register(z.globalRegistry, { title: t.id, description: t.expected }),
    ) as unknown as [z.ZodMiniType<unknown>, ...z.ZodMiniType<unknown>[]],
    {
      error: (issue) => {
        // Near misses (the right kind of value, but too long, too large...) say what is wrong.
        const near = (
          (issue as { errors?: { code: string; path: unknown[]; message: string }[][] }).errors ??
          []
        )
          .filter((branch) => !branch.some((i) => i.code === 'invalid_type' && i.path.length === 0))
          .flatMap((branch) => branch.map((i) => i.message));
        if (near.length) return [...new Set(near)].join(' Or: ');
        return `An answer is ${answerKinds()}.`;
      },
    },
  ),
);

/** "one option id (single, sjt), a number (numeric), ...": every type's answer, by kind. */
function answerKinds(): string {
  const byKind = new Map<string, string[]>();
  for (const t of QUESTION_TYPE_LIST)
    byKind.set(t.expected, [...(byKind.get(t.expected) ?? []), t.id]);
  return [...byKind].map(([kind, ids]) => `${kind} (${ids.join(', ')})`).join(', ');
}

/**
 * The most bytes of JSON an answer to this question can take: anything longer is refused by
 * `parseResponse`. Storage plans an answer's room with it.
 */
export function answerBytes(q: QuestionContent): number {
  return typeOf(q.type).answerBytes(q);
}

/** What an answer to this question is (`QuestionType.answerKind`): how storage plans its room. */
export function answerKind(q: QuestionContent): AnswerKind {
  return typeOf(q.type).answerKind;
}

/** Validate a candidate's answer against the question it answers. */
/** domain/z.ts's message for a value of the wrong type ("Must be a list."). */
const WRONG_TYPE =
  /^Must be (?:text|a list|an object(?: with [^.]*)?|a number|true or false|a value)\.$/;

export function parseResponse(
  q: QuestionContent,
  raw: unknown,
): { ok: true; value: unknown } | { ok: false; issues: FieldIssue[] } {
  const type = typeOf(q.type);
  const r = type.response(q).safeParse(raw);
  if (r.success) return { ok: true, value: r.data };
  const takes = `This ${q.type} question takes ${type.expected}.`;
  return {
    ok: false,
    issues: issuesOf(r.error, 'answer').map((i) => ({
      ...i,
      message: i.path === 'answer' && WRONG_TYPE.test(i.message) ? takes : `${takes} ${i.message}`,
    })),
  };
}

/** Score of a response in [0,1]; an unanswered question scores 0. */
export function gradeResponse(q: QuestionContent, response: unknown): number {
  if (response === undefined || response === null) return 0;
  const type = typeOf(q.type);
  const parsed = type.response(q).safeParse(response);
  if (!parsed.success) return 0;
  return Math.min(1, Math.max(0, type.grade(q, parsed.data)));
}

/** A saved answer as a report shows it ("b — Use a queue"); undefined when unanswered. */
export function describeAnswer(q: QuestionContent, response: unknown): string | undefined {
  if (response === undefined || response === null) return undefined;
  const type = typeOf(q.type);
  const parsed = type.response(q).safeParse(response);
  return parsed.success
    ? type.describe(q, parsed.data)
    : `${JSON.stringify(response)} (does not fit this question)`;
}

/**
 * A question's key as a person reads it in the employer's report (staff only: never on a
 * candidate route): its type's own words for every form of its key ("b — Use a queue",
 * "42 ms (± 0.5)", Moodle's credits and patterns).
 */
export function describeKey(q: QuestionContent): string {
  return typeOf(q.type).describeKey(q);
}

/**
 * One branch per type of a question as authors write it: the OpenAPI document of bank uploads.
 * Uploads are validated by `validateQuestion`, which reports every problem of every question
 * with its location; this schema is its description.
 */
export const QuestionDocument = /* @__PURE__ */ (() =>
  z.discriminatedUnion(
    'type',
    QUESTION_TYPE_LIST.map((t) =>
      z.extend(z.omit(QuestionShape, { options: true }), {
        type: z.literal(t.id),
        answer: t.key,
        ...(t.withOptions ? { options: QuestionShape.def.shape.options.def.innerType } : {}),
      }),
    ) as unknown as [z.ZodMiniObject, ...z.ZodMiniObject[]],
  ))();
