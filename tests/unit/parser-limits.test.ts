import { describe, expect, it } from 'vitest';
import {
  bankOf,
  MAX_BANK_QUESTIONS,
  PARSE_LIMITS,
  parseBankText,
  readBank,
} from '../../functions/domain/bank.ts';
import { type FieldIssue, ValidationError } from '../../functions/domain/errors.ts';
import { parseGift } from '../../functions/domain/gift.ts';

/** The 400 a text gets, as the API would answer it. */
function refusal(text: string, format: 'json' | 'yaml') {
  try {
    parseBankText(text, format);
  } catch (err) {
    expect(err).toBeInstanceOf(ValidationError);
    return (err as ValidationError).issues[0]!;
  }
  throw new Error('the text was accepted');
}

/** "Billion laughs": ten levels of ten aliases each, 10^10 nodes once expanded. */
function aliasBomb(levels = 10): string {
  let s = 'a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n';
  for (let i = 1; i < levels; i++) {
    s += `a${i}: &a${i} [${Array.from({ length: 10 }, () => `*a${i - 1}`).join(', ')}]\n`;
  }
  return s;
}

describe('parsing a bank with limits', () => {
  it('refuses a YAML alias bomb promptly, naming the alias limit', () => {
    const started = performance.now();
    const issue = refusal(aliasBomb(), 'yaml');
    expect(performance.now() - started).toBeLessThan(2000);
    expect(issue.message).toMatch(/alias limit is 100/);
  });

  it('still reads a document with a few aliases', () => {
    const text = 'x: &tags [a, b]\ny: *tags\n';
    expect(parseBankText(text, 'yaml')).toEqual({ x: ['a', 'b'], y: ['a', 'b'] });
  });

  it('refuses YAML nested deeper than the limit, naming it and where', () => {
    const deep = `${'['.repeat(PARSE_LIMITS.depth + 1)}1${']'.repeat(PARSE_LIMITS.depth + 1)}`;
    const issue = refusal(deep, 'yaml');
    expect(issue.message).toMatch(/nesting depth limit is 64/);
    expect(issue.line).toBe(1);
    const block = Array.from({ length: 70 }, (_, i) => `${'  '.repeat(i)}k${i}:`).join('\n');
    expect(refusal(`${block} end`, 'yaml').message).toMatch(/nesting depth limit is 64/);
  });

  it('refuses YAML nested so deep that the parser runs out of stack with the same limit, not the stack overflow', () => {
    // Found from outside: 10,000 levels of flow brackets were answered "Malformed YAML at line
    // 1, column 1034: Maximum call stack size exceeded", the engine's words, not the limit.
    for (const deep of [
      `${'['.repeat(10_000)}${']'.repeat(10_000)}`,
      `a: ${'{b: '.repeat(5000)}1${'}'.repeat(5000)}`,
    ]) {
      const issue = refusal(deep, 'yaml');
      expect(issue.message).toMatch(/^The YAML document nests deeper than 64 levels at line 1/);
      expect(issue.message).not.toMatch(/call stack/);
    }
  });

  it('refuses JSON nested deeper than the limit the same way', () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    expect(refusal(deep, 'json').message).toMatch(/JSON document nests deeper than 64 levels/);
  });

  it('accepts nesting up to the limit', () => {
    const n = PARSE_LIMITS.depth;
    expect(() => parseBankText(`${'['.repeat(n)}${']'.repeat(n)}`, 'json')).not.toThrow();
    expect(() => parseBankText(`${'['.repeat(n)}1${']'.repeat(n)}`, 'yaml')).not.toThrow();
  });

  it('refuses a document over the size limit before parsing it, naming the limit', () => {
    const text = `x: "${'y'.repeat(PARSE_LIMITS.documentBytes)}"`;
    const started = performance.now();
    const issue = refusal(text, 'yaml');
    expect(performance.now() - started).toBeLessThan(2000);
    expect(issue.message).toMatch(/limit is 33554432 bytes \(32 MiB\)/);
  }, 20_000);

  it('keeps reporting malformed YAML with its line and column', () => {
    expect(() => readBank('bank: [unclosed\n', 'yaml')).toThrow(/line/);
  });
});

describe('a bank of questions validated one by one, as a Moodle import builds it', () => {
  const question = parseGift(
    '::TLS:: What does TLS stand for? {=Transport Layer Security ~Tiny Little Socket}',
    { area: 'security' },
  ).questions[0]!;

  it('keeps the questions as they were validated', () => {
    const bank = bankOf({ id: 'one-bank', title: 'One' }, [question]);
    expect(bank).toEqual({ bank: { id: 'one-bank', title: 'One' }, questions: [question] });
  });

  it('is refused over the bank limit of questions, as a YAML bank would be', () => {
    const many = Array.from({ length: MAX_BANK_QUESTIONS + 1 }, () => question);
    let issue: FieldIssue | undefined;
    try {
      bankOf({ id: 'big-bank', title: 'Big' }, many);
    } catch (err) {
      expect(err).toBeInstanceOf(ValidationError);
      issue = (err as ValidationError).issues[0];
    }
    expect(issue?.path).toBe('questions');
    expect(issue?.message).toMatch(/100000/);
  });
});
