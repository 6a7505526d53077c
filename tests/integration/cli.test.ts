/**
 * `npx assay` against a real local gateway (and DynamoDB Local), as an author uses it: --api as
 * `npm start` prints it or as a bare origin, and a refused token (401) or a token of the wrong
 * role (403) reported in one line with a non-zero exit code.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AREA_IDS } from '../../functions/domain/taxonomy.ts';
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

describe('assay --area', () => {
  const allAreas = new RegExp(`use one of: ${AREA_IDS.join(', ')}`);

  it(
    'refuses an area that is none as a usage error naming every area, exit 2',
    async () => {
      const gift = join(dir, 'no-area.gift');
      writeFileSync(gift, '::Q1:: What is two plus two? {=4 ~3 ~5}\n');
      // It was a problem per question (exit 1) for GIFT, and not read at all for YAML (exit 0).
      for (const args of [
        ['validate', gift, '--area', 'nope'],
        ['report', bank, '--area', 'nope'],
        ['export', bank, '--area', 'astrology'],
        ['validate', gift, '--area', ''],
      ]) {
        const r = await assay(...args);

        expect(r.code, args.join(' ')).toBe(2);
        expectOneLine(r, /^assay: --area: ".*" is not an area; /);
        expect(r.stderr).toMatch(allAreas);
        expect(r.stdout).toBe('');
      }
    },
    4 * SPAWN_TIMEOUT,
  );

  it(
    'asks for the value of a bare --area, naming every area, exit 2',
    async () => {
      const r = await assay('validate', bank, '--area');

      expect(r.code).toBe(2);
      expectOneLine(r, /^assay: --area needs a value \(an area id; use one of: /);
      expect(r.stderr).toMatch(allAreas);
    },
    SPAWN_TIMEOUT,
  );
});

/** `--api` and `--token` of an author of `org`. */
const remoteArgs = async (org: string) => [
  '--api',
  `${api.base}/v1`,
  '--token',
  await api.token('author', org),
];

describe('assay import --bank', () => {
  it(
    'imports a GIFT file into the bank it names, as ?bank= does',
    async () => {
      const remote = [...(await remoteArgs('cli-bank-org')), '--area', 'security'];
      const quiz = join(dir, 'week-1.gift');
      writeFileSync(quiz, '::Ports:: Which port does HTTPS use by default? {=443 ~80 ~8080}\n');

      const imported = await assay('import', quiz, '--bank', 'security-quiz', ...remote);
      expect(imported.code, imported.stderr).toBe(0);
      expect(imported.stdout).toBe(`${quiz}: 1 created, 0 updated, 0 unchanged.\n`);

      // Its question is security-quiz's: another file's edit of it is refused, naming that bank,
      // and the same file again as security-quiz is a new version of that bank.
      writeFileSync(quiz, '::Ports:: Which port does HTTPS use by default? {=443 ~80 ~21}\n');
      const other = await assay('import', quiz, ...remote);
      expect(other.code).toBe(1);
      expect(other.stderr).toMatch(/stored from bank "security-quiz".*--bank security-quiz/);
      const again = await assay('import', quiz, '--bank', 'security-quiz', ...remote);
      expect(again.code, again.stderr).toBe(0);
      expect(again.stdout).toBe(`${quiz}: 0 created, 1 updated, 0 unchanged.\n`);
    },
    3 * SPAWN_TIMEOUT,
  );

  it(
    'refuses a --bank that is no bank id, or that a YAML bank does not name, as usage errors',
    async () => {
      const remote = await remoteArgs('cli-org');

      const bad = await assay('import', bank, '--bank', 'X', ...remote);
      expect(bad.code).toBe(2);
      expectOneLine(bad, /^assay: --bank: "X" is not a bank id: Bank ids are 3-64 lower-case/);

      const yaml = await assay('import', bank, '--bank', 'another-bank', ...remote);
      expect(yaml.code).toBe(2);
      expectOneLine(yaml, /^assay: --bank another-bank: .* names its own bank, "cli-bank"/);
    },
    2 * SPAWN_TIMEOUT,
  );

  it(
    'is in the help',
    async () => {
      const help = await assay('import', '--help');

      expect(help.stdout).toMatch(/\[--bank ID\]/);
      expect(help.stdout).toMatch(/^ {2}--bank ID {11}the bank a GIFT or Moodle XML file/m);
    },
    SPAWN_TIMEOUT,
  );
});

describe('a refusal of the server', () => {
  it(
    'is printed once: a headline, then each invalid field on a line of its own',
    async () => {
      const remote = await remoteArgs('cli-refusal-org');
      expect((await assay('import', bank, ...remote)).code).toBe(0);
      // The same question id in another bank with other content: a 409 naming it.
      const moved = join(dir, 'moved.yaml');
      writeFileSync(
        moved,
        BANK.replace('id: cli-bank', 'id: other-bank').replace('always releasable', 'green'),
      );

      const r = await assay('import', moved, ...remote);

      expect(r.code).toBe(1);
      const lines = r.stderr.trimEnd().split('\n');
      expect(lines, r.stderr).toHaveLength(2);
      expect(lines[0]).toBe(
        'assay: 409 Conflict: 1 question id of this upload already belongs to other questions',
      );
      expect(lines[1]).toMatch(/^ {2}questions\[0\]\.id: The question "cli-q1" .* bank "cli-bank"/);
      // The message was in the headline too, so each refusal was read twice.
      expect(r.stderr.split('is already a question of another bank')).toHaveLength(2);
    },
    2 * SPAWN_TIMEOUT,
  );
});
