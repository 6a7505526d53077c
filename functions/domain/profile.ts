/**
 * The skill profile of a graded attempt: scores per area and per kind, an ability estimate
 * and level per area, and the strongest and weakest areas with what to do next. Pure.
 */

import * as z from 'zod/mini';
import type { GradedQuestion } from './grading.ts';
import { expectedScore, type ItemModel } from './irt-model.ts';
import {
  AbilitySchema,
  type CalibratedParameters,
  eap,
  type ItemCalibration,
  itemModel,
  LevelSchema,
  levelOf,
  type ScoredItem,
} from './psychometrics.ts';
import { AREAS, type AreaId, type AreaKind, findArea } from './taxonomy.ts';

/**
 * One graded question with the calibration of the version the candidate was given: its
 * difficulty label (the prior), and its calibrated parameters when the attempt froze some.
 */
export type ProfileItem = Pick<GradedQuestion, 'questionId' | 'area' | 'score'> &
  ItemCalibration & { calibrated?: CalibratedParameters };

export const STOP_REASONS = [
  'target-standard-error',
  'max-items',
  'pool-exhausted',
  'time-up',
  'submitted',
] as const;
/**
 * Why an adaptive section ended: its target standard error reached (after at least minItems),
 * maxItems answered, no item left, the time ran out, or the candidate submitted before any of
 * these.
 */
export type SectionStopReason = (typeof STOP_REASONS)[number];

/** An adaptive section of an area, as its profile needs it. */
export interface AdaptiveAreaInput {
  area: string;
  /** The models of the section's whole pool: the area score is the expected score on it. */
  pool: readonly ItemModel[];
  minItems: number;
  maxItems: number;
  targetStandardError: number;
  stopReason: SectionStopReason;
}

export interface ProfileInput {
  items: readonly ProfileItem[];
  /** Adaptive sections, by area (at most one per area). */
  adaptive?: readonly AdaptiveAreaInput[];
  passingScore?: number;
}

export const AdaptiveAreaSchema = z.object({
  stopReason: z.enum(STOP_REASONS),
  itemsUsed: z.int(),
  minItems: z.int(),
  maxItems: z.int(),
  standardError: z.number(),
  targetStandardError: z.number(),
});

export const AreaProfileSchema = z.object({
  area: z.string(),
  kind: z.enum(['technical', 'soft']),
  score: z.number(),
  items: z.int(),
  correct: z.int(),
  level: LevelSchema,
  ability: AbilitySchema,
  /** Present for an area measured by an adaptive section: items used, final SE, why it stopped. */
  adaptive: z.optional(AdaptiveAreaSchema),
});
export type AreaProfile = z.infer<typeof AreaProfileSchema>;

export const DevelopmentSchema = z.object({
  area: z.string(),
  name: z.string(),
  suggestion: z.string(),
});
export type Development = z.infer<typeof DevelopmentSchema>;

export interface SkillProfile {
  /** 0-100: the mean item score, so each section weighs by its size. */
  score: number;
  passed?: boolean;
  technical: { score: number } | null;
  soft: { score: number } | null;
  areas: AreaProfile[];
  /** Up to two areas, strongest first, with theta >= 0 and enough evidence. */
  strengths: Development[];
  /** Up to two areas, weakest first, with theta < 0 and enough evidence. */
  gaps: Development[];
}

