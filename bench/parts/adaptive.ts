/**
 * `npm run bench -- --parts adaptive`: the adaptive-testing simulation (issue 17). Pure CPU,
 * no DynamoDB: simulated candidates (true theta ~ N(0,1)) take, per pool, a fixed form of n
 * items drawn at random and an adaptive section (functions/domain/adaptive.ts) stopped at the
 * fixed form's RMSE; then the calibration (functions/domain/calibration.ts) re-estimates the
 * generating parameters from simulated responses. Seeded: the same options give the same
 * figures. See bench/README.md, "Adaptive".
 */
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { bankFiles, readBankFile } from '../../functions/cli/bank-files.ts';
import { exposureEligibility, nextStep, type PoolItem } from '../../functions/domain/adaptive.ts';
import { ADAPTIVE_DEFAULTS } from '../../functions/domain/adaptive-defaults.ts';
import { type CalibratedItem, calibrate } from '../../functions/domain/calibration.ts';
import { itemLocation } from '../../functions/domain/irt-model.ts';
import {
  normalGenerator,
  simulateRecords,
  simulateScore,
  syntheticPool,
} from '../../functions/domain/irt-simulation.ts';
import { eap, itemModel } from '../../functions/domain/psychometrics.ts';
import { seededRandom } from '../../functions/domain/random.ts';

export interface AdaptiveBenchOptions {
  /** Simulated candidates per pool and seed. */
  candidates: number;
  /** One comparison per seed; figures are reported per seed and as mean and range. */
  seeds: readonly string[];
  /** Calibration sample sizes. */
  recoverySizes: readonly number[];
  recoverySeeds: readonly string[];
  /** Pool for the selection-time measurement, and how many sections to time on it. */
  timingPool: number;
  timingSections: number;
  /** Randomesque k. */
  randomesque: number;
  minItems: number;
  /** Item eligibility (Sympson-Hetter) target, simulated candidates per round and rounds. */
  eligibility: { maxExposure: number; simulees: number; rounds: number };
  /** Bisection steps when tuning the target standard error. */
  bisection: number;
}

export const ADAPTIVE_FULL: AdaptiveBenchOptions = {
  candidates: 2000,
  seeds: ['1', '2', '3'],
  recoverySizes: [500, 1000, 5000],
  recoverySeeds: ['1', '2', '3'],
  timingPool: 500,
  timingSections: 200,
  randomesque: 5,
  minItems: 5,
  eligibility: { maxExposure: 0.25, simulees: 1000, rounds: 8 },
  bisection: 6,
};

export const ADAPTIVE_QUICK: AdaptiveBenchOptions = {
  candidates: 500,
  seeds: ['1'],
  recoverySizes: [500, 1000],
  recoverySeeds: ['1'],
  timingPool: 500,
  timingSections: 50,
  randomesque: 5,
  minItems: 5,
  eligibility: { maxExposure: 0.25, simulees: 1000, rounds: 8 },
  bisection: 5,
};

/** The pools compared: today's area size with a 10-item form, and five times that with 20. */
export const POOLS = [
  { size: 26, fixedItems: 10 },
  { size: 130, fixedItems: 20 },
] as const;

export interface DecileRow {
  decile: number;
  /** Mean true theta in the decile. */
  theta: number;
  fixedRmse: number;
  fixedBias: number;
  adaptiveRmse: number;
  adaptiveBias: number;
  adaptiveItems: number;
}

export interface ComparisonRun {
  seed: string;
  /** `randomesque`: top-k only; `eligibility`: top-k plus Sympson-Hetter item eligibility. */
  exposureControl: 'randomesque' | 'eligibility';
  poolSize: number;
  fixedItems: number;
  candidates: number;
  fixedRmse: number;
  /** The target standard error that brought the adaptive RMSE to the fixed form's. */
  targetStandardError: number;
  adaptiveRmse: number;
  meanItems: number;
  /** meanItems / fixedItems. */
  itemRatio: number;
  maxExposure: number;
  fixedMaxExposure: number;
  poolUsed: number;
  stopReasons: Record<string, number>;
  deciles: DecileRow[];
}

