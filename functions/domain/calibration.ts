/**
 * Item calibration: marginal maximum likelihood estimates of each item's parameters from
 * candidates' scored responses, by the EM algorithm over a quadrature grid (Bock & Aitkin
 * 1981), with weak priors on the parameters (Bayes modal estimation, Mislevy 1986). Items
 * scored right or wrong get the 2PL, items with partial scores the generalized partial credit
 * model (Muraki 1992); see `irt-model.ts` and docs/psychometrics.md. Pure: no I/O.
 *
 * Sequence of one calibration:
 * 1. count each item's responses; items with fewer than `minResponses` are left out;
 * 2. map every score to a category (quarter-step grid, sparse levels merged into a neighbour);
 * 3. EM: the E-step gives, per item, the expected number of candidates at each quadrature
 *    node in each category; the M-step maximises each item's expected log-likelihood plus
 *    log-prior by Fisher scoring; repeat until no parameter moves by more than `tolerance`;
 * 4. standard errors from the observed information of the marginal log-posterior (Louis
 *    1982), and an item-fit chi-square after Orlando & Thissen's (2000) S-X2: each response
 *    against its prediction from the candidate's other responses, in groups of candidates of
 *    similar ability.
 */

import {
  categoryProbabilities,
  gridScore,
  itemLocation,
  normalQuadrature,
  SCORE_GRID_STEPS,
} from './irt-model.ts';

/** One candidate's scored responses (any subset of the items: designs may be incomplete). */
export interface ResponseRecord {
  responses: readonly { item: string; score: number }[];
}

/** A normal prior: mean and standard deviation. */
export interface NormalPrior {
  mean: number;
  sd: number;
}

export interface CalibrationOptions {
  /** Responses an item needs to be calibrated (default 200). */
  minResponses?: number;
  /** A score level with fewer responses is merged into its neighbour (default 10). */
  minCategoryCount?: number;
  /**
   * Priors on log a and on each step difficulty b_v, or `false` for plain maximum
   * likelihood. Default: log a ~ N(0, 0.5^2) (a lognormal prior on a, BILOG-MG's default
   * for slopes) and b_v ~ N(0, 2^2) (BILOG-MG's optional threshold prior).
   */
  prior?: { logA: NormalPrior; b: NormalPrior } | false;
  /** Quadrature nodes over [min, max] for the N(0,1) ability distribution (default 61 over [-6, 6]). */
  quadrature?: { points: number; min: number; max: number };
  /** EM cycles at most (default 500). */
  maxCycles?: number;
  /** EM stops when no parameter (log a, b_v) moves by more than this (default 1e-4). */
  tolerance?: number;
  /** Parameters above which standard errors ignore the covariance between items (default 800). */
  fullCovarianceLimit?: number;
}

/**
 * Fit of an item: a chi-square of observed against predicted scores in groups of candidates
 * of similar ability (see {@link calibrate}); a small `p` (say below 0.01) flags misfit.
 */
export interface ItemFit {
  x2: number;
  df: number;
  p: number;
  groups: number;
}

export interface CalibratedItem {
  item: string;
  status: 'calibrated';
  responses: number;
  model: '2pl' | 'gpcm';
  /** Discrimination. */
  a: number;
  /** Location: b for a 2PL item, the mean step difficulty for a GPCM item. */
  b: number;
  /** Step difficulties b_1..b_K (one for a 2PL item). */
  steps: number[];
  /** Lower score bounds of the K + 1 categories (the first is 0). */
  categories: number[];
  /** Responses per category. */
  categoryCounts: number[];
  /** Standard errors (null when the information matrix could not be inverted). */
  standardErrors: { a: number | null; b: number | null; steps: (number | null)[] };
  fit: ItemFit;
}

export interface UncalibratedItem {
  item: string;
  status: 'insufficient-responses' | 'no-variation';
  responses: number;
}

export type ItemCalibrationResult = CalibratedItem | UncalibratedItem;

export interface CalibrationResult {
  /** Every item seen in the records, in key order. */
  items: ItemCalibrationResult[];
  /** Candidates with at least one response to a calibrated item. */
  candidates: number;
  cycles: number;
  converged: boolean;
  /** Marginal log-likelihood at the estimates (without the prior). */
  logLikelihood: number;
  /** How the standard errors were computed. */
  standardErrors: 'louis-full' | 'louis-per-item' | 'none';
}

