/**
 * Part 1, cold-start proxy. Every Lambda function (each function group of the route table and
 * each job) is bundled with `esbuildOptions` from infra/aws/bundling.ts, the options CDK uses,
 * next to a floor: a minimal bundle built with the same options that makes the same DynamoDB
 * calls with the raw SDK and nothing else. Fresh Node processes, alternating function and
 * floor, each import the bundle and serve one representative request against DynamoDB Local.
 * The floor replays the DynamoDB requests the function's own bundle made in its first run.
 */
import { execSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { build, type Metafile } from 'esbuild';
import { stringify as stringifyYaml } from 'yaml';
import { db } from '../../functions/data/client.ts';
import { keys } from '../../functions/data/keys.ts';
import { handlerEntry, ROUTES } from '../../functions/http/routes.ts';
import { JOBS } from '../../functions/jobs/jobs.ts';
import { esbuildOptions, sideModuleCommands } from '../../infra/aws/bundling.ts';
import { buildEvent } from '../../infra/local/gateway.ts';
import type { FloorEvent } from '../floor/replay.ts';
import { syntheticBank } from '../lib/bank.ts';
import { runNodeChild } from '../lib/child.ts';
import type { Bench } from '../lib/setup.ts';
import { chunks, median, ratio, round, type Spread, spreadOf } from '../lib/stats.ts';
import { attemptOf, createAssessment, invite, request, SECTIONS } from '../lib/workflow.ts';
import { JOB_REQUESTS, jobFixtures, scheduledEvent } from './cold-start-jobs.ts';

export const ROOT = resolve(import.meta.dirname, '../..');
export const OUT = join(ROOT, 'bench/out');

export interface LambdaFunction {
  name: string;
  kind: 'http' | 'job';
  entry: string;
}

/** The one floor handler: replays a function's captured DynamoDB calls with the raw SDK. */
export const FLOOR_ENTRY = 'bench/floor/replay.ts';

/** Every function the CDK app deploys: one per function group of ROUTES, one per job. */
export function lambdaFunctions(): LambdaFunction[] {
  const groups = [...new Set(ROUTES.map((r) => r.group))];
  return [
    ...groups.map((g) => ({
      name: g,
      kind: 'http' as const,
      entry: handlerEntry(g),
    })),
    ...JOBS.map((j) => ({
      name: j.name,
      kind: 'job' as const,
      entry: j.entry,
    })),
  ];
}

export interface PackageShare {
  name: string;
  bytes: number;
}

export interface BundleInfo {
  bytes: number;
  gzipBytes: number;
  mapBytes: number;
  buildMs: number;
  /** Minified bytes by npm package (or project folder), largest first. */
  topPackages: PackageShare[];
  /** Minified bytes by folder inside a package (e.g. zod/v4/locales), largest first. */
  topFolders: PackageShare[];
  /** Largest single input files. */
  topFiles: PackageShare[];
  /** For each of the top packages: the shortest import chain from the entry that pulls it in. */
  pulledInBy: Record<string, string[]>;
}

const packageOf = (path: string): string => {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  if (m) return m[1]!;
  const parts = path.split('/');
  return parts.length > 2 ? parts.slice(0, 2).join('/') : path;
};

const folderOf = (path: string): string => {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(.*)$/.exec(path);
  if (!m) return packageOf(path);
  const dirs = m[2]!
    .split('/')
    .slice(0, -1)
    .filter((d) => !['dist', 'dist-es', 'lib', 'esm', 'submodules'].includes(d));
  return [m[1], ...dirs.slice(0, 2)].join('/');
};

/** The `n` packages (or project folders) of a build's entry output with the most minified bytes. */
export function largestPackages(meta: Metafile, n: number): PackageShare[] {
  const out = Object.values(meta.outputs).find((o) => o.entryPoint);
  const byPackage = new Map<string, number>();
  for (const [path, input] of Object.entries(out?.inputs ?? {})) {
    const p = packageOf(path);
    byPackage.set(p, (byPackage.get(p) ?? 0) + input.bytesInOutput);
  }
  return top(byPackage, n);
}

function top(map: Map<string, number>, n: number): PackageShare[] {
  return [...map]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([name, bytes]) => ({ name, bytes }));
}