export interface RecoveryRun {
  seed: string;
  design: string;
  candidates: number;
  items: number;
  /** Mean responses per calibrated item. */
  responsesPerItem: number;
  corrA: number;
  rmseA: number;
  corrB: number;
  rmseB: number;
  /** Mean reported standard error of b, to set against rmseB. */
  meanSeB: number;
  cycles: number;
  converged: boolean;
  seconds: number;
}

/**
 * One area of the shipped bank (questions/) as an adaptive section with the default rule sees
 * it before any calibration: every item uncalibrated (a = 1, b = -1/0/+1 from its label), and
 * candidates answering by that same model (the best case for the labels).
 */
export interface ShippedAreaRun {
  area: string;
  poolSize: number;
  candidates: number;
  /** Adaptive section, default rule (minItems 5, maxItems 20, target SE 0.4). */
  meanItems: number;
  stopReasons: Record<string, number>;
  adaptiveRmse: number;
  maxExposure: number;
  /** A fixed random form of maxItems questions from the same pool. */
  fixedRmse: number;
  fixedMaxExposure: number;
}

export interface AdaptiveResult {
  meta: { startedAt: string; durationS: number; node: string; cpuModel: string };
  options: AdaptiveBenchOptions;
  comparisons: ComparisonRun[];
  shipped: ShippedAreaRun[];
  recovery: RecoveryRun[];
  selection: { poolSize: number; steps: number; p50Ms: number; p99Ms: number; maxMs: number };
  goals: { id: string; description: string; value: string; limit: string; met: boolean }[];
}

const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
const rmse = (xs: readonly number[], ys: readonly number[]) =>
  Math.sqrt(mean(xs.map((x, i) => (x - ys[i]!) ** 2)));
const r3 = (x: number) => Math.round(x * 1000) / 1000;

function correlation(xs: readonly number[], ys: readonly number[]): number {
  const mx = mean(xs);
  const my = mean(ys);
  let sxy = 0;
  let sx = 0;
  let sy = 0;
  xs.forEach((x, i) => {
    sxy += (x - mx) * (ys[i]! - my);
    sx += (x - mx) ** 2;
    sy += (ys[i]! - my) ** 2;
  });
  return sxy / Math.sqrt(sx * sy);
}

function quantile(xs: readonly number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  return s[lo]! + (s[Math.ceil(pos)]! - s[lo]!) * (pos - lo);
}

const scoredFor = (item: PoolItem, score: number) => ({
  a: item.model.a,
  steps: item.model.steps,
  categories: item.model.categories!,
  score,
});

interface Simulated {
  estimates: number[];
  items: number[];
  exposure: Map<string, number>;
  reasons: Record<string, number>;
}

/**
 * Every candidate takes a fixed form of n items drawn at random from the pool, or the whole pool
 * when it has fewer (a growing area of the shipped bank may: it crashed the bench).
 */
export function fixedForms(
  pool: readonly PoolItem[],
  thetas: readonly number[],
  n: number,
  seed: string,
) {
  const random = seededRandom(`fixed:${seed}`);
  const exposure = new Map<string, number>();
  const estimates = thetas.map((theta) => {
    const copy = [...pool];
    const shown: { item: PoolItem; score: number }[] = [];
    for (let i = 0; i < Math.min(n, copy.length); i++) {
      const j = i + Math.floor(random() * (copy.length - i));
      [copy[i], copy[j]] = [copy[j]!, copy[i]!];
      const item = copy[i]!;
      exposure.set(item.key, (exposure.get(item.key) ?? 0) + 1);
      shown.push({ item, score: simulateScore(item.model, theta, random) });
    }
    return eap(shown.map((s) => scoredFor(s.item, s.score))).theta;
  });
  return { estimates, exposure };
}

