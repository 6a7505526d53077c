import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import type { ValidationError } from '../../functions/domain/errors.ts';
import { parseOrThrow } from '../../functions/domain/z.ts';

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
    expect(messages({ answer: 1 })).toEqual(['title: Required: a string is missing here.']);
    expect(messages({ title: 'x' })).toEqual(['answer: Required.']);
  });

  it('name the expected type when a field has the wrong one', () => {
    expect(messages({ title: 5, answer: 1 })[0]).toMatch(
      /^title: Invalid input: expected string, received number/,
    );
    expect(messages({ title: 'x', answer: 1, nested: { n: 'one' } })[0]).toMatch(
      /^nested\.n: Invalid input: expected number/,
    );
  });

  it('name unknown fields one by one', () => {
    expect(messages({ title: 'x', answer: 1, extra: 1, more: 2 })).toEqual([
      'extra: Unknown field.',
      'more: Unknown field.',
    ]);
  });
});
