/**
 * Scoring with calibrated parameters and adaptive sections (profile.ts), the adaptive
 * blueprint's rules (assessment.ts), the answer pages an adaptive section gets (planBlocks),
 * and the response records a completion leaves (response-records.ts).
 */
import { describe, expect, it } from 'vitest';
import {
  adaptiveStateBytes,
  PAGE_BYTES,
  PAGE_OVERHEAD_BYTES,
  planBlocks,
  planPages,
} from '../../functions/data/attempts.ts';
import {
  CreateAssessmentInput,
  checkBlueprint,
  drawQuestions,
  type Section,
  sectionLength,
  UpdateAssessmentInput,
} from '../../functions/domain/assessment.ts';
import type { ValidationError } from '../../functions/domain/errors.ts';
import { expectedScore } from '../../functions/domain/irt-model.ts';
import { buildProfile, type ProfileItem } from '../../functions/domain/profile.ts';
import { eap } from '../../functions/domain/psychometrics.ts';
import {
  calibrationInput,
  parseVersionKey,
  responsesByOwner,
  versionKey,
} from '../../functions/domain/response-records.ts';
import { parseOrThrow, type z } from '../../functions/domain/z.ts';

const item = (
  questionId: string,
  score: number,
  extra: Partial<ProfileItem> = {},
): ProfileItem => ({
  questionId,
  area: 'security',
  score,
  difficulty: 2,
  ...extra,
});

describe('a profile with calibrated items', () => {
  it('estimates ability with the calibrated parameters (GPCM categories) instead of the label prior', () => {
    const calibrated = { a: 1.8, steps: [-0.5, 0.7], categories: [0, 0.5, 1] };
    const items = [
      item('q1', 1, { calibrated }),
      item('q2', 0.5, { calibrated }),
      item('q3', 1, { calibrated: { a: 0.6, steps: [1.2], categories: [0, 1] } }),
    ];
    const area = buildProfile({ items }).areas[0]!;
    const expected = eap([
      { ...calibrated, score: 1 },
      { ...calibrated, score: 0.5 },
      { a: 0.6, steps: [1.2], categories: [0, 1], score: 1 },
    ]);
    expect(area.ability.theta).toBeCloseTo(expected.theta, 3);
    expect(area.ability.standardError).toBeCloseTo(expected.standardError, 3);
    const prior = buildProfile({ items: items.map(({ calibrated: _c, ...rest }) => rest) });
    expect(prior.areas[0]!.ability.theta).not.toBeCloseTo(area.ability.theta, 2);
  });
});

