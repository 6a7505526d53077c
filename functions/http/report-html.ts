/**
 * The employer's report as a printable, self-contained HTML page: no script, no external
 * resource, the chart inline as SVG, one stylesheet whose hash is the page's only style source
 * (Content-Security-Policy). Every text from content or a candidate is escaped; prompts and
 * explanations are markdown rendered by the same safe module as the candidate app.
 */
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import {
  type MarkdownItConstructor,
  type MarkdownRenderer,
  markdownRenderer,
} from '../domain/markdown-render.ts';
import { levelName } from '../domain/profile.ts';
import { radarSvg } from '../domain/radar-svg.ts';
import type { FinishedReport, Outcome, ReportQuestion } from '../services/reports.ts';

/**
 * Characters HTML forbids in a page: C0 controls but tab, line feed and carriage return, DEL and
 * the C1 controls, and lone surrogates (with the `u` flag a valid pair is one code point, which
 * the class does not match).
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters it removes.
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uD800-\uDFFF]/gu;
const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * Text for HTML character data and quoted attribute values; characters HTML forbids dropped.
 * Two regular-expression passes: a report escapes thousands of strings, and splitting each into
 * code points (as this did) was a few ms of a cold report.
 */
export function escapeHtml(text: unknown): string {
  return String(text ?? '')
    .replace(FORBIDDEN, '')
    .replace(/[&<>"']/g, (ch) => ESCAPES[ch]!);
}

let renderer: MarkdownRenderer | undefined;

/**
 * Markdown as HTML (`markdown-render.ts`, the candidate app's rules), with markdown-it loaded on
 * the first report rendered: no other request of the employer function needs it (it would be a
 * third of the bundle). A runtime `require` that bundlers leave alone: Lambda bundles ship
 * markdown-it (its CommonJS build, whose export is the constructor) as a module of its own beside
 * the bundle (`SIDE_MODULES` in infra/aws/bundling.ts).
 */
function markdownHtml(text: string): string {
  renderer ??= markdownRenderer(
    createRequire(import.meta.url)('markdown-it') as MarkdownItConstructor,
  );
  return renderer.markdownHtml(text);
}

// Colours meet WCAG AA (4.5:1) on white and on their tinted backgrounds; outcomes also say
// their name in words, so nothing depends on colour alone.
const CSS = `
:root{color-scheme:light;--ink:#111827;--muted:#4b5563;--line:#d1d5db;--bg:#f9fafb;--ok:#166534;--part:#854d0e;--bad:#991b1b;--none:#374151}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--ink);background:#fff}
main{max-width:52rem;margin:0 auto;padding:1rem}
h1{font-size:1.6rem;line-height:1.25;margin:.25rem 0}
h2{font-size:1.25rem;margin:2rem 0 .75rem;padding-bottom:.25rem;border-bottom:2px solid var(--line)}
h3{font-size:1.05rem;margin:0 0 .25rem}
p{margin:.4rem 0}
.eyebrow{color:var(--muted);font-size:.9rem;margin:0}
.preview{display:inline-block;border:2px solid var(--part);color:var(--part);padding:.1rem .5rem;border-radius:.25rem;font-weight:600}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;margin:1rem 0}
dl.facts dt{color:var(--muted)}
dl.facts dd{margin:0;font-weight:600;overflow-wrap:anywhere}
figure.chart{margin:1rem 0;text-align:center}
figure.chart svg{max-width:100%;height:auto}
ul.cards{list-style:none;margin:0;padding:0;display:grid;gap:.75rem}
ul.cards>li{border:1px solid var(--line);border-radius:.5rem;padding:.75rem;background:var(--bg);break-inside:avoid}
.level{font-weight:700}
.rule{color:var(--muted);font-size:.9rem}
.question{border:1px solid var(--line);border-radius:.5rem;padding:.75rem;margin:0 0 1rem;break-inside:avoid}
.meta{color:var(--muted);font-size:.9rem}
.outcome{display:inline-block;font-weight:700;padding:0 .4rem;border-radius:.25rem;border:1px solid currentColor}
.outcome-correct{color:var(--ok)}.outcome-partial{color:var(--part)}.outcome-wrong{color:var(--bad)}
.outcome-unanswered,.outcome-unanswered-or-wrong{color:var(--none);border-style:dashed}
.question dl{margin:.5rem 0 0}
.question dt{font-weight:600;margin-top:.5rem}
.question dd{margin:0;overflow-wrap:anywhere}
.staff{border-left:4px solid var(--line);padding-left:.5rem}
.md{overflow-wrap:anywhere}
.md pre{white-space:pre-wrap;background:var(--bg);border:1px solid var(--line);padding:.5rem;border-radius:.25rem;font-size:.9rem}
.md code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.9em}
.md img{max-width:100%}
.given{white-space:pre-wrap}
footer{margin-top:2rem;color:var(--muted);font-size:.85rem}
@media (max-width:30rem){main{padding:.75rem}h1{font-size:1.35rem}dl.facts{gap:.25rem .75rem}}
@media (max-width:22rem){dl.facts{grid-template-columns:1fr}dl.facts dd{margin-bottom:.25rem}}
@page{size:A4;margin:15mm 14mm}
@media print{
body{font-size:10.5pt;line-height:1.4}
main{max-width:none;padding:0}
h2{break-after:avoid;margin-top:1.25rem}
h3{break-after:avoid}
.question,ul.cards>li,figure.chart{break-inside:avoid}
ul.cards>li,.md pre{background:none}
figure.chart svg{max-height:120mm;width:auto}
a{color:inherit;text-decoration:none}
}
`.trim();

/** The page's Content-Security-Policy: nothing loads, nothing runs; only this stylesheet. */
export const REPORT_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  `style-src 'sha256-${createHash('sha256').update(CSS).digest('base64')}'`,
  'img-src data:',
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const OUTCOME_TEXT: Readonly<Record<Outcome, string>> = {
  correct: 'Correct',
  partial: 'Partly right',
  wrong: 'Wrong',
  unanswered: 'Unanswered',
  'unanswered-or-wrong': 'Wrong or unanswered (not recorded)',
};

/** `2026-11-21 08:03:12 UTC`: the server's time, unambiguous on paper. */
const when = (iso: string | undefined) =>
  iso ? `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC` : '';

function duration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return h ? `${h} h ${m} min` : m ? `${m} min ${s} s` : `${s} s`;
}

const num = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(1));

