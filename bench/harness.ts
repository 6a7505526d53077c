/**
 * The benchmark: five parts run against one DynamoDB Local, every headline figure a ratio to a
 * floor measured in the same run. `runBench` is what `npm run bench` (bench/run.ts) and the
 * smoke test (tests/integration/bench-smoke.test.ts) call, with different sizes.
 */
import { cpus } from 'node:os';
import { syntheticBank } from './lib/bank.ts';
import type { Calibration } from './lib/dynamo.ts';
import { openBench } from './lib/setup.ts';
import { round, type Spread, spreadOf, type Verdict, verdictOf } from './lib/stats.ts';
import { uploadBank } from './lib/workflow.ts';
import { type ColdStartOptions, type ColdStartResult, coldStart } from './parts/cold-start.ts';
import { type CostOptions, type CostResult, dynamoCost } from './parts/cost.ts';
import { type LoadOptions, type LoadResult, load } from './parts/load.ts';
import { type ScaleOptions, type ScaleResult, scale } from './parts/scale.ts';
import { type EndpointOverhead, type WarmOptions, warmOverhead } from './parts/warm.ts';

export const PARTS = ['coldStart', 'warm', 'cost', 'load', 'scale'] as const;
export type Part = (typeof PARTS)[number];

export interface BenchSizes {
  /** Questions in the bank every part but scale uses (13 areas round-robin). */
  bankQuestions: number;
  coldStart: ColdStartOptions;
  warm: WarmOptions;
  cost: CostOptions;
  scale: ScaleOptions;
  load: LoadOptions;
}

export const FULL: BenchSizes = {
  bankQuestions: 650,
  coldStart: { runs: 55, rounds: 5 },
  warm: { requests: 1000, warmup: 50, rounds: 5 },
  cost: { workflows: 10 },
  scale: { sizes: [1000, 10_000, 100_000], workflows: 60, warmup: 3, rounds: 5 },
  load: { candidates: 200, rounds: 5, deadlineMs: 120_000, requestTimeoutMs: 15_000 },
};

export const QUICK: BenchSizes = {
  bankQuestions: 650,
  coldStart: { runs: 5, rounds: 5 },
  warm: { requests: 100, warmup: 20, rounds: 5 },
  cost: { workflows: 3 },
  scale: { sizes: [1000, 10_000], workflows: 10, warmup: 2, rounds: 5 },
  load: { candidates: 50, rounds: 3, deadlineMs: 60_000, requestTimeoutMs: 15_000 },
};

export interface Target {
  id: string;
  description: string;
  /** The figure: a median when measured repeatedly (see `spread`). */
  value: number | string;
  /** The range of the repeated measurements the verdict is given on. */
  spread?: Spread;
  limit: string;
  /** PASS or MISS only when the whole spread is on one side of the limit. */
  verdict: Verdict;
  pass: boolean;
  /** Why a verdict could not be given, when that is not the spread. */
  note?: string;
}

export interface BenchResults {
  meta: {
    mode: string;
    startedAt: string;
    durationS: number;
    node: string;
    cpus: number;
    cpuModel: string;
    dynamodb: string;
    streams: boolean;
    parts: Part[];
    sizes: BenchSizes;
    calibration: Calibration;
  };
  coldStart?: ColdStartResult[];
  warm?: EndpointOverhead[];
  cost?: CostResult;
  load?: LoadResult;
  scale?: ScaleResult;
  targets: Target[];
}

export interface RunOptions {
  /** DynamoDB endpoint (DynamoDB Local); the bench makes its own tables there and drops them. */
  endpoint: string;
  sizes: BenchSizes;
  mode?: string;
  parts?: readonly Part[];
  /** Progress lines; silent by default. */
  log?: (line: string) => void;
  dynamodbLabel?: string;
  /** Give the bench's tables their DynamoDB stream, as deployed (off: see bench/README.md). */
  streams?: boolean;
}

const KB = 1024;
export const BUNDLE_LIMIT_BYTES = 400 * KB;