/** Shortest import path from the entry to any file of `pkg` (breadth-first over the metafile). */
function chainTo(meta: Metafile, entry: string, pkg: string): string[] {
  const prev = new Map<string, string | null>([[entry, null]]);
  const queue = [entry];
  while (queue.length) {
    const file = queue.shift()!;
    if (packageOf(file) === pkg && file !== entry) {
      const path: string[] = [];
      for (let f: string | null | undefined = file; f; f = prev.get(f)) path.unshift(f);
      // Show the project files and the first file inside each package, not every hop.
      return path.filter((p, i) => i === 0 || packageOf(p) !== packageOf(path[i - 1]!));
    }
    for (const imp of meta.inputs[file]?.imports ?? []) {
      if (!prev.has(imp.path) && meta.inputs[imp.path]) {
        prev.set(imp.path, file);
        queue.push(imp.path);
      }
    }
  }
  return [];
}

/** Files this process has built (anything older in bench/out/ may be stale). */
const built = new Set<string>();

/** Bundle `entry` into `<outDir>/index.mjs` with the CDK options; sizes and what makes them. */
export async function buildBundle(entry: string, outDir: string): Promise<BundleInfo> {
  mkdirSync(outDir, { recursive: true });
  const outfile = join(outDir, 'index.mjs');
  const started = performance.now();
  // metafile only adds the analysis; the bundle's bytes are what esbuildOptions produces.
  const res = await build({ ...esbuildOptions(join(ROOT, entry), outfile), metafile: true });
  // The modules a function loads only when a request needs them, beside the bundle as CDK puts
  // them (lambdaBundling's afterBundling hook).
  for (const command of sideModuleCommands(ROOT, outDir)) execSync(command, { stdio: 'inherit' });
  const buildMs = performance.now() - started;
  writeFileSync(`${outfile}.meta.json`, JSON.stringify(res.metafile));
  built.add(outfile);
  const out = Object.values(res.metafile.outputs).find((o) => o.entryPoint);
  if (!out) throw new Error(`esbuild produced no entry output for ${entry}`);
  const byFolder = new Map<string, number>();
  const byFile = new Map<string, number>();
  for (const [path, input] of Object.entries(out.inputs)) {
    const f = folderOf(path);
    byFolder.set(f, (byFolder.get(f) ?? 0) + input.bytesInOutput);
    byFile.set(path, input.bytesInOutput);
  }
  const topPackages = largestPackages(res.metafile, 10);
  const pulledInBy: Record<string, string[]> = {};
  for (const p of topPackages.slice(0, 6)) {
    if (p.name.startsWith('functions/') || p.name.startsWith('bench/')) continue;
    pulledInBy[p.name] = chainTo(res.metafile, out.entryPoint!, p.name);
  }
  const code = readFileSync(outfile);
  return {
    bytes: code.length,
    gzipBytes: gzipSync(code).length,
    mapBytes: existsSync(`${outfile}.map`) ? statSync(`${outfile}.map`).size : 0,
    buildMs: round(buildMs),
    topPackages,
    topFolders: top(byFolder, 10),
    topFiles: top(byFile, 8),
    pulledInBy,
  };
}

export interface ChildResult {
  bootMs: number;
  importMs: number;
  firstMs: number;
  importCpuMs: number;
  firstCpuMs: number;
  status: number;
  calls: string[];
  wallMs: number;
  /** Capture runs: every file the process loaded. */
  loaded?: string[];
  /** `instructions` mode: the machine instructions the process ran (callgrind). */
  instructions?: number;
}