/** Every candidate takes the adaptive section; responses are drawn from the true model. */
function adaptiveSections(
  pool: readonly PoolItem[],
  thetas: readonly number[],
  settings: {
    minItems: number;
    maxItems: number;
    targetStandardError: number;
    randomesque: number;
  },
  seed: string,
): Simulated {
  const random = seededRandom(`answers:${seed}`);
  const byKey = new Map(pool.map((it) => [it.key, it]));
  const exposure = new Map<string, number>();
  const reasons: Record<string, number> = {};
  const items: number[] = [];
  const estimates = thetas.map((theta, c) => {
    const responses: { key: string; score: number }[] = [];
    for (;;) {
      const step = nextStep({ pool, responses, settings, seed: `${seed}:candidate-${c}` });
      if (step.kind === 'complete') {
        reasons[step.reason] = (reasons[step.reason] ?? 0) + 1;
        items.push(step.items);
        return step.ability.theta;
      }
      exposure.set(step.key, (exposure.get(step.key) ?? 0) + 1);
      const item = byKey.get(step.key)!;
      responses.push({ key: step.key, score: simulateScore(item.model, theta, random) });
    }
  });
  return { estimates, items, exposure, reasons };
}

function compare(
  seed: string,
  poolSize: number,
  fixedItems: number,
  o: AdaptiveBenchOptions,
  log: (line: string) => void,
): ComparisonRun[] {
  const generating = syntheticPool(poolSize, `${seed}:${poolSize}`);
  const normal = normalGenerator(`thetas:${seed}:${poolSize}`);
  const thetas = Array.from({ length: o.candidates }, normal);
  const fixed = fixedForms(generating, thetas, fixedItems, `${seed}:${poolSize}`);
  const fixedRmse = rmse(fixed.estimates, thetas);
  const settingsAt = (targetStandardError: number) => ({
    minItems: Math.min(o.minItems, fixedItems),
    maxItems: fixedItems,
    targetStandardError,
    randomesque: o.randomesque,
  });

  // Stop the adaptive section at the fixed form's RMSE: the largest target standard error
  // whose adaptive RMSE is no larger than the fixed form's, by bisection over target +- 0.15
  // (the posterior SD tracks the error closely when the model is right, so the answer is
  // near the fixed RMSE itself).
  const tune = (pool: readonly PoolItem[], label: string) => {
    const evaluate = (target: number) => {
      const run = adaptiveSections(pool, thetas, settingsAt(target), `${seed}:${poolSize}`);
      const error = rmse(run.estimates, thetas);
      log(
        `  pool ${poolSize}, seed ${seed}, ${label}: target SE ${target.toFixed(3)} -> RMSE ${error.toFixed(3)} (fixed ${fixedRmse.toFixed(3)}), ${mean(run.items).toFixed(2)} items`,
      );
      return { target, run, error };
    };
    let lo = fixedRmse - 0.15;
    let hi = fixedRmse + 0.15;
    let best = evaluate(lo);
    for (let i = 0; i < o.bisection; i++) {
      const mid = evaluate((lo + hi) / 2);
      if (mid.error <= fixedRmse) {
        best = mid;
        lo = mid.target;
      } else hi = mid.target;
    }
    return best;
  };

  const plain = tune(generating, 'randomesque');
  // Eligibilities from their own simulated candidates (another seed), at the target found
  // without them; then the target is tuned again with them.
  const e = exposureEligibility(generating, settingsAt(plain.target), {
    ...o.eligibility,
    seed: `eligibility:${seed}:${poolSize}`,
    simulate: (item, theta, random) => simulateScore(item.model, theta, random),
  });
  log(
    `  pool ${poolSize}, seed ${seed}: eligibility rounds, max exposure ${e.rounds.map((r) => r.maxExposure).join(' -> ')}`,
  );
  const controlled = tune(e.pool, 'eligibility');
  return [
    summarise(seed, 'randomesque', poolSize, fixedItems, o, thetas, fixed, fixedRmse, plain),
    summarise(seed, 'eligibility', poolSize, fixedItems, o, thetas, fixed, fixedRmse, controlled),
  ];
}

