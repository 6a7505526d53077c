import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../functions/domain/errors.ts';
import { parseUpload } from '../../functions/domain/upload.ts';

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