/** What to do next in an area: `gap` to close a weakness, `strength` to build on one. */
export const DEVELOPMENT: Readonly<Record<AreaId, { gap: string; strength: string }>> = {
  microservices: {
    gap: 'Split a small monolith into two services on a local Kubernetes (kind or k3d): give each its own datastore, talk over HTTP with timeouts and retries, and watch what happens when one service is down.',
    strength:
      'Take on a service-boundary review: map an existing system’s synchronous call chains and propose where an outbox, a saga or a merge of chatty services would cut coupling.',
  },
  serverless: {
    gap: 'Build an SQS-triggered Lambda with partial batch failures, a dead-letter queue and idempotent writes, then measure its cold starts and cost per million events.',
    strength:
      'Profile a production function’s cold start and bill: bundle size, memory setting, provisioned concurrency against SnapStart, and write up the trade-off for the team.',
  },
  'api-first': {
    gap: 'Write the OpenAPI document for a small API before any code: pagination with cursors, problem+json errors, idempotency keys on POST, then generate a client and a contract test from it.',
    strength:
      'Lead an API design review: set a versioning and deprecation policy, lint specs in CI (Spectral) and check breaking changes against the published contract.',
  },
  'real-time-data': {
    gap: 'Practise consumer-group rebalancing and idempotent consumers on a local Kafka: kill a consumer mid-batch, replay the partition, and make the sink tolerate duplicates.',
    strength:
      'Design a streaming pipeline end to end: partition keys for ordering, back-pressure from a slow sink, exactly-once semantics with transactions, and consumer-lag alerts.',
  },
  'devops-cicd': {
    gap: 'Build a GitHub Actions pipeline that tests, builds an image once and promotes the same artefact to staging and production, with a one-click rollback.',
    strength:
      'Introduce progressive delivery: a canary or blue/green release gated by error-rate and latency metrics, with automatic rollback and DORA metrics on a dashboard.',
  },
  'ai-ml': {
    gap: 'Serve a small pretrained model (a scikit-learn or PyTorch classifier) behind an HTTP endpoint with input validation, a timeout, batching and a fallback when the model is slow.',
    strength:
      'Own a model in production: version it with its data, shadow-deploy the next one, monitor drift and latency, and define when the backend falls back to rules.',
  },
  security: {
    gap: 'Work through the OWASP Top 10 on a deliberately vulnerable app (Juice Shop): exploit injection, broken access control and SSRF, then fix each in the code and add a test.',
    strength:
      'Run a threat-modelling session (STRIDE) on a real feature, then add secret scanning, dependency audits and least-privilege IAM checks to the pipeline.',
  },
  'cloud-native': {
    gap: 'Deploy a service on a managed database with health checks, structured logs, traces (OpenTelemetry) and a dashboard, then break a dependency and follow the incident through the telemetry.',
    strength:
      'Lead a resilience exercise: set SLOs and error budgets for a service, run a game day with injected faults and turn the findings into runbooks.',
  },
  'modern-languages': {
    gap: 'Write the same concurrent worker pool in Go (goroutines, channels, context cancellation) and in Rust (ownership, Send/Sync, tokio), and compare the bugs each compiler catches.',
    strength:
      'Port a hot path to Go or Rust and benchmark it honestly: allocations, tail latency and memory under load, and write down when the rewrite is not worth it.',
  },
  'problem-solving': {
    gap: 'Practise timed debugging: reproduce a bug from a vague report, write down hypotheses before touching code, bisect, and explain the root cause and the trade-off of the fix.',
    strength:
      'Take the ambiguous problems on the roadmap: frame options with their costs and risks in a one-page decision record, and run the post-incident reviews.',
  },
  communication: {
    gap: 'Write a one-page design note for a recent change (context, options, decision, consequences) and present it in five minutes to someone outside the team; ask what was unclear.',
    strength:
      'Own cross-team communication for a project: write the RFC, run the review, and keep a changelog and status updates that non-engineers can follow.',
  },
  adaptability: {
    gap: 'Pick an unfamiliar technology from the stack and ship a small, reviewed change with it within two weeks, keeping a log of what slowed you down and how you got unstuck.',
    strength:
      'Help others through change: pair on a migration, write the getting-started guide for a new tool, and lead a retrospective when plans shift.',
  },
  collaboration: {
    gap: 'Practise review and pairing habits: give specific, kind code-review comments, pair weekly with someone from another function, and resolve one disagreement by writing down both positions.',
    strength:
      'Mentor a newer engineer through a project and facilitate a cross-functional planning session, making sure quieter voices and other teams’ constraints are heard.',
  },
};

// Summed in sorted order so that floating-point rounding cannot depend on question order.
const pct = (xs: readonly number[]) =>
  xs.length
    ? Math.round(([...xs].sort((a, b) => a - b).reduce((a, b) => a + b, 0) / xs.length) * 1000) / 10
    : 0;

// Reports show three decimals; `+ 0` turns -0 into 0. Levels, strengths and gaps are decided
// on the rounded values so that they agree with what the report shows.
const round3 = (x: number) => Math.round(x * 1000) / 1000 + 0;

const TAXONOMY_ORDER = new Map<string, number>(AREAS.map((a, i) => [a.id, i]));

function byTaxonomy(x: string, y: string): number {
  const ix = TAXONOMY_ORDER.get(x) ?? Number.MAX_SAFE_INTEGER;
  const iy = TAXONOMY_ORDER.get(y) ?? Number.MAX_SAFE_INTEGER;
  return ix - iy || (x < y ? -1 : x > y ? 1 : 0);
}

function development(area: string, which: 'gap' | 'strength'): Development {
  const known = findArea(area);
  const text = DEVELOPMENT[area as AreaId]?.[which];
  return {
    area,
    name: known?.name ?? area,
    suggestion:
      text ??
      (which === 'gap'
        ? 'Work through this area’s questions again with their explanations.'
        : 'Build on this area by reviewing and teaching it.'),
  };
}

/** An item and its score as the EAP sees it: calibrated (GPCM/2PL) or its label prior. */
export function scoredItem(it: ProfileItem): ScoredItem {
  const model = itemModel(it, it.calibrated);
  return model.categories
    ? { a: model.a, steps: model.steps, categories: model.categories, score: it.score }
    : { a: model.a, b: model.steps[0]!, score: it.score };
}