function facts(r: FinishedReport): string {
  const rows: [string, string][] = [
    ['Status', r.status === 'submitted' ? 'Submitted' : 'Time ran out (expired)'],
    ['Started', when(r.startedAt)],
    ['Finished', when(r.completedAt)],
    ['Time used', duration(r.secondsUsed)],
  ];
  if (r.deadline) {
    const more = r.extensions.reduce((n, e) => n + e.minutes, 0);
    rows.push(['Deadline', `${when(r.deadline)}${more ? ` (with ${more} min more time)` : ''}`]);
  }
  rows.push([
    'Score',
    `${num(r.score)} / 100${r.passed === undefined ? '' : r.passed ? ' (passed)' : ' (not passed)'}`,
  ]);
  if ('percentile' in r && r.percentile !== undefined)
    rows.push(['Percentile', `${num(r.percentile)} (among this assessment's candidates)`]);
  if (r.technical) rows.push(['Technical', `${num(r.technical.score)} / 100`]);
  if (r.soft) rows.push(['Soft skills', `${num(r.soft.score)} / 100`]);
  return `<dl class="facts">${rows.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('')}</dl>`;
}

function areas(r: FinishedReport): string {
  if (!r.areas.length) return '<p>No area was graded.</p>';
  return `<ul class="cards">${r.areas
    .map(
      (a) =>
        `<li><h3>${escapeHtml(a.name)}</h3>` +
        `<p>Score ${escapeHtml(num(a.score))} from ${a.items} question${a.items === 1 ? '' : 's'} (${a.answered} answered, ${a.correct} fully right) · <span class="level">${escapeHtml(levelName(a.level))}</span></p>` +
        `<p class="rule">${escapeHtml(a.levelRule)}</p>` +
        (a.adaptiveSummary ? `<p class="rule">${escapeHtml(a.adaptiveSummary)}</p>` : '') +
        '</li>',
    )
    .join('')}</ul>`;
}

function development(r: FinishedReport): string {
  if (!r.development.length)
    return "<p>No area's evidence supports calling it a strength or a gap: a strength is an area at advanced or expert level, a gap an area at foundational level (see each area's rule above).</p>";
  const list = (kind: 'strength' | 'gap', heading: string) => {
    const items = r.development.filter((d) => d.kind === kind);
    if (!items.length) return '';
    return `<h3>${heading}</h3><ul class="cards">${items
      .map(
        (d) =>
          `<li><p class="level">${escapeHtml(d.name)}</p><p>${escapeHtml(d.suggestion)}</p></li>`,
      )
      .join('')}</ul>`;
  };
  return list('strength', 'Strengths') + list('gap', 'Gaps');
}

