/**
 * `npm run bench` (full) and `npm run bench -- --quick`: starts DynamoDB Local on loopback
 * (unless DYNAMODB_ENDPOINT names one), runs every part, writes bench/results.json and prints
 * the tables. DynamoDB Local is stopped however the run ends.
 *
 *   npm run bench -- [--quick] [--parts coldStart,warm,cost,load,scale] [--out FILE] [--streams]
 *   npm run bench -- --parts coldStart --functions candidate,employer   (cold start of some
 *     functions only: their names as in the cold-start table)
 *   npm run bench -- [--quick] --parts adaptive [--out FILE]   (the adaptive simulation: CPU
 *     only, no DynamoDB; its own results file, bench/results-adaptive.json by default)
 *   npm run bench -- --parts coldStart --instructions [--functions ...]   (cold starts counted
 *     in machine instructions under valgrind, 5 runs each, no verdict; written to
 *     bench/results-instructions.json unless --out names a file)
 *
 * --streams gives the bench's tables their DynamoDB stream as deployed (see bench/README.md).
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { BenchSizes, Part } from './harness.ts';

// Before any handler module loads: the logger reads LOG_LEVEL once (AttemptCompleted lines
// would otherwise fill the output), and the bench never talks to a real AWS account.
process.env.LOG_LEVEL ??= 'WARN';
delete process.env.EVENT_BUS_NAME;

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    parts: { type: 'string' },
    out: { type: 'string' },
    streams: { type: 'boolean', default: false },
    functions: { type: 'string' },
    instructions: { type: 'boolean', default: false },
  },
});

// The adaptive simulation (bench/parts/adaptive.ts) needs no database: it runs on its own,
// before anything else, when `--parts` names it.
const requested = values.parts?.split(',');
if (requested?.includes('adaptive')) {
  const { ADAPTIVE_FULL, ADAPTIVE_QUICK, adaptiveBench, formatAdaptive } = await import(
    './parts/adaptive.ts'
  );
  const started = Date.now();
  const result = adaptiveBench(values.quick ? ADAPTIVE_QUICK : ADAPTIVE_FULL, (line) =>
    process.stderr.write(`[${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s] ${line}\n`),
  );
  const others = requested.filter((p) => p !== 'adaptive');
  const file = resolve(
    others.length === 0 && values.out ? values.out : 'bench/results-adaptive.json',
  );
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  console.log(formatAdaptive(result));
  console.log(`\nResults: ${file}`);
  if (others.length === 0) process.exit(0);
  values.parts = others.join(',');
}

const { FULL, PARTS, QUICK, runBench } = await import('./harness.ts');
const { formatResults } = await import('./format.ts');
const { startDynamoLocal } = await import('../infra/local/dynamodb-local.ts');

const parts = values.parts
  ? values.parts.split(',').map((p) => {
      if (!(PARTS as readonly string[]).includes(p))
        throw new Error(`Unknown part "${p}"; parts are ${PARTS.join(', ')}.`);
      return p as Part;
    })
  : undefined;

/**
 * The sizes with the cold-start part limited to the named functions, when some are named, and
 * counted in instructions (5 runs each, in one round) with `--instructions`.
 */
function withFunctions(sizes: BenchSizes, functions: string[] | undefined): BenchSizes {
  const counted = values.instructions ? { instructions: true, runs: 5, rounds: 1 } : {};
  return {
    ...sizes,
    coldStart: { ...sizes.coldStart, ...(functions ? { functions } : {}), ...counted },
  };
}

const started = Date.now();
const log = (line: string) =>
  process.stderr.write(`[${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s] ${line}\n`);

let dynamo: Awaited<ReturnType<typeof startDynamoLocal>> | undefined;
const stop = async () => {
  const d = dynamo;
  dynamo = undefined;
  await d?.stop();
};
// Never leave a java process behind, whatever ends this one.
process.on('exit', () => dynamo?.process.kill('SIGKILL'));
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    void stop().finally(() => process.exit(130));
  });
}

let code = 0;
try {
  const external = process.env.DYNAMODB_ENDPOINT;
  if (!external) {
    log('starting DynamoDB Local');
    dynamo = await startDynamoLocal();
  }
  const endpoint = external ?? dynamo!.endpoint;
  const results = await runBench({
    endpoint,
    sizes: withFunctions(values.quick ? QUICK : FULL, values.functions?.split(',')),
    mode: values.quick ? 'quick' : 'full',
    ...(parts ? { parts } : {}),
    log,
    streams: values.streams,
    dynamodbLabel: external ? `${external} (external)` : `Local on ${endpoint}`,
  });
  const file = resolve(
    values.out ?? (values.instructions ? 'bench/results-instructions.json' : 'bench/results.json'),
  );
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  console.log(formatResults(results));
  console.log(`\nResults: ${file}`);
} catch (err) {
  console.error('bench failed:', err);
  code = 1;
} finally {
  await stop();
}
process.exit(code);
