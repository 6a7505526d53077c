/**
 * The rule that turns an area's evidence into a level, a strength or a gap, and the text that
 * states it next to the level (issue 16: "same evidence, same level").
 */
import { describe, expect, it } from 'vitest';
import {
  buildProfile,
  currentProfile,
  levelRule,
  type ProfileItem,
  strengthsAndGaps,
} from '../../functions/domain/profile.ts';
import {
  eap,
  itemParams,
  LEVELS,
  levelOf,
  MAX_STANDARD_ERROR_FOR_LEVEL,
} from '../../functions/domain/psychometrics.ts';

let seq = 0;
const item = (area: string, score: number, difficulty: 1 | 2 | 3): ProfileItem => ({
  questionId: `q-${seq++}`,
  area,
  score,
  difficulty,
});

/** Every multiset of `n` difficulties with every score pattern from a few partial scores. */
function everyArea(n: number): { difficulties: (1 | 2 | 3)[]; scores: number[] }[] {
  const out: { difficulties: (1 | 2 | 3)[]; scores: number[] }[] = [];
  const rec = (ds: (1 | 2 | 3)[], ss: number[]) => {
    if (ds.length === n) return void out.push({ difficulties: ds, scores: ss });
    for (const d of [1, 2, 3] as const)
      for (const s of [0, 0.25, 0.5, 1]) rec([...ds, d], [...ss, s]);
  };
  rec([], []);
  return out;
}

describe('the evidence a level needs', () => {
  it('gives every area of three uncalibrated questions a level, whatever their difficulties and scores', () => {
    for (const { difficulties, scores } of everyArea(3)) {
      const est = eap(
        difficulties.map((d, i) => ({ ...itemParams({ difficulty: d }), score: scores[i]! })),
      );
      expect(est.standardError).toBeLessThanOrEqual(MAX_STANDARD_ERROR_FOR_LEVEL);
      expect(levelOf(est.theta, est.standardError, 3)).not.toBe('insufficient-evidence');
    }
  });

  it('gives no area of two questions a level, whatever their scores', () => {
    for (const { difficulties, scores } of everyArea(2)) {
      const est = eap(
        difficulties.map((d, i) => ({ ...itemParams({ difficulty: d }), score: scores[i]! })),
      );
      expect(levelOf(est.theta, est.standardError, 2)).toBe('insufficient-evidence');
    }
  });

  it('levels the two 33.3 areas of the issue by their questions, and says so next to the level', () => {
    // One of three right: easy questions (1, 1, 1) against hard ones (1, 3, 3). Before, the
    // hard set's standard error (0.806) crossed 0.8 and it read "insufficient evidence".
    const profile = buildProfile({
      items: [
        item('security', 1, 1),
        item('security', 0, 1),
        item('security', 0, 1),
        item('serverless', 1, 1),
        item('serverless', 0, 3),
        item('serverless', 0, 3),
      ],
    });
    const [serverless, security] = profile.areas;
    expect(security!.score).toBe(33.3);
    expect(serverless!.score).toBe(33.3);
    expect(security!.level).toBe('foundational');
    expect(serverless!.level).toBe('intermediate');
    const rule = levelRule(security!, [1, 1, 1]);
    expect(rule).toContain('3 questions of difficulty 1, 1, 1');
    expect(rule).toContain('θ < −0.5');
    expect(rule).toContain('harder questions');
    expect(levelRule(serverless!, [3, 1, 3])).toContain('of difficulty 1, 3, 3');
  });

  it('says how many of the questions were answered when some were not, since they count as wrong', () => {
    // A section the candidate never reached: four unanswered questions read "foundational, a
    // gap" with nothing in the rule saying that none was answered.
    const profile = buildProfile({
      items: [1, 2, 3, 3].map((d) => item('serverless', 0, d as 1 | 2 | 3)),
    });
    const area = profile.areas[0]!;
    expect(area.level).toBe('foundational');
    const none = levelRule(area, [2, 2, 2, 3], 0);
    expect(none).toContain(
      'from 4 questions of difficulty 2, 2, 2, 3 (none of them answered; an unanswered question counts as wrong);',
    );
    expect(levelRule(area, [2, 2, 2, 3], 3)).toContain(
      'from 4 questions of difficulty 2, 2, 2, 3 (3 of them answered; an unanswered question counts as wrong);',
    );
    expect(levelRule(area, [2, 2, 2, 3], 4)).not.toContain('answered');
    expect(levelRule(area, [2, 2, 2, 3])).not.toContain('answered');
  });

  it('says when the estimate used calibrated parameters rather than the difficulty labels it lists', () => {
    const calibrated = { a: 1.6, steps: [0.4], categories: [0, 1] };
    const profile = buildProfile({
      items: [
        { ...item('security', 1, 1), calibrated },
        { ...item('security', 1, 1), calibrated },
        item('security', 0, 1),
      ],
    });
    const area = profile.areas[0]!;
    expect(area.calibrated).toBe(2);
    const rule = levelRule(area, [1, 1, 1]);
    expect(rule).toContain(
      "2 of the 3 questions are weighed by parameters calibrated from candidates' responses, the others by their difficulty label.",
    );
    expect(rule).not.toContain("by its question's difficulty");
    expect(levelRule({ ...area, calibrated: 3 }, [1, 1, 1])).toContain(
      "all 3 questions are weighed by parameters calibrated from candidates' responses.",
    );
    const labels = buildProfile({ items: [1, 1, 0].map((x) => item('security', x, 1)) });
    expect(labels.areas[0]!.calibrated).toBeUndefined();
    expect(levelRule(labels.areas[0]!, [1, 1, 1])).toContain(
      "θ weighs each answer by its question's difficulty",
    );
  });
});

