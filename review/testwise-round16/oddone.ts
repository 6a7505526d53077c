/**
 * Bank-wide check of the "odd one out" cues on single items of the technical areas: when exactly
 * one option has (or lacks) a surface feature, how often is that option the key? Chance is 1/options.
 *
 *   PATH=$PWD/node_modules/.bin:$PATH tsx review/testwise-round16/oddone.ts [groups.json|-] [questions-dir]
 */
import { readFileSync } from 'node:fs';
import { bankFiles, readBankFile } from '../../functions/cli/bank-files.ts';
import { JUSTIFICATION } from '../../functions/cli/report.ts';

const SOFT = new Set(['problem-solving', 'communication', 'adaptability', 'collaboration']);
const QUALIFIER =
  /\b(if|unless|when|once|until|while|as long as|before|after|within|only if|usually|may|might|can|typically|most|per)\b/i;
const CONCRETE =
  /\d|`[^`]+`|\b[a-z]+[A-Z]\w*|\b\w+_\w+\b|\b\w+[./]\w+|--\w|\b\w+: \w|\b[A-Z]{2,}\w*/;
const REASON_WIDE = new RegExp(
  `${JUSTIFICATION.source}|\\b(?:leaving|keeping|making|letting)\\b|, (?:so|which|as|because)\\b`,
  'i',
);
const features: Record<string, (t: string) => boolean> = {
  reason: (t) => JUSTIFICATION.test(t),
  'reason (wide: also leaving/keeping/making/letting)': (t) => REASON_WIDE.test(t),
  qualified: (t) => QUALIFIER.test(t),
  concrete: (t) => CONCRETE.test(t),
};
const only =
  process.argv[2] && process.argv[2] !== '-'
    ? new Set(JSON.parse(readFileSync(process.argv[2], 'utf8')).revised as string[])
    : undefined;
const qs = bankFiles([process.argv[3] ?? 'questions'])
  .flatMap((f) => readBankFile(f).questions)
  .filter((q) => q.type === 'single' && !SOFT.has(q.area) && (!only || only.has(q.id)));
console.log(`${qs.length} single items${only ? ' (revised group)' : ' in the technical areas'}`);
for (const [name, f] of Object.entries(features)) {
  for (const mode of ['has', 'lacks'] as const) {
    let items = 0;
    let keyed = 0;
    let chance = 0;
    const keyedIds: string[] = [];
    for (const q of qs) {
      const odd = q.options!.filter((o) => f(o.text) === (mode === 'has'));
      if (odd.length !== 1) continue;
      items++;
      chance += 1 / q.options!.length;
      if (odd[0]!.id === q.answer) {
        keyed++;
        keyedIds.push(q.id);
      }
    }
    console.log(
      `  only option that ${mode} ${name}: ${items} items, key on ${keyed} (${items ? ((100 * keyed) / items).toFixed(0) : '-'}%, chance ${items ? ((100 * chance) / items).toFixed(0) : '-'}%)${only ? ` ${keyedIds.join(' ')}` : ''}`,
    );
  }
}