function summarise(
  seed: string,
  exposureControl: ComparisonRun['exposureControl'],
  poolSize: number,
  fixedItems: number,
  o: AdaptiveBenchOptions,
  thetas: readonly number[],
  fixed: { estimates: number[]; exposure: Map<string, number> },
  fixedRmse: number,
  tuned: { target: number; run: Simulated; error: number },
): ComparisonRun {
  const { target, run, error: adaptiveRmse } = tuned;
  // Deciles of the true theta.
  const order = thetas.map((t, i) => ({ t, i })).sort((x, y) => x.t - y.t);
  const deciles: DecileRow[] = Array.from({ length: 10 }, (_, d) => {
    const slice = order.slice(
      Math.floor((d * order.length) / 10),
      Math.floor(((d + 1) * order.length) / 10),
    );
    const err = (est: readonly number[]) => slice.map(({ t, i }) => est[i]! - t);
    const fe = err(fixed.estimates);
    const ae = err(run.estimates);
    return {
      decile: d + 1,
      theta: r3(mean(slice.map((s) => s.t))),
      fixedRmse: r3(Math.sqrt(mean(fe.map((e) => e * e)))),
      fixedBias: r3(mean(fe)),
      adaptiveRmse: r3(Math.sqrt(mean(ae.map((e) => e * e)))),
      adaptiveBias: r3(mean(ae)),
      adaptiveItems: r3(mean(slice.map(({ i }) => run.items[i]!))),
    };
  });
  const meanItems = mean(run.items);
  return {
    seed,
    exposureControl,
    poolSize,
    fixedItems,
    candidates: o.candidates,
    fixedRmse: r3(fixedRmse),
    targetStandardError: r3(target),
    adaptiveRmse: r3(adaptiveRmse),
    meanItems: r3(meanItems),
    itemRatio: r3(meanItems / fixedItems),
    maxExposure: r3(Math.max(...run.exposure.values()) / o.candidates),
    fixedMaxExposure: r3(Math.max(...fixed.exposure.values()) / o.candidates),
    poolUsed: r3(run.exposure.size / poolSize),
    stopReasons: run.reasons,
    deciles,
  };
}

/**
 * The shipped bank's areas under the default adaptive rule, uncalibrated, against a fixed form
 * of maxItems: what an employer's adaptive section gives until calibration has 200 responses
 * per question version.
 */
function shippedBank(o: AdaptiveBenchOptions, log: (line: string) => void): ShippedAreaRun[] {
  const byArea = new Map<string, PoolItem[]>();
  for (const file of bankFiles([fileURLToPath(new URL('../../questions', import.meta.url))]))
    for (const q of readBankFile(file).questions) {
      const pool = byArea.get(q.area) ?? [];
      pool.push({ key: q.id, type: q.type, tags: q.tags ?? [], model: itemModel(q) });
      byArea.set(q.area, pool);
    }
  const seed = o.seeds[0]!;
  const settings = { ...ADAPTIVE_DEFAULTS, randomesque: o.randomesque };
  return [...byArea].map(([area, pool]) => {
    const thetas = Array.from({ length: o.candidates }, normalGenerator(`shipped:${seed}:${area}`));
    const run = adaptiveSections(pool, thetas, settings, `shipped:${seed}:${area}`);
    const fixed = fixedForms(pool, thetas, settings.maxItems, `shipped:${seed}:${area}`);
    const row: ShippedAreaRun = {
      area,
      poolSize: pool.length,
      candidates: o.candidates,
      meanItems: r3(mean(run.items)),
      stopReasons: run.reasons,
      adaptiveRmse: r3(rmse(run.estimates, thetas)),
      maxExposure: r3(Math.max(...run.exposure.values()) / o.candidates),
      fixedRmse: r3(rmse(fixed.estimates, thetas)),
      fixedMaxExposure: r3(Math.max(...fixed.exposure.values()) / o.candidates),
    };
    log(
      `  shipped ${area} (${pool.length} items): ${row.meanItems} items, RMSE ${row.adaptiveRmse} (fixed ${row.fixedRmse}), max exposure ${row.maxExposure}`,
    );
    return row;
  });
}

