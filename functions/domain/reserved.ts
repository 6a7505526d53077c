/**
 * Names that must never be ids. Any plain object answers `obj.constructor`, `obj.toString` or
 * `obj.__proto__` whether or not it holds such a key, so an id with one of these names, used as a
 * key of an ordinary object anywhere, reads a function (an sjt weight of `constructor` graded as
 * NaN) or reaches the prototype (`__proto__`). Maps keyed by user input are `Map`s or
 * null-prototype objects; these names are refused as well, at validation, in every id field of
 * every schema (questions, options, banks, tags, organisations, idempotency keys, external ids,
 * area ids, cursors), so that no stored id can ever meet an ordinary object.
 */
import * as z from 'zod/mini';

/** Every member of `Object.prototype`, read from the running engine (so none is missed). */
export const RESERVED_NAMES: ReadonlySet<string> = new Set([
  ...Object.getOwnPropertyNames(Object.prototype),
  '__proto__',
]);

/** Whether `name` is a member of `Object.prototype` (`constructor`, `__proto__`, `toString`...). */
export const isReservedName = (name: unknown): boolean =>
  typeof name === 'string' && RESERVED_NAMES.has(name);

/** The message of a refused name; `what` says which kind of id ("Question ids", "Tags"...). */
export const reservedMessage = (what: string, name: string) =>
  `${what} cannot be "${name}": it is a name every JavaScript object already has.`;

/** A check for a string schema: refuses the reserved names with a message naming the kind. */
export const notReserved = (what = 'Ids') =>
  z.refine<string>((s) => !RESERVED_NAMES.has(s), {
    error: (issue) => reservedMessage(what, String(issue.input)),
    // Other checks' messages still come: a reserved name is one more problem, not the only one.
    abort: false,
  });

/** A null-prototype record: a key read from it is its own entry or undefined, never inherited. */
export function nullRecord<V>(entries?: Iterable<readonly [string, V]>): Record<string, V> {
  const out = Object.create(null) as Record<string, V>;
  if (entries) for (const [k, v] of entries) out[k] = v;
  return out;
}

/** The value of an own entry of a record, or undefined: never an inherited member. */
export function own<V>(record: Readonly<Record<string, V>>, key: string): V | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}
