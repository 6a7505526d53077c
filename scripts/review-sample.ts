/**
 * The bank review procedure of docs/question-bank.md ("Review procedure").
 *
 *   npx tsx scripts/review-sample.ts draw --seed N [--share 0.1] [--out DIR] [--dir questions] [--areas a,b] [--force]
 *       draws a seeded sample of at least 10% of every area and writes to DIR (default review/seed-N):
 *       candidate.md (what the reviewers see), key.md (for the author only), sample.json,
 *       blind-answers.tsv and test-wise-answers.tsv (templates the reviewers fill in).
 *   npx tsx scripts/review-sample.ts score [--out DIR] [--seed N] [--dir questions]
 *       scores both answer files; exit 0 only if agreement >= 95%, every disagreement or
 *       ambiguity >= 3 has a resolution, and the test-wise picks reach the key on <= 40% of SJT items.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { bankFiles, readBankFile } from '../functions/cli/bank-files.ts';
import type { QuestionContent } from '../functions/domain/question.ts';
import {
  AMBIGUITY_TO_RESOLVE,
  answerTemplate,
  drawSample,
  MAX_TEST_WISE_HITS,
  MIN_AGREEMENT,
  MIN_SHARE,
  parseAnswers,
  renderCandidateView,
  renderKey,
  type Sample,
  scoreBlind,
  scoreTestWise,
} from './bank-review.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    seed: { type: 'string' },
    share: { type: 'string', default: String(MIN_SHARE) },
    out: { type: 'string' },
    dir: { type: 'string', default: 'questions' },
    areas: { type: 'string' },
    force: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

const usage = readFileSync(new URL(import.meta.url), 'utf8')
  .split('*/')[0]!
  .replace(/^\/\*\*|^ \* ?/gm, '');

function fail(message: string, code = 2): never {
  console.error(message);
  process.exit(code);
}

function loadBank(dir: string): Map<string, QuestionContent> {
  const qs = bankFiles([dir]).flatMap((f) => readBankFile(f).questions);
  return new Map(qs.map((q) => [q.id, q]));
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const outDir = () =>
  values.out ??
  (values.seed
    ? join('review', `seed-${values.seed}`)
    : fail('--out DIR or --seed N is required.'));

switch (values.help ? 'help' : positionals[0]) {
  case 'draw': {
    if (!values.seed)
      fail('--seed N is required: record it, since it is what makes the sample repeatable.');
    const share = Number(values.share);
    if (!(share >= MIN_SHARE && share <= 1))
      fail(
        `--share must be between ${MIN_SHARE} and 1 (the procedure samples at least 10% of every area).`,
      );
    const byId = loadBank(values.dir);
    const areas = values.areas?.split(',').map((a) => a.trim());
    const s = drawSample([...byId.values()], values.seed, share, areas);
    const dir = outDir();
    const files = [
      'candidate.md',
      'key.md',
      'sample.json',
      'blind-answers.tsv',
      'test-wise-answers.tsv',
    ];
    if (!values.force && files.some((f) => existsSync(join(dir, f))))
      fail(`${dir} already holds a sample (answers may be in it); use another --out or --force.`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'candidate.md'), renderCandidateView(s, byId));
    writeFileSync(join(dir, 'key.md'), renderKey(s, byId));
    writeFileSync(join(dir, 'sample.json'), `${JSON.stringify(s, null, 2)}\n`);
    writeFileSync(join(dir, 'blind-answers.tsv'), answerTemplate(s.items));
    writeFileSync(
      join(dir, 'test-wise-answers.tsv'),
      answerTemplate(s.items.filter((i) => i.type === 'sjt')),
    );
    const perArea = new Map<string, number>();
    for (const i of s.items) perArea.set(i.area, (perArea.get(i.area) ?? 0) + 1);
    console.log(`Seed ${s.seed}, share ${share}: ${s.items.length} items written to ${dir}/`);
    for (const [area, n] of perArea) console.log(`  ${area.padEnd(18)} ${n}`);
    console.log(
      'Give candidate.md and the two answer files to the reviewers; keep key.md away from them.',
    );
    break;
  }
  case 'score': {
    const dir = outDir();
    const s = JSON.parse(readFileSync(join(dir, 'sample.json'), 'utf8')) as Sample;
    const byId = loadBank(values.dir);
    let pass = true;
    try {
      const blind = scoreBlind(
        s,
        byId,
        parseAnswers(readFileSync(join(dir, 'blind-answers.tsv'), 'utf8')),
      );
      console.log(`Blind solve, seed ${s.seed}, ${blind.items.length} items:`);
      for (const [area, r] of Object.entries(blind.perArea))
        console.log(`  ${area.padEnd(18)} ${r.agree}/${r.items} agree with the key`);
      console.log(
        `  agreement ${pct(blind.agreement)} (needs >= ${pct(MIN_AGREEMENT)})${blind.agreement >= MIN_AGREEMENT ? '' : '  FAIL'}`,
      );
      const flagged = blind.items.filter(
        (i) => !i.agrees || (i.ambiguity ?? 0) >= AMBIGUITY_TO_RESOLVE,
      );
      for (const i of flagged)
        console.log(
          `  item ${i.n} ${i.id}: ${i.agrees ? 'agrees' : i.answered ? 'DISAGREES' : 'UNANSWERED'}, ambiguity ${i.ambiguity ?? '-'}: ${i.resolution || 'UNRESOLVED'}`,
        );
      if (!blind.pass) pass = false;
    } catch (e) {
      console.error(`Blind solve: ${(e as Error).message}`);
      pass = false;
    }
    try {
      const tw = scoreTestWise(
        s,
        byId,
        parseAnswers(readFileSync(join(dir, 'test-wise-answers.tsv'), 'utf8')),
      );
      console.log(
        `Test-wise solve: ${tw.hits}/${tw.items} SJT items reach the key (${pct(tw.share)}, needs <= ${pct(MAX_TEST_WISE_HITS)})${tw.pass ? '' : '  FAIL'}`,
      );
      if (!tw.pass) pass = false;
    } catch (e) {
      console.error(`Test-wise solve: ${(e as Error).message}`);
      pass = false;
    }
    console.log(pass ? 'PASS' : 'FAIL');
    process.exit(pass ? 0 : 1);
    break;
  }
  default:
    console.log(usage);
    if (positionals[0] && !values.help) process.exit(2);
}