/** Every goal, from the parts that ran: PASS, MISS, or inconclusive when the spread crosses it. */
export function evaluateTargets(r: Omit<BenchResults, 'targets'>): Target[] {
  const t: Target[] = [];
  const add = (x: Omit<Target, 'pass'>) => t.push({ ...x, pass: x.verdict === 'PASS' });
  /** A measured figure: the verdict from its spread (or from the one value when exact). */
  const measured = (
    id: string,
    description: string,
    s: Spread,
    limit: number,
    direction: 'at-most' | 'at-least',
    extra: { unit?: string; blocker?: string } = {},
  ) => {
    const verdict = extra.blocker ? 'inconclusive' : verdictOf(s, limit, direction);
    add({
      id,
      description,
      value: s.median,
      ...(s.n > 1 ? { spread: s } : {}),
      limit: `${direction === 'at-most' ? '<=' : '>='} ${limit}${extra.unit ?? ''}`,
      verdict,
      ...(extra.blocker ? { note: extra.blocker } : {}),
    });
  };
  const exact = (x: number) => spreadOf([x]);
  for (const c of r.coldStart ?? []) {
    // The goal is on the bundle as deployed (issue 10: "yaml is loaded only for YAML uploads"
    // is how the authoring bundle was to get under it); what the worst request loads beside it
    // (YAML parser, logger, ...) is given in the note and counted in its cold start.
    measured(
      `bundle-size:${c.function}`,
      `${c.function} bundle, minified (KB)`,
      exact(round(c.bundle.bytes / KB, 1)),
      BUNDLE_LIMIT_BYTES / KB,
      'at-most',
    );
    if (c.sideModules?.length) {
      const goal = t.at(-1)!;
      goal.note = `its worst request also loads ${c.sideModules
        .map((m) => `${m.name} ${round(m.bytes / KB, 1)} KB`)
        .join(', ')}: ${round((c.loadedBytes ?? c.bundle.bytes) / KB, 1)} KB in all`;
    }
    if (c.rounds) {
      const blocker =
        c.sameCalls === false
          ? 'the floor did not make the same calls'
          : (c.real?.errors ?? 1) > 0
            ? 'the function answered errors'
            : undefined;
      measured(
        `cold-start:${c.function}`,
        `${c.function} cold start (${c.request}) / floor`,
        c.rounds,
        1.3,
        'at-most',
        blocker ? { blocker } : {},
      );
      if ((c.floorParses || c.floorRenders) && c.callsOnlyRounds) {
        const goal = t.at(-1)!;
        const work = [
          c.floorParses &&
            `parses the same ${round(c.floorParses.bytes / KB, 1)} KB of YAML with the same module`,
          c.floorRenders &&
            `renders the same ${c.floorRenders.texts} markdown texts (${round(c.floorRenders.bytes / KB, 1)} KB) with the same module`,
        ].filter(Boolean);
        const why = `the floor ${work.join(' and ')}; to a floor making the calls only: ${c.callsOnlyRounds.median.toFixed(2)} (${c.callsOnlyRounds.min.toFixed(2)}-${c.callsOnlyRounds.max.toFixed(2)})`;
        goal.note = goal.note ? `${goal.note}; ${why}` : why;
      }
    }
  }
  for (const w of r.warm ?? [])
    measured(
      `overhead:${w.endpoint}`,
      `${w.endpoint}: gateway / DynamoDB time on the wire, p50`,
      w.rounds,
      1.3,
      'at-most',
      w.errors ? { blocker: `${w.errors} errors` } : {},
    );
  if (r.cost) {
    const op = (name: string) => r.cost!.operations.find((o) => o.operation === name)!;
    const wf = (variant: string) => r.cost!.workflows.find((w) => w.variant.startsWith(variant))!;
    // 5 + 1: docs/access-patterns.md#the-starts-calls says what each call does and why none of
    // the five can go without a guarantee or the capacity goals (issue 7 first asked 3 + 1).
    const startCalls = (id: string, operation: string, description: string) => {
      const calls = r.cost!.operations.find((o) => o.operation === operation)?.calls;
      if (!calls) return;
      const other = calls.filter((c) => c !== 'BatchGetItem').length;
      const batch = calls.filter((c) => c === 'BatchGetItem').length;
      add({
        id,
        description,
        value: `${other} + ${batch}`,
        limit: '<= 5 + 1',
        verdict: other <= 5 && batch <= 1 ? 'PASS' : 'MISS',
      });
    };
    startCalls(
      'calls:start-cold',
      'start (fresh function)',
      'start, fresh function, new assessment: calls + batch reads',
    );
    startCalls(
      'calls:start-cold-locked',
      'start (fresh function, locked assessment)',
      'start, fresh function, locked assessment: calls + batch reads',
    );
    measured(
      'calls:start-warm',
      'start, warm caches: calls',
      exact(op('start (warm caches)').callCount.max),
      4,
      'at-most',
    );
    add({
      id: 'calls:save',
      description: 'save answer: calls (every save)',
      value: r.cost.everySaveOneUpdate ? 1 : 'not always 1',
      limit: '= 1 UpdateItem',
      verdict: r.cost.everySaveOneUpdate ? 'PASS' : 'MISS',
    });
    measured('calls:submit', 'submit: calls', exact(op('submit').callCount.max), 5, 'at-most');
    const save = op('save answer (any)').wcu;
    measured(
      'wcu:save',
      'save answer: WCU (every save)',
      { ...save, median: save.max },
      1,
      'at-most',
    );
    measured('wcu:submit', 'submit: WCU', op('submit').wcu, 8, 'at-most');
    measured('rcu:result', "candidate's result: RCU", op('candidate result').rcu, 1, 'at-most');
    measured('rcu:report', "employer's report: RCU", op('employer report').rcu, 1, 'at-most');
    measured(
      'wcu:attempt-cold',
      'whole attempt, cold caches: WCU',
      wf('start (cold caches) + 20 saves + submit + result').wcu,
      40,
      'at-most',
    );
    measured(
      'rcu:attempt-cold',
      'whole attempt, cold caches: RCU',
      wf('start (cold caches) + 20 saves + submit + result').rcu,
      14,
      'at-most',
    );
    measured(
      'wcu:attempt-warm',
      'whole attempt, warm caches: WCU',
      wf('start (warm caches) + 20 saves + submit + result').wcu,
      40,
      'at-most',
    );
    measured(
      'rcu:attempt-warm',
      'whole attempt, warm caches: RCU',
      wf('start (warm caches) + 20 saves + submit + result').rcu,
      12,
      'at-most',
    );
    measured(
      'wcu:statistics',
      'derived statistics per completion: WCU',
      r.cost.statistics.wcu,
      25,
      'at-most',
    );
  }
  if (r.scale) {
    const sizes = `${r.scale.points.at(-1)!.questions} / ${r.scale.points[0]!.questions} questions`;
    measured(
      'scale:create',
      `create assessment time, ${sizes}`,
      r.scale.createRatio,
      1.15,
      'at-most',
    );
    measured(
      'scale:create-capacity',
      `create assessment capacity, ${sizes}`,
      r.scale.createCapacityRatio,
      1.15,
      'at-most',
    );
    measured(
      'scale:latency',
      `workflow p50 / raw-call floor, ${sizes}`,
      r.scale.normalizedLatencyRatio,
      1.15,
      'at-most',
    );
    measured(
      'scale:capacity',
      `workflow capacity, ${sizes}`,
      exact(r.scale.capacityRatio),
      1.15,
      'at-most',
    );
  }
  if (r.load) {
    measured(
      'load:errors',
      `errors, ${r.load.candidates} candidates x ${r.load.rounds} rounds`,
      exact(r.load.gateway.errors),
      0,
      'at-most',
    );
    measured(
      'load:lost',
      'lost acknowledged answers',
      exact(r.load.gateway.lostAnswers),
      0,
      'at-most',
    );
    measured(
      'load:throughput',
      'throughput / raw UpdateItem floor',
      r.load.throughputRounds,
      0.7,
      'at-least',
    );
  }
  return t;
}

