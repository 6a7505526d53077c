/** Writing GIFT: escapes, weights and answer blocks, for the type modules' `gift.write`. */
import type { Option, QuestionContent } from './question-types/type.ts';

/** GIFT's special characters escaped with a backslash. */
export function giftEscape(s: string): string {
  return s.replace(/[\\~=#{}:]/g, (c) => `\\${c}`).replace(/\r?\n/g, '\\n');
}

/**
 * A question text as GIFT writes it: Assay's texts are markdown, which Moodle renders when the
 * text says so (`[markdown]`; answers and feedback take the question's format).
 */
export function giftPrompt(s: string): string {
  return `[markdown]${giftEscape(s)}`;
}

/**
 * A leading `[html]`-style marker is read as the text's format; `[markdown]` in front keeps it
 * text (Assay's texts are markdown: `[plain]` would escape their markdown on the way back).
 */
const FORMAT_MARKER = /^\s*\[(?:html|markdown|plain|moodle)\]/i;

/** A text as GIFT writes it: escaped, and guarded against being read as a format marker. */
export function giftText(s: string): string {
  return (FORMAT_MARKER.test(s) ? '[markdown]' : '') + giftEscape(s);
}

/** A percentage weight as GIFT writes it: integers plain, else up to 5 decimals. */
export function giftWeight(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Number(n.toFixed(5)));
}

/** A number as GIFT writes it. */
export function giftNumber(n: number): string {
  return String(n);
}

/**
 * One answer: `=text`, `~text` or `~%50%text`. A text that itself starts with `%` gets an
 * explicit weight where Moodle reads one (after `~`, and after `=` outside multiple choice),
 * so that its own percent sign is not read as one.
 */
export function giftAnswer(
  mark: '=' | '~',
  text: string,
  weight?: string,
  weighted: boolean = mark === '~',
): string {
  const guard = weighted && text.trimStart().startsWith('%');
  const w = weight ?? (guard ? (mark === '=' ? '100' : '0') : undefined);
  return `${mark}${w === undefined ? '' : `%${w}%`}${giftText(text)}`;
}

/** The `{...}` answer block: one answer per line, then the explanation as general feedback. */
export function giftBlock(
  q: Pick<QuestionContent, 'explanation'>,
  answers: readonly string[],
): string {
  const feedback = q.explanation ? [`####${giftText(q.explanation)}`] : [];
  return `{\n${[...answers, ...feedback].map((a) => `  ${a}`).join('\n')}\n}`;
}

/** A question after its title: the prompt, then the answer block. */
export function giftQuestion(
  q: Pick<QuestionContent, 'prompt' | 'explanation'>,
  answers: readonly string[],
): { text: string } {
  return { text: `${giftPrompt(q.prompt)}${giftBlock(q, answers)}` };
}

/** The answers of a choice question, each option marked by `mark` (Moodle weighs only `~`). */
export function giftChoices(
  options: readonly Option[] | undefined,
  mark: (o: Option, i: number) => { mark: '=' | '~'; weight?: string },
): string[] {
  return (options ?? []).map((o, i) => {
    const m = mark(o, i);
    return giftAnswer(m.mark, o.text, m.weight, m.mark === '~');
  });
}
