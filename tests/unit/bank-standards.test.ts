import { describe, expect, it } from 'vitest';
import { bankFiles, readBankFile } from '../../functions/cli/bank-files.ts';
import {
  bestOptionIds,
  explanationProblems,
  STRONG_WEIGHT,
  sjtWeights,
  strongOptionIds,
  surfaceCuePicks,
  surfaceCueShares,
} from '../../functions/cli/report.ts';
import type { QuestionContent } from '../../functions/domain/question.ts';
import { AREAS } from '../../functions/domain/taxonomy.ts';

/**
 * The second-edition standards of the shipped bank's situational-judgement items
 * (docs/question-bank.md, "Situational judgement items"). The general hygiene rules (validity,
 * position balance, explanation length, tags) live in question-bank.test.ts.
 */
const all = bankFiles(['questions']).flatMap((f) => readBankFile(f).questions);
// A growing area (taxonomy `bank: 'growing'`) meets these once it meets the standard.
const softAreas = AREAS.filter((a) => a.kind === 'soft' && a.bank !== 'growing').map((a) => a.id);
const sjt = all.filter((q) => q.type === 'sjt');
const inArea = (area: string) => all.filter((q) => q.area === area);

/** The soft-skill item ids of the first edition: they stay, rewritten as new versions. */
const FIRST_EDITION_IDS: Record<string, string[]> = {
  'problem-solving': [
    'ps-incident-rollback-recent-deploy',
    'ps-ci-deploy-failure-read-log',
    'ps-vague-make-it-faster',
    'ps-estimate-unfamiliar-code',
    'ps-new-stack-borrow-checker',
    'ps-kafka-lag-single-partition',
    'ps-dual-write-reconciliation-diffs',
    'ps-latency-regression-bisect',
    'ps-go-memory-growth-hypotheses',
    'ps-account-deletion-two-readings',
    'ps-partner-api-timeouts-degrade',
    'ps-rollback-blocked-by-migration',
    'ps-incident-several-fixes-at-once',
    'ps-review-contention-ceiling',
    'ps-rabbit-hole-rare-race',
    'ps-queue-choice-overanalysis',
    'ps-cost-spike-rewrite-proposal',
  ],
  communication: [
    'com-incident-status-update',
    'com-pr-description',
    'com-explain-delay-to-pm',
    'com-ask-platform-help',
    'com-confirm-requirements-in-writing',
    'com-design-doc-unread',
    'com-review-comment-n-plus-one',
    'com-pii-field-request',
    'com-recommendation-to-cto',
    'com-oncall-handover',
    'com-explain-lag-to-support',
    'com-public-misdiagnosis-thread',
    'com-date-for-customer',
    'com-availability-promise-vp',
    'com-explain-decision-you-opposed',
    'com-support-possible-data-exposure',
    'com-report-vulnerability-other-team',
  ],
  adaptability: [
    'ada-new-language-first-ticket',
    'ada-ci-platform-switch',
    'ada-priority-switch-midsprint',
    'ada-own-incident-postmortem',
    'ada-first-oncall-unfamiliar-alert',
    'ada-adopt-team-decision-codegen',
    'ada-reorg-handover-old-team',
    'ada-requirement-reversal-webhooks',
    'ada-cloud-migration-semantics',
    'ada-outdated-runbook-incident',
    'ada-review-feedback-outbox',
    'ada-merged-team-trunk-based',
    'ada-spike-timebox-graphql',
    'ada-upstream-field-removed',
    'ada-rate-limiter-sunk-cost',
    'ada-migration-repeated-rollback',
    'ada-long-incident-handoff',
  ],
  collaboration: [
    'col-review-blocking-vs-nits',
    'col-pr-waiting-on-owning-team',
    'col-oncall-swap',
    'col-help-stuck-teammate',
    'col-qa-status-code-dispute',
    'col-incident-coordination-ic',
    'col-data-team-reads-your-database',
    'col-review-large-pr-before-cut',
    'col-knowledge-silo-bus-factor',
    'col-new-joiner-challenges-practices',
    'col-bug-in-other-team-library',
    'col-security-finding-dispute',
    'col-postmortem-other-team-cause',
    'col-internal-transfer-mid-migration',
    'col-teammate-missing-tests',
    'col-noisy-alerts-other-team',
    'col-reorg-orphaned-service',
  ],
};

/** The effectiveness levels of the rubric. */
const RUBRIC_LEVELS = [0, 0.25, 0.5, 0.75, 1];

const words = (s: string) =>
  new Set(
    s
      .toLowerCase()
      .replace(/[^a-z0-9 ]+/g, ' ')
      .split(/\s+/)
      .filter((w) => w.length > 2),
  );
const jaccard = (a: Set<string>, b: Set<string>) => {
  const inter = [...a].filter((x) => b.has(x)).length;
  return inter / (a.size + b.size - inter);
};