describe('strengths and gaps', () => {
  it('never lists an intermediate area as a gap, even one below average (the 44.4 of the issue)', () => {
    const profile = buildProfile({
      items: [
        // 44.4: theta about -0.1, intermediate.
        item('security', 1, 2),
        item('security', 1 / 3, 2),
        item('security', 0, 2),
        // 0 from two questions: no level.
        item('serverless', 0, 2),
        item('serverless', 0, 2),
      ],
    });
    const [serverless, security] = profile.areas;
    expect(security).toMatchObject({ score: 44.4, level: 'intermediate' });
    expect(security!.ability.theta).toBeLessThan(0);
    expect(serverless).toMatchObject({ score: 0, level: 'insufficient-evidence' });
    expect(profile.gaps).toEqual([]);
    expect(profile.strengths).toEqual([]);
    expect(levelRule(security!)).toContain('Neither a strength nor a gap');
    expect(levelRule(serverless!)).toContain('a level needs at least 3');
    expect(levelRule(serverless!)).toContain('is not turned into a level, a strength or a gap');
  });

  it('lists foundational areas as gaps and advanced or expert ones as strengths, two at most', () => {
    const areas = (
      [
        ['microservices', 'expert', 2],
        ['serverless', 'advanced', 0.9],
        ['api-first', 'advanced', 0.6],
        ['security', 'foundational', -0.8],
        ['cloud-native', 'intermediate', -0.4],
        ['ai-ml', 'insufficient-evidence', -1.2],
      ] as const
    ).map(([area, level, theta]) => ({ area, level, ability: { theta, standardError: 0.6 } }));
    const { strengths, gaps } = strengthsAndGaps(areas);
    expect(strengths.map((s) => s.area)).toEqual(['microservices', 'serverless']);
    expect(gaps.map((g) => g.area)).toEqual(['security']);
  });

  it('reads a stored profile under the current rule, so old results and new ones agree', () => {
    // Stored by the earlier rule: standard error 0.806 from 3 questions was "insufficient", and
    // an intermediate area below 0 was a gap.
    const stored = {
      areas: [
        {
          area: 'security',
          kind: 'technical' as const,
          score: 33.3,
          items: 3,
          correct: 1,
          level: 'insufficient-evidence' as const,
          ability: { theta: -0.19, standardError: 0.806 },
        },
        {
          area: 'serverless',
          kind: 'technical' as const,
          score: 44.4,
          items: 3,
          correct: 1,
          level: 'intermediate' as const,
          ability: { theta: -0.1, standardError: 0.777 },
        },
      ],
      strengths: [],
      gaps: [{ area: 'serverless', name: 'Serverless', suggestion: 'x' }],
    };
    const now = currentProfile(stored);
    expect(now.areas.map((a) => a.level)).toEqual(['intermediate', 'intermediate']);
    expect(now.gaps).toEqual([]);
  });

  it('states a rule for every level', () => {
    for (const level of LEVELS) {
      const text = levelRule({
        level,
        items: level === 'insufficient-evidence' ? 2 : 5,
        score: 50,
        ability: { theta: 0, standardError: 0.7 },
      });
      expect(text.length).toBeGreaterThan(40);
    }
  });
});
