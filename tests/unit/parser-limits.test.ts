import { describe, expect, it } from 'vitest';
import {
  bankOf,
  MAX_BANK_QUESTIONS,
  PARSE_LIMITS,
  parseBankText,
  readBank,
} from '../../functions/domain/bank.ts';
import { type FieldIssue, ValidationError } from '../../functions/domain/errors.ts';
import { importGift, parseGift } from '../../functions/domain/gift.ts';
import { importMoodleXml } from '../../functions/domain/moodle-xml.ts';
import { UPLOAD_COUNT_LIMITS } from '../../functions/domain/upload-limits.ts';

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

/** The one problem a GIFT or Moodle XML upload gets, as the API would answer it. */
function moodleRefusal(read: () => unknown): FieldIssue {
  try {
    read();
  } catch (err) {
    expect(err).toBeInstanceOf(ValidationError);
    const issues = (err as ValidationError).issues;
    expect(issues).toHaveLength(1);
    return issues[0]!;
  }
  throw new Error('the text was accepted');
}

describe('counting what a file makes the parser build', () => {
  it('refuses a YAML document of more than 1,000,000 nodes before parsing it, naming the limit and where', () => {
    // 2 MB of a flow of one-letter scalars: before the limit, 1,000,000 of them took 39 s and
    // 1.1 GB to parse (32 MiB of them ran the job out of memory).
    const text = `questions: [${'a,'.repeat(PARSE_LIMITS.yamlNodes)}a]\n`;
    const started = performance.now();
    const issue = refusal(text, 'yaml');
    expect(performance.now() - started).toBeLessThan(15_000);
    // Node 1: the key `questions`, 2: its value indicator, 3: the flow: so 999,998 scalars in.
    expect(issue).toMatchObject({ path: '', line: 1, column: 13 + 2 * 999_997 });
    expect(issue.message).toBe(
      `More than 1,000,000 YAML nodes (the upload limit): the next is at line 1, column ${13 + 2 * 999_997}.`,
    );
  }, 30_000);

  it('counts anchored and aliased nodes too, in block lists over many lines', () => {
    const text = `questions:\n${'- &a x\n- *a\n'.repeat(PARSE_LIMITS.yamlNodes / 4 + 1)}`;
    const issue = refusal(text, 'yaml');
    expect(issue.message).toMatch(/More than 1,000,000 YAML nodes/);
    expect(issue.line).toBeGreaterThan(400_000);
  }, 30_000);

  it('refuses a GIFT file of more than 100,000 questions at the first one past the limit', () => {
    const text = 'a{T}\n\n'.repeat(UPLOAD_COUNT_LIMITS.giftQuestions + 1);
    const issue = moodleRefusal(() => importGift(text, { area: 'security', bankId: 'many' }));
    expect(issue).toMatchObject({ path: '', line: 200_001, column: 1 });
    expect(issue.message).toBe(
      'This GIFT file has more than 100,000 questions: number 100,001 starts on line 200001. Assay reads at most 100,000 questions in one file; split it into several uploads.',
    );
  }, 30_000);

  it('refuses a GIFT file of more than 200,000 paragraphs, comments and categories included', () => {
    const text = '// a comment\n\n'.repeat(UPLOAD_COUNT_LIMITS.giftParagraphs + 1);
    const issue = moodleRefusal(() => importGift(text, { area: 'security', bankId: 'many' }));
    expect(issue).toMatchObject({ path: '', line: 400_001, column: 1 });
    expect(issue.message).toBe(
      'This GIFT file has more than 200,000 paragraphs (blocks of lines between blank lines): number 200,001 starts on line 400001. Assay reads at most 200,000 paragraphs in one file; split it into several uploads.',
    );
  }, 30_000);

  it('refuses a Moodle XML file of more than 1,000,000 elements and attributes before parsing it, not counting the HTML in CDATA', () => {
    const text = `<quiz>${'<a/>'.repeat(UPLOAD_COUNT_LIMITS.xmlElements)}</quiz>`;
    const issue = moodleRefusal(() => importMoodleXml(text, { area: 'security', bankId: 'many' }));
    expect(issue).toMatchObject({ path: '', line: 1, column: 7 + 4 * 999_999 });
    expect(issue.message).toBe(
      `This XML file has more than 1,000,000 elements and attributes: number 1,000,001 is at line 1, column ${7 + 4 * 999_999}. Assay reads at most 1,000,000 elements and attributes in one file (a Moodle question has about 15 to 40); split it into several uploads.`,
    );
    // Attributes count too: a million of them in one tag (32 MiB holds 4 million) held the
    // parser for minutes at 2 GB.
    const attributes = `<quiz><a${' b=""'.repeat(UPLOAD_COUNT_LIMITS.xmlElements)}/></quiz>`;
    const attr = moodleRefusal(() =>
      importMoodleXml(attributes, { area: 'security', bankId: 'many' }),
    );
    expect(attr).toMatchObject({ line: 1, column: 9 + 5 * 999_998 + 2 });
    // Tags inside CDATA (Moodle's HTML texts), comments and declarations are not elements.
    const html = `<![CDATA[${'<p>x</p>'.repeat(UPLOAD_COUNT_LIMITS.xmlElements)}]]>`;
    const fine = `<?xml version="1.0"?><!-- ${'<b>'.repeat(10)} --><quiz><question type="description"><name><text>n</text></name><questiontext format="html"><text>${html}</text></questiontext></question></quiz>`;
    const other = moodleRefusal(() => importMoodleXml(fine, { area: 'security', bankId: 'many' }));
    expect(other.message).not.toMatch(/elements and attributes/);
  }, 30_000);
});
