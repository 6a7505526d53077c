import { spawn } from 'node:child_process';

/** The line a bench child prints with its result, as JSON after this prefix. */
export const RESULT_PREFIX = 'BENCH_RESULT ';

/**
 * `BENCH_CPU_PROF=<dir>`: each child also writes a V8 CPU profile (sampled every 50 us), into
 * `<dir>/floor` for a floor bundle and `<dir>/function` for the rest, to see where a cold start
 * goes (the profiler slows the process: never with figures that are kept).
 */
function profileArgs(args: readonly string[]): string[] {
  const dir = process.env.BENCH_CPU_PROF;
  if (!dir) return [];
  const kind = args.some((a) => a.includes('/floor/')) ? 'floor' : 'function';
  return ['--cpu-prof', '--cpu-prof-interval=50', `--cpu-prof-dir=${dir}/${kind}`];
}

/**
 * Machine instructions a process ran in all its threads, from callgrind's summary line
 * (`==123== Collected : 648315123`): undefined when the line is missing.
 */
export function collectedInstructions(stderr: string): number | undefined {
  const m = /^==\d+== Collected : (\d+)$/m.exec(stderr);
  return m ? Number(m[1]) : undefined;
}

/** The valgrind command line that counts a Node process's instructions (`instructions` mode). */
const CALLGRIND = [
  'valgrind',
  '--tool=callgrind',
  // V8 writes the machine code it runs: valgrind must look for code changed outside files.
  '--smc-check=all-non-file',
  '--callgrind-out-file=/dev/null',
];

/**
 * Run a Node script in a fresh process (the same Node as the bench) and return the JSON of its
 * `BENCH_RESULT` line; killed after `timeoutMs`. `what` names it in the error when it fails.
 * With `instructions`, the process runs under valgrind's callgrind (about 50 times slower) and
 * the result gets `instructions`: what it ran, counted, the same whatever else the machine does.
 */
export function runNodeChild<T>(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
  what: string,
  instructions = false,
): Promise<T & { instructions?: number }> {
  return new Promise((resolve, reject) => {
    const [command, ...prefix] = instructions
      ? [...CALLGRIND, process.execPath]
      : [process.execPath];
    const p = spawn(command!, [...prefix, ...profileArgs(args), ...args], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => {
      out += d;
    });
    p.stderr.on('data', (d) => {
      err += d;
    });
    const timer = setTimeout(() => p.kill('SIGKILL'), instructions ? timeoutMs * 20 : timeoutMs);
    p.once('error', (e) =>
      reject(
        instructions && (e as NodeJS.ErrnoException).code === 'ENOENT'
          ? new Error('--instructions needs valgrind (Debian: apt-get install -y valgrind).')
          : e,
      ),
    );
    p.once('exit', (code) => {
      clearTimeout(timer);
      const line = out.split('\n').find((l) => l.startsWith(RESULT_PREFIX));
      const counted = instructions ? collectedInstructions(err) : undefined;
      if (!line || (instructions && counted === undefined))
        reject(new Error(`${what} exited ${code}: ${(err || out).slice(-1500)}`));
      else
        resolve({
          ...(JSON.parse(line.slice(RESULT_PREFIX.length)) as T),
          ...(counted !== undefined ? { instructions: counted } : {}),
        });
    });
  });
}
