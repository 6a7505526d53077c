/**
 * zod/mini (about 16 KB minified, against about 450 KB for classic zod) with the project's own
 * English messages (`messageOf`). Every schema in the project imports `z` from here so the
 * messages are set once.
 */

import * as z from 'zod/mini';
import { type FieldIssue, ValidationError } from './errors.ts';

/** A schema's or check's definition, as far as `messageOf` reads it. */
type Def = {
  check?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  length?: number;
  size?: number;
  value?: unknown;
  inclusive?: boolean;
  checks?: readonly { _zod: { def: Def } }[];
  /** An object schema's members (`optin` is "optional" on those it may leave out). */
  shape?: Readonly<Record<string, { _zod: { optin?: string } }>>;
};
type Bounds = { min?: number; max?: number; above?: boolean; below?: boolean; whole?: boolean };

/** The limits a schema's checks set: lengths and sizes, a number's range, whole numbers. */
function boundsOf(def: Def | undefined): Bounds {
  const b: Bounds = { whole: /int/.test(def?.format ?? '') };
  for (const { _zod } of def?.checks ?? []) {
    const c = _zod.def;
    const n = c.value as number;
    if (c.check === 'number_format') b.whole ||= /int/.test(c.format ?? '');
    else if (c.check === 'min_length' || c.check === 'min_size') b.min = c.minimum;
    else if (c.check === 'max_length' || c.check === 'max_size') b.max = c.maximum;
    else if (c.check === 'length_equals' || c.check === 'size_equals') {
      b.min = b.max = c.length ?? c.size;
    } else if (c.check === 'greater_than') [b.min, b.above] = [n, !c.inclusive];
    else if (c.check === 'less_than') [b.max, b.below] = [n, !c.inclusive];
  }
  return b;
}

const UNITS: Record<string, string> = { string: 'character', file: 'byte', map: 'entr' };

/** "1 to 200 characters", "at most 5 items", "exactly 1 item". */
function sizes({ min, max }: Bounds, origin: string): string {
  const unit = UNITS[origin] ?? 'item';
  const of = (n: number) =>
    `${n} ${unit === 'entr' ? (n === 1 ? 'entry' : 'entries') : n === 1 ? unit : `${unit}s`}`;
  if (min !== undefined && min === max) return `exactly ${of(min)}`;
  if (min !== undefined && max !== undefined) return `${min} to ${of(max)}`;
  return min !== undefined ? `at least ${of(min)}` : `at most ${of(max ?? 0)}`;
}

/** "a whole number from 0 to 100", "a number greater than 0". */
function numberOf(b: Bounds): string {
  const kind = b.whole ? 'a whole number' : 'a number';
  const low = b.min === undefined ? '' : b.above ? `greater than ${b.min}` : `${b.min}`;
  const high = b.max === undefined ? '' : b.below ? `less than ${b.max}` : `${b.max}`;
  if (low && high) {
    return !b.above && !b.below
      ? `${kind} from ${low} to ${high}`
      : `${kind} ${b.above ? low : `of ${low} or more`} and ${b.below ? high : `at most ${high}`}`;
  }
  if (low) return `${kind} ${b.above ? low : `of ${low} or more`}`;
  if (high) return `${kind} ${b.below ? high : `of ${high} or less`}`;
  return kind;
}

const TYPES: Record<string, string> = {
  string: 'text',
  boolean: 'true or false',
  array: 'a list',
  object: 'an object',
  record: 'an object',
  nonoptional: 'a value',
};
const FORMATS: Record<string, string> = {
  email: 'an email address',
  url: 'a URL',
  datetime: 'a date and time such as 2026-01-31T09:00:00Z',
  date: 'a date such as 2026-01-31',
};

/**
 * "an object with id and title": the members an object must have, so that a value of another
 * type, or an object left out, is told what to write ("Must be an object." said nothing).
 */
function objectOf(def: Def | undefined): string {
  const required = Object.entries(def?.shape ?? {})
    .filter(([, member]) => member._zod.optin !== 'optional')
    .map(([name]) => name);
  if (required.length === 0) return 'an object';
  if (required.length > 4) {
    return `an object with ${required.slice(0, 3).join(', ')} and ${required.length - 3} more members`;
  }
  const last = required.pop();
  return `an object with ${required.length ? `${required.join(', ')} and ` : ''}${last}`;
}

/**
 * What a person reads for a zod issue that its schema gave no message: what the field takes,
 * naming its limits ("Must be 1 to 200 characters.", "Must be a whole number from 0 to 100.").
 * One function for every schema, so no bundle carries a message per field; zod's own defaults
 * ("Too small: expected string to have >=1 characters") never reach a client.
 */
