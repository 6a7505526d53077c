/**
 * Applies HEURISTIC.md to candidate.md only (no ids, no keys): writes test-wise-answers.tsv and
 * test-wise-notes.tsv (every option's points).
 *
 *   PATH=$PWD/node_modules/.bin:$PATH tsx review/testwise-round16/testwise.ts [candidate.md] [out-prefix]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { contentWords, JUSTIFICATION } from '../../functions/cli/report.ts';

const dir = 'review/testwise-round16';
const md = readFileSync(process.argv[2] ?? `${dir}/candidate.md`, 'utf8');
const out = process.argv[3] ?? `${dir}/test-wise`;

const ABSOLUTE =
  /\b(always|never|every|all|any|none|nothing|no longer|cannot|can't|guarantee[sd]?|completely|entirely|automatically|whatever|impossible)\b/i;
const QUALIFIER =
  /\b(if|unless|when|once|until|while|as long as|before|after|within|only if|usually|may|might|can|typically|most|per)\b/i;
const CONCRETE =
  /\d|`[^`]+`|\b[a-z]+[A-Z]\w*|\b\w+_\w+\b|\b\w+[./]\w+|--\w|\b\w+: \w|\b[A-Z]{2,}\w*/;
const NUMBERS: Record<string, number> = { two: 2, three: 3, four: 4 };

const items = md.split(/^## Item /m).slice(1);
const answers = ['n\tarea\tanswer\tambiguity\tresolution'];
const notes = ['n\toption\tstruck\tqualified\treason\tconcrete\techo\todd\tpoints\twords\tchars'];
for (const block of items) {
  const [head, ...rest] = block.split('\n');
  const n = Number(head!.split(' ')[0]);
  const area = head!.match(/\((.+)\)/)![1]!;
  const body = rest.join('\n');
  const optLines = [...body.matchAll(/^([A-Z])\. (.*)$/gm)];
  const prompt = body.slice(0, optLines[0]!.index).trim();
  const multi = /as many options as the prompt says/.test(body);
  const k = multi
    ? (NUMBERS[(prompt.match(/\b(two|three|four)\b/i)?.[1] ?? 'two').toLowerCase()] ?? 2)
    : 1;
  const promptWords = contentWords(prompt);
  const opts = optLines.map((m) => {
    const text = m[2]!;
    const words = contentWords(text);
    return {
      label: m[1]!,
      text,
      absolute: ABSOLUTE.test(text),
      qualified: QUALIFIER.test(text),
      reason: JUSTIFICATION.test(text),
      concrete: CONCRETE.test(text),
      echoCount: [...words].filter((w) => promptWords.has(w)).length,
      words: words.size,
      chars: text.length,
      echo: false,
      odd: [] as string[],
      points: 0,
    };
  });
  const allStruck = opts.every((o) => o.absolute);
  const maxEcho = Math.max(...opts.map((o) => o.echoCount));
  const allTieEcho = opts.every((o) => o.echoCount === maxEcho);
  for (const o of opts) o.echo = !allTieEcho && o.echoCount === maxEcho;
  for (const f of ['qualified', 'reason', 'concrete'] as const) {
    const holders = opts.filter((o) => o[f]);
    if (holders.length === 1) holders[0]!.odd.push(f);
  }
  for (const o of opts)
    o.points = +o.qualified + +o.reason + +o.concrete + +o.echo + (o.odd.length ? 1 : 0);
  const live = opts.filter((o) => allStruck || !o.absolute);
  const ranked = [...live].sort(
    (a, b) =>
      b.points - a.points ||
      b.words - a.words ||
      b.chars - a.chars ||
      a.label.localeCompare(b.label),
  );
  const picks = ranked.slice(0, k);
  const why = picks
    .map((p) => {
      const cues = [
        p.qualified && 'qualified',
        p.reason && 'reason',
        p.concrete && 'concrete',
        p.echo && 'echo',
        p.odd.length && `odd(${p.odd.join('+')})`,
      ].filter(Boolean);
      const next = ranked[k];
      const tie = next && next.points === p.points ? ' tie->specific/length' : '';
      return `${p.label}: ${p.points} pt ${cues.join(',') || 'none'}${tie}`;
    })
    .join('; ');
  const struck = opts.filter((o) => o.absolute && !allStruck).map((o) => o.label);
  answers.push(
    `${n}\t${area}\t${picks
      .map((p) => p.label)
      .sort()
      .join(',')}\t\t${why}${struck.length ? `; struck ${struck.join(',')}` : ''}`,
  );
  for (const o of opts)
    notes.push(
      [
        n,
        o.label,
        +(o.absolute && !allStruck),
        +o.qualified,
        +o.reason,
        +o.concrete,
        `${+o.echo} (${o.echoCount})`,
        o.odd.join('+') || '-',
        o.points,
        o.words,
        o.chars,
      ].join('\t'),
    );
}
writeFileSync(`${out}-answers.tsv`, `${answers.join('\n')}\n`);
writeFileSync(`${out}-notes.tsv`, `${notes.join('\n')}\n`);
console.log(answers.join('\n'));