async function buildChild(): Promise<string> {
  const outfile = join(OUT, 'child.mjs');
  await build({
    entryPoints: [join(ROOT, 'bench/cold/child.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    logLevel: 'warning',
  });
  built.add(outfile);
  return outfile;
}

async function runChild(
  child: string,
  bundle: string,
  eventFile: string,
  env: NodeJS.ProcessEnv,
  captureFile?: string,
  instructions = false,
): Promise<ChildResult> {
  const started = performance.now();
  const args = [child, bundle, eventFile, ...(captureFile ? [captureFile] : [])];
  const result = await runNodeChild<Omit<ChildResult, 'wallMs'>>(
    args,
    env,
    30_000,
    'cold-start child',
    instructions,
  );
  return { ...result, wallMs: performance.now() - started };
}

/**
 * Each function's worst request (the most code and calls it can have to load and make cold),
 * as API Gateway, EventBridge or a stream sends it. `count` events per function: a request that
 * changes state (a start consumes its invitation) gets a fresh one per run.
 */
async function representativeEvents(b: Bench, count: number): Promise<Record<string, unknown[]>> {
  // Fixtures: completed attempts (their results' stream records, one per run: a completion is
  // applied once), invitations to start (one per run), a YAML bank already stored.
  const assessmentId = await createAssessment(b, 'Cold-start fixtures');
  const completions: Record<string, unknown>[] = [];
  const completed: string[] = [];
  for (const token of await invite(b, assessmentId, count)) {
    const done = attemptOf(await request.start(b, token));
    if ((await request.submit(b, done)).status !== 200) throw new Error('fixture submit failed');
    completed.push(done.attemptId);
    const res = await db().send(
      new GetCommand({ TableName: b.table, Key: keys.attemptResult(done.attemptId) }),
    );
    completions.push(res.Item!);
  }
  const starts = await invite(b, assessmentId, count);
  const yamlBank = stringifyYaml(syntheticBank('coldyaml', 26));
  if (
    (
      await b.http.request('POST', '/v1/banks', {
        token: b.author,
        raw: yamlBank,
        contentType: 'application/yaml',
      })
    ).status !== 201
  )
    throw new Error('fixture YAML bank failed');
  const http = httpEvent;
  const image = (x: Record<string, unknown>) =>
    marshall(x, { removeUndefinedValues: true, convertClassInstanceToMap: false });
  const same = async (e: Promise<unknown>) => Array(count).fill(await e) as unknown[];
  return {
    public: await same(http('public', 'GET', '/v1/areas')),
    // A YAML upload: the only request that loads the YAML parser. The bank is stored already,
    // so every run finds it unchanged (its heads are read, nothing is written).
    authoring: await same(
      http('authoring', 'POST', '/v1/banks', b.author, yamlBank, 'application/yaml'),
    ),
    // Pool sampling over both sources and sections, then the assessment written. One
    // difficulty per section: its questions are fewer than the pool cap, so every sampling
    // reads from its random point and wraps once, and every run makes the same calls.
    employer: await same(
      http('employer', 'POST', '/v1/assessments', b.employer, {
        title: 'Cold start',
        timeLimitMinutes: 30,
        sections: SECTIONS.map((s) => ({ ...s, difficulty: 2 })),
      }),
    ),
    // The printable report of a completed attempt (read only, so every run reads the same one):
    // the result, the norms and the question versions read, the markdown rendered through the
    // markdown side module (markdown-it), the radar chart drawn.
    'employer-attempts': await same(
      http('employer-attempts', 'GET', `/v1/attempts/${completed[0]}/report.html`, b.employer),
    ),
    // A start: the invitation, the assessment, the question versions, and three writes.
    candidate: await Promise.all(
      starts.map((token) =>
        http('candidate', 'POST', '/v1/attempts', undefined, { invitationToken: token }),
      ),
    ),
    sweeper: await same(Promise.resolve(scheduledEvent())),
    // A completion's stream record (its result item written), delivered for the first time:
    // the norms and every question's statistics are written.
    statistics: completions.map((item, i) => ({
      Records: [
        {
          eventID: `bench-${i}`,
          eventName: 'INSERT',
          eventVersion: '1.1',
          eventSource: 'aws:dynamodb',
          awsRegion: 'local',
          dynamodb: {
            Keys: image({ PK: item.PK, SK: item.SK }),
            // Lambda's event is JSON: binary values (the result body) arrive as base64 text.
            NewImage: JSON.parse(
              JSON.stringify(image(item), (_k, v) =>
                v instanceof Uint8Array
                  ? Buffer.from(v).toString('base64')
                  : v && v.type === 'Buffer' && Array.isArray(v.data)
                    ? Buffer.from(v.data).toString('base64')
                    : v,
              ),
            ),
            SequenceNumber: `${100000000000000000001n + BigInt(i)}`,
            SizeBytes: 4096,
            StreamViewType: 'NEW_AND_OLD_IMAGES',
          },
          eventSourceARN: 'arn:aws:dynamodb:local:000000000000:table/bench/stream/bench',
        },
      ],
    })),
  };
}

/** What the representative request of each function is, for the table and the README. */
export const REPRESENTATIVE: Record<string, string> = {
  public: 'GET /v1/areas',
  authoring: 'POST /v1/banks (YAML, unchanged)',
  employer: 'POST /v1/assessments',
  'employer-attempts': 'GET /v1/attempts/{id}/report.html',
  candidate: 'POST /v1/attempts (start)',
  sweeper: 'scheduled run, nothing due',
  statistics: 'stream batch: 1 completion, first delivery',
  ...JOB_REQUESTS,
};

export interface ProcessStats {
  importMs: number;
  firstMs: number;
  totalMs: number;
  /** The main thread's CPU time (medians): steadier than wall time on a shared machine. */
  importCpuMs: number;
  firstCpuMs: number;
  totalCpuMs: number;
  bootMs: number;
  wallMs: number;
  calls: string[];
  errors: number;
}

export interface ColdStartResult {
  function: string;
  kind: 'http' | 'job';
  request: string;
  runs: number;
  bundle: BundleInfo;
  floorBundle?: BundleInfo;
  real?: ProcessStats;
  floor?: ProcessStats;
  /** median(import + first request) of the function / the same of its floor, over all runs. */
  ratio?: number;
  /** The same ratio per round of alternating runs: the spread the verdict is given on. */
  rounds?: Spread;
  importRatio?: number;
  firstRequestRatio?: number;
  /** The same ratio of main-thread CPU time (import + first request): context, not the goal. */
  cpuRatio?: number;
  /** Every measured run of the function made the calls the floor made, in the same order. */
  sameCalls?: boolean;
  /** Side modules (beside the bundle) the worst request loaded, with their minified bytes. */
  sideModules?: PackageShare[];
  /** The bundle's bytes plus those side modules': what the worst request loads. */
  loadedBytes?: number;
  /**
   * The YAML texts the worst request parsed, which its floor parses too with the same module
   * (an upload's input: its cost grows with the input, whatever the code around it).
   */
  floorParses?: { texts: number; bytes: number; module: string };
  /**
   * The markdown texts the worst request rendered as HTML, which its floor renders too with the
   * same module (the HTML report's content).
   */
  floorRenders?: { texts: number; bytes: number; module: string };
  /**
   * The floor making the calls only (no parse, no rendering), and the ratio to it per round:
   * context.
   */
  floorCallsOnly?: ProcessStats;
  callsOnlyRounds?: Spread;
  /** `instructions` mode (see `ColdStartOptions`): counts per process, in millions. */
  instructions?: InstructionCounts;
  note?: string;
}

/**
 * Machine instructions per process (millions, median and range over the runs): the function,
 * its floor (and the floor making the calls only, where it differs), and `boot`, a process that
 * imports an empty handler and serves the same event (Node's start, the child's own code).
 * `ratio` is the function's instructions above boot over the floor's, per pair of runs: the
 * cold-start ratio with time replaced by work done, which no other process on the machine moves.
 */
export interface InstructionCounts {
  function: Spread;
  floor: Spread;
  floorCallsOnly?: Spread;
  boot: Spread;
  ratio: Spread;
  /**
   * What each counted run answered and the calls it made (function's runs, then the floor's):
   * under valgrind a process runs about 50 times slower, and a request that ran out of its time
   * budget answers 503 having done less work. The ratio means something only when `sameCalls`.
   */
  answered: { function: string[]; floor: string[]; floorCalls: string[] };
}

const BOOT_HANDLER = 'export const handler = async () => ({ statusCode: 200, body: "" });\n';

/** Instructions of `runs` alternating processes of the function, its floor(s) and boot. */
export async function countInstructions(
  runs: number,
  real: (i: number) => Promise<ChildResult>,
  floor: () => Promise<ChildResult>,
  bare: (() => Promise<ChildResult>) | undefined,
  boot: () => Promise<ChildResult>,
): Promise<{ counts: InstructionCounts; sameCalls: boolean }> {
  const done = { real: [] as ChildResult[], floor: [] as ChildResult[], bare: [] as ChildResult[] };
  const boots: number[] = [];
  for (let i = 0; i < runs; i++) {
    done.real.push(await real(i + 2));
    done.floor.push(await floor());
    if (bare) done.bare.push(await bare());
    boots.push(millions(await boot()));
  }
  const start = median(boots);
  const fn = done.real.map(millions);
  const fl = done.floor.map(millions);
  const floorCalls = done.floor[0]?.calls.join() ?? '';
  return {
    counts: {
      function: spreadOf(fn),
      floor: spreadOf(fl),
      ...(bare ? { floorCallsOnly: spreadOf(done.bare.map(millions)) } : {}),
      boot: spreadOf(boots),
      ratio: spreadOf(fn.map((r, i) => ratio(r - start, fl[i]! - start))),
      answered: {
        function: done.real.map(answeredBy),
        floor: done.floor.map(answeredBy),
        floorCalls: done.floor[0]?.calls ?? [],
      },
    },
    sameCalls: [...done.real, ...done.floor].every((r) => r.calls.join() === floorCalls),
  };
}

/** "201: GetItem+Query" — a run's status and calls, for the instructions table. */
const answeredBy = (r: ChildResult) => `${r.status}: ${r.calls.join('+') || 'no calls'}`;

const millions = (r: ChildResult) => round((r.instructions ?? Number.NaN) / 1e6, 1);

/** Per round of alternating runs: median(import + first) of `real` / the same of `floor`. */
function roundsOf(real: ChildResult[], floor: ChildResult[], rounds = 5): Spread {
  const total = (r: ChildResult) => r.importMs + r.firstMs;
  const pairs = real.map((r, i) => ({ real: total(r), floor: total(floor[i]!) }));
  return spreadOf(
    chunks(pairs, Math.min(rounds, pairs.length)).map((p) =>
      ratio(median(p.map((x) => x.real)), median(p.map((x) => x.floor))),
    ),
  );
}

function statsOf(rs: ChildResult[]): ProcessStats {
  return {
    importMs: round(median(rs.map((r) => r.importMs))),
    firstMs: round(median(rs.map((r) => r.firstMs))),
    totalMs: round(median(rs.map((r) => r.importMs + r.firstMs))),
    importCpuMs: round(median(rs.map((r) => r.importCpuMs))),
    firstCpuMs: round(median(rs.map((r) => r.firstCpuMs))),
    totalCpuMs: round(median(rs.map((r) => r.importCpuMs + r.firstCpuMs))),
    bootMs: round(median(rs.map((r) => r.bootMs))),
    wallMs: round(median(rs.map((r) => r.wallMs))),
    calls: rs[0]?.calls ?? [],
    errors: rs.filter((r) => r.status >= 400).length,
  };
}

export interface ColdStartOptions {
  /** Measured processes per bundle (after one unmeasured warm-up process each). */
  runs: number;
  /** Rounds the runs are grouped into for the spread (runs / rounds pairs each). */
  rounds?: number;
  /** Limit to these functions (all by default). */
  functions?: string[];
  warmup?: boolean;
  /**
   * Count machine instructions under valgrind instead of timing (`--instructions`): each
   * measured process runs under callgrind, alternating function, floor and a process that
   * imports an empty handler (Node's own start). No verdict: the goal is on time.
   */
  instructions?: boolean;
}

/**
 * The environment of a function process: as the local runner sets it. No NODE_OPTIONS: the
 * stack does not enable source maps at run time (infra/aws/stack.ts).
 */
function childEnv(b: Bench): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    TABLE_NAME: b.table,
    DYNAMODB_ENDPOINT: process.env.DYNAMODB_ENDPOINT,
    AWS_REGION: 'local',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    JWT_ISSUER: process.env.JWT_ISSUER,
    JWT_AUDIENCE: process.env.JWT_AUDIENCE,
    JWT_JWKS: process.env.JWT_JWKS,
  };
}