const DEFAULTS = {
  minResponses: 200,
  minCategoryCount: 10,
  prior: { logA: { mean: 0, sd: 0.5 }, b: { mean: 0, sd: 2 } },
  quadrature: { points: 61, min: -6, max: 6 },
  maxCycles: 500,
  tolerance: 1e-4,
  fullCovarianceLimit: 800,
} as const;

/** One calibrated item's working state. */
interface Work {
  key: string;
  responses: number;
  categories: number[];
  categoryCounts: number[];
  /** Grid level (0..SCORE_GRID_STEPS) -> category. */
  levelCategory: number[];
  /** K: steps. */
  k: number;
  alpha: number;
  steps: Float64Array;
  /** log P_c at each node: one array of nodes per category. */
  logP: Float64Array[];
  /** Expected counts r_c at each node from the last E-step, same layout. */
  r: Float64Array[];
}

/**
 * Calibrate the items in `records`. Ability is N(0,1) (which fixes the scale); items with too
 * few responses or only one category are reported with their status and not estimated.
 * Deterministic: the same records in the same order give the same result.
 */
export function calibrate(
  records: readonly ResponseRecord[],
  options: CalibrationOptions = {},
): CalibrationResult {
  const o = {
    minResponses: options.minResponses ?? DEFAULTS.minResponses,
    minCategoryCount: options.minCategoryCount ?? DEFAULTS.minCategoryCount,
    prior: options.prior ?? DEFAULTS.prior,
    quadrature: options.quadrature ?? DEFAULTS.quadrature,
    maxCycles: options.maxCycles ?? DEFAULTS.maxCycles,
    tolerance: options.tolerance ?? DEFAULTS.tolerance,
    fullCovarianceLimit: options.fullCovarianceLimit ?? DEFAULTS.fullCovarianceLimit,
  };
  const quad = normalQuadrature(o.quadrature.points, o.quadrature.min, o.quadrature.max);
  const Q = quad.nodes.length;

  // 1. Responses per item and score level; a record answering an item twice counts once
  // (its last score).
  const perRecord = records.map((rec) => {
    const m = new Map<string, number>();
    for (const { item, score } of rec.responses) m.set(item, gridScore(score) * SCORE_GRID_STEPS);
    return m;
  });
  const levels = new Map<string, number[]>();
  for (const m of perRecord)
    for (const [item, level] of m) {
      let counts = levels.get(item);
      if (!counts) {
        counts = new Array(SCORE_GRID_STEPS + 1).fill(0);
        levels.set(item, counts);
      }
      counts[level]! += 1;
    }

  // 2. Categories, and which items are calibrated.
  const results = new Map<string, ItemCalibrationResult>();
  const work: Work[] = [];
  for (const key of [...levels.keys()].sort()) {
    const counts = levels.get(key)!;
    const responses = counts.reduce((s, c) => s + c, 0);
    if (responses < o.minResponses) {
      results.set(key, { item: key, status: 'insufficient-responses', responses });
      continue;
    }
    const cats = mergeLevels(counts, o.minCategoryCount);
    if (cats.length < 2) {
      results.set(key, { item: key, status: 'no-variation', responses });
      continue;
    }
    const levelCategory = counts.map((_, level) => {
      let c = 0;
      for (let i = 1; i < cats.length; i++) if (level >= cats[i]!.level) c = i;
      return c;
    });
    const k = cats.length - 1;
    const categoryCounts = cats.map((c) => c.count);
    // Start values: a = 1 and adjacent-category log-odds as steps.
    const steps = new Float64Array(k);
    for (let v = 0; v < k; v++)
      steps[v] = clamp(
        Math.log((categoryCounts[v]! + 0.5) / (categoryCounts[v + 1]! + 0.5)),
        -4,
        4,
      );
    work.push({
      key,
      responses,
      categories: cats.map((c, i) => (i === 0 ? 0 : c.level / SCORE_GRID_STEPS)),
      categoryCounts,
      levelCategory,
      k,
      alpha: 0,
      steps,
      logP: Array.from({ length: k + 1 }, () => new Float64Array(Q)),
      r: Array.from({ length: k + 1 }, () => new Float64Array(Q)),
    });
  }

  // Responses as flat arrays: candidate i's responses are [start[i], start[i + 1]).
  const index = new Map(work.map((w, j) => [w.key, j]));
  const start: number[] = [0];
  const itemOf: number[] = [];
  const catOf: number[] = [];
  for (const m of perRecord) {
    let n = 0;
    for (const [item, level] of m) {
      const j = index.get(item);
      if (j === undefined) continue;
      itemOf.push(j);
      catOf.push(work[j]!.levelCategory[level]!);
      n++;
    }
    if (n > 0) start.push(itemOf.length);
  }
  const persons = start.length - 1;
  // Per response, the arrays its E-step reads and writes (stable: updated in place).
  const logPOf = itemOf.map((j, t) => work[j]!.logP[catOf[t]!]!);
  const rOf = itemOf.map((j, t) => work[j]!.r[catOf[t]!]!);
  const prior = o.prior === false ? undefined : o.prior;

  // 3. EM.
  const post = new Float64Array(Q);
  const logW = quad.weights.map(Math.log);
  const eStep = (accumulate: boolean): number => {
    for (const w of work) {
      fillLogP(w, quad.nodes);
      if (accumulate) for (const col of w.r) col.fill(0);
    }
    let ll = 0;
    for (let i = 0; i < persons; i++) {
      ll += posterior(i, post);
      if (!accumulate) continue;
      for (let t = start[i]!; t < start[i + 1]!; t++) {
        const col = rOf[t]!;
        for (let q = 0; q < Q; q++) col[q]! += post[q]!;
      }
    }
    return ll;
  };
  /** Candidate i's posterior over the nodes into `out`; returns log of their marginal likelihood. */
  const posterior = (i: number, out: Float64Array): number => {
    out.set(logW);
    const end = start[i + 1]!;
    for (let t = start[i]!; t < end; t++) {
      const col = logPOf[t]!;
      for (let q = 0; q < Q; q++) out[q]! += col[q]!;
    }
    let max = -Infinity;
    for (let q = 0; q < Q; q++) if (out[q]! > max) max = out[q]!;
    let sum = 0;
    for (let q = 0; q < Q; q++) {
      const e = Math.exp(out[q]! - max);
      out[q] = e;
      sum += e;
    }
    for (let q = 0; q < Q; q++) out[q] = out[q]! / sum;
    return max + Math.log(sum);
  };

  let cycles = 0;
  let converged = work.length === 0;
  while (!converged && cycles < o.maxCycles) {
    cycles++;
    eStep(true);
    let change = 0;
    for (const w of work) change = Math.max(change, mStep(w, quad.nodes, prior));
    converged = change < o.tolerance;
  }
  // One more E-step at the final estimates: the log-likelihood, and the expected counts the
  // standard errors use.
  const logLikelihood = work.length ? eStep(true) : 0;

  // 4. Standard errors and fit, from the final posteriors.
  const ses = work.length
    ? standardErrors(work, quad.nodes, prior, persons, start, itemOf, catOf, posterior, o)
    : { method: 'none' as const, se: [] };
  const fits = itemFit(work, quad.nodes, persons, start, itemOf, catOf, posterior);
  work.forEach((w, j) => {
    const a = Math.exp(w.alpha);
    const steps = [...w.steps];
    const se = ses.se[j];
    results.set(w.key, {
      item: w.key,
      status: 'calibrated',
      responses: w.responses,
      model: w.k === 1 ? '2pl' : 'gpcm',
      a,
      b: itemLocation({ steps }),
      steps,
      categories: w.categories,
      categoryCounts: w.categoryCounts,
      standardErrors: se
        ? { a: se.alpha === null ? null : a * se.alpha, b: se.location, steps: se.steps }
        : { a: null, b: null, steps: steps.map(() => null) },
      fit: fits[j]!,
    });
  });

  return {
    items: [...results.keys()].sort().map((k) => results.get(k)!),
    candidates: persons,
    cycles,
    converged,
    logLikelihood,
    standardErrors: ses.method,
  };
}

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

