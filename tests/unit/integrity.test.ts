import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SavedAnswer } from '../../functions/domain/grading.ts';
import {
  fastAnswerThreshold,
  type IntegrityInput,
  integritySignals,
  wordCount,
} from '../../functions/domain/integrity.ts';

const START = Date.parse('2026-11-02T09:00:00.000Z');
const at = (seconds: number) => new Date(START + seconds * 1000).toISOString();

/** An attempt of one hour with answers saved at these offsets (seconds) from the start. */
function attempt(
  saveOffsets: number[],
  over: Partial<IntegrityInput> = {},
  promptWords = 24,
): IntegrityInput {
  const answers: Record<string, SavedAnswer> = {};
  const questions: IntegrityInput['questions'] = {};
  saveOffsets.forEach((s, i) => {
    const id = `q-${String(i + 1).padStart(2, '0')}`;
    answers[id] = { value: 'a', savedAt: at(s) };
    (questions as Record<string, { promptWords: number; type: 'single' }>)[id] = {
      promptWords,
      type: 'single',
    };
  });
  return {
    startedAt: at(0),
    deadline: at(3600),
    answers,
    questions,
    resumes: [{ at: at(0), userAgent: 'Firefox/140', sourceIp: '198.51.100.7' }],
    ...over,
  };
}

/** Steady answers: one every 90 s. */
const steady = (n: number, from = 90) => Array.from({ length: n }, (_, i) => from + i * 90);

const types = (input: IntegrityInput) => integritySignals(input).map((s) => s.type);

describe('integritySignals', () => {
  it('finds nothing in a steadily paced attempt from one browser', () => {
    expect(integritySignals(attempt(steady(20)))).toEqual([]);
  });

  it('flags an answer saved faster than its prompt can be read, with the evidence', () => {
    // 40 words need 5 s; this one came 2 s after the previous save.
    const signals = integritySignals(attempt([90, 92, 180], {}, 40));
    expect(signals).toEqual([
      {
        type: 'fast-answer',
        at: at(92),
        detail:
          'Saved 2 s after the previous save; reading its 40-word prompt and answering takes at least 5 s.',
        questionIds: ['q-02'],
      },
    ]);
  });

  it('uses a 3 s floor for short prompts and adds time for typed or arranged answers', () => {
    expect(fastAnswerThreshold(8, 'single')).toBe(3);
    expect(fastAnswerThreshold(80, 'single')).toBe(10);
    expect(fastAnswerThreshold(80, 'text')).toBe(12);
    expect(fastAnswerThreshold(16, 'order')).toBe(4);
    expect(types(attempt([90, 93.5, 180], {}, 8))).toEqual([]);
    expect(types(attempt([90, 92.5, 180], {}, 8))).toEqual(['fast-answer']);
  });

  it('counts the first answer from the start of the attempt', () => {
    expect(types(attempt([1, 90]))).toEqual(['fast-answer']);
  });

  it('flags a burst of answers after five minutes of silence', () => {
    const signals = integritySignals(attempt([60, 120, 480, 490, 500, 510, 520, 530]));
    const burst = signals.find((s) => s.type === 'burst-after-silence');
    expect(burst).toEqual({
      type: 'burst-after-silence',
      at: at(480),
      detail: 'No answer saved for 6 min, then 6 answers within 50 s.',
      questionIds: ['q-03', 'q-04', 'q-05', 'q-06', 'q-07', 'q-08'],
    });
  });

  it('counts the silence from the start and ignores four answers or a short silence', () => {
    expect(types(attempt([400, 410, 420, 430, 440]))).toContain('burst-after-silence');
    expect(types(attempt([400, 410, 420, 430, 900]))).not.toContain('burst-after-silence');
    expect(types(attempt([60, 350, 360, 370, 380, 390]))).not.toContain('burst-after-silence');
  });

  it('flags five answers saved in the last 30 seconds before the deadline', () => {
    const offsets = [...steady(20), 3575, 3580, 3585, 3590, 3595];
    const rush = integritySignals(attempt(offsets)).find((s) => s.type === 'last-seconds-rush');
    expect(rush).toMatchObject({
      at: at(3575),
      detail: '5 of 25 answers (20%) saved in the last 30 s before the deadline.',
    });
    expect(rush?.questionIds).toHaveLength(5);
  });

  it('flags 30% of the answers in the last 30 seconds, but not a single last answer', () => {
    expect(types(attempt([600, 1200, 1800, 2400, 3000, 3000 + 90, 3580, 3590, 3595]))).toContain(
      'last-seconds-rush',
    );
    expect(types(attempt([1800, 3590]))).toEqual([]);
    expect(types(attempt([...steady(10), 3590, 3595]))).not.toContain('last-seconds-rush');
  });

  it('flags a resume from another browser or network, without showing the address', () => {
    const signals = integritySignals(
      attempt(steady(5), {
        resumes: [
          { at: at(1200), userAgent: 'Chrome/141', sourceIp: '203.0.113.9' },
          { at: at(0), userAgent: 'Firefox/140', sourceIp: '198.51.100.7' },
          { at: at(600), userAgent: 'Firefox/140', sourceIp: '198.51.100.7' },
        ],
      }),
    );
    expect(signals).toEqual([
      {
        type: 'resumed-elsewhere',
        at: at(1200),
        detail:
          'Resumed 10 min after the previous session; the browser changed (from "Firefox/140" to "Chrome/141") and the network address changed.',
      },
    ]);
    expect(JSON.stringify(signals)).not.toContain('203.0.113.9');
  });

  it('does not treat an unknown user agent or address as a change', () => {
    expect(
      types(
        attempt(steady(5), {
          resumes: [{ at: at(0), userAgent: 'Firefox/140' }, { at: at(300) }, { at: at(900) }],
        }),
      ),
    ).toEqual([]);
  });

  it('returns signals in time order', () => {
    const signals = integritySignals(
      attempt([2, 400, 401, 402, 403, 404, 3580, 3590, 3595], {
        resumes: [
          { at: at(0), sourceIp: '198.51.100.7' },
          { at: at(1000), sourceIp: '203.0.113.9' },
        ],
      }),
    );
    const times = signals.map((s) => Date.parse(s.at));
    expect(times).toEqual([...times].sort((x, y) => x - y));
    expect(new Set(signals.map((s) => s.type))).toEqual(
      new Set(['fast-answer', 'burst-after-silence', 'last-seconds-rush', 'resumed-elsewhere']),
    );
  });

  it('does not depend on the order answers and resumes are given in', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 3600 }), { maxLength: 30 }),
        fc.array(
          fc.record({
            at: fc.integer({ min: 0, max: 3600 }).map(at),
            userAgent: fc.constantFrom('Firefox/140', 'Chrome/141'),
          }),
          { maxLength: 5 },
        ),
        (offsets, resumes) => {
          const input = attempt(offsets, {
            resumes: [...resumes].sort((x, y) => (x.at < y.at ? -1 : 1)),
          });
          const reversed: IntegrityInput = {
            ...input,
            answers: Object.fromEntries(Object.entries(input.answers).reverse()),
          };
          expect(integritySignals(reversed)).toEqual(integritySignals(input));
        },
      ),
    );
  });

  it('counts words in a prompt', () => {
    expect(wordCount('  Which   header\nmakes a POST idempotent? ')).toBe(6);
    expect(wordCount('')).toBe(0);
  });
});

