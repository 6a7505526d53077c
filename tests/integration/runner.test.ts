/**
 * `npm start` as a user runs it, in a child process with its own DynamoDB Local: when that
 * database dies, the runner says so in one line and restarts it; when it dies again at once,
 * the runner exits 1 rather than serve errors. It never answers 500 meanwhile.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { freePort } from '../../infra/local/dynamodb-local.ts';
import { eventually } from './own-stack.ts';

const ROOT = resolve(import.meta.dirname, '../..');

/**
 * The runner's `java` children (its DynamoDB Local), by pid. Only those: tsx's esbuild service
 * is a child of the runner too.
 */
const javaChildrenOf = (pid: number): number[] => {
  try {
    return execFileSync('ps', ['-o', 'pid=,comm=', '--ppid', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .map((line) => line.trim().split(/\s+/))
      .filter(([, comm]) => comm === 'java')
      .map(([p]) => Number(p));
  } catch {
    return [];
  }
};

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

function startRunner(port: number, extraEnv: NodeJS.ProcessEnv = {}, args: string[] = []) {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), LOG_LEVEL: 'ERROR' };
  // The suite's shared database is not the runner's (unless a test names one).
  delete env.DYNAMODB_ENDPOINT;
  delete env.TABLE_NAME;
  Object.assign(env, extraEnv);
  const child: ChildProcess = spawn(
    resolve(ROOT, 'node_modules/.bin/node'),
    ['--import', 'tsx', 'infra/local/start.ts', '--quiet', ...args],
    { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout!.on('data', (d) => {
    output += d;
  });
  child.stderr!.on('data', (d) => {
    output += d;
  });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  // Its DynamoDB Local first: killed with SIGKILL, the runner could not stop it itself.
  onTestFinished(() => {
    for (const pid of javaChildrenOf(child.pid!)) process.kill(pid, 'SIGKILL');
    child.kill('SIGKILL');
  });
  /** On failure, say what the runner printed. */
  const told = (err: Error) => {
    throw new Error(`${err.message}; the runner said:\n${output}`);
  };
  const untilRunning = () =>
    eventually(async () => output.includes('Assay is running'), 180_000).catch(told);
  /** The lines it printed, blank ones left out. */
  const lines = () => output.split('\n').filter((l) => l.trim() !== '');
  return { child, output: () => output, lines, exited, told, untilRunning };
}

describe('npm start', () => {
  it('says in one line that DynamoDB Local died and restarts it, then exits 1 when it dies again at once', async () => {
    const port = await freePort();
    const runner = startRunner(port);
    const base = `http://127.0.0.1:${port}`;
    const ready = async () => (await fetch(`${base}/v1/health/ready`)).status;
    const { told } = runner;
    await runner.untilRunning();
    expect(await ready()).toBe(200);
    const [java] = javaChildrenOf(runner.child.pid!);
    expect(java).toBeDefined();

    process.kill(java!, 'SIGKILL');
    const seen = new Set<number>();
    await eventually(async () => {
      const status = await ready();
      seen.add(status);
      return status === 200 && runner.output().includes('DynamoDB Local is back');
    }, 180_000).catch(told);
    const lines = runner.output().split('\n');
    expect(lines.filter((l) => l.startsWith('DynamoDB Local was killed (SIGKILL)'))).toEqual([
      expect.stringMatching(
        /restarting it on port \d+\. It ran in memory, so every table and item is gone/,
      ),
    ]);
    expect([...seen].filter((s) => s >= 500 && s !== 503)).toEqual([]);

    const [reborn] = javaChildrenOf(runner.child.pid!);
    expect(reborn).toBeDefined();
    process.kill(reborn!, 'SIGKILL');
    expect(await runner.exited).toBe(1);
    expect(runner.output()).toMatch(/again within a minute of its restart: stopping \(exit 1\)/);
    expect(alive(reborn!)).toBe(false);
  }, 600_000);

  it('stops DynamoDB Local and exits when it is sent SIGHUP alone, as a closed terminal or a process manager sends it', async () => {
    const port = await freePort();
    const runner = startRunner(port);
    await runner.untilRunning();
    const [java] = javaChildrenOf(runner.child.pid!);
    expect(java).toBeDefined();
    // Once the runner is gone its orphan is no longer its child: killed by pid.
    onTestFinished(() => {
      if (alive(java!)) process.kill(java!, 'SIGKILL');
    });

    runner.child.kill('SIGHUP');

    await runner.exited;
    await eventually(async () => !alive(java!), 10_000).catch(() => {
      throw new Error(`DynamoDB Local (pid ${java}) outlived the runner after SIGHUP`);
    });
  }, 300_000);

  it('refuses a port already in use in one line naming PORT, before it starts DynamoDB Local', async () => {
    // Arrange: something else holds the port (another npm start, say).
    const squatter = createServer();
    await new Promise<void>((r) => squatter.listen(0, '127.0.0.1', r));
    onTestFinished(() => new Promise<void>((r) => squatter.close(() => r())));
    const port = (squatter.address() as { port: number }).port;

    // Act
    const startedAt = Date.now();
    const runner = startRunner(port);
    const code = await runner.exited;

    // Assert: a prompt exit 1 with one line a person can act on (before the fix it came after
    // DynamoDB Local had started and the bank had loaded, as a raw EADDRINUSE).
    expect(code).toBe(1);
    const lines = runner.lines();
    expect(lines).toEqual([
      `Port ${port} on 127.0.0.1 is already in use (another npm start?): stop what uses it, or choose another port with PORT=<port> npm start.`,
    ]);
    expect(Date.now() - startedAt).toBeLessThan(20_000);
  }, 60_000);

  it('without Java exits 1 with one line that says how to install it and get it on PATH', async () => {
    // Arrange: a PATH with no java on it (the runner itself is started by its full path).
    const noJava = mkdtempSync(join(tmpdir(), 'assay-no-java-'));
    onTestFinished(() => rmSync(noJava, { recursive: true, force: true }));

    // Act
    const runner = startRunner(await freePort(), { PATH: noJava });
    const code = await runner.exited;

    // Assert: one line, Debian's package, and on macOS the PATH step without which Homebrew's
    // keg-only openjdk@17 leaves the system's java stub first and the same message comes back.
    expect(code).toBe(1);
    const lines = runner.lines();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Assay needs Java 17 or newer to run DynamoDB Local/);
    expect(lines[0]).toContain('sudo apt-get install -y openjdk-17-jre-headless');
    expect(lines[0]).toContain('brew install openjdk@17');
    expect(lines[0]).toContain('$(brew --prefix openjdk@17)/bin');
    expect(lines[0]).toContain('DYNAMODB_ENDPOINT');
  }, 60_000);

  it('refuses a second npm start on a --data folder in use, in one line, and leaves the first serving', async () => {
    // Arrange: one runner serving from the folder (two DynamoDB Locals on one database file
    // break it: before, one of the two failed with the API's "temporarily unavailable").
    const data = mkdtempSync(join(tmpdir(), 'assay-data-'));
    onTestFinished(() => rmSync(data, { recursive: true, force: true }));
    const first = startRunner(await freePort(), {}, ['--data', data]);
    await first.untilRunning();

    // Act
    const second = startRunner(await freePort(), {}, ['--data', data]);
    const code = await second.exited;

    // Assert
    expect(code).toBe(1);
    expect(second.lines()).toEqual([
      `${data} is in use by another npm start (pid ${first.child.pid}): stop that one first, or give this one another folder with --data.`,
    ]);
    expect(javaChildrenOf(second.child.pid!)).toEqual([]);
    expect(first.child.exitCode).toBeNull();
  }, 300_000);

  it('names the endpoint and the setting in one line when DYNAMODB_ENDPOINT answers nothing', async () => {
    // Arrange: a port nothing listens on.
    const endpoint = `http://127.0.0.1:${await freePort()}`;

    // Act
    const runner = startRunner(await freePort(), { DYNAMODB_ENDPOINT: endpoint });
    const code = await runner.exited;

    // Assert: not the API's "temporarily unavailable ... Retry in 1 second", which told a
    // person at a terminal nothing about what to fix.
    expect(code).toBe(1);
    const lines = runner.lines();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      new RegExp(
        `^Could not reach DynamoDB at ${endpoint} \\(DYNAMODB_ENDPOINT\\): .+\\. Start it there, or unset DYNAMODB_ENDPOINT and npm start runs DynamoDB Local itself\\.$`,
      ),
    );
  }, 60_000);
});
