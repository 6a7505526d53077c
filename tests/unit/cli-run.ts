/** Spawning the repository's command-line tools as a terminal would, for the CLI tests. */
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { expect } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
export const SPAWN_TIMEOUT = 60_000;

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a Node script of the repository with arguments, as a terminal would (no TTY). */
export function run(
  script: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<Run> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [resolve(ROOT, script), ...args],
      { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env }, timeout: SPAWN_TIMEOUT },
      (err, stdout, stderr) => {
        done({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

export const assay = (...args: string[]) => run('bin/assay.mjs', args);

/** One line on stderr, `assay: ...`, and no stack trace. */
export function expectOneLine(r: Run, pattern: RegExp) {
  expect(r.stderr).not.toMatch(/\n\s+at /);
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
}