describe('a profile with an adaptive area', () => {
  const pool = [
    { a: 1, steps: [-1] },
    { a: 1.2, steps: [0] },
    { a: 0.8, steps: [1] },
    { a: 1.5, steps: [-0.5, 0.5], categories: [0, 0.5, 1] },
  ];
  const adaptive = {
    area: 'security',
    pool,
    minItems: 2,
    maxItems: 4,
    targetStandardError: 0.5,
    stopReason: 'max-items' as const,
  };

  it('scores the area as the expected score on its whole pool at the ability estimate, and reports items used, standard error and stop reason', () => {
    const items = [item('a', 1), item('b', 1), item('c', 0), item('d', 1)];
    const area = buildProfile({ items, adaptive: [adaptive] }).areas[0]!;
    const theta = eap(items.map((i) => ({ a: 1, b: 0, score: i.score }))).theta;
    const expected = pool.reduce((s, m) => s + expectedScore(m, theta), 0) / pool.length;
    expect(area.score).toBeCloseTo(expected * 100, 1);
    expect(area.adaptive).toEqual({
      stopReason: 'max-items',
      itemsUsed: 4,
      minItems: 2,
      maxItems: 4,
      standardError: area.ability.standardError,
      targetStandardError: 0.5,
      unreached: 0,
    });
  });

  it('counts an adaptive area once per item used in the overall score, and a fixed test as before', () => {
    const fixed = [
      item('f1', 1, { area: 'collaboration' }),
      item('f2', 0, { area: 'collaboration' }),
    ];
    const adaptiveItems = [item('a', 1), item('b', 1)];
    const profile = buildProfile({ items: [...fixed, ...adaptiveItems], adaptive: [adaptive] });
    const sec = profile.areas.find((a) => a.area === 'security')!;
    expect(profile.score).toBeCloseTo((50 * 2 + sec.score * 2) / 4, 0);
    expect(buildProfile({ items: fixed }).score).toBe(50);
  });

  it('scores an adaptive area with no answered item 0, with insufficient evidence', () => {
    const profile = buildProfile({ items: [], adaptive: [{ ...adaptive, stopReason: 'time-up' }] });
    expect(profile.areas[0]).toMatchObject({
      area: 'security',
      score: 0,
      items: 0,
      level: 'insufficient-evidence',
      adaptive: { stopReason: 'time-up', itemsUsed: 0 },
    });
    expect(profile.score).toBe(0);
  });

  it('does not score a candidate who leaves the adaptive section unanswered above one who answers it: its unreached questions up to minItems count 0', () => {
    const fixed = [
      item('f1', 1, { area: 'collaboration' }),
      item('f2', 1, { area: 'collaboration' }),
    ];
    const skipped = buildProfile({
      items: fixed,
      adaptive: [{ ...adaptive, stopReason: 'submitted' }],
    });
    const answered = buildProfile({
      items: [...fixed, item('a', 1), item('b', 1)],
      adaptive: [adaptive],
    });
    // Two fixed questions right and the two questions the section owed unanswered: 50, as
    // two unanswered fixed questions would give, not 100.
    expect(skipped.score).toBe(50);
    expect(skipped.passed).toBeUndefined();
    expect(skipped.score).toBeLessThan(answered.score);
    expect(buildProfile({ ...{ items: fixed }, passingScore: 60 }).passed).toBe(true);
    expect(
      buildProfile({
        items: fixed,
        adaptive: [{ ...adaptive, stopReason: 'submitted' }],
        passingScore: 60,
      }).passed,
    ).toBe(false);
  });

  it('scores an area left before minItems with its unreached questions as 0: one wrong answer never scores above the minimum length of wrong answers', () => {
    const five = { ...adaptive, minItems: 5, maxItems: 8, stopReason: 'submitted' as const };
    const oneWrong = buildProfile({ items: [item('a', 0)], adaptive: [five] }).areas[0]!;
    const fiveWrong = buildProfile({
      items: ['a', 'b', 'c', 'd', 'e'].map((q) => item(q, 0)),
      adaptive: [{ ...five, stopReason: 'target-standard-error' }],
    }).areas[0]!;
    const theta = eap([{ a: 1, b: 0, score: 0 }]).theta;
    const expected = pool.reduce((s, m) => s + expectedScore(m, theta), 0) / pool.length;
    expect(oneWrong.score).toBeCloseTo((expected * 100) / 5, 1);
    expect(oneWrong.score).toBeLessThan(fiveWrong.score);
    expect(oneWrong.items).toBe(1);
    expect(oneWrong.adaptive).toMatchObject({
      itemsUsed: 1,
      minItems: 5,
      stopReason: 'submitted',
      unreached: 4,
    });
    // A section the server ended (no item left in its pool) owes the candidate nothing.
    const exhausted = buildProfile({
      items: [item('a', 0)],
      adaptive: [{ ...five, stopReason: 'pool-exhausted' }],
    }).areas[0]!;
    expect(exhausted.score).toBeCloseTo(expected * 100, 1);
  });
});