describe('the soft-skill pools', () => {
  for (const area of softAreas) {
    it(`hold at least 30 situational-judgement items in ${area}, at least 10 per difficulty`, () => {
      const qs = inArea(area);
      expect(qs.filter((q) => q.type !== 'sjt').map((q) => q.id)).toEqual([]);
      expect(qs.length).toBeGreaterThanOrEqual(30);
      for (const d of [1, 2, 3])
        expect(
          qs.filter((q) => q.difficulty === d).length,
          `difficulty ${d}`,
        ).toBeGreaterThanOrEqual(10);
    });
  }

  it('keep every first-edition id, in its area, as a situational-judgement item', () => {
    const byId = new Map(all.map((q) => [q.id, q]));
    const lost = Object.entries(FIRST_EDITION_IDS).flatMap(([area, ids]) =>
      ids.filter((id) => byId.get(id)?.area !== area || byId.get(id)?.type !== 'sjt'),
    );
    expect(Object.values(FIRST_EDITION_IDS).flat()).toHaveLength(68);
    expect(lost).toEqual([]);
  });
});

describe('every situational-judgement item', () => {
  it('has exactly one most effective option and weights on the rubric levels', () => {
    const bad = sjt.filter(
      (q) =>
        bestOptionIds(q).length !== 1 ||
        Object.values(sjtWeights(q)).some((w) => !RUBRIC_LEVELS.includes(w)),
    );
    expect(bad.map((q) => q.id)).toEqual([]);
  });

  it(`offers at least two options that experienced engineers defend (weight >= ${STRONG_WEIGHT})`, () => {
    expect(sjt.filter((q) => strongOptionIds(q).length < 2).map((q) => q.id)).toEqual([]);
  });

  it('explains the key by a criterion, names every option by its text, and says when the runner-up would be right', () => {
    const problems = sjt.flatMap((q) => explanationProblems(q).map((p) => `${q.id}: ${p}`));
    expect(problems).toEqual([]);
  });

  it('keeps its options within 30% of each other in length, so length does not point at the key', () => {
    const uneven = sjt.filter((q) => {
      const lengths = q.options!.map((o) => o.text.length);
      return Math.max(...lengths) > 1.3 * Math.min(...lengths);
    });
    expect(uneven.map((q) => q.id)).toEqual([]);
  });
});

describe('resistance to test-wiseness in the soft-skill areas', () => {
  for (const area of softAreas) {
    it(`lets no surface cue reach the key on more than 40% of ${area}'s items, and all cues together on at most 30%`, () => {
      const shares = surfaceCueShares(inArea(area));
      for (const [cue, share] of Object.entries(shares))
        expect(share, `key picked by "${cue}"`).toBeLessThanOrEqual(0.4);
      expect(
        shares.combined,
        'key picked by length, consultation and hedging together',
      ).toBeLessThanOrEqual(0.3);
    });
  }

  /** An SJT item whose option d is the key, built to show a cue at work. */
  const giveaway = (prompt: string, texts: string[], weights: number[]): QuestionContent => ({
    id: 'giveaway',
    area: 'collaboration',
    type: 'sjt',
    difficulty: 1,
    prompt,
    options: texts.map((text, i) => ({ id: 'abcd'[i]!, text })),
    answer: { weights: Object.fromEntries(weights.map((w, i) => ['abcd'[i]!, w])) },
    explanation: 'Built to be test-wise.',
    tags: ['giveaway'],
  });

  it('measures the cues on an item built to be test-wise, so the figures above can fail', () => {
    const item = giveaway(
      'A teammate breaks the build. What do you do?',
      [
        'Ignore it',
        'Wait a quarter',
        'Dump it on someone',
        'Talk to the team first, agree together on a careful plan, and check the evidence before you act',
      ],
      [0, 0, 0, 1],
    );
    expect(surfaceCuePicks(item).combined).toEqual(['d']);
    expect(surfaceCueShares([item])).toMatchObject({ longest: 1, consultative: 1, hedged: 1 });
  });

  it('measures the complete-sounding key among options that argue for themselves, which word counts miss', () => {
    const item = giveaway(
      'An incident is under way and people keep asking for news. What do you post?',
      [
        'A log of every hypothesis, so that anyone can follow along closely',
        'Nothing yet, since the cause is still being investigated today',
        'A note asking for quiet, which lets the responders concentrate',
        'Who is affected, what is known, and when the next update comes',
      ],
      [0.25, 0.5, 0.5, 1],
    );
    expect(surfaceCuePicks(item)).toMatchObject({ listing: ['d'], unargued: ['d'] });
    expect(surfaceCueShares([item])).toMatchObject({ listing: 1, unargued: 1 });
  });
});

describe('prompts across the whole bank', () => {
  it('are never duplicated, whatever their case and spacing', () => {
    const seen = new Map<string, string>();
    const dupes: string[] = [];
    for (const q of all) {
      const key = q.prompt.toLowerCase().replace(/\s+/g, ' ').trim();
      if (seen.has(key)) dupes.push(`${seen.get(key)} = ${q.id}`);
      else seen.set(key, q.id);
    }
    expect(dupes).toEqual([]);
  });

  it('keep every situational-judgement prompt clearly apart from every other prompt (word-set Jaccard < 0.5)', () => {
    const sets = all.map((q) => ({ q, w: words(q.prompt) }));
    const near: string[] = [];
    for (let i = 0; i < sets.length; i++)
      for (let j = i + 1; j < sets.length; j++) {
        const [a, b] = [sets[i]!, sets[j]!];
        if (a.q.type !== 'sjt' && b.q.type !== 'sjt') continue;
        const s = jaccard(a.w, b.w);
        if (s >= 0.5) near.push(`${a.q.id} ~ ${b.q.id} (${s.toFixed(2)})`);
      }
    expect(near).toEqual([]);
  });
});
