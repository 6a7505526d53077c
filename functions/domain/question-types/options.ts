import * as z from 'zod/mini';
import type { FieldIssue } from '../errors.ts';
import type { QuestionContent } from './type.ts';

/** Issues for answer option ids that are not options of the question. */
export function unknownOptionIssues(
  q: QuestionContent,
  ids: readonly string[],
  path = 'answer',
): FieldIssue[] {
  const known = new Set((q.options ?? []).map((o) => o.id));
  return ids
    .map((id, i) => ({ id, i }))
    .filter(({ id }) => !known.has(id))
    .map(({ id, i }) => ({
      path: ids.length === 1 && path === 'answer' ? path : `${path}[${i}]`,
      message: `"${id}" is not an option id of this question (options: ${[...known].join(', ')}).`,
    }));
}

/** A candidate's pick of one option id of this question. */
export function optionIdResponse(q: QuestionContent) {
  const ids = (q.options ?? []).map((o) => o.id);
  return z.string().check(
    z.refine((v) => ids.includes(v), {
      message: `Must be one of this question's option ids: ${ids.join(', ')}.`,
    }),
  );
}

export const uniqueIds = (ids: readonly string[]) => new Set(ids).size === ids.length;
