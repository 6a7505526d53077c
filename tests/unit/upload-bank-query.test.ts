import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../functions/domain/errors.ts';
import { parseUpload, uploadSpec } from '../../functions/domain/upload.ts';

const yamlBank = `bank:
  id: cli-test-bank
  title: CLI test bank
questions:
  - id: cli-q1
    area: security
    type: single
    difficulty: 1
    prompt: Which header stops MIME sniffing?
    options:
      - { id: a, text: X-Content-Type-Options }
      - { id: b, text: X-Frame-Options }
    answer: a
    explanation: nosniff tells browsers not to guess the type.
    tags: [headers]
`;

describe('?bank= on a JSON or YAML upload', () => {
  it('is refused, naming query.bank, when it names another bank than the document', async () => {
    // It was left unread: POST /v1/banks?bank=other-bank stored the questions in cli-test-bank.
    const err = await parseUpload(yamlBank, { format: 'yaml', bank: 'other-bank' }).catch(
      (e: unknown) => e,
    );

    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).issues).toEqual([
      {
        path: 'query.bank',
        message: expect.stringMatching(/names its own bank, "cli-test-bank".*not "other-bank"/),
      },
    ]);
  });

  it('is taken when it names the document’s own bank', async () => {
    const read = await parseUpload(yamlBank, { format: 'yaml', bank: 'cli-test-bank' });

    expect(read.bank.bank.id).toBe('cli-test-bank');
  });
});

describe('GIFT and Moodle XML options on a JSON or YAML upload', () => {
  it('are refused, each named, rather than left unread', () => {
    // They were ignored: POST /v1/banks?area=security&difficulty=3 with a JSON bank stored its
    // questions with their own areas and difficulties, and answered 201.
    const err = (() => {
      try {
        return uploadSpec('application/json', {
          area: 'security',
          difficulty: '3',
          bankTitle: 'Week 3',
          skipUnsupported: 'true',
        });
      } catch (e) {
        return e;
      }
    })();

    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).issues.map((i) => i.path)).toEqual([
      'query.area',
      'query.difficulty',
      'query.bankTitle',
      'query.skipUnsupported',
    ]);
    expect((err as ValidationError).issues[0]!.message).toBe(
      "?area= gives an area to GIFT and Moodle XML questions whose category names none; a JSON or YAML bank names each question's area (questions[].area). Leave it out of this JSON upload.",
    );
  });

  it('are refused on YAML, sent as text/plain with ?format=yaml', () => {
    expect(() => uploadSpec('text/plain', { format: 'yaml', difficulty: '2' })).toThrow(
      ValidationError,
    );
  });

  it('are read for GIFT and Moodle XML', () => {
    expect(uploadSpec('text/plain', { format: 'gift', area: 'security', difficulty: '2' })).toEqual(
      { format: 'gift', area: 'security', difficulty: 2 },
    );
    expect(uploadSpec('application/xml', { area: 'security', bankTitle: 'Quiz' })).toEqual({
      format: 'xml',
      area: 'security',
      bankTitle: 'Quiz',
    });
  });

  it('leave a JSON or YAML upload without them as it was', () => {
    expect(uploadSpec('application/yaml', { moveQuestions: 'true' })).toEqual({
      format: 'yaml',
      moveQuestions: true,
    });
  });
});
