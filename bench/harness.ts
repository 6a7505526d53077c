/**
 * The benchmark: five parts run against one DynamoDB Local, every headline figure a ratio to a
 * floor measured in the same run. `runBench` is what `npm run bench` (bench/run.ts) and the
 * smoke test (tests/integration/bench-smoke.test.ts) call, with different sizes.
 */
import { cpus } from 'node:os';
import { syntheticBank } from './lib/bank.ts';
import type { Calibration } from './lib/dynamo.ts';
import { openBench } from './lib/setup.ts';
import { round } from './lib/stats.ts';
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
  coldStart: { runs: 15 },
  warm: { requests: 1000, warmup: 50 },
  cost: { workflows: 10 },
  scale: { sizes: [1000, 10_000, 100_000], workflows: 20, warmup: 3 },
  load: { candidates: 200, rounds: 3, deadlineMs: 120_000, requestTimeoutMs: 15_000 },
};

export const QUICK: BenchSizes = {
  bankQuestions: 650,
  coldStart: { runs: 5 },
  warm: { requests: 100, warmup: 20 },
  cost: { workflows: 3 },
  scale: { sizes: [1000, 10_000], workflows: 8, warmup: 2 },
  load: { candidates: 50, rounds: 3, deadlineMs: 60_000, requestTimeoutMs: 15_000 },
};

export interface Target {
  id: string;
  description: string;
  value: number | string;
  limit: string;
  pass: boolean;
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

/** Every target of the issue, PASS or MISS, from the parts that ran. */
export function evaluateTargets(r: Omit<BenchResults, 'targets'>): Target[] {
  const t: Target[] = [];
  const add = (
    id: string,
    description: string,
    value: number | string,
    limit: string,
    pass: boolean,
  ) => t.push({ id, description, value, limit, pass });
  for (const c of r.coldStart ?? []) {
    add(
      `bundle-size:${c.function}`,
      `${c.function} bundle, minified`,
      `${round(c.bundle.bytes / KB, 1)} KB`,
      '<= 400 KB',
      c.bundle.bytes <= BUNDLE_LIMIT_BYTES,
    );
    if (c.ratio !== undefined)
      add(
        `cold-start:${c.function}`,
        `${c.function} cold start / floor`,
        c.ratio,
        '<= 1.3',
        c.ratio <= 1.3 && (c.real?.errors ?? 1) === 0,
      );
  }
  for (const w of r.warm ?? [])
    add(
      `overhead:${w.endpoint}`,
      `${w.endpoint}: gateway / DynamoDB time, p50`,
      w.ratio,
      '<= 1.3',
      w.ratio <= 1.3 && w.errors === 0,
    );
  if (r.cost) {
    const op = (name: string) => r.cost!.operations.find((o) => o.operation === name)!;
    const cold = op('start (fresh function)');
    const coldOther = cold.calls.filter((c) => c !== 'BatchGetItem').length;
    const coldBatch = cold.calls.filter((c) => c === 'BatchGetItem').length;
    add(
      'calls:start-cold',
      'start, fresh function: calls + batch reads',
      `${coldOther} + ${coldBatch}`,
      '<= 3 + 1',
      cold.callCount.max <= 4 && coldOther <= 3 && coldBatch <= 1,
    );
    const warm = op('start (warm caches)');
    add(
      'calls:start-warm',
      'start, warm caches: calls',
      warm.callCount.max,
      '<= 3',
      warm.callCount.max <= 3,
    );
    add(
      'calls:save',
      'save answer: calls (every save)',
      r.cost.everySaveOneUpdate ? 1 : 'not always 1',
      '= 1 UpdateItem',
      r.cost.everySaveOneUpdate,
    );
    const submit = op('submit');
    add('calls:submit', 'submit: calls', submit.callCount.max, '<= 3', submit.callCount.max <= 3);
  }
  if (r.scale) {
    add(
      'scale:latency',
      `workflow p50 / raw-call floor, ${r.scale.points.at(-1)!.questions} / ${r.scale.points[0]!.questions} questions`,
      r.scale.normalizedLatencyRatio,
      '<= 1.15',
      r.scale.normalizedLatencyRatio <= 1.15,
    );
    add(
      'scale:capacity',
      `workflow capacity, ${r.scale.points.at(-1)!.questions} / ${r.scale.points[0]!.questions} questions`,
      r.scale.capacityRatio,
      '<= 1.15',
      r.scale.capacityRatio <= 1.15,
    );
  }
  if (r.load) {
    add(
      'load:errors',
      `errors, ${r.load.candidates} candidates x ${r.load.rounds} rounds`,
      r.load.gateway.errors,
      '= 0',
      r.load.gateway.errors === 0,
    );
    add(
      'load:lost',
      'lost acknowledged answers',
      r.load.gateway.lostAnswers,
      '= 0',
      r.load.gateway.lostAnswers === 0,
    );
    add(
      'load:throughput',
      'throughput / raw UpdateItem floor',
      r.load.throughputRatio,
      '>= 0.7',
      r.load.throughputRatio >= 0.7,
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
