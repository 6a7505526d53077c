/**
 * A saved answer and a question's key as a person reads them in the employer's report:
 * `b — Use a queue`, several joined by `; `, a ranking as `1. b — ...; 2. d — ...`, a number as
 * it was given, a text in quotes. Plain text (option texts keep their markdown source); the HTML
 * report escapes it.
 *
 * Interim, in one place: the `types` engineer is giving every question type a `describe` member
 * (issue 12) with this same output for answers (`describeAnswer` in `question.ts`). When that is
 * on main, `describeAnswer` here is replaced by theirs and the key's rendering below becomes a
 * member of each type as well. Until then a type this table does not know is shown as JSON.
 */
import { parseResponse, type QuestionContent } from './question.ts';

const label = (q: QuestionContent, id: unknown) => {
  const o = q.options?.find((x) => x.id === id);
  return o ? `${o.id} — ${o.text}` : String(id);
};
const ids = (v: unknown) => (Array.isArray(v) ? v.map(String) : []);
const weightOf = (q: QuestionContent, id: string) =>
  (q.answer as { weights?: Record<string, number> }).weights?.[id];
const effectiveness = (w: number | undefined) => (w === undefined ? '' : ` (effectiveness ${w})`);

const ANSWER: Readonly<Record<string, (q: QuestionContent, v: unknown) => string>> = {
  single: (q, v) => label(q, v),
  multi: (q, v) =>
    ids(v)
      .map((id) => label(q, id))
      .join('; ') || '(no option chosen)',
  order: (q, v) =>
    ids(v)
      .map((id, i) => `${i + 1}. ${label(q, id)}`)
      .join('; '),
  numeric: (_q, v) => String(v),
  text: (_q, v) => JSON.stringify(String(v)),
  sjt: (q, v) => `${label(q, v)}${effectiveness(weightOf(q, String(v)))}`,
};

const KEY: Readonly<Record<string, (q: QuestionContent) => string>> = {
  single: (q) => label(q, q.answer),
  multi: (q) =>
    ids(q.answer)
      .map((id) => label(q, id))
      .join('; '),
  order: (q) =>
    ids(q.answer)
      .map((id, i) => `${i + 1}. ${label(q, id)}`)
      .join('; '),
  numeric: (q) => {
    const k = q.answer as { value: number; tolerance: number };
    return k.tolerance ? `${k.value} (± ${k.tolerance})` : String(k.value);
  },
  text: (q) =>
    `${ids(q.answer)
      .map((a) => JSON.stringify(a))
      .join(' or ')} (case and spacing ignored)`,
  sjt: (q) =>
    [...(q.options ?? [])]
      .sort((x, y) => (weightOf(q, y.id) ?? 0) - (weightOf(q, x.id) ?? 0))
      .map((o) => `${label(q, o.id)}${effectiveness(weightOf(q, o.id))}`)
      .join('; '),
};

/**
 * A saved answer as a person reads it; undefined when unanswered. An answer that no longer fits
 * the question (it cannot happen for a version the attempt drew) is shown as JSON, marked.
 */
export function describeAnswer(q: QuestionContent, response: unknown): string | undefined {
  if (response === undefined || response === null) return undefined;
  const parsed = parseResponse(q, response);
  if (!parsed.ok) return `${JSON.stringify(response)} (does not fit this question)`;
  const render = ANSWER[q.type];
  return render ? render(q, parsed.value) : JSON.stringify(parsed.value);
}

/** The question's key as a person reads it (staff only: never on a candidate route). */
export function describeKey(q: QuestionContent): string {
  const render = KEY[q.type];
  return render ? render(q) : JSON.stringify(q.answer);
}
