/**
 * `assay validate` and `assay export` on Moodle files, as an author meets them: spawned as
 * `npx assay` runs it, reading the exit code and every line printed.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assay, SPAWN_TIMEOUT } from './cli-run.ts';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'assay-moodle-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const MOODLE_EXPORT = [
  '// question: 0  name: switch category to $course$/Default for Course 7',
  '$CATEGORY: $course$/Default for Course 7',
  '',
  '// question: 12  name: Colours',
  '::Colours::[html]Which colours lie <b>between</b> orange and green?{',
  '  ~%50%yellow',
  '  ~%-100%red',
  '  ~%50%chartreuse',
  '}',
  '',
  '::Opinion:: What do you think of Moodle? {}',
].join('\n');

describe('assay validate on Moodle files', () => {
  it(
    'exits 0 and prints a warning by file:line for each question without general feedback (####)',
    async () => {
      const file = join(dir, 'week-one.gift');
      writeFileSync(file, MOODLE_EXPORT);
      const r = await assay('validate', file, '--area', 'security', '--skip-unsupported');
      expect(r.code).toBe(0);
      expect(r.stderr).toContain(
        `${file}:5:1: warning [colours] (Colours): no general feedback (\`####\`)`,
      );
      expect(r.stderr).toContain(`${file}:11:1: skipped (Opinion): `);
      expect(r.stderr).toMatch(/essay questions need manual grading/);
      expect(r.stdout).toMatch(/1 bank file, 1 question: all valid \(\d+ warnings?, 1 skipped\)\./);
    },
    SPAWN_TIMEOUT,
  );

  it(
    'exits 1 naming the essay and the option to skip it, without --skip-unsupported',
    async () => {
      const file = join(dir, 'with-essay.gift');
      writeFileSync(file, MOODLE_EXPORT);
      const r = await assay('validate', file, '--area', 'security');
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`${file}:11:`);
      expect(r.stderr).toMatch(/--skip-unsupported/);
    },
    SPAWN_TIMEOUT,
  );

  it(
    'exits 1 naming Latin-1 / Windows-1252 and how to re-save, for a file that is not UTF-8',
    async () => {
      const file = join(dir, 'latin.gift');
      writeFileSync(file, Buffer.from('::Cafe:: Un caf\xe9 est une boisson. {T}\n', 'latin1'));
      const r = await assay('validate', file, '--area', 'security');
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/latin\.gift:1:\d+: .*Latin-1.*Windows-1252.*UTF-8/);
    },
    SPAWN_TIMEOUT,
  );

  it(
    'reads a Moodle XML file and writes it back as Moodle XML that validates again',
    async () => {
      const gift = join(dir, 'colours.gift');
      writeFileSync(gift, MOODLE_EXPORT.split('\n').slice(0, 9).join('\n'));
      const exported = await assay('export', gift, '--format', 'xml', '--area', 'security');
      expect(exported.code, exported.stderr).toBe(0);
      expect(exported.stdout).toContain('<answer fraction="-100"');
      const xml = join(dir, 'colours.xml');
      writeFileSync(xml, exported.stdout);
      const again = await assay('validate', xml);
      expect(again.code, again.stderr).toBe(0);
      expect(readFileSync(xml, 'utf8')).toContain('<single>false</single>');
    },
    SPAWN_TIMEOUT,
  );
});