/**
 * The categories of an item from its counts per grid level: empty levels dropped, then the
 * sparsest level under `minCount` merged into the category below it (the lowest into the one
 * above), until every category has `minCount` responses or one category is left.
 */
function mergeLevels(counts: readonly number[], minCount: number) {
  const cats = counts.map((count, level) => ({ level, count })).filter((c) => c.count > 0);
  while (cats.length > 1) {
    let sparsest = -1;
    for (let i = 0; i < cats.length; i++)
      if (cats[i]!.count < minCount && (sparsest < 0 || cats[i]!.count < cats[sparsest]!.count))
        sparsest = i;
    if (sparsest < 0) break;
    if (sparsest === 0) {
      // The lowest level joins the next: that category now starts at the lowest level.
      cats[1] = { level: cats[0]!.level, count: cats[0]!.count + cats[1]!.count };
      cats.splice(0, 1);
    } else {
      cats[sparsest - 1]!.count += cats[sparsest]!.count;
      cats.splice(sparsest, 1);
    }
  }
  return cats;
}

function fillLogP(w: Work, nodes: Float64Array): void {
  const a = Math.exp(w.alpha);
  const stride = w.k + 1;
  const p = new Float64Array(stride);
  for (let q = 0; q < nodes.length; q++) {
    categoryProbabilities(a, w.steps, nodes[q]!, p);
    for (let c = 0; c < stride; c++) w.logP[c]![q] = Math.log(Math.max(p[c]!, 1e-300));
  }
}