function recover(
  seed: string,
  design: { name: string; poolSize: number; formSize?: number },
  candidates: number,
): RecoveryRun {
  const pool = syntheticPool(design.poolSize, `recovery:${seed}:${design.poolSize}`);
  const normal = normalGenerator(`recovery-thetas:${seed}:${candidates}`);
  const thetas = Array.from({ length: candidates }, normal);
  const records = simulateRecords(pool, thetas, `${seed}:${candidates}`, design.formSize);
  const started = performance.now();
  // Every item is calibrated here, even below the 200-response minimum of production, to show
  // how recovery grows with the sample.
  const result = calibrate(records, { minResponses: 1 });
  const seconds = (performance.now() - started) / 1000;
  const byKey = new Map(pool.map((it) => [it.key, it]));
  const cal = result.items.filter((it): it is CalibratedItem => it.status === 'calibrated');
  const trueA = cal.map((c) => byKey.get(c.item)!.model.a);
  const trueB = cal.map((c) => itemLocation(byKey.get(c.item)!.model));
  return {
    seed,
    design: design.name,
    candidates,
    items: cal.length,
    responsesPerItem: Math.round(mean(cal.map((c) => c.responses))),
    corrA: r3(
      correlation(
        trueA,
        cal.map((c) => c.a),
      ),
    ),
    rmseA: r3(
      rmse(
        trueA,
        cal.map((c) => c.a),
      ),
    ),
    corrB: r3(
      correlation(
        trueB,
        cal.map((c) => c.b),
      ),
    ),
    rmseB: r3(
      rmse(
        trueB,
        cal.map((c) => c.b),
      ),
    ),
    meanSeB: r3(mean(cal.map((c) => c.standardErrors.b ?? Number.NaN))),
    cycles: result.cycles,
    converged: result.converged,
    seconds: Math.round(seconds * 100) / 100,
  };
}

/** CPU time of one selection step at a pool of `poolSize` items (process CPU, not wall). */
function selectionTime(o: AdaptiveBenchOptions) {
  const pool = syntheticPool(o.timingPool, `timing:${o.timingPool}`);
  const byKey = new Map(pool.map((it) => [it.key, it]));
  const normal = normalGenerator('timing-thetas');
  const random = seededRandom('timing-answers');
  const settings = { minItems: 5, maxItems: 30, targetStandardError: 0.2, randomesque: 5 };
  const times: number[] = [];
  for (let c = 0; c < o.timingSections; c++) {
    const theta = normal();
    const responses: { key: string; score: number }[] = [];
    for (;;) {
      const before = process.cpuUsage();
      const step = nextStep({ pool, responses, settings, seed: `timing-${c}` });
      const used = process.cpuUsage(before);
      times.push((used.user + used.system) / 1000);
      if (step.kind === 'complete') break;
      responses.push({
        key: step.key,
        score: simulateScore(byKey.get(step.key)!.model, theta, random),
      });
    }
  }
  return {
    poolSize: o.timingPool,
    steps: times.length,
    p50Ms: r3(quantile(times, 0.5)),
    p99Ms: r3(quantile(times, 0.99)),
    maxMs: r3(Math.max(...times)),
  };
}

