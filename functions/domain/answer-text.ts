/**
 * A question's key as a person reads it in the employer's report (staff only: never on a
 * candidate route). The candidate's answer is described by its type (`describeAnswer` in
 * `question.ts`, each type's `describe`); a key that has the shape of a right answer (single,
 * multiple, order, missing word) is described the same way. The keys of the other shapes
 * (numeric value and tolerance, accepted short texts, situational-judgement weights, matching
 * pairs) are written here, in one place, until the type contract has a member for it.
 */
import { acceptsResponse, describeAnswer, type QuestionContent } from './question.ts';

const label = (q: QuestionContent, id: string) => {
  const o = q.options?.find((x) => x.id === id);
  return o ? `${o.id} — ${o.text}` : id;
};
const weightsOf = (q: QuestionContent) =>
  (q.answer as { weights?: Record<string, number> }).weights ?? {};

/** Keys whose shape is not an answer's, by the shape of the key. */
const KEY_SHAPES: readonly ((q: QuestionContent) => string | undefined)[] = [
  // Numeric: the value and its tolerance.
  (q) => {
    const k = q.answer as { value?: unknown; tolerance?: unknown };
    if (typeof k?.value !== 'number' || typeof k.tolerance !== 'number') return undefined;
    return k.tolerance ? `${k.value} (± ${k.tolerance})` : String(k.value);
  },
  // Situational judgement: every option, most effective first.
  (q) => {
    const w = weightsOf(q);
    if (!Object.keys(w).length) return undefined;
    return [...(q.options ?? [])]
      .sort((x, y) => (w[y.id] ?? 0) - (w[x.id] ?? 0))
      .map((o) => `${label(q, o.id)} (effectiveness ${w[o.id] ?? 0})`)
      .join('; ');
  },
  // Matching: each pair.
  (q) => {
    const pairs = (q.answer as { pairs?: { left: string; right: string }[] }).pairs;
    return Array.isArray(pairs) ? pairs.map((p) => `${p.left} → ${p.right}`).join('; ') : undefined;
  },
];

/** The question's key as a person reads it (staff only). */
export function describeKey(q: QuestionContent): string {
  // A key that is itself a right answer reads as the type describes answers. Most keys of the
  // other shapes are not answers: asking only whether it is one composes no refusal messages
  // (zod builds them on first read), which a report of 20 such keys paid for on every render.
  if (acceptsResponse(q, q.answer)) return describeAnswer(q, q.answer)!;
  for (const shape of KEY_SHAPES) {
    const text = shape(q);
    if (text !== undefined) return text;
  }
  // Short text: the accepted answers (a list of strings that is not an answer of its own).
  if (Array.isArray(q.answer) && q.answer.every((a) => typeof a === 'string'))
    return `${q.answer.map((a) => JSON.stringify(a)).join(' or ')} (case and spacing ignored)`;
  return JSON.stringify(q.answer);
}
