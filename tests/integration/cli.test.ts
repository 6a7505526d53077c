/**
 * `npx assay` against a real local gateway (and DynamoDB Local), as an author uses it: --api as
 * `npm start` prints it or as a bare origin, and a refused token (401) or a token of the wrong
 * role (403) reported in one line with a non-zero exit code.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintToken } from '../../infra/local/local-auth.ts';
import { assay, expectOneLine, SPAWN_TIMEOUT } from '../unit/cli-run.ts';
import { useTestApi } from './support.ts';

const api = useTestApi();

const BANK = `bank:
  id: cli-bank
  title: CLI bank
questions:
  - id: cli-q1
    area: devops-cicd
    type: single
    difficulty: 1
    prompt: Which practice keeps the main branch always releasable?
    options:
      - { id: a, text: Continuous integration }
      - { id: b, text: Quarterly merges }
    answer: a
    explanation: Integrating small changes often, each one tested, keeps main green.
    tags: [ci]
`;

let dir: string;
let bank: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'assay-cli-it-'));
  bank = join(dir, 'bank.yaml');
  writeFileSync(bank, BANK);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('assay import and export against the local gateway', () => {
  it(
    'imports with --api as npm start prints it (/v1), then again with the bare origin',
    async () => {
      const token = await api.token('author', 'cli-org');
      const first = await assay('import', bank, '--api', `${api.base}/v1`, '--token', token);
      expect(first.stderr).not.toMatch(/assay:/);
      expect(first.code).toBe(0);
      expect(first.stdout).toBe(`${bank}: 1 created, 0 updated, 0 unchanged.\n`);

      const again = await assay('import', bank, '--api', `${api.base}/`, '--token', token);
      expect(again.code).toBe(0);
      expect(again.stdout).toBe(`${bank}: 0 created, 0 updated, 1 unchanged.\n`);

      const exported = await assay(
        'export',
        '--api',
        api.base,
        '--token',
        token,
        '--format',
        'json',
      );
      expect(exported.code).toBe(0);
      expect(JSON.parse(exported.stdout).questions.map((q: { id: string }) => q.id)).toContain(
        'cli-q1',
      );
    },
    2 * SPAWN_TIMEOUT,
  );

  it(
    'imports a file larger than --chunk-size as one import sent in parts, and follows it to the end',
    async () => {
      const token = await api.token('author', 'cli-parts');
      const questions = Array.from({ length: 5 }, (_, i) =>
        BANK.split('questions:\n')[1]!.replaceAll('cli-q1', `cli-p${i}`),
      ).join('');
      const file = join(dir, 'parts.yaml');
      writeFileSync(file, `bank:\n  id: cli-parts\n  title: CLI parts\nquestions:\n${questions}`);

      const r = await assay(
        'import',
        file,
        '--chunk-size',
        '2',
        '--api',
        api.base,
        '--token',
        token,
      );

      expect(r.stderr).not.toMatch(/assay:/);
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(`${file}: 5 created, 0 updated, 0 unchanged.\n`);
      const q = await api.request('GET', '/v1/questions/cli-p4', { token });
      expect(q.status).toBe(200);
    },
    2 * SPAWN_TIMEOUT,
  );

  it(
    'reports a refused token as one 401 line, exit 1',
    async () => {
      const r = await assay('import', bank, '--api', `${api.base}/v1`, '--token', 'not.a.jwt');
      expect(r.code).toBe(1);
      expectOneLine(r, /^assay: 401 Unauthorized: .+ Check --token/);
    },
    SPAWN_TIMEOUT,
  );

  it(
    'says an expired token has expired',
    async () => {
      const token = await mintToken({ roles: ['author'], org: 'cli-org', ttlSeconds: -60 });
      const r = await assay('export', '--api', `${api.base}/v1`, '--token', token);
      expect(r.code).toBe(1);
      expectOneLine(r, /^assay: 401 Unauthorized: the token has expired\. /);
    },
    SPAWN_TIMEOUT,
  );

  it(
    'reports a token without the author role as one 403 line, exit 1',
    async () => {
      const token = await api.token('employer', 'cli-org');
      const r = await assay('export', '--api', `${api.base}/v1`, '--token', token);
      expect(r.code).toBe(1);
      expectOneLine(r, /^assay: 403 Forbidden: This route is for authors/);
    },
    SPAWN_TIMEOUT,
  );

  it(
    'asks for the ID token when given an access token, exit 1',
    async () => {
      const token = await mintToken({ roles: ['author'], org: 'cli-org', use: 'access' });
      const r = await assay('export', '--api', `${api.base}/v1`, '--token', token);
      expect(r.code).toBe(1);
      expectOneLine(
        r,
        /^assay: 401 Unauthorized: This is a Cognito access token; send the ID token/,
      );
    },
    SPAWN_TIMEOUT,
  );
});
