/**
 * The pieces of the employer's report that need no table: answers and keys as a person reads
 * them, the outcome of a graded question, and the HTML page's escaping.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  describeAnswer,
  describeKey,
  type QuestionContent,
} from '../../functions/domain/question.ts';
import { z } from '../../functions/domain/z.ts';
import { escapeHtml, reportHtml } from '../../functions/http/report-html.ts';
import {
  adaptiveSummary,
  type FinishedReport,
  outcomeOf,
} from '../../functions/services/reports.ts';

const options = [
  { id: 'a', text: 'Use `a queue`' },
  { id: 'b', text: 'Retry forever' },
  { id: 'c', text: 'Drop it' },
];
const q = (
  type: QuestionContent['type'],
  answer: unknown,
  withOptions = true,
): QuestionContent => ({
  id: `q-${type}`,
  area: 'security',
  type,
  difficulty: 2,
  prompt: 'A prompt long enough.',
  ...(withOptions ? { options } : {}),
  answer,
  explanation: 'An explanation long enough.',
  tags: ['t'],
});

describe('answers and keys as a person reads them', () => {
  it('renders answers by their type, and nothing for no answer', () => {
    expect(describeAnswer(q('single', 'a'), 'a')).toBe('a — Use `a queue`');
    expect(describeAnswer(q('sjt', { weights: { a: 1, b: 0.5, c: 0 } }), 'b')).toBe(
      'b — Retry forever',
    );
    expect(describeAnswer(q('single', 'a'), undefined)).toBeUndefined();
  });

  it('renders every type of key', () => {
    expect(describeKey(q('single', 'b'))).toBe('b — Retry forever');
    expect(describeKey(q('multi', ['a', 'c']))).toBe('a — Use `a queue`; c — Drop it');
    expect(describeKey(q('order', ['c', 'a', 'b']))).toBe(
      '1. c — Drop it; 2. a — Use `a queue`; 3. b — Retry forever',
    );
    expect(describeKey(q('numeric', { value: 42, tolerance: 0.5 }, false))).toBe('42 (± 0.5)');
    expect(describeKey(q('numeric', { value: 42, tolerance: 0 }, false))).toBe('42');
    expect(describeKey(q('text', ['idempotency key', 'idempotency-key'], false))).toBe(
      '"idempotency key" or "idempotency-key" (case and spacing ignored)',
    );
    expect(describeKey(q('sjt', { weights: { a: 0.25, b: 1, c: 0 } }))).toBe(
      'b — Retry forever (effectiveness 1); a — Use `a queue` (effectiveness 0.25); c — Drop it (effectiveness 0)',
    );
    expect(
      describeKey({
        ...q(
          'matching',
          {
            pairs: [
              { left: 'HTTP', right: '80' },
              { left: 'SSH', right: '22' },
            ],
          },
          false,
        ),
      }),
    ).toBe('HTTP → 80; SSH → 22');
  });

  it("renders Moodle's key forms in words: credits, several numeric answers, patterns", () => {
    expect(describeKey(q('single', { weights: { a: 1, b: 0.5, c: 0 } }))).toBe(
      'a — Use `a queue` (100%); b — Retry forever (50%)',
    );
    expect(describeKey(q('multi', { weights: { a: 0.5, b: -1, c: 0.5 } }))).toBe(
      'a — Use `a queue` (50%); c — Drop it (50%); b — Retry forever (-100%)',
    );
    expect(describeKey(q('numeric', { value: 42, tolerance: 0.5, unit: 'ms' }, false))).toBe(
      '42 ms (± 0.5)',
    );
    expect(
      describeKey(
        q(
          'numeric',
          {
            answers: [
              { value: 1.5, tolerance: 0.1, credit: 1 },
              { value: 1.5, tolerance: 0.5, credit: 1 / 3 },
            ],
            unit: 's',
          },
          false,
        ),
      ),
    ).toBe('1.5 s (± 0.1): 100%; 1.5 s (± 0.5): 33.33% (the first that holds the number counts)');
    expect(
      describeKey(
        q(
          'text',
          {
            answers: [
              { text: 'idempot*', credit: 1 },
              { text: 'a \\* b', credit: 0.5 },
            ],
            caseSensitive: true,
          },
          false,
        ),
      ),
    ).toBe(
      '"idempot*": 100%; "a \\\\* b": 50% (the first that matches counts; * stands for any text; spacing ignored, case counts)',
    );
    expect(
      describeKey(
        q('matching', { pairs: [{ left: 'HTTP', right: '80' }], distractors: ['443'] }, false),
      ),
    ).toBe('HTTP → 80 (never a match: 443)');
  });

  it('tells a key that is not an answer without composing refusal messages', () => {
    let composed = 0;
    z.config({
      customError: () => {
        composed++;
        return undefined;
      },
    });
    try {
      describeKey(q('numeric', { value: 42, tolerance: 0.5 }, false));
      describeKey(q('text', ['idempotency key'], false));
      describeKey(q('sjt', { weights: { a: 0.25, b: 1, c: 0 } }));
      describeKey(q('matching', { pairs: [{ left: 'HTTP', right: '80' }] }, false));
    } finally {
      z.config({ customError: undefined });
    }

    expect(composed).toBe(0);
  });
});

describe('the outcome of a graded question', () => {
  it('tells unanswered from wrong, and says when an old result cannot', () => {
    expect(outcomeOf({ score: 0, answered: false })).toBe('unanswered');
    expect(outcomeOf({ score: 0, answered: true })).toBe('wrong');
    expect(outcomeOf({ score: 0.5, answered: true })).toBe('partial');
    expect(outcomeOf({ score: 1, answered: true })).toBe('correct');
    expect(outcomeOf({ score: 0 })).toBe('unanswered-or-wrong');
    expect(outcomeOf({ score: 1 })).toBe('correct');
  });
});

describe('the HTML page', () => {
  it('escapes markup and drops characters HTML forbids', () => {
    expect(escapeHtml(`<a href='x'>&"</a>`)).toBe(
      '&lt;a href=&#39;x&#39;&gt;&amp;&quot;&lt;/a&gt;',
    );
    expect(escapeHtml('a\u0000b\u0007c\u0085d\ud800e')).toBe('abcde');
    expect(escapeHtml(undefined)).toBe('');
  });

  it('escapes any string as splitting it into code points did, surrogate pairs kept', () => {
    // The implementation before 2026-11-30: each code point kept or dropped, then five passes.
    const byCodePoints = (text: string) =>
      Array.from(text)
        .filter((ch) => {
          const cp = ch.codePointAt(0)!;
          if (cp < 0x20) return cp === 0x09 || cp === 0x0a || cp === 0x0d;
          return !(cp >= 0x7f && cp <= 0x9f) && !(cp >= 0xd800 && cp <= 0xdfff);
        })
        .join('')
        .replace(/&/g, '&amp;')
        .replace(/</g, '&lt;')
        .replace(/>/g, '&gt;')
        .replace(/"/g, '&quot;')
        .replace(/'/g, '&#39;');
    // Any UTF-16 code units: lone and paired surrogates, controls, markup characters.
    const units = fc
      .array(
        fc.oneof(
          fc.integer({ min: 0, max: 0xffff }),
          fc.integer({ min: 0xd800, max: 0xdfff }),
          fc.constantFrom(0x26, 0x3c, 0x3e, 0x22, 0x27, 0x09, 0x0a, 0x0d, 0x85),
        ),
        { maxLength: 40 },
      )
      .map((codes) => String.fromCharCode(...codes));

    expect(escapeHtml('\u{1F600}<\ud83d')).toBe('\u{1F600}&lt;');
    fc.assert(
      fc.property(fc.oneof(units, fc.string({ unit: 'binary' })), (text) => {
        expect(escapeHtml(text)).toBe(byCodePoints(text));
      }),
      { numRuns: 2000 },
    );
  });

  const minimal: FinishedReport = {
    attemptId: '01ARZ3NDEKTSV4RRFFQ69G5FAV',
    status: 'expired',
    candidate: { externalId: 'ext-<1>' },
    assessment: { assessmentId: 'x', title: 'T & T' },
    startedAt: '2026-11-21T08:00:00.000Z',
    completedAt: '2026-11-21T08:30:00.000Z',
    secondsUsed: 1800,
    score: 0,
    technical: null,
    soft: null,
    areas: [],
    strengths: [],
    gaps: [],
    development: [],
    integrity: { signals: [] },
    extensions: [],
    questions: [],
  };

  it('says what is absent rather than leaving a section empty', () => {
    const html = reportHtml(minimal);
    expect(html).toContain('<h1>ext-&lt;1&gt;</h1>');
    expect(html).toContain('Time ran out (expired)');
    expect(html).toContain('No area was graded.');
    expect(html).toContain('No integrity signal was observed');
    expect(html).toContain("No area's evidence supports calling it a strength or a gap");
    expect(html).not.toContain('More time granted');
    expect(html).toContain('30 min 0 s');
  });

  it('shows integrity signals with their times, and extensions with who, when and why', () => {
    const html = reportHtml({
      ...minimal,
      integrity: {
        signals: [
          {
            type: 'page-hidden',
            at: '2026-11-21T08:05:00.000Z',
            detail: 'Hidden <twice>',
            count: 2,
            times: ['2026-11-21T08:05:00.000Z', '2026-11-21T08:07:30.000Z'],
            questionIds: ['q-1'],
          },
        ],
      },
      extensions: [
        {
          minutes: 10,
          by: 'boss@acme',
          at: '2026-11-21T08:10:00.000Z',
          from: '2026-11-21T08:30:00.000Z',
          to: '2026-11-21T08:40:00.000Z',
        },
      ],
    });
    expect(html).toContain('2026-11-21 08:05:00 UTC · 2 times');
    expect(html).toContain('At: 2026-11-21 08:05:00 UTC, 2026-11-21 08:07:30 UTC');
    expect(html).toContain('Hidden &lt;twice&gt;');
    expect(html).toContain('+10 min</span> by boss@acme at 2026-11-21 08:10:00 UTC');
    expect(html).toContain('Reason erased with the candidate’s data.');
  });

  const adaptiveArea = (
    items: number,
    adaptive: NonNullable<FinishedReport['areas'][number]['adaptive']>,
    shown = 0,
  ): FinishedReport['areas'][number] => ({
    area: 'api-first',
    kind: 'technical',
    name: 'API-first development',
    score: 88.2,
    items,
    correct: items,
    answered: items,
    level: 'expert',
    ability: { theta: 2.253, standardError: adaptive.standardError },
    levelRule: 'Expert: ability θ = 2.25 (standard error 0.60).',
    adaptive,
    adaptiveSummary: adaptiveSummary(adaptive, shown),
  });

  it('states for an adaptive area the questions it used, why it ended, its standard error against the target, and what its score means', () => {
    const html = reportHtml({
      ...minimal,
      areas: [
        adaptiveArea(12, {
          stopReason: 'max-items',
          itemsUsed: 12,
          minItems: 5,
          maxItems: 12,
          standardError: 0.604,
          targetStandardError: 0.45,
        }),
      ],
    });
    expect(html).toContain(
      'Adaptive section: 12 questions chosen one by one from the answers (5 to 12), ended at its maximum of 12 questions; standard error 0.60 (target 0.45).',
    );
    expect(html).toContain(
      'Its score is the expected score on the section’s whole question pool at this ability, not the share of its questions answered right',
    );
    expect(html).not.toContain('not reach');
  });

  it('says how many questions an adaptive section still owed when the candidate left it, and that they count 0', () => {
    const oneAnswered = {
      itemsUsed: 1,
      minItems: 5,
      maxItems: 12,
      standardError: 0.91,
      targetStandardError: 0.45,
    };
    const page = (adaptive: Parameters<typeof adaptiveArea>[1]) =>
      reportHtml({ ...minimal, areas: [adaptiveArea(1, adaptive)] });
    const html = page({ ...oneAnswered, stopReason: 'submitted', unreached: 4 });
    expect(html).toContain(
      'Adaptive section: 1 question chosen one by one from the answers (5 to 12), ended when the candidate submitted before it finished; standard error 0.91 (target 0.45).',
    );
    expect(html).toContain(
      'the 4 questions short of its minimum of 5 that the candidate did not reach count 0',
    );
    const ended = page({ ...oneAnswered, stopReason: 'pool-exhausted', unreached: 0 });
    expect(ended).toContain('ended when its pool had no question left');
    expect(ended).not.toContain('not reach');
    // A result graded before unreached questions counted: its score did not count them, so the
    // page must not say they did.
    const old = page({ ...oneAnswered, stopReason: 'submitted' });
    expect(old).toContain('ended when the candidate submitted before it finished');
    expect(old).not.toContain('not reach');
    expect(html).not.toContain('shown one more question');
    const shown = reportHtml({
      ...minimal,
      areas: [adaptiveArea(1, { ...oneAnswered, stopReason: 'submitted', unreached: 4 }, 1)],
    });
    expect(shown).toContain(
      'The candidate was shown one more question and did not answer it: it is listed with the questions, not graded.',
    );
  });
});
