/** Moodle XML files for the tests that read them. */
import { expect } from 'vitest';
import { type FieldIssue, ValidationError } from '../../functions/domain/errors.ts';

/** A Moodle XML file of the given `<question>` elements, in the security area. */
export const quiz = (...questions: string[]) =>
  [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<quiz>',
    '  <question type="category"><category><text>$course$/top/security</text></category></question>',
    ...questions,
    '</quiz>',
  ].join('\n');

/** The located problems of a file `read` refuses (it must refuse it). */
export function refusal(read: () => unknown): FieldIssue[] {
  try {
    read();
  } catch (err) {
    expect(err).toBeInstanceOf(ValidationError);
    return (err as ValidationError).issues;
  }
  throw new Error('the file was accepted');
}