/**
 * The skill profile of graded questions. Areas come in taxonomy order, each with its score
 * (0-100), items, fully correct items, EAP ability (calibrated parameters where the attempt
 * has them, difficulty-label priors otherwise) and level. A fixed area's score is its mean
 * item score; an adaptive area's is the expected score on its section's whole pool at its EAP
 * (its candidates see items of different difficulty, so their raw means are not comparable;
 * 0 when no item was answered). The overall score is the mean over items, an adaptive area
 * counting its score once per item used, so a test without adaptive sections scores its mean
 * item score. Strengths are the two highest-theta areas with theta >= 0 and gaps the two
 * lowest with theta < 0, both only among areas with enough evidence for a level. The result
 * does not depend on item order.
 */
export function buildProfile(input: ProfileInput): SkillProfile {
  const byArea = new Map<string, ProfileItem[]>();
  for (const item of input.items) byArea.set(item.area, [...(byArea.get(item.area) ?? []), item]);
  const adaptiveOf = new Map((input.adaptive ?? []).map((a) => [a.area, a]));
  for (const a of adaptiveOf.keys()) if (!byArea.has(a)) byArea.set(a, []);
  /** Per area, the item scores its overall and kind scores count. */
  const counted = new Map<string, number[]>();

  const areas: AreaProfile[] = [...byArea.keys()].sort(byTaxonomy).map((area) => {
    const items = byArea.get(area)!;
    const estimate = eap(items.map(scoredItem));
    const ability = {
      theta: round3(estimate.theta),
      standardError: round3(estimate.standardError),
    };
    const kind: AreaKind = findArea(area)?.kind ?? 'technical';
    const section = adaptiveOf.get(area);
    let score = pct(items.map((it) => it.score));
    counted.set(
      area,
      items.map((it) => it.score),
    );
    if (section) {
      const pool = section.pool;
      const expected =
        items.length && pool.length
          ? pool.reduce((sum, m) => sum + expectedScore(m, estimate.theta), 0) / pool.length
          : 0;
      score = Math.round(expected * 1000) / 10;
      counted.set(
        area,
        items.map(() => expected),
      );
    }
    return {
      area,
      kind,
      score,
      items: items.length,
      correct: items.filter((it) => it.score === 1).length,
      level: levelOf(ability.theta, ability.standardError, items.length),
      ability,
      ...(section
        ? {
            adaptive: {
              stopReason: section.stopReason,
              itemsUsed: items.length,
              minItems: section.minItems,
              maxItems: section.maxItems,
              standardError: ability.standardError,
              targetStandardError: section.targetStandardError,
            },
          }
        : {}),
    };
  });

  const kindScore = (kind: AreaKind) => {
    const scores = [...counted]
      .filter(([area]) => (findArea(area)?.kind ?? 'technical') === kind)
      .flatMap(([, xs]) => xs);
    return scores.length ? { score: pct(scores) } : null;
  };

  // Ties keep taxonomy order (the sort is stable), so equal areas rank the same every time.
  const evidenced = areas.filter((a) => a.level !== 'insufficient-evidence');
  const strengths = evidenced
    .filter((a) => a.ability.theta >= 0)
    .sort((x, y) => y.ability.theta - x.ability.theta)
    .slice(0, 2)
    .map((a) => development(a.area, 'strength'));
  const gaps = evidenced
    .filter((a) => a.ability.theta < 0)
    .sort((x, y) => x.ability.theta - y.ability.theta)
    .slice(0, 2)
    .map((a) => development(a.area, 'gap'));

  const score = pct([...counted.values()].flat());
  return {
    score,
    ...(input.passingScore !== undefined ? { passed: score >= input.passingScore } : {}),
    technical: kindScore('technical'),
    soft: kindScore('soft'),
    areas,
    strengths,
    gaps,
  };
}

/**
 * Join graded questions with the calibration of the question versions they were graded
 * against, for {@link buildProfile}. Throws when a graded question has no content: that is
 * a bug in the caller, not a candidate's mistake.
 */
export function profileItems(
  graded: readonly GradedQuestion[],
  contents: readonly (ItemCalibration & { id: string; calibrated?: CalibratedParameters })[],
): ProfileItem[] {
  const byId = new Map(contents.map((c) => [c.id, c]));
  return graded.map((g) => {
    const c = byId.get(g.questionId);
    if (!c) throw new Error(`No content for graded question ${g.questionId}.`);
    return {
      questionId: g.questionId,
      area: g.area,
      score: g.score,
      difficulty: c.difficulty,
      ...(c.discrimination !== undefined ? { discrimination: c.discrimination } : {}),
      ...(c.difficultyParam !== undefined ? { difficultyParam: c.difficultyParam } : {}),
      ...(c.calibrated ? { calibrated: c.calibrated } : {}),
    };
  });
}