/** Run the simulation; `log` gets progress lines. */
export function adaptiveBench(
  o: AdaptiveBenchOptions,
  log: (line: string) => void = () => undefined,
): AdaptiveResult {
  const started = Date.now();
  const comparisons: ComparisonRun[] = [];
  for (const { size, fixedItems } of POOLS)
    for (const seed of o.seeds) comparisons.push(...compare(seed, size, fixedItems, o, log));
  const shipped = shippedBank(o, log);
  const recovery: RecoveryRun[] = [];
  const designs = [
    { name: '26 items, every candidate answers all', poolSize: 26 },
    { name: '130 items, 20-item random forms', poolSize: 130, formSize: 20 },
  ];
  for (const design of designs)
    for (const n of o.recoverySizes)
      for (const seed of o.recoverySeeds) {
        const r = recover(seed, design, n);
        log(
          `  calibration, ${design.name}, ${n} candidates, seed ${seed}: r(a) ${r.corrA}, r(b) ${r.corrB}, RMSE(b) ${r.rmseB}, ${r.seconds} s`,
        );
        recovery.push(r);
      }
  const selection = selectionTime(o);
  log(`  selection at ${selection.poolSize} items: p99 ${selection.p99Ms} ms CPU`);

  const big = comparisons.filter((c) => c.poolSize === 130 && c.exposureControl === 'eligibility');
  const worstRatio = Math.max(...big.map((c) => c.itemRatio));
  const worstExposure = Math.max(...big.map((c) => c.maxExposure));
  const at1000 = recovery.filter((r) => r.candidates === 1000 && r.design === designs[0]!.name);
  const goals: AdaptiveResult['goals'] = [
    {
      id: 'adaptive:items',
      description:
        '130-item pool: adaptive items / fixed 20-item form at equal RMSE, randomesque + eligibility (worst seed)',
      value: `${worstRatio}`,
      limit: '<= 0.55',
      met: big.every((c) => c.itemRatio <= 0.55 && c.adaptiveRmse <= c.fixedRmse),
    },
    {
      id: 'adaptive:exposure',
      description:
        '130-item pool: maximum item exposure rate, randomesque + eligibility (worst seed)',
      value: `${worstExposure}`,
      limit: '<= 0.30',
      met: worstExposure <= 0.3,
    },
    {
      id: 'selection:cpu',
      description: `selection CPU per step at a ${selection.poolSize}-item pool, p99`,
      value: `${selection.p99Ms} ms`,
      limit: '< 5 ms',
      met: selection.p99Ms < 5,
    },
  ];
  if (at1000.length) {
    const min = (f: (r: RecoveryRun) => number) => Math.min(...at1000.map(f));
    const max = (f: (r: RecoveryRun) => number) => Math.max(...at1000.map(f));
    goals.push(
      {
        id: 'calibration:corr-b',
        description: 'calibration, 1,000 candidates (26 items, all answered): r(b) (worst seed)',
        value: `${min((r) => r.corrB)}`,
        limit: '>= 0.95',
        met: min((r) => r.corrB) >= 0.95,
      },
      {
        id: 'calibration:corr-a',
        description: 'calibration, 1,000 candidates (26 items, all answered): r(a) (worst seed)',
        value: `${min((r) => r.corrA)}`,
        limit: '>= 0.80',
        met: min((r) => r.corrA) >= 0.8,
      },
      {
        id: 'calibration:rmse-b',
        description: 'calibration, 1,000 candidates (26 items, all answered): RMSE(b) (worst seed)',
        value: `${max((r) => r.rmseB)}`,
        limit: '<= 0.25',
        met: max((r) => r.rmseB) <= 0.25,
      },
    );
  }
  return {
    meta: {
      startedAt: new Date(started).toISOString(),
      durationS: Math.round((Date.now() - started) / 100) / 10,
      node: process.version,
      cpuModel: cpus()[0]?.model ?? 'unknown',
    },
    options: o,
    comparisons,
    shipped,
    recovery,
    selection,
    goals,
  };
}

