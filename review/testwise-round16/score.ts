/**
 * Scores the round-16 sheets against the keys, per group (revised / control):
 *
 *   PATH=$PWD/node_modules/.bin:$PATH tsx review/testwise-round16/score.ts [--dir questions]
 *
 * Test-wise hits against chance (1/options for single items; exact set 1/C(n,k) and keys among
 * the picks k/n for multi items), the expert blind agreement with the keys, and per item whether
 * the key is the only option holding (or the only one lacking) a surface feature of HEURISTIC.md.
 */
import { readFileSync } from 'node:fs';
import { bankFiles, readBankFile } from '../../functions/cli/bank-files.ts';
import { contentHash, gradeResponse } from '../../functions/domain/question.ts';
import { parseAnswers, responseOf, type Sample } from '../../scripts/bank-review.ts';

const dir = 'review/testwise-round16';
const bankDir = process.argv.includes('--dir')
  ? process.argv[process.argv.indexOf('--dir') + 1]!
  : 'questions';
const s = JSON.parse(readFileSync(`${dir}/sample.json`, 'utf8')) as Sample;
const groups = JSON.parse(readFileSync(`${dir}/groups.json`, 'utf8')) as Record<string, string[]>;
const byId = new Map(
  bankFiles([bankDir])
    .flatMap((f) => readBankFile(f).questions)
    .map((q) => [q.id, q]),
);
const tw = new Map(
  parseAnswers(readFileSync(`${dir}/test-wise-answers.tsv`, 'utf8')).map((r) => [r.n, r]),
);
const blind = new Map(
  parseAnswers(readFileSync(`${dir}/blind-answers.tsv`, 'utf8')).map((r) => [r.n, r]),
);
const notes = readFileSync(`${dir}/test-wise-notes.tsv`, 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((l) => l.split('\t'));
const label = (i: number) => String.fromCharCode(65 + i);
const binom = (n: number, k: number): number => (k === 0 ? 1 : (binom(n - 1, k - 1) * n) / k);
const pct = (x: number) => `${(x * 100).toFixed(0)}%`;

const changed = s.items.filter((i) => contentHash(byId.get(i.id)!) !== i.hash).map((i) => i.id);
if (changed.length)
  console.log(`(scored against ${bankDir}; changed since the draw: ${changed.join(', ')})`);
for (const [group, ids] of Object.entries(groups)) {
  let hits = 0;
  let chance = 0;
  let keysPicked = 0;
  let keysChance = 0;
  let multis = 0;
  let agree = 0;
  const lines: string[] = [];
  for (const item of s.items.filter((i) => ids.includes(i.id))) {
    const q = byId.get(item.id)!;
    const key = (Array.isArray(q.answer) ? q.answer : [q.answer]) as string[];
    const keyLabels = key.map((k) => label(item.order.indexOf(k))).sort();
    const pick = tw.get(item.n)!.answer;
    const hit = gradeResponse(q, responseOf(q, item.order, pick)) === 1;
    const n = item.order.length;
    hits += +hit;
    chance += 1 / binom(n, key.length);
    if (q.type === 'multi') {
      multis++;
      const picked = pick.split(',');
      keysPicked += picked.filter((p) => keyLabels.includes(p)).length / key.length;
      keysChance += key.length / n;
    }
    const b = blind.get(item.n)!.answer;
    const agrees = gradeResponse(q, responseOf(q, item.order, b)) === 1;
    agree += +agrees;
    // Unique surface features of the key (single items).
    const rows = notes.filter((r) => Number(r[0]) === item.n);
    const feats = ['qualified', 'reason', 'concrete'];
    const col = (f: string) => 3 + feats.indexOf(f);
    const unique: string[] = [];
    if (key.length === 1) {
      for (const f of feats) {
        const holders = rows.filter((r) => r[col(f)] === '1').map((r) => r[1]);
        const lackers = rows.filter((r) => r[col(f)] === '0').map((r) => r[1]);
        if (holders.length === 1 && holders[0] === keyLabels[0]) unique.push(`only ${f}`);
        if (lackers.length === 1 && lackers[0] === keyLabels[0]) unique.push(`only not ${f}`);
      }
      const echo = rows.map((r) => Number(r[6]!.match(/\((\d+)\)/)![1]));
      const keyEcho = echo[item.order.indexOf(key[0]!)]!;
      if (echo.filter((e) => e === keyEcho).length === 1 && keyEcho === Math.max(...echo))
        unique.push('top stem echo alone');
    }
    lines.push(
      `  item ${String(item.n).padStart(2)} ${item.id.padEnd(40)} key ${keyLabels.join(',').padEnd(4)} test-wise ${pick.padEnd(4)} ${hit ? 'HIT ' : '    '} blind ${b.padEnd(4)} ${agrees ? 'agrees' : 'DISAGREES'}${unique.length ? `  key: ${unique.join(', ')}` : ''}`,
    );
  }
  const m = ids.length;
  console.log(
    `${group}: test-wise ${hits}/${m} = ${pct(hits / m)} (chance ${(chance).toFixed(2)}/${m} = ${pct(chance / m)}); ` +
      `multi keys among picks ${keysPicked.toFixed(1)}/${multis} (chance ${keysChance.toFixed(1)}); ` +
      `blind expert agrees ${agree}/${m}`,
  );
  for (const l of lines) console.log(l);
}
