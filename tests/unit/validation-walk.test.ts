/**
 * Every field a route reads, sent wrong in every way its schema refuses (wrong type, too short,
 * too long, below and above its range, off its pattern, not one of its values, an unknown key):
 * no message a person reads is zod's English default ("Too small: expected string to have
 * >=1 characters", "Invalid input: expected number, received string"...). The console shows
 * these messages as they come, so each must say what the field takes, with its limits.
 */
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { BankEnvelope } from '../../functions/domain/bank-schema.ts';
import { QuestionShape } from '../../functions/domain/question.ts';
import { QUESTION_TYPE_LIST } from '../../functions/domain/question-types/registry.ts';
import { issuesOf } from '../../functions/domain/z.ts';
import { ROUTES } from '../../functions/http/routes.ts';

/** zod's English messages (zod/v4/locales/en.js), as a person would read them. */
const ZOD_DEFAULT =
  /^(Invalid input|Invalid option|Invalid string|Invalid number|Invalid (key|value) in|Invalid discriminator|Too (small|big):|Unrecognized keys?:|Invalid [A-Za-z0-9 ]+$)/;

type Def = {
  type: string;
  shape?: Record<string, z.ZodMiniType>;
  element?: z.ZodMiniType;
  innerType?: z.ZodMiniType;
  options?: z.ZodMiniType[];
  in?: z.ZodMiniType;
  valueType?: z.ZodMiniType;
  items?: z.ZodMiniType[];
  getter?: () => z.ZodMiniType;
};
type CheckDef = { check?: string; minimum?: number; maximum?: number; value?: number };

const internals = (s: z.ZodMiniType) => {
  const { def } = (
    s as unknown as { _zod: { def: Def & { checks?: { _zod: { def: CheckDef } }[] } } }
  )._zod;
  // The limits the schema's checks set (zod/mini leaves `_zod.bag` empty).
  const bag: { minimum?: number; maximum?: number } = {};
  for (const { _zod } of def.checks ?? []) {
    const c = _zod.def;
    if (c.check === 'min_length') bag.minimum = c.minimum;
    if (c.check === 'max_length') bag.maximum = c.maximum;
    if (c.check === 'greater_than') bag.minimum = c.value;
    if (c.check === 'less_than') bag.maximum = c.value;
  }
  return { def, bag };
};

/** Values the schema refuses, each meant to break one rule of it. */
function invalidValues(schema: z.ZodMiniType, depth = 0): unknown[] {
  if (depth > 5) return [];
  const { def, bag } = internals(schema);
  const out: unknown[] = [];
  switch (def.type) {
    case 'string': {
      out.push(42, '\u0000', 'not valid at all ~');
      if (bag.minimum !== undefined && bag.minimum > 0) out.push('x'.repeat(bag.minimum - 1));
      if (bag.maximum !== undefined && bag.maximum < 1e6) out.push('x'.repeat(bag.maximum + 1));
      break;
    }
    case 'number': {
      out.push('7', 1.5, Number.NaN, Number.POSITIVE_INFINITY);
      if (bag.minimum !== undefined && Number.isFinite(bag.minimum)) out.push(bag.minimum - 1);
      if (bag.maximum !== undefined && Number.isFinite(bag.maximum)) out.push(bag.maximum + 1);
      break;
    }
    case 'boolean':
      out.push('yes', 1);
      break;
    case 'literal':
    case 'enum':
      out.push('no-such-value', 3);
      break;
    case 'array': {
      out.push('a list?', { not: 'a list' });
      if (bag.minimum !== undefined && bag.minimum > 0) out.push([]);
      if (bag.maximum !== undefined && bag.maximum < 1e4) {
        out.push(Array.from({ length: bag.maximum + 1 }, () => 'x'));
      }
      if (def.element) for (const v of invalidValues(def.element, depth + 1)) out.push([v]);
      break;
    }
    case 'tuple':
      out.push('a tuple?', []);
      break;
    case 'object': {
      out.push('an object?', [], {}, { 'no-such-field': 1 });
      for (const [key, field] of Object.entries(def.shape ?? {})) {
        for (const v of invalidValues(field, depth + 1)) out.push({ [key]: v });
      }
      break;
    }
    case 'record': {
      out.push('a record?');
      if (def.valueType)
        for (const v of invalidValues(def.valueType, depth + 1)) out.push({ k: v });
      break;
    }
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'nonoptional':
    case 'catch':
      if (def.innerType) out.push(...invalidValues(def.innerType, depth));
      break;
    case 'pipe':
      if (def.in) out.push(...invalidValues(def.in, depth));
      break;
    case 'lazy':
      if (def.getter) out.push(...invalidValues(def.getter(), depth + 1));
      break;
    case 'union':
      out.push(Symbol.for('nothing'), null);
      for (const o of def.options ?? []) out.push(...invalidValues(o, depth + 1));
      break;
    default:
      break;
  }
  return out;
}

function defaultMessages(name: string, schema: z.ZodMiniType): string[] {
  const found = new Set<string>();
  for (const value of invalidValues(schema)) {
    const parsed = schema.safeParse(value);
    if (parsed.success) continue;
    for (const issue of issuesOf(parsed.error, '', value)) {
      if (ZOD_DEFAULT.test(issue.message)) found.add(`${name} ${issue.path}: ${issue.message}`);
    }
  }
  return [...found];
}

const schemas: [string, z.ZodMiniType][] = [];
for (const r of ROUTES) {
  const at = `${r.method} ${r.path}`;
  if (r.body) schemas.push([`${at} body`, r.body]);
  if (r.query) schemas.push([`${at} query`, r.query]);
  if (r.params) schemas.push([`${at} params`, r.params]);
  for (const h of r.headers ?? []) if (h.schema) schemas.push([`${at} ${h.name}`, h.schema]);
}
schemas.push(['bank', BankEnvelope], ['question', QuestionShape]);
for (const t of QUESTION_TYPE_LIST) {
  schemas.push([`${t.id} key`, t.key], [`${t.id} answer`, t.answer]);
}

describe('no validation message is zod’s default', () => {
  it('walks a schema of every kind (the walk is not empty)', () => {
    expect(schemas.length).toBeGreaterThan(40);
    const s = z.strictObject({ n: z.number().check(z.int(), z.minimum(0), z.maximum(100)) });
    expect(invalidValues(s).length).toBeGreaterThan(5);
  });

  it.each(schemas)('%s', (name, schema) => {
    expect(defaultMessages(name, schema)).toEqual([]);
  });
});
