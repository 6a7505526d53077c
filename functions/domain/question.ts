import { createHash } from 'node:crypto';
import * as z from 'zod/mini';
import type { FieldIssue } from './errors.ts';
import { storable } from './numbers.ts';
import { typeOf } from './question-types/registry.ts';
import {
  type CandidateQuestion,
  type Option,
  QUESTION_TYPES,
  type QuestionContent,
} from './question-types/type.ts';
import { AREA_IDS } from './taxonomy.ts';
import { issuesOf } from './z.ts';

export type { CandidateQuestion, Option, QuestionContent } from './question-types/type.ts';

export const QUESTION_ID_PATTERN = /^[a-z0-9][a-z0-9-]{2,63}$/;
export const OPTION_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,31}$/;
export const TAG_PATTERN = /^[a-z0-9][a-z0-9-]{0,39}$/;

export const LIMITS = {
  prompt: 4000,
  explanation: 4000,
  optionText: 1000,
  minOptions: 2,
  maxOptions: 10,
  maxTags: 10,
} as const;

export const QuestionId = z
  .string()
  .check(
    z.regex(
      QUESTION_ID_PATTERN,
      'Ids are 3-64 characters: lower-case letters, digits and hyphens, starting with a letter or digit.',
    ),
  );

export const OptionSchema = z.strictObject({
  id: z
    .string()
    .check(
      z.regex(OPTION_ID_PATTERN, 'Option ids are 1-32 lower-case letters, digits or hyphens.'),
    ),
  text: z.string().check(z.minLength(1), z.maxLength(LIMITS.optionText)),
});

export const Difficulty = z.union([z.literal(1), z.literal(2), z.literal(3)], {
  error: 'Difficulty is 1 (working knowledge), 2 (practitioner) or 3 (senior).',
});

/** The shape common to every type; `answer` is checked by the type's own schema afterwards. */
export const QuestionShape = z.strictObject({
  id: QuestionId,
  area: z.enum(AREA_IDS, { error: `Unknown area; use one of: ${AREA_IDS.join(', ')}.` }),
  type: z.enum(QUESTION_TYPES, {
    error: `Unknown type; use one of: ${QUESTION_TYPES.join(', ')}.`,
  }),
  difficulty: Difficulty,
  prompt: z.string().check(z.minLength(10), z.maxLength(LIMITS.prompt)),
  options: z.optional(
    z.array(OptionSchema).check(z.minLength(LIMITS.minOptions), z.maxLength(LIMITS.maxOptions)),
  ),
  answer: z.unknown(),
  explanation: z.string().check(z.minLength(10), z.maxLength(LIMITS.explanation)),
  tags: z
    .array(
      z
        .string()
        .check(
          z.regex(
            TAG_PATTERN,
            'Tags are lower-case letters, digits and hyphens, up to 40 characters.',
          ),
        ),
    )
    .check(z.minLength(1), z.maxLength(LIMITS.maxTags)),
  timeHintSeconds: z.optional(z.int().check(z.gte(10), z.lte(3600))),
  discrimination: z.optional(z.number().check(z.gte(0.1), z.lte(4))),
  difficultyParam: z.optional(z.number().check(z.gte(-4), z.lte(4), storable())),
});

/** The question without its id, as `PUT /v1/questions/{id}` takes it (id optional there). */
export const QuestionEditShape = z.extend(QuestionShape, { id: z.optional(QuestionId) });

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
  const typeId = QUESTION_TYPES.find((t) => t === loose.type);
  if (typeId && typeof loose === 'object') {
    const type = typeOf(typeId);
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
    else if (!options || options.every((o) => typeof o?.id === 'string')) {
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

/** The content fields of a stored item, in a stable order (drops storage attributes). */
export function pickContent(item: Record<string, unknown>): QuestionContent {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(QuestionShape.def.shape)) if (item[k] !== undefined) out[k] = item[k];
  return out as unknown as QuestionContent;
}

/**
 * What a candidate sees: prompt and option texts in the given order, nothing else. This is
 * the only function that builds candidate-facing question data.
 */
export function candidateView(
  q: QuestionContent,
  optionOrder?: readonly string[],
): CandidateQuestion {
  let options: Option[] | undefined;
  if (q.options) {
    const byId = new Map(q.options.map((o) => [o.id, o]));
    const ids =
      optionOrder && optionOrder.length === q.options.length
        ? optionOrder
        : q.options.map((o) => o.id);
    options = ids.map((id) => {
      const o = byId.get(id)!;
      return { id: o.id, text: o.text };
    });
  }
  return {
    questionId: q.id,
    area: q.area,
    type: q.type,
    prompt: q.prompt,
    ...(options ? { options } : {}),
  };
}

/** Validate a candidate's answer against the question it answers. */
export function parseResponse(
  q: QuestionContent,
  raw: unknown,
): { ok: true; value: unknown } | { ok: false; issues: FieldIssue[] } {
  const r = typeOf(q.type).response(q).safeParse(raw);
  return r.success
    ? { ok: true, value: r.data }
    : { ok: false, issues: issuesOf(r.error, 'answer') };
}

/** Score of a response in [0,1]; an unanswered question scores 0. */
export function gradeResponse(q: QuestionContent, response: unknown): number {
  if (response === undefined || response === null) return 0;
  const parsed = typeOf(q.type).response(q).safeParse(response);
  if (!parsed.success) return 0;
  const score = typeOf(q.type).grade(q, parsed.data);
  return Math.min(1, Math.max(0, score));
}
