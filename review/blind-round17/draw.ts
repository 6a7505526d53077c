/**
 * Round 17 blind read of the 54 single items whose key was given a reason in round 16 (ids from
 * review/unargued-round16/*.applied.tsv) plus a control group of 18 unchanged single items, two
 * per technical area, all mixed in one seeded order (copied from review/testwise-round16/draw.ts).
 *
 *   PATH=$PWD/node_modules/.bin:$PATH tsx review/blind-round17/draw.ts SEED
 *
 * Writes candidate.md (no ids, no keys, options in the seeded order attempts use), key.md (not
 * for the reviewer), sample.json (ids, hashes, option orders) and groups.json (revised/control).
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bankFiles, readBankFile } from '../../functions/cli/bank-files.ts';
import { contentHash, startQuestion } from '../../functions/domain/question.ts';
import { sample, seededRandom, shuffle } from '../../functions/domain/random.ts';
import {
  answerTemplate,
  renderCandidateView,
  renderKey,
  type Sample,
  type SampledItem,
} from '../../scripts/bank-review.ts';

const seed = process.argv[2];
if (!seed) throw new Error('seed required');
const dir = 'review/blind-round17';
const qs = bankFiles(['questions']).flatMap((f) => readBankFile(f).questions);
const byId = new Map(qs.map((q) => [q.id, q]));
const applied = readdirSync('review/unargued-round16').filter((f) => f.endsWith('.applied.tsv'));
const revised = applied.flatMap((f) =>
  readFileSync(join('review/unargued-round16', f), 'utf8')
    .trim()
    .split('\n')
    .map((line) => line.split('\t')[0]!),
);
if (revised.length !== 54) throw new Error(`expected 54 revised ids, found ${revised.length}`);
const control: string[] = [];
for (const area of [...new Set(revised.map((id) => byId.get(id)!.area))].sort()) {
  const pool = qs
    .filter((q) => q.area === area && q.type === 'single' && !revised.includes(q.id))
    .sort((a, b) => a.id.localeCompare(b.id));
  control.push(...sample(pool, 2, seededRandom(`${seed}#control#${area}`)).map((q) => q.id));
}
const order = shuffle([...revised, ...control], seededRandom(`${seed}#mix`));
const items: SampledItem[] = order.map((id, i) => {
  const q = byId.get(id)!;
  return {
    n: i + 1,
    id,
    area: q.area,
    type: q.type,
    difficulty: q.difficulty,
    hash: contentHash(q),
    order: startQuestion(q, seed).order ?? [],
  };
});
const s: Sample = { seed, share: 0, items };
writeFileSync(
  join(dir, 'candidate.md'),
  renderCandidateView(s, byId).replace(/, share 0\n/, ', 54 items and 18 others\n'),
);
writeFileSync(join(dir, 'blind-answers.tsv'), answerTemplate(items));
writeFileSync(join(dir, 'test-wise-answers.tsv'), answerTemplate(items));
writeFileSync(join(dir, 'key.md'), renderKey(s, byId));
writeFileSync(join(dir, 'sample.json'), `${JSON.stringify(s, null, 2)}\n`);
writeFileSync(join(dir, 'groups.json'), `${JSON.stringify({ revised, control }, null, 2)}\n`);
console.log(
  `seed ${seed}: ${items.length} items (${revised.length} revised, ${control.length} control)`,
);
