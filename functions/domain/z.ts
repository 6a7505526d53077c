/**
 * zod/mini (about 16 KB minified, against about 450 KB for classic zod) with English
 * messages. Every schema in the project imports `z` from here so the locale is set once.
 */

import { en } from 'zod/locales';
import * as z from 'zod/mini';
import { type FieldIssue, ValidationError } from './errors.ts';

z.config(en());

export { z };

/** `sections[0].count` from zod's path segments. */
export function formatPath(path: readonly PropertyKey[], prefix = ''): string {
  let out = prefix;
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out === '' ? String(seg) : `.${String(seg)}`;
  }
  return out;
}

/** True when the value at `path` is absent from its parent object in `input`. */
function isMissing(input: unknown, path: readonly PropertyKey[]): boolean {
  let parent: unknown = input;
  for (const seg of path.slice(0, -1)) {
    if (!parent || typeof parent !== 'object') return false;
    parent = (parent as Record<PropertyKey, unknown>)[seg];
  }
  const last = path.at(-1);
  if (last === undefined) return input === undefined;
  return !!parent && typeof parent === 'object' && !(last in (parent as object));
}

/**
 * Every zod issue as a located field issue; unknown keys are named one by one. Given the
 * input, a value of the wrong type is told apart from a missing one.
 */
export function issuesOf(error: z.core.$ZodError, prefix = '', input?: unknown): FieldIssue[] {
  return located(error.issues, prefix, input);
}

function located(
  issues: readonly z.core.$ZodIssue[],
  prefix: string,
  input: unknown,
  base: readonly PropertyKey[] = [],
): FieldIssue[] {
  const out: FieldIssue[] = [];
  for (const raw of issues) {
    const issue = { ...raw, path: [...base, ...raw.path] } as z.core.$ZodIssue;
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      // A value that fits no branch of a union (a key that is an id or {weights}): the
      // problems of the branch it comes closest to, rather than "Invalid input". A branch of
      // the value's own shape (a list for a list) is closer than any that refuses the whole
      // value's type, however many problems it finds inside: a list of answers with two
      // numbers in it is told which two, not "expected object, received array".
      const distance = (errors: readonly z.core.$ZodIssue[]) =>
        errors.length +
        (errors.some((e) => e.code === 'invalid_type' && e.path.length === 0) ? 1_000_000 : 0);
      const closest = issue.errors.reduce((a, b) => (distance(b) < distance(a) ? b : a));
      out.push(...located(closest, prefix, input, issue.path));
    } else if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        out.push({ path: formatPath([...issue.path, key], prefix), message: 'Unknown field.' });
      }
    } else if (
      issue.code === 'invalid_type' &&
      input !== undefined &&
      isMissing(input, issue.path)
    ) {
      out.push({
        path: formatPath(issue.path, prefix),
        message:
          issue.expected === 'nonoptional'
            ? 'Required.'
            : `Required: ${/^[aeiou]/.test(issue.expected) ? 'an' : 'a'} ${issue.expected} is missing here.`,
      });
    } else {
      out.push({ path: formatPath(issue.path, prefix), message: issue.message });
    }
  }
  return out;
}

/** Parse or throw a ValidationError naming every invalid field. */
export function parseOrThrow<S extends z.ZodMiniType>(
  schema: S,
  value: unknown,
  prefix = '',
): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new ValidationError(issuesOf(result.error, prefix, value));
  return result.data;
}

/*
 * Building schemas at module load is most of a cold start's own work, so two patterns keep it to
 * what a function uses:
 * - `export const X = (() => z.strictObject(...))();` annotated `@__PURE__`, for a schema only some
 *   functions read (the upload shape, the assessment inputs): a bundle that never reads `X`
 *   leaves its construction out (esbuild drops an unused pure call); one that does builds it at
 *   load, as before.
 * - `/* @__PURE__ *\/ once(() => ...)` below, for a schema a function may hold but not need (a
 *   question type's key, answer and view schemas: members read through getters, so the type's
 *   module is a plain object that a bundle reading no question type, such as the statistics and
 *   calibration jobs, leaves out with its schemas). The annotation goes on every call: esbuild
 *   does not carry a function's `@__NO_SIDE_EFFECTS__` across modules.
 */

/**
 * A value built on its first use, then kept: for schemas that only some requests read (a
 * question type's key schema is read by uploads and the OpenAPI document, never by an attempt),
 * so a cold start that does not need one does not build it.
 */
export function once<T>(build: () => T): () => T {
  let built: { value: T } | undefined;
  return () => {
    built ??= { value: build() };
    return built.value;
  };
}
