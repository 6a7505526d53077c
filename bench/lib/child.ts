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
 * Run a Node script in a fresh process (the same Node as the bench) and return the JSON of its
 * `BENCH_RESULT` line; killed after `timeoutMs`. `what` names it in the error when it fails.
 */
export function runNodeChild<T>(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
  what: string,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [...profileArgs(args), ...args], {
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
    const timer = setTimeout(() => p.kill('SIGKILL'), timeoutMs);
    p.once('error', reject);
    p.once('exit', (code) => {
      clearTimeout(timer);
      const line = out.split('\n').find((l) => l.startsWith(RESULT_PREFIX));
      if (!line) reject(new Error(`${what} exited ${code}: ${(err || out).slice(-1500)}`));
      else resolve(JSON.parse(line.slice(RESULT_PREFIX.length)) as T);
    });
  });
}