/**
 * One request served by a function in a fresh process (nothing in its memory), with the
 * DynamoDB calls it made: how other parts see a cold function's calls.
 */
export async function freshProcessRun(
  b: Bench,
  fnName: string,
  event: unknown,
): Promise<{ status: number; calls: string[] }> {
  const fn = lambdaFunctions().find((f) => f.name === fnName);
  if (!fn) throw new Error(`No Lambda function ${fnName}`);
  const bundle = join(OUT, fn.name, 'index.mjs');
  if (!built.has(bundle)) await buildBundle(fn.entry, join(OUT, fn.name));
  const child = built.has(join(OUT, 'child.mjs')) ? join(OUT, 'child.mjs') : await buildChild();
  const eventFile = join(OUT, fn.name, 'probe-event.json');
  writeFileSync(eventFile, JSON.stringify(event));
  const r = await runChild(child, bundle, eventFile, childEnv(b));
  return { status: r.status, calls: r.calls };
}

/** An HTTP request as API Gateway's event, checked to route to `group`. */
export async function httpEvent(
  group: string,
  method: string,
  url: string,
  token?: string,
  body?: unknown,
  contentType = 'application/json',
): Promise<unknown> {
  const text =
    body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
  const built = await buildEvent({
    method,
    url,
    headers: {
      host: '127.0.0.1',
      'user-agent': 'assay-bench',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(text !== undefined ? { 'content-type': contentType } : {}),
    },
    ...(text !== undefined ? { body: Buffer.from(text) } : {}),
  });
  if (built.group !== group) throw new Error(`${url} routes to ${built.group}, not ${group}`);
  return built.event;
}