describe('the adaptive blueprint', () => {
  /** The paths refused, by the request's schema and by `checkBlueprint` alike. */
  const check = (sections: unknown[]) => {
    const body = { title: 't', timeLimitMinutes: 30, sections };
    const paths = (run: () => unknown) => {
      try {
        run();
        return [];
      } catch (err) {
        return (err as ValidationError).issues.map((i) => i.path);
      }
    };
    const bySchema = paths(() => parseOrThrow(CreateAssessmentInput, body));
    expect(paths(() => checkBlueprint(body as CreateAssessmentInput))).toEqual(bySchema);
    return bySchema;
  };

  it('fills in defaults: at least 5 items, at most 20, stop at a standard error of 0.4', () => {
    const input = CreateAssessmentInput.parse({
      title: 't',
      timeLimitMinutes: 30,
      sections: [{ area: 'security', mode: 'adaptive' }],
    });
    expect(sectionLength(input.sections[0]!)).toEqual({
      count: 20,
      adaptive: { minItems: 5, maxItems: 20, targetStandardError: 0.4 },
    });
    expect(sectionLength({ area: 'security', mode: 'adaptive', minItems: 30 }).adaptive).toEqual({
      minItems: 30,
      maxItems: 30,
      targetStandardError: 0.4,
    });
    expect(
      sectionLength({ area: 'security', mode: 'adaptive', maxItems: 3 }).adaptive?.minItems,
    ).toBe(3);
  });

  it('names every misplaced field', () => {
    expect(check([{ area: 'security', mode: 'adaptive', count: 4 }])).toEqual([
      'sections[0].count',
    ]);
    expect(check([{ area: 'security', mode: 'adaptive', minItems: 8, maxItems: 6 }])).toEqual([
      'sections[0].minItems',
    ]);
    expect(check([{ area: 'security' }])).toEqual(['sections[0].count']);
    expect(check([{ area: 'security', count: 3, targetStandardError: 0.3 }])).toEqual([
      'sections[0].targetStandardError',
    ]);
  });

  it('counts an adaptive section by its maxItems towards the 200-question limit, and refuses overlaps with fixed sections', () => {
    expect(
      check([
        { area: 'security', mode: 'adaptive', maxItems: 100 },
        { area: 'collaboration', mode: 'adaptive', maxItems: 100 },
        { area: 'api-first', count: 1 },
      ]),
    ).toEqual(['sections']);
    expect(
      check([
        { area: 'security', mode: 'adaptive' },
        { area: 'security', count: 3, difficulty: 2 },
      ]),
    ).toEqual(['sections[1]']);
  });

  it('names an overlap in the same 400 as what the schema refuses, not only once the rest is fixed', () => {
    const refused = (body: unknown, schema: z.ZodMiniType = CreateAssessmentInput) => {
      try {
        parseOrThrow(schema, body);
        return [];
      } catch (err) {
        return (err as ValidationError).issues.map((i) => i.path);
      }
    };
    const overlapping = [
      { area: 'microservices', count: 40 },
      { area: 'microservices', count: 10 },
    ];
    expect(refused({ title: 'Bell\u0007', timeLimitMinutes: 60, sections: overlapping })).toEqual([
      'title',
      'sections[1]',
    ]);
    expect(
      refused({
        title: '',
        timeLimitMinutes: 0,
        sections: [...overlapping, { area: 'nope', count: 0 }],
      }),
    ).toEqual([
      'title',
      'timeLimitMinutes',
      'sections[2].area',
      'sections[2].count',
      'sections[1]',
    ]);
    // A section the schema refuses is judged by what it shows: its overlap, its misplaced count.
    expect(
      refused({
        title: 't',
        timeLimitMinutes: 10,
        sections: [
          { area: 'security', count: 'x' },
          5,
          { area: 'security', mode: 'adaptive', count: 3 },
        ],
      }),
    ).toEqual(['sections[0].count', 'sections[1]', 'sections[2].count', 'sections[2]']);
    expect(refused({ title: 5, sections: overlapping }, UpdateAssessmentInput)).toEqual([
      'title',
      'sections[1]',
    ]);
  });

  it('draws questions only for fixed sections, as before', () => {
    const ref = (q: string) => ({ o: 'acme', q, v: 1, t: 'single' as const });
    const sections: Section[] = [
      { area: 'security', count: 2, difficulty: 'mixed', pool: [ref('a'), ref('b'), ref('c')] },
      {
        area: 'collaboration',
        count: 5,
        difficulty: 'mixed',
        pool: [ref('x'), ref('y'), ref('z'), ref('w'), ref('v')],
        mode: 'adaptive',
        adaptive: { minItems: 1, maxItems: 5, targetStandardError: 0.4 },
      },
    ];
    const drawn = drawQuestions(sections, 'seed');
    expect(drawn.map((r) => r.q).every((q) => 'abc'.includes(q))).toBe(true);
    expect(drawn).toHaveLength(2);
    expect(drawQuestions([sections[0]!], 'seed')).toEqual(drawn);
  });
});