describe('page events of the candidate app', () => {
  it('reports nothing when the page stayed in front and nothing was pasted', () => {
    expect(types(attempt(steady(20), { pageEvents: [] }))).toEqual(types(attempt(steady(20))));
  });

  it('counts a hide that never ended until the deadline', () => {
    const signals = integritySignals(
      attempt(steady(5), { pageEvents: [{ type: 'hidden', at: at(3540), questionId: 'q-02' }] }),
    );

    expect(signals.find((s) => s.type === 'page-hidden')).toEqual({
      type: 'page-hidden',
      at: at(3540),
      detail:
        'The assessment page was hidden once, 1 min in all: another tab, window or application was in front.',
      count: 1,
      times: [at(3540)],
      questionIds: ['q-02'],
    });
  });

  it('pairs each hide with the next visible, ignoring repeated hides, in time order', () => {
    const signal = integritySignals(
      attempt(steady(5), {
        pageEvents: [
          { type: 'visible', at: at(130) },
          { type: 'hidden', at: at(100) },
          { type: 'hidden', at: at(110) },
          { type: 'hidden', at: at(200) },
          { type: 'visible', at: at(205) },
        ],
      }),
    ).find((s) => s.type === 'page-hidden');

    expect(signal?.count).toBe(2);
    expect(signal?.times).toEqual([at(100), at(200)]);
    expect(signal?.detail).toMatch(/hidden 2 times, 35 s in all \(longest 30 s\)/);
  });

  it('says how much text was pasted and where, never what', () => {
    const signal = integritySignals(
      attempt(steady(5), {
        pageEvents: [{ type: 'paste', at: at(300), questionId: 'q-03', chars: 1 }],
      }),
    ).find((s) => s.type === 'paste');

    expect(signal).toEqual({
      type: 'paste',
      at: at(300),
      detail: 'Text was pasted once into the answer of 1 question, 1 character in all.',
      count: 1,
      times: [at(300)],
      questionIds: ['q-03'],
    });
  });
});