/** Run the chosen parts; the caller owns DynamoDB (Local) and writing the results. */
export async function runBench(opts: RunOptions): Promise<BenchResults> {
  const started = Date.now();
  const log = opts.log ?? (() => undefined);
  const parts = opts.parts ?? PARTS;
  const sizes = opts.sizes;
  const b = await openBench(opts.endpoint, opts.streams ?? false);
  const partial: Omit<BenchResults, 'targets'> = {
    meta: {
      mode: opts.mode ?? 'custom',
      startedAt: new Date(started).toISOString(),
      durationS: 0,
      node: process.version,
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      dynamodb: opts.dynamodbLabel ?? opts.endpoint,
      streams: opts.streams ?? false,
      parts: [...parts],
      sizes,
      calibration: b.calibration,
    },
  };
  const step = async <T>(part: Part, what: string, f: () => Promise<T>): Promise<T | undefined> => {
    if (!parts.includes(part)) return undefined;
    const t = Date.now();
    log(`${what}...`);
    const out = await f();
    log(`${what}: ${((Date.now() - t) / 1000).toFixed(1)} s`);
    return out;
  };
  try {
    await uploadBank(b, syntheticBank('main', sizes.bankQuestions));
    partial.coldStart = await step('coldStart', 'cold start', () => coldStart(b, sizes.coldStart));
    partial.warm = await step('warm', 'warm overhead', () => warmOverhead(b, sizes.warm));
    partial.cost = await step('cost', 'DynamoDB cost', () => dynamoCost(b, sizes.cost));
    partial.load = await step('load', 'load', () => load(b, sizes.load));
    partial.scale = await step('scale', 'scale', () => scale(b, sizes.scale));
  } finally {
    await b.close();
  }
  partial.meta.durationS = round((Date.now() - started) / 1000, 1);
  return { ...partial, targets: evaluateTargets(partial) };
}