export async function coldStart(b: Bench, opts: ColdStartOptions): Promise<ColdStartResult[]> {
  const known = lambdaFunctions().map((f) => f.name);
  const unknown = opts.functions?.filter((f) => !known.includes(f)) ?? [];
  if (unknown.length > 0)
    throw new Error(`Unknown function ${unknown.join(', ')}; functions are ${known.join(', ')}.`);
  mkdirSync(OUT, { recursive: true });
  const child = await buildChild();
  // The jobs' fixtures (bench/parts/cold-start-jobs.ts), and the mail capture they send to.
  const jobs = await jobFixtures(b, opts.runs + 2, opts.functions);
  try {
    return await measureAll(b, opts, child, jobs);
  } finally {
    await jobs.stop();
  }
}

async function measureAll(
  b: Bench,
  opts: ColdStartOptions,
  child: string,
  jobs: Awaited<ReturnType<typeof jobFixtures>>,
): Promise<ColdStartResult[]> {
  const events = { ...(await representativeEvents(b, opts.runs + 2)), ...jobs.events };
  const baseEnv = { ...childEnv(b), ...jobs.env };
  const floorBundle = await buildBundle(FLOOR_ENTRY, join(OUT, 'floor'));
  const floorFile = join(OUT, 'floor', 'index.mjs');
  const results: ColdStartResult[] = [];
  for (const fn of lambdaFunctions()) {
    if (opts.functions && !opts.functions.includes(fn.name)) continue;
    const bundle = await buildBundle(fn.entry, join(OUT, fn.name));
    const result: ColdStartResult = {
      function: fn.name,
      kind: fn.kind,
      request: REPRESENTATIVE[fn.name] ?? '?',
      runs: opts.runs,
      bundle,
    };
    results.push(result);
    const fnEvents = events[fn.name];
    if (!fnEvents) {
      result.note = 'the bench has no representative request for this function yet';
      continue;
    }
    const eventFile = (i: number) => {
      const file = join(OUT, fn.name, `event-${i}.json`);
      writeFileSync(file, JSON.stringify(fnEvents[i]));
      return file;
    };
    const realFile = join(OUT, fn.name, 'index.mjs');
    const env = { ...baseEnv, ...jobs.envOf[fn.name] };
    // A job's run i first gets the state it starts from (a reminder due), when it needs one.
    const runReal = async (i: number, capture?: string, instructions = false) => {
      await jobs.prepare[fn.name]?.(i);
      return runChild(child, realFile, eventFile(i), env, capture, instructions);
    };
    // Unmeasured: pages the files into the OS cache and brings the data to the state every
    // measured run sees. Requests that change state get an event of their own per run.
    if (opts.warmup !== false) await runReal(0);
    // Unmeasured too: a run that records the requests for the floor to replay, so the floor
    // makes the calls this very bundle makes, in the state the measured runs see.
    const floorEventFile = join(OUT, fn.name, 'floor-event.json');
    const capture = await runReal(1, floorEventFile);
    // What the request loaded beside the bundle (side modules, side entries) counts as its own.
    const dir = join(OUT, fn.name);
    result.sideModules = (capture.loaded ?? [])
      .filter((f) => f.startsWith(`${dir}/`) && f !== realFile && /\.(c|m)?js$/.test(f))
      .map((f) => ({ name: relative(dir, f), bytes: statSync(f).size }));
    result.loadedBytes = bundle.bytes + result.sideModules.reduce((a, m) => a + m.bytes, 0);
    result.floorBundle = floorBundle;
    if (opts.warmup !== false) await runChild(child, floorFile, floorEventFile, env);
    // A request that parsed YAML or rendered markdown: its floor parses or renders the same
    // texts with the same module (see bench/floor/replay.ts); the floor that only makes the
    // calls is measured too, as context.
    const recorded = JSON.parse(readFileSync(floorEventFile, 'utf8')) as FloorEvent;
    const bareEventFile = join(OUT, fn.name, 'floor-event-calls-only.json');
    const withWork = !!(recorded.parse || recorded.render);
    if (withWork) {
      const { parse, render, ...callsOnly } = recorded;
      writeFileSync(bareEventFile, JSON.stringify(callsOnly));
      if (parse)
        result.floorParses = {
          texts: parse.texts.length,
          bytes: parse.texts.reduce((a, t) => a + Buffer.byteLength(t), 0),
          module: relative(dir, parse.module),
        };
      if (render)
        result.floorRenders = {
          texts: render.calls.length,
          bytes: render.calls.reduce((a, c) => a + Buffer.byteLength(c.text), 0),
          module: relative(dir, render.module),
        };
    }
    const runFloor = () => runChild(child, floorFile, floorEventFile, env);
    const runBare = () => runChild(child, floorFile, bareEventFile, env);
    if (opts.instructions) {
      const bootFile = join(OUT, 'boot.mjs');
      writeFileSync(bootFile, BOOT_HANDLER);
      const counted = (file: string, event: string) => () =>
        runChild(child, file, event, env, undefined, true);
      const { counts, sameCalls } = await countInstructions(
        opts.runs,
        (i) => runReal(i, undefined, true),
        counted(floorFile, floorEventFile),
        withWork ? counted(floorFile, bareEventFile) : undefined,
        counted(bootFile, floorEventFile),
      );
      result.instructions = counts;
      result.sameCalls = sameCalls;
      continue;
    }
    const real: ChildResult[] = [];
    const floor: ChildResult[] = [];
    const bare: ChildResult[] = [];
    for (let i = 0; i < opts.runs; i++) {
      // Alternate (and swap the order every run) so drift on a shared machine hits both alike.
      if (i % 2 === 0) {
        real.push(await runReal(i + 2));
        floor.push(await runFloor());
        if (withWork) bare.push(await runBare());
      } else {
        if (withWork) bare.push(await runBare());
        floor.push(await runFloor());
        real.push(await runReal(i + 2));
      }
    }
    result.real = statsOf(real);
    result.floor = statsOf(floor);
    result.ratio = ratio(result.real.totalMs, result.floor.totalMs);
    result.rounds = roundsOf(real, floor, opts.rounds);
    if (withWork) {
      result.floorCallsOnly = statsOf(bare);
      result.callsOnlyRounds = roundsOf(real, bare, opts.rounds);
    }
    result.importRatio = ratio(result.real.importMs, result.floor.importMs);
    result.cpuRatio = ratio(result.real.totalCpuMs, result.floor.totalCpuMs);
    result.firstRequestRatio = ratio(result.real.firstMs, result.floor.firstMs);
    const floorCalls = floor[0]?.calls.join() ?? '';
    result.sameCalls =
      real.every((r) => r.calls.join() === floorCalls) &&
      floor.every((r) => r.calls.join() === floorCalls);
  }
  return results;
}
