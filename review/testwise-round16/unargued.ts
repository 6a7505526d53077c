/**
 * Found after the keys were opened (not part of HEURISTIC.md): the "unargued" cue of
 * surfaceCuePicks (functions/cli/report.ts), applied to the single items of the technical areas.
 * A candidate picks at random among the options that do not argue for themselves (no since,
 * because, so that, ", so", ", which", ", as"); all options if every one or none does.
 *
 *   PATH=$PWD/node_modules/.bin:$PATH tsx review/testwise-round16/unargued.ts [questions-dir] [--list]
 *
 * --list prints, instead of the table, the items whose key is the only unargued option.
 */
import { readFileSync } from 'node:fs';
import { bankFiles, readBankFile } from '../../functions/cli/bank-files.ts';
import { JUSTIFICATION } from '../../functions/cli/report.ts';

const SOFT = new Set(['problem-solving', 'communication', 'adaptability', 'collaboration']);
const list = process.argv.includes('--list');
const bankDir = process.argv.filter((a) => a !== '--list')[2] ?? 'questions';
const groups = JSON.parse(readFileSync('review/testwise-round16/groups.json', 'utf8')) as Record<
  string,
  string[]
>;
const qs = bankFiles([bankDir])
  .flatMap((f) => readBankFile(f).questions)
  .filter((q) => q.type === 'single' && !SOFT.has(q.area));
const expected = (q: (typeof qs)[number]) => {
  const unargued = q.options!.filter((o) => !JUSTIFICATION.test(o.text));
  const picks = unargued.length ? unargued : q.options!;
  return picks.filter((o) => o.id === q.answer).length / picks.length;
};
const row = (name: string, items: typeof qs) => {
  const hit = items.reduce((s, q) => s + expected(q), 0);
  const lone = items.filter(
    (q) => q.options!.filter((o) => !JUSTIFICATION.test(o.text)).length === 1,
  );
  const loneKey = lone.filter(
    (q) => !JUSTIFICATION.test(q.options!.find((o) => o.id === q.answer)!.text),
  );
  const chance = items.reduce((s, q) => s + 1 / q.options!.length, 0);
  console.log(
    `| ${name} | ${items.length} | ${((100 * hit) / items.length).toFixed(0)}% | ${((100 * chance) / items.length).toFixed(0)}% | ${lone.length} | ${loneKey.length} |`,
  );
};
if (list) {
  for (const q of qs) {
    const unargued = q.options!.filter((o) => !JUSTIFICATION.test(o.text));
    if (unargued.length === 1 && unargued[0]!.id === q.answer) console.log(`${q.area}\t${q.id}`);
  }
  process.exit(0);
}
console.log(`Bank: ${bankDir}`);
console.log(
  '| items | single | unargued pick reaches the key | chance | items with exactly one unargued option | of which that option is the key |',
);
console.log('| --- | --- | --- | --- | --- | --- |');
for (const [g, ids] of Object.entries(groups))
  row(
    `${g} group`,
    qs.filter((q) => ids.includes(q.id)),
  );
for (const area of [...new Set(qs.map((q) => q.area))])
  row(
    area,
    qs.filter((q) => q.area === area),
  );
row('all technical', qs);
