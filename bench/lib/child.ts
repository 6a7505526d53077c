import { spawn } from 'node:child_process';

/** The line a bench child prints with its result, as JSON after this prefix. */
export const RESULT_PREFIX = 'BENCH_RESULT ';

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
    const p = spawn(process.execPath, [...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
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