/**
 * Per node: category probabilities P, cumulative logits z_k = a (k theta - sum_{v<=k} b_v),
 * and the derivatives of z_k: dz_k/d(log a) = z_k, dz_k/db_v = -a [v <= k].
 */
interface NodeTerms {
  p: Float64Array;
  z: Float64Array;
}

function nodeTerms(a: number, steps: Float64Array, theta: number, t: NodeTerms): void {
  categoryProbabilities(a, steps, theta, t.p);
  let z = 0;
  t.z[0] = 0;
  for (let v = 0; v < steps.length; v++) {
    z += a * (theta - steps[v]!);
    t.z[v + 1] = z;
  }
}

/**
 * Score vector g_k of category k with respect to (log a, b_1..b_K), written into `out`:
 * g_k = (z_k, -a [1 <= k], ..., -a [K <= k]).
 */
function categoryGradient(a: number, k: number, c: number, z: Float64Array, out: Float64Array) {
  out[0] = z[c]!;
  for (let v = 1; v <= k; v++) out[v] = v <= c ? -a : 0;
}

/**
 * Expected complete-data log-likelihood of one item plus its log-prior, its gradient and
 * Fisher information (the covariance of the category score vectors, weighted by n_q), at
 * the given parameters and the E-step's expected counts.
 */
function itemObjective(
  w: Work,
  alpha: number,
  steps: Float64Array,
  nodes: Float64Array,
  prior: { logA: NormalPrior; b: NormalPrior } | undefined,
  withDerivatives: boolean,
) {
  const k = w.k;
  const d = k + 1;
  const a = Math.exp(alpha);
  const t: NodeTerms = { p: new Float64Array(d), z: new Float64Array(d) };
  const grad = new Float64Array(d);
  const info = new Float64Array(d * d);
  const g = new Float64Array(d);
  const mean = new Float64Array(d);
  const second = new Float64Array(d * d);
  let value = 0;
  for (let q = 0; q < nodes.length; q++) {
    let n = 0;
    for (let c = 0; c <= k; c++) n += w.r[c]![q]!;
    if (n < 1e-12) continue;
    nodeTerms(a, steps, nodes[q]!, t);
    for (let c = 0; c <= k; c++) value += w.r[c]![q]! * Math.log(Math.max(t.p[c]!, 1e-300));
    if (!withDerivatives) continue;
    mean.fill(0);
    second.fill(0);
    for (let c = 0; c <= k; c++) {
      categoryGradient(a, k, c, t.z, g);
      const pc = t.p[c]!;
      const rc = w.r[c]![q]!;
      for (let x = 0; x < d; x++) {
        mean[x]! += pc * g[x]!;
        grad[x]! += rc * g[x]!;
        for (let y = 0; y <= x; y++) second[x * d + y]! += pc * g[x]! * g[y]!;
      }
    }
    for (let x = 0; x < d; x++) {
      grad[x]! -= n * mean[x]!;
      for (let y = 0; y <= x; y++)
        info[x * d + y]! += n * (second[x * d + y]! - mean[x]! * mean[y]!);
    }
  }
  if (prior) {
    value -= (alpha - prior.logA.mean) ** 2 / (2 * prior.logA.sd ** 2);
    for (let v = 0; v < k; v++) value -= (steps[v]! - prior.b.mean) ** 2 / (2 * prior.b.sd ** 2);
    if (withDerivatives) {
      grad[0]! -= (alpha - prior.logA.mean) / prior.logA.sd ** 2;
      info[0]! += 1 / prior.logA.sd ** 2;
      for (let v = 1; v <= k; v++) {
        grad[v]! -= (steps[v - 1]! - prior.b.mean) / prior.b.sd ** 2;
        info[v * d + v]! += 1 / prior.b.sd ** 2;
      }
    }
  }
  for (let x = 0; x < d; x++) for (let y = 0; y < x; y++) info[y * d + x] = info[x * d + y]!;
  return { value, grad, info };
}

