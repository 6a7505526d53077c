/**
 * Round 16 blind test-wise read of the 17 items revised in round 15 (ids from
 * review/length-cues-round15/FIXES.md) plus a control group of 17 unrevised items, drawn per
 * area and type to match the revised group (same area, same type), all mixed in one seeded order.
 *
 *   PATH=$PWD/node_modules/.bin:$PATH tsx review/testwise-round16/draw.ts SEED
 *
 * Writes candidate.md (no ids, no keys, options in the seeded order attempts use), key.md (not
 * for the reviewer), sample.json (ids, hashes, option orders) and groups.json (revised/control).
 */
import { readFileSync, writeFileSync } from 'node:fs';
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
const dir = 'review/testwise-round16';
const qs = bankFiles(['questions']).flatMap((f) => readBankFile(f).questions);
const byId = new Map(qs.map((q) => [q.id, q]));
const fixes = readFileSync('review/length-cues-round15/FIXES.md', 'utf8');
const revised = [...fixes.matchAll(/^- ([a-z0-9-]+) \(/gm)].map((m) => m[1]!);
if (revised.length !== 17) throw new Error(`expected 17 revised ids, found ${revised.length}`);
const control: string[] = [];
const strata = new Map<string, number>();
for (const id of revised) {
  const q = byId.get(id)!;
  const k = `${q.area}|${q.type}`;
  strata.set(k, (strata.get(k) ?? 0) + 1);
}
for (const [k, n] of [...strata].sort()) {
  const [area, type] = k.split('|');
  const pool = qs
    .filter((q) => q.area === area && q.type === type && !revised.includes(q.id))
    .sort((a, b) => a.id.localeCompare(b.id));
  control.push(...sample(pool, n, seededRandom(`${seed}#control#${k}`)).map((q) => q.id));
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
  renderCandidateView(s, byId).replace(/, share 0\n/, ', 17 revised + 17 control items\n'),
);
writeFileSync(join(dir, 'blind-answers.tsv'), answerTemplate(items));
writeFileSync(join(dir, 'test-wise-answers.tsv'), answerTemplate(items));
writeFileSync(join(dir, 'key.md'), renderKey(s, byId));
writeFileSync(join(dir, 'sample.json'), `${JSON.stringify(s, null, 2)}\n`);
writeFileSync(join(dir, 'groups.json'), `${JSON.stringify({ revised, control }, null, 2)}\n`);
console.log(
  `seed ${seed}: ${items.length} items (${revised.length} revised, ${control.length} control)`,
);