describe('answer pages with adaptive sections', () => {
  it('keeps a section in one page and plans a fixed-only attempt exactly as before', () => {
    const fixed = Array.from({ length: 30 }, () => 20);
    expect(planBlocks(fixed.map((bytes) => ({ slots: 1, bytes }))).flat()).toEqual(
      planPages(fixed),
    );
    const planned = planBlocks([
      { slots: 20, bytes: 10, extra: adaptiveStateBytes(20) },
      ...fixed.map((bytes) => ({ slots: 1, bytes })),
    ]);
    expect(new Set(planned[0])).toEqual(new Set([0]));
    // Every page stays under 1 KB as planned.
    const used = new Map<number, number>();
    planned.forEach((pages, b) => {
      const bytes = b === 0 ? 20 * 34 + adaptiveStateBytes(20) : 44;
      used.set(pages[0]!, (used.get(pages[0]!) ?? PAGE_OVERHEAD_BYTES) + bytes);
    });
    for (const bytes of used.values()) expect(bytes).toBeLessThanOrEqual(PAGE_BYTES);
  });

  it('gives a section too large for one page a page of its own', () => {
    const planned = planBlocks([
      { slots: 2, bytes: 10 },
      { slots: 60, bytes: 40, extra: adaptiveStateBytes(60) },
      { slots: 1, bytes: 10 },
    ]);
    expect(planned[0]).toEqual([0, 0]);
    expect(new Set(planned[1])).toEqual(new Set([1]));
    expect(planned[2]).toEqual([2]);
  });
});

describe('response records', () => {
  const graded = [
    {
      questionId: 'q1',
      version: 2,
      area: 'security',
      score: 1,
      secondsSpent: 12.4,
      answered: true,
    },
    { questionId: 'q2', version: 1, area: 'security', score: 0, secondsSpent: 0, answered: false },
    {
      questionId: 'p1',
      version: 1,
      area: 'collaboration',
      score: 0.66666,
      secondsSpent: 30,
      answered: true,
    },
    { questionId: 'q3', version: 1, area: 'collaboration', score: 0.5, secondsSpent: 9 },
  ];

  it('group answered questions by owner and area, leaving unanswered ones out (missing, not zero)', () => {
    expect(responsesByOwner(graded, ['acme', 'acme', 'public', 'acme'])).toEqual([
      {
        owner: 'acme',
        areas: { collaboration: [['q3', 1, 0.5, 9]], security: [['q1', 2, 1, 12]] },
      },
      { owner: 'public', areas: { collaboration: [['p1', 1, 0.6667, 30]] } },
    ]);
  });

  it('become calibration input per area, one candidate per record, items keyed by version', () => {
    const records = responsesByOwner(graded, ['acme', 'acme', 'acme', 'acme']);
    expect(calibrationInput(records, 'security')).toEqual([
      { responses: [{ item: versionKey('q1', 2), score: 1 }] },
    ]);
    expect(calibrationInput(records, 'ai-ml')).toEqual([]);
    expect(parseVersionKey('q-1@3')).toEqual({ questionId: 'q-1', version: 3 });
  });
});