/**
 * M-step for one item: Fisher scoring on its expected log-posterior, halving a step that does
 * not improve it. Returns the largest change of a parameter.
 */
function mStep(
  w: Work,
  nodes: Float64Array,
  prior: { logA: NormalPrior; b: NormalPrior } | undefined,
): number {
  const alpha0 = w.alpha;
  const steps0 = Float64Array.from(w.steps);
  for (let iter = 0; iter < 10; iter++) {
    const cur = itemObjective(w, w.alpha, w.steps, nodes, prior, true);
    const delta = solve(cur.info, cur.grad, w.k + 1);
    if (!delta) break;
    // A step never moves a parameter by more than 1 at once: far from the optimum the
    // quadratic model is poor.
    const big = Math.max(...delta.map(Math.abs));
    if (big > 1) for (let x = 0; x < delta.length; x++) delta[x] = delta[x]! / big;
    let scale = 1;
    let moved = false;
    for (let half = 0; half < 12; half++) {
      const alpha = w.alpha + scale * delta[0]!;
      const steps = w.steps.map((b, v) => b + scale * delta[v + 1]!);
      const next = itemObjective(w, alpha, steps, nodes, prior, false);
      if (next.value >= cur.value - 1e-12) {
        w.alpha = alpha;
        w.steps = steps;
        moved = true;
        break;
      }
      scale /= 2;
    }
    if (!moved || Math.max(...delta.map(Math.abs)) * scale < 1e-9) break;
  }
  // Keep estimates where the likelihood can be evaluated: |log a| <= 3 (a in [0.05, 20]).
  w.alpha = clamp(w.alpha, -3, 3);
  let change = Math.abs(w.alpha - alpha0);
  for (let v = 0; v < w.k; v++) {
    w.steps[v] = clamp(w.steps[v]!, -20, 20);
    change = Math.max(change, Math.abs(w.steps[v]! - steps0[v]!));
  }
  return change;
}

/** Solve A x = b for a small symmetric positive definite A (Cholesky); undefined if not PD. */
function solve(A: Float64Array, b: Float64Array, n: number): Float64Array | undefined {
  const L = cholesky(A, n);
  if (!L) return undefined;
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[i]!;
    for (let j = 0; j < i; j++) s -= L[i * n + j]! * y[j]!;
    y[i] = s / L[i * n + i]!;
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i]!;
    for (let j = i + 1; j < n; j++) s -= L[j * n + i]! * x[j]!;
    x[i] = s / L[i * n + i]!;
  }
  return x;
}

/** Lower Cholesky factor of a symmetric n x n matrix, or undefined if it is not positive definite. */
function cholesky(A: Float64Array, n: number): Float64Array | undefined {
  const L = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i * n + j]!;
      for (let k = 0; k < j; k++) s -= L[i * n + k]! * L[j * n + k]!;
      if (i === j) {
        if (!(s > 0)) return undefined;
        L[i * n + i] = Math.sqrt(s);
      } else L[i * n + j] = s / L[j * n + j]!;
    }
  }
  return L;
}