export function messageOf(issue: z.core.$ZodRawIssue): string {
  const schema = (issue as { schema?: { _zod: { def: Def } } }).schema;
  const b = boundsOf(schema?._zod.def);
  const show = (v: unknown) => (typeof v === 'string' ? JSON.stringify(v) : String(v));
  switch (issue.code) {
    case 'invalid_type': {
      const format = schema?._zod.def.format;
      const what =
        issue.expected === 'number' || issue.expected === 'int'
          ? numberOf({ ...b, whole: b.whole || issue.expected === 'int' })
          : format && FORMATS[format]
            ? FORMATS[format]
            : issue.expected === 'object' && schema?._zod.def.shape
              ? objectOf(schema._zod.def)
              : issue.expected === 'string' && (b.min !== undefined || b.max !== undefined)
                ? `text of ${sizes(b, 'string')}`
                : (TYPES[issue.expected] ?? `a ${issue.expected}`);
      // A member left out (JSON has no undefined): what it takes, so one answer is enough.
      return issue.input === undefined && issue.expected !== 'nonoptional'
        ? `Required: ${what}.`
        : `Must be ${what}.`;
    }
    case 'too_small':
    case 'too_big': {
      const origin = String(issue.origin ?? 'number');
      const reported =
        issue.code === 'too_small'
          ? { min: Number(issue.minimum) }
          : { max: Number(issue.maximum) };
      const bounds = { ...reported, ...b };
      if (origin === 'number' || origin === 'bigint') return `Must be ${numberOf(bounds)}.`;
      if (origin === 'string' && bounds.min === 1 && bounds.max === undefined) {
        return 'Must not be empty.';
      }
      return `Must ${origin === 'string' ? 'be' : 'have'} ${sizes(bounds, origin)}.`;
    }
    case 'invalid_value':
      return issue.values.length === 1
        ? `Must be ${show(issue.values[0])}.`
        : `Must be one of ${issue.values.map(show).join(', ')}.`;
    case 'invalid_format':
      return issue.format === 'regex'
        ? `Does not have the expected form (${String((issue as { pattern?: RegExp }).pattern)}).`
        : `Must be ${FORMATS[issue.format] ?? `a valid ${issue.format}`}.`;
    case 'not_multiple_of':
      return `Must be a multiple of ${show(issue.divisor)}.`;
    case 'unrecognized_keys':
      return 'Unknown field.';
    case 'invalid_union': {
      const options = (issue as { options?: readonly unknown[] }).options ?? [];
      return options.length > 0
        ? `Must be one of ${options.map(show).join(', ')}.`
        : 'Matches none of the accepted forms.';
    }
    default:
      return 'Not an accepted value here.';
  }
}

z.config({ localeError: messageOf });

/**
 * A schema's own message for a value that is there and wrong; a member left out is told what it
 * takes by `messageOf` ("Required: a date and time such as ..."), which reads the schema's format
 * and bounds: the finished issue no longer carries them, so `issuesOf` could only name its type.
 */
export const whenPresent =
  (message: string) =>
  (issue: { input?: unknown }): string | undefined =>
    issue.input === undefined ? undefined : message;

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
    const literals = issue.code === 'invalid_union' ? unionValues(issue.errors) : undefined;
    if (literals) {
      // A union of literals (1, 2, 3 or "mixed"): every value it takes, not the first branch's.
      out.push({
        path: formatPath(issue.path, prefix),
        message: messageOf({ code: 'invalid_value', values: literals, input: undefined }),
      });
    } else if (issue.code === 'invalid_union' && issue.errors.length > 0) {
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
            : issue.message.startsWith('Required: ')
              ? issue.message
              : messageOf({ code: 'invalid_type', expected: issue.expected, input: undefined }),
      });
    } else {
      out.push({ path: formatPath(issue.path, prefix), message: issue.message });
    }
  }
  return out;
}

/** The values of a union whose every branch is a literal, from the branches' refusals. */
function unionValues(
  branches: readonly (readonly z.core.$ZodIssue[])[],
): z.core.util.Primitive[] | undefined {
  const values: z.core.util.Primitive[] = [];
  for (const errors of branches) {
    const [only, more] = errors;
    if (!only || more || only.code !== 'invalid_value' || only.path.length > 0) return undefined;
    values.push(...only.values);
  }
  return values.length > 0 ? values : undefined;
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
