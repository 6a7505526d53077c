import { isUtf8 } from 'node:buffer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  authoredImport,
  checkIdOwnership,
  type StoredHead,
} from '../../functions/domain/bank-import.ts';
import { checkText, decodeUpload, firstInvalidUtf8 } from '../../functions/domain/encoding.ts';
import { DomainError, MAX_ISSUE_TEXT, ValidationError } from '../../functions/domain/errors.ts';
import { importGift } from '../../functions/domain/gift.ts';
import { importMoodleXml } from '../../functions/domain/moodle-xml.ts';
import { contentHash } from '../../functions/domain/question.ts';
import {
  authorId,
  idFromContent,
  idFromTitle,
  slugOf,
  tagOf,
} from '../../functions/domain/question-ids.ts';
import { acceptedList } from '../../functions/domain/question-types/text.ts';

/** The message of the ValidationError that decoding `bytes` must throw. */
function refusal(bytes: Uint8Array): string {
  try {
    decodeUpload(bytes);
  } catch (err) {
    expect(err).toBeInstanceOf(ValidationError);
    return (err as ValidationError).issues[0]!.message;
  }
  throw new Error('decodeUpload accepted the bytes');
}

describe('reading the bytes of an upload', () => {
  it("takes bytes for UTF-8 exactly when Node's native check does, for any bytes", () => {
    // decodeUpload asks isUtf8 first and scans byte by byte only when it says no.
    const utf8ish = fc.oneof(
      fc.uint8Array({ maxLength: 12 }),
      fc.string({ unit: 'binary', maxLength: 6 }).map((s) => new Uint8Array(Buffer.from(s))),
      fc
        .constantFrom(
          [0xe0, 0x80, 0x80],
          [0xed, 0xa0, 0x80],
          [0xf0, 0x8f, 0xbf, 0xbf],
          [0xf4, 0x90, 0x80, 0x80],
          [0xc0, 0xaf],
          [0xc2],
        )
        .map((b) => new Uint8Array(b)),
    );
    fc.assert(
      fc.property(fc.array(utf8ish, { maxLength: 4 }), (parts) => {
        const bytes = new Uint8Array(Buffer.concat(parts));
        expect(isUtf8(bytes)).toBe(firstInvalidUtf8(bytes) === -1);
      }),
      { numRuns: 3000 },
    );
  });

  it('reads UTF-8 with and without a byte-order mark', () => {
    const text = '::Thé:: Un thé est une boisson. {T}';
    expect(decodeUpload(Buffer.from(text))).toBe(text);
    expect(decodeUpload(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]))).toBe(
      text,
    );
  });

  it('decodes UTF-16 with a byte-order mark, little- and big-endian', () => {
    const text = '::Кремль:: Кремль находится в Москве. {T}';
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const be = Buffer.from(le);
    be.swap16();
    expect(decodeUpload(le)).toBe(text);
    expect(decodeUpload(be)).toBe(text);
  });

  it('names Latin-1 / Windows-1252 with the line and column of the first foreign byte, and how to re-save', () => {
    const message = refusal(Buffer.from('line one\nUn caf\xe9 {T}\n', 'latin1'));
    expect(message).toMatch(/line 2, column 7/);
    expect(message).toMatch(/Latin-1 \(ISO-8859-1\) or Windows-1252/);
    expect(message).toMatch(/UTF-8/);
  });

  it('names Windows-1252 when the file has its curly quotes (bytes 0x80-0x9F)', () => {
    expect(refusal(Buffer.from([0x93, 0x68, 0x69, 0x94, 0x20, 0xe9]))).toMatch(
      /Windows-1252 \(Western European/,
    );
  });

  it('refuses UTF-16 without a byte-order mark, naming it, rather than guessing', () => {
    expect(refusal(Buffer.from('What is two plus two? {#4}', 'utf16le'))).toMatch(
      /UTF-16 \(little-endian\) without a byte-order mark/,
    );
  });

  it('refuses UTF-32 by its byte-order mark, little- and big-endian', () => {
    const a = (bytes: number[]) => Buffer.from([...bytes, ...Array(8).fill(0)]);
    expect(refusal(a([0xff, 0xfe, 0, 0, 0x41, 0, 0, 0]))).toMatch(
      /^The file is UTF-32, .*`iconv -f UTF-32 -t UTF-8 /,
    );
    expect(refusal(a([0, 0, 0xfe, 0xff, 0, 0, 0, 0x41]))).toMatch(/^The file is UTF-32/);
  });
});

describe('ids from titles and tags', () => {
  it('slugs titles in any script, and never gives an empty or too short id', () => {
    expect(slugOf("Grant's tomb")).toBe('grant-s-tomb');
    expect(idFromTitle('Где находится Кремль?')).toBe('gde-nakhoditsya-kreml');
    expect(idFromTitle('Q1')).toBe('q-q1');
    expect(idFromTitle('Ελληνικά')).toMatch(/^ellinika$/);
    expect(idFromTitle('问题一')).toMatch(/^[a-z0-9-]{3,64}$/);
    expect(idFromTitle('问题一')).not.toBe(idFromTitle('问题二'));
    // Long titles that differ only after the cut keep different ids (a hash of the whole).
    const long = 'a very long title '.repeat(10);
    expect(idFromTitle(`${long}one`).length).toBeLessThanOrEqual(64);
    expect(idFromTitle(`${long}one`)).not.toBe(idFromTitle(`${long}two`));
  });

  it('uses an author id as written, lower-cases one that only needs it, and refuses the others with a suggestion', () => {
    expect(authorId('grant-tomb')).toEqual({ id: 'grant-tomb', lowered: false });
    expect(authorId('Grant-Tomb')).toEqual({ id: 'grant-tomb', lowered: true });
    expect(authorId('T & F')).toEqual({ error: expect.stringMatching(/e\.g\. "t-f"/) });
  });

  it('makes Moodle tags Assay tags', () => {
    expect(tagOf('history')).toBe('history');
    expect(tagOf('US Presidents')).toBe('us-presidents');
    expect(tagOf('!!!')).toBeUndefined();
  });

  it('gives an untitled question an id from its content, not its position', () => {
    const a = importGift('$CATEGORY: security\n\nWhich port does HTTPS use? {=443 ~80}').bank
      .questions[0]!;
    const b = importGift(
      '$CATEGORY: security\n\nWhat is two plus two? {#4}\n\nWhich port does HTTPS use? {=443 ~80}',
    ).bank.questions[1]!;
    expect(a.id).toBe(b.id);
    expect(a.id).toMatch(/^which-port-does-https-use-/);
  });

  it('keeps the ids it derived from content before keys said how they compare', () => {
    // The ids the import gave these untitled questions at 2cdc5f4, before `compare: 'moodle'`.
    const gift = [
      '$CATEGORY: security',
      'What is the capital of France?{=Paris}',
      'Which number? {#1822:2}',
      'Name a fruit {=Apple =%50%Pea*}',
    ].join('\n\n');

    const { questions } = importGift(gift).bank;

    expect(questions.map((q) => q.answer)).toMatchObject([
      { compare: 'moodle' },
      { compare: 'moodle' },
      { compare: 'moodle' },
    ]);
    expect(questions.map((q) => q.id)).toEqual([
      'what-is-the-capital-of-france-d72ac1fc',
      'which-number-66c702e1',
      'name-a-fruit-1a047ce1',
    ]);
  });

  it('derives the same id whatever rule a key compares by', () => {
    const prompt = 'What is the capital of France?';
    // The list held the texts as read: Moodle's `\*` is a star.
    const list = idFromContent({ prompt, answer: ['Paris', 'Par*is'] });

    expect(
      idFromContent({
        prompt,
        answer: {
          answers: [
            { text: 'Paris', credit: 1 },
            { text: 'Par\\*is', credit: 1 },
          ],
          compare: 'moodle',
        },
      }),
    ).toBe(list);
    expect(
      idFromContent({
        prompt,
        answer: { answers: [{ text: 'Par*', credit: 1 }], compare: 'moodle' },
      }),
    ).toBe(idFromContent({ prompt, answer: { answers: [{ text: 'Par*', credit: 1 }] } }));
  });
});

describe('the key a derived id hashes', () => {
  it('is a short answer as the readers keep it, whichever rule it compares by', () => {
    // Moodle answers as the readers keep them with and without compare: moodle (text.ts and
    // question-ids.ts share acceptedList): one question, one id.
    const answer = fc.record({
      text: fc.constantFrom('Paris', 'Par*is', 'Par\\*is', '*', 'PARIS '),
      credit: fc.constantFrom(1, 0.5),
    });
    fc.assert(
      fc.property(fc.array(answer, { minLength: 1, maxLength: 4 }), (answers) => {
        const prompt = 'What is the capital of France?';
        const asRead = acceptedList(answers) ?? { answers };
        expect(idFromContent({ prompt, answer: asRead })).toBe(
          idFromContent({ prompt, answer: { answers, compare: 'moodle' } }),
        );
      }),
    );
  });
});

describe('an upload whose derived ids belong to questions of another bank', () => {
  const upload = importGift('::Q1:: What is two plus three? {#5}', {
    area: 'security',
    bankId: 'file-two',
  });
  const q = upload.bank.questions[0]!;

  it('is refused with 409 naming the id, the stored question and its bank, and the line', () => {
    const heads = new Map<string, StoredHead>([
      ['q-q1', { id: 'q-q1', bankId: 'file-one', contentHash: 'other', title: 'Q1' }],
    ]);
    let error: unknown;
    try {
      checkIdOwnership(upload, heads);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('conflict');
    expect(JSON.stringify((error as DomainError).extra)).toMatch(/line 1.*q-q1.*file-one/);
  });

  it('passes when the stored question is the same content, or from the same bank', () => {
    expect(() =>
      checkIdOwnership(
        upload,
        new Map([['q-q1', { id: 'q-q1', bankId: 'file-one', contentHash: contentHash(q) }]]),
      ),
    ).not.toThrow();
    expect(() =>
      checkIdOwnership(
        upload,
        new Map([['q-q1', { id: 'q-q1', bankId: 'file-two', contentHash: 'edited' }]]),
      ),
    ).not.toThrow();
  });

  // Every GIFT upload without ?bank= was bank "gift-import" (XML: "moodle-xml-import"), and the
  // console sent none: a second file whose question had the same title replaced the first's
  // (by curl: 201 "updated": 1, the HTTPS question became a hashing one).
  it('is refused when neither upload named its bank: the default bank is no file', () => {
    for (const [read, id] of [
      [importGift('::Q1:: What is two plus three? {#5}', { area: 'security' }), 'gift-import'],
      [
        importMoodleXml(
          '<quiz><question type="numerical"><name><text>Q1</text></name><questiontext><text>What is two plus three?</text></questiontext><answer fraction="100"><text>5</text></answer></question></quiz>',
          { area: 'security' },
        ),
        'moodle-xml-import',
      ],
    ] as const) {
      expect(read.bank.bank.id).toBe(id);
      expect(() =>
        checkIdOwnership(
          read,
          new Map([['q-q1', { id: 'q-q1', bankId: id, contentHash: 'other', title: 'Q1' }]]),
        ),
      ).toThrow(/stored from another upload of bank ".*-import"\); this upload names no bank/);
      // The same question again is no conflict; naming the default bank takes it for that file.
      const same = contentHash(read.bank.questions[0]!);
      expect(() =>
        checkIdOwnership(read, new Map([['q-q1', { id: 'q-q1', bankId: id, contentHash: same }]])),
      ).not.toThrow();
    }
    const named = importGift('::Q1:: What is two plus three? {#5}', {
      area: 'security',
      bankId: 'gift-import',
    });
    expect(() =>
      checkIdOwnership(
        named,
        new Map([['q-q1', { id: 'q-q1', bankId: 'gift-import', contentHash: 'other' }]]),
      ),
    ).not.toThrow();
  });

  it('is refused when the id was derived from a Moodle id that is no Assay id', () => {
    const fromIdText = importGift('// [id:Q7]\n::Seven:: What is two plus five? {#7}', {
      area: 'security',
      bankId: 'file-two',
    });
    expect(fromIdText.bank.questions[0]!.id).toBe('q-q7');
    expect(() =>
      checkIdOwnership(
        fromIdText,
        new Map([['q-q7', { id: 'q-q7', bankId: 'file-one', contentHash: 'other' }]]),
      ),
    ).toThrow(/from its Moodle id/);
  });

  // Moodle's idnumbers are unique only within a Moodle category: two courses' exports share
  // "week1-q1" by coincidence, and the second must not turn the first's single choice into its
  // numeric question (seen by curl: 201 "updated": 1 before this rule).
  it("is refused when a Moodle id ([id:...], <idnumber>) belongs to another bank's different question", () => {
    const own = importGift('// [id:week1-q1]\n::Bytes:: How many bits are in a byte? {#8}', {
      area: 'security',
      bankId: 'course-b',
    });
    const xml = importMoodleXml(
      [
        '<quiz><question type="numerical"><name><text>Bytes</text></name>',
        '<questiontext format="html"><text>How many bits are in a byte?</text></questiontext>',
        '<idnumber>week1-q1</idnumber><answer fraction="100"><text>8</text></answer></question></quiz>',
      ].join('\n'),
      { area: 'security', bankId: 'course-b' },
    );
    const stored = new Map([
      ['week1-q1', { id: 'week1-q1', bankId: 'course-a', contentHash: 'other', title: 'Ports' }],
    ]);

    expect(() => checkIdOwnership(own, stored)).toThrow(
      /line 2 gets the id "week1-q1" from its Moodle id \(\[id:week1-q1\]\).*"Ports", stored from bank "course-a"/,
    );
    expect(() => checkIdOwnership(xml, stored)).toThrow(/from its Moodle id \(<idnumber>week1-q1/);
  });

  it('passes a Moodle id whose stored question is the same content, or from the same bank', () => {
    const own = importGift('// [id:my-sum]\n::Q1:: What is two plus three? {#5}', {
      area: 'security',
      bankId: 'file-two',
    });
    const same = contentHash(own.bank.questions[0]!);
    expect(() =>
      checkIdOwnership(
        own,
        new Map([['my-sum', { id: 'my-sum', bankId: 'file-one', contentHash: same }]]),
      ),
    ).not.toThrow();
    expect(() =>
      checkIdOwnership(
        own,
        new Map([['my-sum', { id: 'my-sum', bankId: 'file-two', contentHash: 'edited' }]]),
      ),
    ).not.toThrow();
  });

  // A block copied from another file with its id left as it was would otherwise rewrite that
  // file's question (seen by curl: bank-two's "q-100" gave bank-one's question its prompt,
  // 201 "updated": 1, nothing said).
  it('refuses an id written in an Assay bank (YAML) that another bank holds with other content, unless the question moves (?moveQuestions=true)', () => {
    const yaml = authoredImport(
      importGift('// [id:my-sum]\n::Q1:: What is two plus three? {#5}', {
        area: 'security',
        bankId: 'file-two',
      }).bank,
    );
    const stored = new Map([
      ['my-sum', { id: 'my-sum', bankId: 'file-one', contentHash: 'other', title: 'Sum' }],
    ]);
    expect(() => checkIdOwnership(yaml, stored)).toThrow(
      /"my-sum" \(questions\[0\]\) is already a question of another bank, with other content \("Sum", stored from bank "file-one"\); this upload is bank "file-two".*\?moveQuestions=true/,
    );
    expect(() => checkIdOwnership({ ...yaml, moveQuestions: true }, stored)).not.toThrow();
    // The same content, or the same bank, is no conflict.
    const same = contentHash(yaml.bank.questions[0]!);
    expect(() =>
      checkIdOwnership(
        yaml,
        new Map([['my-sum', { ...stored.get('my-sum')!, contentHash: same }]]),
      ),
    ).not.toThrow();
    expect(() =>
      checkIdOwnership(
        yaml,
        new Map([['my-sum', { ...stored.get('my-sum')!, bankId: 'file-two' }]]),
      ),
    ).not.toThrow();
  });
});

describe('text that was decoded as UTF-8 on the way (U+FFFD)', () => {
  it('is refused with a message that fits whole in an issue (400 characters), at any line', () => {
    const text = `${'x\n'.repeat(999_999)}Caf\uFFFD`;
    try {
      checkText(text, 'Part 123 of the import');
      expect.unreachable();
    } catch (err) {
      const [issue] = (err as ValidationError).issues;
      expect(issue!.line).toBe(1_000_000);
      expect(issue!.message.length).toBeLessThanOrEqual(MAX_ISSUE_TEXT);
      expect(issue!.message).not.toContain('characters left out');
    }
  });
});
