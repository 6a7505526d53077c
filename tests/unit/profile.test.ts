import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { GradedQuestion } from '../../functions/domain/grading.ts';
import { buildProfile, type ProfileItem, profileItems } from '../../functions/domain/profile.ts';
import { eap } from '../../functions/domain/psychometrics.ts';
import { AREA_DEVELOPMENT, AREA_IDS, AREAS } from '../../functions/domain/taxonomy.ts';

let seq = 0;
/** `scores.length` average-difficulty items in `area` with these scores. */
const itemsIn = (area: string, scores: number[], difficulty: 1 | 2 | 3 = 2): ProfileItem[] =>
  scores.map((score) => ({ questionId: `q-${area}-${seq++}`, area, score, difficulty }));

describe('buildProfile', () => {
  it('lists areas in taxonomy order with score, items, correct, level and ability', () => {
    const profile = buildProfile({
      items: [
        ...itemsIn('collaboration', [1, 1, 0.5]),
        ...itemsIn('microservices', [1, 0, 1, 1]),
        ...itemsIn('security', [0, 0, 0]),
      ],
    });
    expect(profile.areas.map((a) => a.area)).toEqual([
      'microservices',
      'security',
      'collaboration',
    ]);
    const micro = profile.areas[0]!;
    expect(micro).toMatchObject({ kind: 'technical', score: 75, items: 4, correct: 3 });
    const expected = eap([1, 0, 1, 1].map((score) => ({ a: 1, b: 0, score })));
    expect(micro.ability.theta).toBeCloseTo(expected.theta, 3);
    expect(micro.ability.standardError).toBeCloseTo(expected.standardError, 3);
    // 3 of 4 average items: theta 0.534, just into the advanced band.
    expect(micro.level).toBe('advanced');
    expect(profile.areas[2]).toMatchObject({ kind: 'soft', score: 83.3, items: 3, correct: 2 });
  });

  it('weighs every item once in the overall score, whatever the section sizes', () => {
    const profile = buildProfile({
      items: [
        ...itemsIn('serverless', [1, 1, 1, 1, 1, 1, 1, 1, 1, 0]),
        ...itemsIn('ai-ml', [0, 0]),
      ],
    });
    // 9 of 12, not the mean of the two area scores (90 and 0).
    expect(profile.score).toBe(75);
    expect(profile.technical).toEqual({ score: 75 });
    expect(profile.soft).toBeNull();
  });

  it('scores technical and soft composites separately', () => {
    const profile = buildProfile({
      items: [...itemsIn('api-first', [1, 0]), ...itemsIn('communication', [0.5, 0.25, 0.75])],
    });
    expect(profile.technical).toEqual({ score: 50 });
    expect(profile.soft).toEqual({ score: 50 });
    expect(profile.score).toBe(50);
  });

  it('says passed only when a passing score is given', () => {
    const items = itemsIn('security', [1, 1, 0, 0]);
    expect(buildProfile({ items })).not.toHaveProperty('passed');
    expect(buildProfile({ items, passingScore: 50 }).passed).toBe(true);
    expect(buildProfile({ items, passingScore: 50.1 }).passed).toBe(false);
  });

  it('uses calibrated parameters: a hard calibrated item correct weighs more than an easy one', () => {
    const easy = buildProfile({
      items: itemsIn('security', [1, 1, 0]).map((it, i) =>
        i === 0 ? { ...it, difficultyParam: -2, discrimination: 1.5 } : it,
      ),
    });
    const hard = buildProfile({
      items: itemsIn('security', [1, 1, 0]).map((it, i) =>
        i === 0 ? { ...it, difficultyParam: 2, discrimination: 1.5 } : it,
      ),
    });
    expect(hard.areas[0]!.ability.theta).toBeGreaterThan(easy.areas[0]!.ability.theta);
  });

  it('marks areas with fewer than 3 items as insufficient evidence', () => {
    const profile = buildProfile({ items: itemsIn('ai-ml', [1, 1]) });
    expect(profile.areas[0]!.level).toBe('insufficient-evidence');
    expect(profile.strengths).toEqual([]);
  });

  it('names the two strongest and two weakest areas with evidence, each with a suggestion', () => {
    const profile = buildProfile({
      items: [
        ...itemsIn('microservices', [1, 1, 1, 1, 1, 1]),
        ...itemsIn('serverless', [1, 1, 1, 1, 1, 0]),
        ...itemsIn('api-first', [1, 1, 1, 1, 0, 0]),
        ...itemsIn('real-time-data', [0, 0, 0, 0, 0, 0]),
        ...itemsIn('security', [1, 0, 0, 0, 0, 0]),
        ...itemsIn('cloud-native', [1, 1, 0, 0, 0, 0]),
        // Worst of all, but one item is no evidence.
        ...itemsIn('ai-ml', [0]),
      ],
    });
    expect(profile.strengths.map((s) => s.area)).toEqual(['microservices', 'serverless']);
    expect(profile.gaps.map((g) => g.area)).toEqual(['real-time-data', 'security']);
    expect(profile.gaps[0]).toEqual({
      area: 'real-time-data',
      name: 'Real-time data',
      suggestion: AREA_DEVELOPMENT['real-time-data'].gap,
    });
    expect(profile.strengths[0]!.suggestion).toBe(AREA_DEVELOPMENT.microservices.strength);
  });

  it('never calls a below-average area a strength or an above-average one a gap', () => {
    const weak = buildProfile({
      items: [...itemsIn('security', [0, 0, 0, 1]), ...itemsIn('serverless', [0, 0, 0, 0])],
    });
    expect(weak.strengths).toEqual([]);
    expect(weak.gaps.map((g) => g.area)).toEqual(['serverless', 'security']);
    const strong = buildProfile({
      items: [...itemsIn('security', [1, 1, 1, 0]), ...itemsIn('serverless', [1, 1, 1, 1])],
    });
    expect(strong.gaps).toEqual([]);
    expect(strong.strengths.map((s) => s.area)).toEqual(['serverless', 'security']);
  });

  it('has a specific suggestion of both kinds for every area in the taxonomy', () => {
    const texts = AREAS.flatMap((a) => [
      AREA_DEVELOPMENT[a.id].gap,
      AREA_DEVELOPMENT[a.id].strength,
    ]);
    expect(new Set(texts).size).toBe(AREAS.length * 2);
    for (const text of texts) expect(text.length).toBeGreaterThan(60);
  });

  it('profiles an empty attempt without failing', () => {
    expect(buildProfile({ items: [], passingScore: 60 })).toEqual({
      score: 0,
      passed: false,
      technical: null,
      soft: null,
      areas: [],
      strengths: [],
      gaps: [],
    });
  });

  it('does not depend on question order', () => {
    const itemArb = fc.record({
      questionId: fc.uuid(),
      area: fc.constantFrom(...AREA_IDS),
      score: fc.oneof(fc.constantFrom(0, 1, 0.5), fc.double({ min: 0, max: 1, noNaN: true })),
      difficulty: fc.constantFrom(1 as const, 2 as const, 3 as const),
      discrimination: fc.option(fc.double({ min: 0.3, max: 2.5, noNaN: true }), {
        nil: undefined,
      }),
      difficultyParam: fc.option(fc.double({ min: -3, max: 3, noNaN: true }), { nil: undefined }),
    });
    fc.assert(
      fc.property(
        fc
          .array(itemArb, { maxLength: 60 })
          .chain((items) =>
            fc.tuple(fc.constant(items), fc.shuffledSubarray(items, { minLength: items.length })),
          ),
        fc.option(fc.integer({ min: 0, max: 100 }), { nil: undefined }),
        ([items, shuffled], passingScore) => {
          expect(buildProfile({ items: shuffled, passingScore })).toEqual(
            buildProfile({ items, passingScore }),
          );
        },
      ),
    );
  });
});

describe('profileItems', () => {
  const graded: GradedQuestion[] = [
    { questionId: 'q-a', version: 2, area: 'security', score: 1, secondsSpent: 30 },
    { questionId: 'q-b', version: 1, area: 'security', score: 0, secondsSpent: 12 },
  ];

  it('joins graded questions with their calibration', () => {
    expect(
      profileItems(graded, [
        { id: 'q-b', difficulty: 3 },
        { id: 'q-a', difficulty: 1, discrimination: 1.4, difficultyParam: -0.2 },
      ]),
    ).toEqual([
      {
        questionId: 'q-a',
        area: 'security',
        score: 1,
        difficulty: 1,
        discrimination: 1.4,
        difficultyParam: -0.2,
      },
      { questionId: 'q-b', area: 'security', score: 0, difficulty: 3 },
    ]);
  });

  it('refuses a graded question without content', () => {
    expect(() => profileItems(graded, [{ id: 'q-a', difficulty: 1 }])).toThrow(/q-b/);
  });
});
