/**
 * `assay import` of Moodle files against the local gateway, as an author runs it: each file is
 * the bank named after it, so a second file cannot take over the first file's questions.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assay, SPAWN_TIMEOUT } from '../unit/cli-run.ts';
import { useTestApi } from './support.ts';

const api = useTestApi();

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'assay-cli-moodle-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('assay import of Moodle files', () => {
  it(
    'imports a GIFT export as the bank named after the file, skipping the essay on request, and refuses another file that would take over its question',
    async () => {
      const token = await api.token('author', 'cli-moodle-org');
      const first = join(dir, 'Week 1 quiz.gift');
      writeFileSync(
        first,
        [
          '$CATEGORY: $course$/top/Default for Course 7',
          '',
          '::Q1:: Which port does HTTPS use by default? {=443 ~80 ~22}',
          '',
          '::Q2:: Explain TLS in your own words. {}',
        ].join('\n'),
      );
      const imported = await assay(
        'import',
        first,
        '--api',
        `${api.base}/v1`,
        '--token',
        token,
        '--area',
        'security',
        '--skip-unsupported',
      );
      expect(imported.code, imported.stderr).toBe(0);
      expect(imported.stdout).toBe(`${first}: 1 created, 0 updated, 0 unchanged, 1 skipped.\n`);

      const second = join(dir, 'week-2.gift');
      writeFileSync(second, '::Q1:: What is two plus two? {#4 ####Arithmetic.}\n');
      const refused = await assay(
        'import',
        second,
        '--api',
        `${api.base}/v1`,
        '--token',
        token,
        '--area',
        'security',
      );
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/409/);
      expect(refused.stderr).toMatch(/"q-q1".*week-1-quiz/);

      const kept = await api.request('GET', '/v1/questions/q-q1', { token });
      expect(kept.body).toMatchObject({ type: 'single', title: 'Q1' });
    },
    3 * SPAWN_TIMEOUT,
  );
});