function signals(r: FinishedReport): string {
  const list = r.integrity.signals;
  if (!list.length)
    return '<p>No integrity signal was observed. Their absence proves nothing either way.</p>';
  return `<p>Evidence with the server's times, never a verdict: each has innocent explanations. Use them to decide what to ask.</p><ul class="cards">${list
    .map(
      (s) =>
        `<li><p><span class="level">${escapeHtml(s.type)}</span> · ${escapeHtml(when(s.at))}${s.count !== undefined ? ` · ${s.count} time${s.count === 1 ? '' : 's'}` : ''}</p>` +
        `<p>${escapeHtml(s.detail)}</p>` +
        (s.times?.length
          ? `<p class="meta">At: ${s.times.map((t) => escapeHtml(when(t))).join(', ')}</p>`
          : '') +
        (s.questionIds?.length
          ? `<p class="meta">Questions: ${s.questionIds.map(escapeHtml).join(', ')}</p>`
          : '') +
        '</li>',
    )
    .join('')}</ul>`;
}

function extensions(r: FinishedReport): string {
  if (!r.extensions.length) return '';
  return `<h2 id="extensions">More time granted</h2><ul class="cards">${r.extensions
    .map(
      (e) =>
        `<li><p><span class="level">+${e.minutes} min</span> by ${escapeHtml(e.by)} at ${escapeHtml(when(e.at))}</p>` +
        `<p>Deadline ${escapeHtml(when(e.from))} → ${escapeHtml(when(e.to))}</p>` +
        `<p>${e.reason === undefined ? '<em>Reason erased with the candidate’s data.</em>' : `Reason: ${escapeHtml(e.reason)}`}</p></li>`,
    )
    .join('')}</ul>`;
}

function question(q: ReportQuestion, i: number): string {
  const given =
    q.answer !== undefined
      ? `<span class="given">${escapeHtml(q.answer)}</span>`
      : q.answered
        ? '<em>Answered; the answer was erased with the candidate’s data.</em>'
        : q.shownNotAnswered
          ? '<em>Shown in the adaptive section, not answered when the attempt ended; not graded.</em>'
          : '<em>No answer was saved.</em>';
  return (
    `<article class="question" id="q-${escapeHtml(q.questionId)}">` +
    `<h3>Question ${i + 1} · ${escapeHtml(q.areaName)}</h3>` +
    `<p><span class="outcome outcome-${q.outcome}">${OUTCOME_TEXT[q.outcome]}</span> ` +
    `<span class="meta">${q.shownNotAnswered ? 'not graded' : `score ${escapeHtml(num(q.score))} · ${q.secondsSpent} s`} · difficulty ${q.difficulty} · ${escapeHtml(q.questionId)} v${q.version}</span></p>` +
    `<div class="md">${markdownHtml(q.prompt)}</div>` +
    `<dl><div><dt>Answer given</dt><dd>${given}</dd></div>` +
    `<div class="staff"><dt>Correct answer</dt><dd class="given">${escapeHtml(q.correctAnswer)}</dd></div>` +
    `<div class="staff"><dt>Explanation</dt><dd class="md">${markdownHtml(q.explanation)}</dd></div></dl>` +
    '</article>'
  );
}

/** The whole page. */
export function reportHtml(r: FinishedReport): string {
  const who = r.candidate.name ?? r.candidate.externalId ?? `Attempt ${r.attemptId}`;
  const chart = radarSvg(r.areas, { title: `${who}: ${r.assessment.title}` });
  const counts = r.questions.reduce(
    (n, q) => n.set(q.outcome, (n.get(q.outcome) ?? 0) + 1),
    new Map<Outcome, number>(),
  );
  const summary = (Object.keys(OUTCOME_TEXT) as Outcome[])
    .filter((o) => counts.get(o))
    .map((o) => `${counts.get(o)} ${OUTCOME_TEXT[o].toLowerCase()}`)
    .join(', ');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(`Report: ${who} — ${r.assessment.title}`)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
<header>
<p class="eyebrow">Assessment report · ${escapeHtml(r.assessment.title)}</p>
<h1>${escapeHtml(who)}</h1>
${r.preview ? '<p><span class="preview">Preview: not counted in results, norms or statistics</span></p>' : ''}
${r.candidate.email ? `<p>${escapeHtml(r.candidate.email)}</p>` : ''}
${facts(r)}
</header>
<section aria-labelledby="profile"><h2 id="profile">Skill profile</h2>
<figure class="chart">${chart}</figure>
${areas(r)}
</section>
<section aria-labelledby="development"><h2 id="development">Strengths and gaps</h2>
${development(r)}
</section>
<section aria-labelledby="integrity"><h2 id="integrity">Integrity signals</h2>
${signals(r)}
</section>
${extensions(r)}
<section aria-labelledby="questions"><h2 id="questions">Questions</h2>
<p>${escapeHtml(summary || 'No questions.')}. Correct answers and explanations are for staff: candidates never see them.</p>
${r.questions.map(question).join('\n')}
</section>
<footer><p>Attempt ${escapeHtml(r.attemptId)}. Scores, levels and signals are explained in the Assay documentation (docs/scoring.md). A level is a summary of this test, not a verdict on a person.</p></footer>
</main>
</body>
</html>
`;
}