/** Diagonal of the inverse of a symmetric positive definite matrix, from its Cholesky factor. */
function inverseDiagonalAndBlocks(
  A: Float64Array,
  n: number,
  blocks: readonly { offset: number; size: number }[],
): Float64Array[] | undefined {
  const L = cholesky(A, n);
  if (!L) return undefined;
  // Column by column: solve L L^T x = e_i, keep the entries of x inside i's block.
  const out = blocks.map((b) => new Float64Array(b.size * b.size));
  const y = new Float64Array(n);
  const x = new Float64Array(n);
  blocks.forEach((blk, bi) => {
    for (let col = 0; col < blk.size; col++) {
      const e = blk.offset + col;
      y.fill(0);
      for (let i = e; i < n; i++) {
        let s = i === e ? 1 : 0;
        for (let j = e; j < i; j++) s -= L[i * n + j]! * y[j]!;
        y[i] = s / L[i * n + i]!;
      }
      for (let i = n - 1; i >= blk.offset; i--) {
        let s = y[i]!;
        for (let j = i + 1; j < n; j++) s -= L[j * n + i]! * x[j]!;
        x[i] = s / L[i * n + i]!;
      }
      for (let row = 0; row < blk.size; row++)
        out[bi]![row * blk.size + col] = x[blk.offset + row]!;
    }
  });
  return out;
}

interface ItemSe {
  alpha: number | null;
  location: number | null;
  steps: (number | null)[];
}

/**
 * Standard errors from the observed information of the marginal log-posterior by Louis's
 * (1982) identity: I = E[-H_complete | data] - sum_i Cov(S_i | x_i) + prior precision, where
 * S_i is candidate i's complete-data score vector and the expectations are over their
 * posterior on the quadrature nodes. Above `fullCovarianceLimit` parameters the between-item
 * terms are dropped (each item's block is inverted on its own).
 */
