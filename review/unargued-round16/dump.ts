/** Per area, the single items whose key is among the unargued options, with each option's length
 * and whether it argues (JUSTIFICATION).
 *   PATH=$PWD/node_modules/.bin:$PATH tsx review/unargued-round16/dump.ts AREA [questions-dir] */
import { readBankFile } from '../../functions/cli/bank-files.ts';
import { JUSTIFICATION, unarguedCueShares } from '../../functions/cli/report.ts';

const area = process.argv[2]!;
const qs = readBankFile(`${process.argv[3] ?? 'questions'}/${area}.yaml`).questions;
const s = unarguedCueShares(qs);
console.log(
  `${area}: ${s.items} single, unargued pick ${(100 * s.unargued).toFixed(1)}%, chance ${(100 * s.chance).toFixed(1)}%, need <= ${(100 * (s.chance + 0.1)).toFixed(1)}% (sum ${(s.unargued * s.items).toFixed(2)} -> <= ${((s.chance + 0.1) * s.items).toFixed(2)})`,
);
for (const q of qs.filter((q) => q.type === 'single')) {
  const opts = q.options!;
  const bare = opts.filter((o) => !JUSTIFICATION.test(o.text));
  const picks = bare.length ? bare : opts;
  const e = picks.filter((o) => o.id === q.answer).length / picks.length;
  if (e <= 1 / opts.length + 1e-9) continue;
  console.log(`\n## ${q.id}  e=${e.toFixed(2)}\nQ: ${q.prompt}`);
  for (const o of opts)
    console.log(
      `  ${o.id === q.answer ? '*' : ' '}${o.id} ${String(o.text.length).padStart(3)} ${JUSTIFICATION.test(o.text) ? 'R' : '-'} ${o.text}`,
    );
}
