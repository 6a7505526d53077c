import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import type { ValidationError } from '../../functions/domain/errors.ts';
import { issuesOf, parseOrThrow } from '../../functions/domain/z.ts';
import { CreateInvitationsBody } from '../../functions/http/schemas/assessments.ts';

const schema = z.strictObject({
  title: z.string(),
  answer: z.unknown(),
  nested: z.optional(z.strictObject({ n: z.number() })),
});

function messages(value: unknown) {
  try {
    parseOrThrow(schema, value);
    return [];
  } catch (err) {
    return (err as ValidationError).issues.map((i) => `${i.path}: ${i.message}`);
  }
}

describe('validation messages', () => {
  it('say a field is required only when it is missing', () => {
    expect(messages({ answer: 1 })).toEqual(['title: Required: text.']);
    expect(messages({ title: 'x' })).toEqual(['answer: Required.']);
  });

  it('say what a missing member takes: its format, its length or its range', () => {
    const of = (shape: Record<string, z.ZodMiniType>) => {
      const r = z.strictObject(shape).safeParse({});
      return r.success ? [] : issuesOf(r.error, '', {}).map((i) => `${i.path}: ${i.message}`);
    };
    expect(
      of({
        expiresAt: z.iso.datetime(),
        name: z.string().check(z.minLength(1), z.maxLength(200)),
        minutes: z.int().check(z.minimum(1), z.maximum(600)),
        tags: z.array(z.string()),
      }),
    ).toEqual([
      'expiresAt: Required: a date and time such as 2026-01-31T09:00:00Z.',
      'name: Required: text of 1 to 200 characters.',
      'minutes: Required: a whole number from 1 to 600.',
      'tags: Required: a list.',
    ]);
  });

  it('say which members an object must have, left out or of another type', () => {
    const of = (schema: z.ZodMiniType, value: unknown) => {
      const r = schema.safeParse(value);
      return r.success ? [] : issuesOf(r.error, '', value).map((i) => `${i.path}: ${i.message}`);
    };
    const bank = z.strictObject({
      bank: z.strictObject({
        id: z.string(),
        title: z.string(),
        description: z.optional(z.string()),
      }),
      key: z.strictObject({ value: z.number() }),
      question: z.optional(
        z.strictObject({
          id: z.string(),
          area: z.string(),
          type: z.string(),
          prompt: z.string(),
          answer: z.unknown(),
        }),
      ),
      meta: z.optional(z.strictObject({ note: z.optional(z.string()) })),
    });
    expect(of(bank, { key: 'eight', question: [], meta: 1 })).toEqual([
      'bank: Required: an object with id and title.',
      'key: Must be an object with value.',
      'question: Must be an object with id, area, type and 2 more members.',
      'meta: Must be an object.',
    ]);
  });

  it('say what a missing member takes also where its schema has its own message for a wrong value', () => {
    const refused = (body: unknown) => {
      try {
        parseOrThrow(CreateInvitationsBody(), body);
        return [];
      } catch (err) {
        return (err as ValidationError).issues.map((i) => `${i.path}: ${i.message}`);
      }
    };
    // The request a console user sent by the API: before, "expiresAt: Required: text.".
    expect(refused({ candidates: [{ name: 'Ada' }] })).toEqual([
      'expiresAt: Required: a date and time such as 2026-01-31T09:00:00Z.',
    ]);
    expect(refused({ candidates: [{ name: 'Ada' }], expiresAt: 'tomorrow' })).toEqual([
      'expiresAt: expiresAt is an ISO-8601 date-time, e.g. 2026-12-31T23:59:00Z.',
    ]);
  });

  it('name the expected type when a field has the wrong one', () => {
    expect(messages({ title: 5, answer: 1 })).toEqual(['title: Must be text.']);
    expect(messages({ title: 'x', answer: 1, nested: { n: 'one' } })).toEqual([
      'nested.n: Must be a number.',
    ]);
  });

  it('name the limits a value is outside, not zod’s "Too small" or "Too big"', () => {
    const of = (schema: z.ZodMiniType, value: unknown) => {
      const r = schema.safeParse(value);
      return r.success ? [] : issuesOf(r.error, '', value).map((i) => i.message);
    };
    const text = z.string().check(z.minLength(1), z.maxLength(200));
    expect(of(text, '')).toEqual(['Must be 1 to 200 characters.']);
    expect(of(text, 'x'.repeat(201))).toEqual(['Must be 1 to 200 characters.']);
    expect(of(z.string().check(z.minLength(1)), '')).toEqual(['Must not be empty.']);
    expect(of(z.string().check(z.maxLength(1)), 'xy')).toEqual(['Must be at most 1 character.']);
    const score = z.number().check(z.int(), z.minimum(0), z.maximum(100));
    for (const v of [-1, 101, 1.5, 'ten']) {
      expect(of(score, v)).toEqual(['Must be a whole number from 0 to 100.']);
    }
    expect(of(z.int().check(z.gt(0)), 0)).toEqual(['Must be a whole number greater than 0.']);
    expect(of(z.number().check(z.minimum(0)), -1)).toEqual(['Must be a number of 0 or more.']);
    const list = z.array(z.string()).check(z.minLength(1), z.maxLength(5));
    expect(of(list, [])).toEqual(['Must have 1 to 5 items.']);
    expect(of(z.array(z.string()).check(z.length(1)), [])).toEqual(['Must have exactly 1 item.']);
    expect(of(z.enum(['en', 'ru']), 'de')).toEqual(['Must be one of "en", "ru".']);
    expect(of(z.union([z.literal(1), z.literal(2), z.literal('mixed')]), 4)).toEqual([
      'Must be one of 1, 2, "mixed".',
    ]);
    expect(of(z.email(), 'nobody')).toEqual(['Must be an email address.']);
  });

  it('name unknown fields one by one', () => {
    expect(messages({ title: 'x', answer: 1, extra: 1, more: 2 })).toEqual([
      'extra: Unknown field.',
      'more: Unknown field.',
    ]);
  });
});