function table(headers: string[], rows: (string | number)[][]): string {
  const cells = [headers, ...rows.map((r) => r.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...cells.slice(1).map(line)].join(
    '\n',
  );
}

const spread = (xs: readonly number[]) =>
  xs.length > 1
    ? `${r3(mean(xs))} (${r3(Math.min(...xs))}-${r3(Math.max(...xs))})`
    : `${r3(xs[0] ?? Number.NaN)}`;

/** The results as plain-text tables. */
export function formatAdaptive(r: AdaptiveResult): string {
  const out: string[] = [
    `Adaptive simulation ${r.meta.startedAt}, ${r.meta.durationS} s, Node ${r.meta.node}, ${r.meta.cpuModel}; ${r.options.candidates} candidates per pool and seed, seeds ${r.options.seeds.join(', ')}, randomesque k = ${r.options.randomesque}, eligibility target ${r.options.eligibility.maxExposure}`,
    '',
    "Fixed random form against adaptive stopped at the fixed form's RMSE (mean over seeds, range in brackets)",
  ];
  const rows = POOLS.flatMap(({ size, fixedItems }) =>
    (['randomesque', 'eligibility'] as const).map((control) => {
      const runs = r.comparisons.filter(
        (c) => c.poolSize === size && c.exposureControl === control,
      );
      return [
        `${size} items, ${control === 'randomesque' ? `top-${r.options.randomesque}` : `top-${r.options.randomesque} + eligibility`}`,
        fixedItems,
        spread(runs.map((c) => c.fixedRmse)),
        spread(runs.map((c) => c.targetStandardError)),
        spread(runs.map((c) => c.adaptiveRmse)),
        spread(runs.map((c) => c.meanItems)),
        spread(runs.map((c) => c.itemRatio)),
        spread(runs.map((c) => c.maxExposure)),
        spread(runs.map((c) => c.fixedMaxExposure)),
        spread(runs.map((c) => c.poolUsed)),
      ];
    }),
  );
  out.push(
    table(
      [
        'pool',
        'fixed n',
        'fixed RMSE',
        'target SE',
        'adaptive RMSE',
        'adaptive items',
        'items ratio',
        'max exposure',
        'fixed max exp.',
        'pool used',
      ],
      rows,
    ),
  );
  for (const c of r.comparisons.filter((x) => x.seed === r.options.seeds[0])) {
    out.push(
      '',
      `By true-theta decile, ${c.poolSize}-item pool, ${c.exposureControl}, seed ${c.seed} (stop reasons: ${Object.entries(
        c.stopReasons,
      )
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')})`,
    );
    out.push(
      table(
        [
          'decile',
          'mean theta',
          'fixed RMSE',
          'fixed bias',
          'adapt. RMSE',
          'adapt. bias',
          'adapt. items',
        ],
        c.deciles.map((d) => [
          d.decile,
          d.theta,
          d.fixedRmse,
          d.fixedBias,
          d.adaptiveRmse,
          d.adaptiveBias,
          d.adaptiveItems,
        ]),
      ),
    );
  }
  out.push(
    '',
    `The shipped bank before calibration (every item a = 1, b from its label; candidates answer by that model): the default rule (minItems ${ADAPTIVE_DEFAULTS.minItems}, maxItems ${ADAPTIVE_DEFAULTS.maxItems}, target SE ${ADAPTIVE_DEFAULTS.targetStandardError}) against a fixed random form of ${ADAPTIVE_DEFAULTS.maxItems}, seed ${r.options.seeds[0]}`,
    table(
      [
        'area',
        'pool',
        'adaptive items',
        'stopped at target SE',
        'adaptive RMSE',
        'fixed RMSE',
        'max exposure',
        'fixed max exp.',
      ],
      (r.shipped ?? []).map((a) => [
        a.area,
        a.poolSize,
        a.meanItems,
        `${r3((a.stopReasons['target-standard-error'] ?? 0) / a.candidates)}`,
        a.adaptiveRmse,
        a.fixedRmse,
        a.maxExposure,
        a.fixedMaxExposure,
      ]),
    ),
  );
  out.push(
    '',
    'Calibration recovery of the generating parameters (mean over seeds, range in brackets)',
  );
  const keys = [...new Set(r.recovery.map((x) => `${x.design}|${x.candidates}`))];
  out.push(
    table(
      [
        'design',
        'candidates',
        'resp./item',
        'r(a)',
        'RMSE(a)',
        'r(b)',
        'RMSE(b)',
        'mean SE(b)',
        'seconds',
      ],
      keys.map((k) => {
        const runs = r.recovery.filter((x) => `${x.design}|${x.candidates}` === k);
        return [
          runs[0]!.design,
          runs[0]!.candidates,
          runs[0]!.responsesPerItem,
          spread(runs.map((x) => x.corrA)),
          spread(runs.map((x) => x.rmseA)),
          spread(runs.map((x) => x.corrB)),
          spread(runs.map((x) => x.rmseB)),
          spread(runs.map((x) => x.meanSeB)),
          spread(runs.map((x) => x.seconds)),
        ];
      }),
    ),
  );
  out.push(
    '',
    `Selection CPU per step, ${r.selection.poolSize}-item pool, ${r.selection.steps} steps: p50 ${r.selection.p50Ms} ms, p99 ${r.selection.p99Ms} ms, max ${r.selection.maxMs} ms`,
    '',
    'Goals:',
    ...r.goals.map(
      (g) => `  ${g.met ? 'MET ' : 'MISS'}  ${g.description}: ${g.value} (goal ${g.limit})`,
    ),
  );
  return out.join('\n');
}
