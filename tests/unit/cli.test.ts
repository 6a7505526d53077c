/**
 * The authors' command line as a person meets it: spawned as `npx assay` runs it (bin/assay.mjs),
 * reading its exit code and every line it prints. Mistakes and an unreachable server end with
 * one line on stderr and a non-zero exit code, never a stack trace. The cases that need a real
 * server (401, 403, --api forms) are in tests/integration/cli.test.ts.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiBase, COMMANDS } from '../../functions/cli/cli.ts';
import { assay, expectOneLine, run, SPAWN_TIMEOUT } from './cli-run.ts';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'assay-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('assay --help', () => {
  it(
    'lists every command with what it does, and exits 0',
    async () => {
      const r = await assay('--help');
      expect(r.code).toBe(0);
      for (const [name, command] of Object.entries(COMMANDS)) {
        expect(r.stdout).toContain(`${name}`);
        expect(r.stdout).toContain(command.summary);
      }
      expect(r.stderr).toBe('');
    },
    SPAWN_TIMEOUT,
  );

  it.each(Object.keys(COMMANDS))(
    "assay %s --help shows that command's usage and options, and exits 0",
    async (name) => {
      const r = await assay(name, '--help');
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^Usage: assay ${name}`));
      expect(r.stdout).toContain('--help');
      expect(r.stderr).toBe('');
    },
    SPAWN_TIMEOUT,
  );

  it(
    'prints the overview on stderr and exits 2 when no command is given',
    async () => {
      const r = await assay();
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('Usage: assay <command>');
    },
    SPAWN_TIMEOUT,
  );
});

describe('assay mistakes', () => {
  it(
    'refuses an unknown option in one line, naming it and the help to read, exit 2',
    async () => {
      const r = await assay('import', 'questions/security.yaml', '--tokn', 'x');
      expect(r.code).toBe(2);
      expectOneLine(r, /^assay: unknown option --tokn \(see: assay import --help\)$/);
    },
    SPAWN_TIMEOUT,
  );

  it(
    'refuses an unknown command in one line, exit 2',
    async () => {
      const r = await assay('upload', 'questions');
      expect(r.code).toBe(2);
      expectOneLine(r, /^assay: unknown command "upload"/);
    },
    SPAWN_TIMEOUT,
  );

  it(
    'refuses an option without its value in one line, exit 2',
    async () => {
      const r = await assay('import', 'questions/security.yaml', '--api');
      expect(r.code).toBe(2);
      expectOneLine(r, /^assay: --api needs a value/);
    },
    SPAWN_TIMEOUT,
  );

  it(
    'names a missing file in one line, exit 1',
    async () => {
      const r = await assay('validate', 'questions/security.yaml', 'no-such-bank.yaml');
      expect(r.code).toBe(1);
      expectOneLine(r, /^assay: no such file or folder: no-such-bank\.yaml$/);
    },
    SPAWN_TIMEOUT,
  );

  it(
    'says the server is not running, in one line, exit 1',
    async () => {
      const port = await freePort();
      const r = await assay(
        'import',
        'questions/security.yaml',
        '--api',
        `http://127.0.0.1:${port}/v1`,
        '--token',
        'x',
      );
      expect(r.code).toBe(1);
      expectOneLine(
        r,
        new RegExp(
          `^assay: cannot reach the API at http://127\\.0\\.0\\.1:${port}/v1 \\(connection refused\\): is it running \\(npm start\\)\\?$`,
        ),
      );
    },
    SPAWN_TIMEOUT,
  );

  it(
    'says in one line that https:// met a plain HTTP server, exit 1',
    async () => {
      const server = createServer((socket) => socket.end('HTTP/1.1 400 Bad Request\r\n\r\n'));
      await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
      const { port } = server.address() as { port: number };
      try {
        const r = await assay('export', '--api', `https://127.0.0.1:${port}/v1`, '--token', 'x');
        expect(r.code).toBe(1);
        expectOneLine(r, /^assay: cannot reach the API at .*\(no TLS there: is the URL http:\/\//);
      } finally {
        server.close();
      }
    },
    SPAWN_TIMEOUT,
  );

  it(
    'stops quietly, exit 0, when the reader closes its output early (assay export | head)',
    async () => {
      const child = spawn(process.execPath, ['bin/assay.mjs', 'export', 'questions'], {
        cwd: resolve(import.meta.dirname, '../..'),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (d) => {
        stderr += d;
      });
      child.stdout.once('data', () => child.stdout.destroy());
      const code = await new Promise<number | null>((done) => child.on('close', done));
      expect(stderr).not.toMatch(/EPIPE|\n\s+at /);
      expect(code).toBe(0);
    },
    SPAWN_TIMEOUT,
  );

  it(
    'refuses an --api that is not a URL, exit 2',
    async () => {
      const r = await assay('export', '--api', 'localhost:3000', '--token', 'x');
      expect(r.code).toBe(2);
      expectOneLine(r, /^assay: --api: "localhost:3000" is not an http\(s\) URL|is not a URL/);
    },
    SPAWN_TIMEOUT,
  );

  it(
    'lists each problem of an invalid bank as file:line:col, then a summary, exit 1',
    async () => {
      const file = join(dir, 'broken.yaml');
      writeFileSync(
        file,
        'bank:\n  id: b\n  title: B\nquestions:\n  - id: q1\n    area: nowhere\n',
      );
      const r = await assay('validate', file);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(
        new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: `, 'm'),
      );
      expect(r.stderr.trimEnd().split('\n').at(-1)).toMatch(/^assay: \d+ problems? found\.$/);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    },
    SPAWN_TIMEOUT,
  );
});

describe('--api', () => {
  it('accepts the URL npm start prints (with /v1) and the bare origin alike', () => {
    for (const value of [
      'http://127.0.0.1:3000',
      'http://127.0.0.1:3000/',
      'http://127.0.0.1:3000/v1',
      'http://127.0.0.1:3000/v1/',
    ]) {
      expect(apiBase(value), value).toBe('http://127.0.0.1:3000');
    }
    expect(apiBase('https://assess.example.com/v1')).toBe('https://assess.example.com');
    expect(apiBase('https://api.example.com/prod/v1')).toBe('https://api.example.com/prod');
  });

  it('refuses what is not an http(s) URL', () => {
    expect(() => apiBase('127.0.0.1:3000')).toThrow(/not an http\(s\) URL|not a URL/);
    expect(() => apiBase('ftp://host/v1')).toThrow(/not an http\(s\) URL/);
    expect(() => apiBase('http://host/v1?x=1')).toThrow(/query or fragment/);
  });
});

describe('npm run token', () => {
  it(
    'prints only the token when its output is captured',
    async () => {
      const r = await run(
        'node_modules/tsx/dist/cli.mjs',
        ['infra/local/token.ts', '--role', 'author'],
        {
          ASSAY_LOCAL_DIR: dir,
        },
      );
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
      expect(r.stderr).toBe('');
    },
    SPAWN_TIMEOUT,
  );

  it(
    'refuses an unknown role in one line and its usage, exit 2',
    async () => {
      const r = await run(
        'node_modules/tsx/dist/cli.mjs',
        ['infra/local/token.ts', '--role', 'admin'],
        {
          ASSAY_LOCAL_DIR: dir,
        },
      );
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(
        /^token: unknown role admin: use --role author or --role employer\.\nusage: /,
      );
      expect(r.stderr).not.toMatch(/\n\s+at /);
    },
    SPAWN_TIMEOUT,
  );
});

/** A loopback port nothing listens on (taken, then released). */
function freePort(): Promise<number> {
  return new Promise((done) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}