function standardErrors(
  work: Work[],
  nodes: Float64Array,
  prior: { logA: NormalPrior; b: NormalPrior } | undefined,
  persons: number,
  start: number[],
  itemOf: number[],
  catOf: number[],
  posterior: (i: number, out: Float64Array) => number,
  o: { fullCovarianceLimit: number },
): { method: 'louis-full' | 'louis-per-item'; se: (ItemSe | undefined)[] } {
  const Q = nodes.length;
  const offsets: number[] = [];
  let p = 0;
  for (const w of work) {
    offsets.push(p);
    p += w.k + 1;
  }
  const full = p <= o.fullCovarianceLimit;
  // Per item, node and category: the centred score vector s = g_c - E_P[g] (length k + 1).
  const scores = work.map((w) => {
    const d = w.k + 1;
    const a = Math.exp(w.alpha);
    const t: NodeTerms = { p: new Float64Array(d), z: new Float64Array(d) };
    const g = new Float64Array(d);
    const out = new Float64Array(Q * d * d);
    const mean = new Float64Array(d);
    for (let q = 0; q < Q; q++) {
      nodeTerms(a, w.steps, nodes[q]!, t);
      mean.fill(0);
      for (let c = 0; c < d; c++) {
        categoryGradient(a, w.k, c, t.z, g);
        for (let x = 0; x < d; x++) mean[x]! += t.p[c]! * g[x]!;
      }
      for (let c = 0; c < d; c++) {
        categoryGradient(a, w.k, c, t.z, g);
        for (let x = 0; x < d; x++) out[(q * d + c) * d + x] = g[x]! - mean[x]!;
      }
    }
    return out;
  });

  // Matrix storage: the full p x p matrix, or one block per item.
  const blocks = work.map((w, j) => ({ offset: offsets[j]!, size: w.k + 1 }));
  const fullM = full ? new Float64Array(p * p) : undefined;
  const blockM = full ? undefined : blocks.map((b) => new Float64Array(b.size * b.size));
  const add = (j1: number, x: number, j2: number, y: number, v: number) => {
    if (fullM) fullM[(offsets[j1]! + x) * p + offsets[j2]! + y]! += v;
    else if (j1 === j2) blockM![j1]![x * blocks[j1]!.size + y]! += v;
  };

  // E[-H_complete]: per item, sum_q n_q Cov_P(g) - sum_q sum_c (r_qc - n_q P_qc) H^z_c, where
  // H^z_c has d2 z_c / d(log a)^2 = z_c and d2 z_c / d(log a) db_v = -a [v <= c].
  for (let j = 0; j < work.length; j++) {
    const w = work[j]!;
    const d = w.k + 1;
    const ob = itemObjective(w, w.alpha, w.steps, nodes, undefined, true);
    const a = Math.exp(w.alpha);
    const t: NodeTerms = { p: new Float64Array(d), z: new Float64Array(d) };
    const h = new Float64Array(d * d);
    for (let q = 0; q < Q; q++) {
      let n = 0;
      for (let c = 0; c < d; c++) n += w.r[c]![q]!;
      nodeTerms(a, w.steps, nodes[q]!, t);
      for (let c = 0; c < d; c++) {
        const resid = w.r[c]![q]! - n * t.p[c]!;
        h[0]! += resid * t.z[c]!;
        for (let v = 1; v <= c; v++) h[v]! += resid * -a;
      }
    }
    for (let x = 0; x < d; x++)
      for (let y = 0; y < d; y++) {
        let v = ob.info[x * d + y]!;
        if (x === 0) v -= h[y]!;
        else if (y === 0) v -= h[x]!;
        add(j, x, j, y, v);
      }
    if (prior) {
      add(j, 0, j, 0, 1 / prior.logA.sd ** 2);
      for (let v = 1; v < d; v++) add(j, v, j, v, 1 / prior.b.sd ** 2);
    }
  }

  // - sum_i Cov(S_i | x_i).
  const post = new Float64Array(Q);
  for (let i = 0; i < persons; i++) {
    posterior(i, post);
    const its: { j: number; c: number; d: number; at: number }[] = [];
    let dim = 0;
    for (let t = start[i]!; t < start[i + 1]!; t++) {
      const j = itemOf[t]!;
      const d = work[j]!.k + 1;
      its.push({ j, c: catOf[t]!, d, at: dim });
      dim += d;
    }
    const s = new Float64Array(dim);
    const mean = new Float64Array(dim);
    const second = new Float64Array(dim * dim);
    for (let q = 0; q < Q; q++) {
      const pq = post[q]!;
      if (pq < 1e-14) continue;
      for (const it of its) {
        const base = (q * it.d + it.c) * it.d;
        for (let x = 0; x < it.d; x++) s[it.at + x] = scores[it.j]![base + x]!;
      }
      for (let x = 0; x < dim; x++) {
        mean[x]! += pq * s[x]!;
        const sx = pq * s[x]!;
        for (let y = 0; y <= x; y++) second[x * dim + y]! += sx * s[y]!;
      }
    }
    if (fullM) {
      // Global index of each of the candidate's parameters; the lower triangle is mirrored.
      const global = new Int32Array(dim);
      for (const it of its) for (let x = 0; x < it.d; x++) global[it.at + x] = offsets[it.j]! + x;
      for (let x = 0; x < dim; x++) {
        const gx = global[x]! * p;
        for (let y = 0; y <= x; y++) {
          const v = second[x * dim + y]! - mean[x]! * mean[y]!;
          fullM[gx + global[y]!]! -= v;
          if (x !== y) fullM[global[y]! * p + global[x]!]! -= v;
        }
      }
    } else
      for (const it of its)
        for (let x = 0; x < it.d; x++)
          for (let y = 0; y < it.d; y++) {
            const gx = it.at + x;
            const gy = it.at + y;
            const e = gx >= gy ? second[gx * dim + gy]! : second[gy * dim + gx]!;
            add(it.j, x, it.j, y, -(e - mean[gx]! * mean[gy]!));
          }
  }

  const covs = fullM
    ? inverseDiagonalAndBlocks(fullM, p, blocks)
    : blockM!.map(
        (m, j) =>
          inverseDiagonalAndBlocks(m, blocks[j]!.size, [{ offset: 0, size: blocks[j]!.size }])?.[0],
      );
  const se = work.map((w, j) => {
    const cov = Array.isArray(covs) ? covs[j] : undefined;
    if (!cov) return undefined;
    const d = w.k + 1;
    const sd = (x: number) => {
      const v = cov[x * d + x]!;
      return v > 0 && Number.isFinite(v) ? Math.sqrt(v) : null;
    };
    // Location = mean of the steps: Var = (1/K^2) sum over the steps' covariance block.
    let vLoc = 0;
    for (let x = 1; x < d; x++) for (let y = 1; y < d; y++) vLoc += cov[x * d + y]!;
    vLoc /= w.k * w.k;
    return {
      alpha: sd(0),
      location: vLoc > 0 && Number.isFinite(vLoc) ? Math.sqrt(vLoc) : null,
      steps: Array.from({ length: w.k }, (_, v) => sd(v + 1)),
    };
  });
  return { method: full ? 'louis-full' : 'louis-per-item', se };
}

/**
 * Item fit for incomplete designs, after Orlando & Thissen's (2000) S-X2: each response is
 * compared with its prediction from the candidate's *other* responses, the category
 * distribution sum_q pi_-j(q) P_j(c | theta_q) where pi_-j is the candidate's posterior
 * without item j. Orlando & Thissen group candidates by their summed score on the other items;
 * forms differ here, so candidates are grouped by the EAP of their other responses into `G`
 * groups of equal size (Yen's 1981 Q1 grouping, at most 10, at least 20 candidates each). Per
 * group, the observed and predicted sums of the item's category index give the standardised
 * residual z_g = (O_g - E_g) / sqrt(V_g) (V_g the sum of predictive variances);
 * X2 = sum z_g^2, referred to chi-square with G - d degrees of freedom (d = the item's
 * parameters), as S-X2 is.
 */
function itemFit(
  work: Work[],
  nodes: Float64Array,
  persons: number,
  start: number[],
  itemOf: number[],
  catOf: number[],
  posterior: (i: number, out: Float64Array) => number,
): ItemFit[] {
  const Q = nodes.length;
  const probs = work.map((w) => {
    const p = new Float64Array(w.k + 1);
    return Array.from({ length: w.k + 1 }, (_, c) =>
      Float64Array.from(nodes, (x) => categoryProbabilities(Math.exp(w.alpha), w.steps, x, p)[c]!),
    );
  });
  const rows = work.map(() => [] as { rest: number; x: number; mean: number; variance: number }[]);
  const post = new Float64Array(Q);
  const loo = new Float64Array(Q);
  for (let i = 0; i < persons; i++) {
    posterior(i, post);
    for (let t = start[i]!; t < start[i + 1]!; t++) {
      const j = itemOf[t]!;
      const w = work[j]!;
      const own = probs[j]![catOf[t]!]!;
      let sum = 0;
      let rest = 0;
      for (let q = 0; q < Q; q++) {
        const v = post[q]! / Math.max(own[q]!, 1e-300);
        loo[q] = v;
        sum += v;
        rest += v * nodes[q]!;
      }
      let mean = 0;
      let second = 0;
      for (let c = 1; c <= w.k; c++) {
        const pc = probs[j]![c]!;
        let v = 0;
        for (let q = 0; q < Q; q++) v += loo[q]! * pc[q]!;
        mean += (c * v) / sum;
        second += (c * c * v) / sum;
      }
      rows[j]!.push({ rest: rest / sum, x: catOf[t]!, mean, variance: second - mean * mean });
    }
  }
  return rows.map((r, j) => {
    const groups = Math.max(1, Math.min(10, Math.floor(r.length / 20)));
    r.sort((x, y) => x.rest - y.rest);
    let x2 = 0;
    for (let g = 0; g < groups; g++) {
      const from = Math.floor((g * r.length) / groups);
      const to = Math.floor(((g + 1) * r.length) / groups);
      let o = 0;
      let e = 0;
      let v = 0;
      for (let i = from; i < to; i++) {
        o += r[i]!.x;
        e += r[i]!.mean;
        v += r[i]!.variance;
      }
      if (v > 1e-12) x2 += (o - e) ** 2 / v;
    }
    const df = Math.max(1, groups - (work[j]!.k + 1));
    return { x2, df, p: chiSquareSurvival(x2, df), groups };
  });
}

/**
 * P(X > x) for X ~ chi-square(df): the regularised upper incomplete gamma Q(df/2, x/2), by its
 * series below a + 1 and its continued fraction (modified Lentz) above.
 */
export function chiSquareSurvival(x: number, df: number): number {
  if (!(x > 0)) return 1;
  const a = df / 2;
  const z = x / 2;
  const logPrefix = a * Math.log(z) - z - logGamma(a);
  if (z < a + 1) {
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < 1000; n++) {
      term *= z / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-15) break;
    }
    return Math.max(0, 1 - sum * Math.exp(logPrefix));
  }
  const tiny = 1e-300;
  let b = z + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let n = 1; n < 1000; n++) {
    const an = -n * (n - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return Math.min(1, Math.exp(logPrefix) * h);
}

/** log Gamma(x) for x > 0 (Lanczos approximation, g = 7, 9 terms). */
function logGamma(x: number): number {
  const g = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
    -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
    1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const y = x - 1;
  let sum = g[0]!;
  for (let i = 1; i < 9; i++) sum += g[i]! / (y + i);
  const t = y + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (y + 0.5) * Math.log(t) - t + Math.log(sum);
}
