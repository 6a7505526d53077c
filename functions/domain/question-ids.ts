/**
 * Ids of imported questions that stay the same when a file is uploaded again: the author's own
 * (`[id:...]`, `<idnumber>`), else one derived from the question's title, else from its
 * content; never from its position in the file. See "Titles and ids" under "Moodle banks" in docs/question-format.md.
 */
import { createRequire } from 'node:module';
import { fingerprint } from './fingerprint.ts';
import { QUESTION_ID_PATTERN, TAG_PATTERN } from './question.ts';
import { acceptedList } from './question-types/text.ts';

type Transliterate = (text: string) => string;
let transliterateFn: Transliterate | undefined;

/**
 * `@sindresorhus/transliterate` (Latin with diacritics, Cyrillic, Greek, Arabic, Hebrew, ...
 * to ASCII), loaded on first use: only Moodle imports derive ids from titles.
 */
function transliterate(text: string): string {
  if (!transliterateFn) {
    const m = createRequire(import.meta.url)('@sindresorhus/transliterate') as
      | Transliterate
      | { default: Transliterate };
    transliterateFn = typeof m === 'function' ? m : m.default;
  }
  return transliterateFn(text);
}

/** `Где находится Кремль?` -> `gde-nakhoditsya-kreml`; `Grant's tomb` -> `grant-s-tomb`. */
export function slugOf(text: string): string {
  return transliterate(text.normalize('NFC'))
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

const cut = (slug: string, n: number) => slug.slice(0, n).replace(/-+$/, '');

/**
 * The id a title gives: its slug (Unicode-aware); a short one gets `q-` in front (`::Q1::` is
 * `q-q1`), a long one is cut and keeps a hash of the whole title, and a title with nothing to
 * transliterate (Chinese, emoji) is `t-` and a hash of it.
 */
export function idFromTitle(title: string): string {
  const slug = slugOf(title);
  if (slug === '') return `t-${fingerprint(title).slice(0, 10)}`;
  if (slug.length < 3) return `q-${slug}`;
  if (slug.length > 64) return `${cut(slug, 53)}-${fingerprint(title).slice(0, 10)}`;
  return slug;
}

/**
 * The id of an untitled question: the first words of its prompt and a hash of what it asks
 * (prompt, options, key), so that the same question gets the same id from GIFT and from XML,
 * and a different question a different id. Editing it later makes a new question.
 */
export function idFromContent(content: {
  prompt: unknown;
  options?: unknown;
  answer: unknown;
}): string {
  const words = cut(
    slugOf(String(content.prompt ?? ''))
      .split('-')
      .slice(0, 6)
      .join('-'),
    40,
  );
  const hash = fingerprint(
    JSON.stringify([content.prompt, content.options ?? null, keyAsHashed(content.answer) ?? null]),
  ).slice(0, 8);
  return words ? `${words}-${hash}` : `q-${hash}`;
}

/**
 * A key as the hash of a derived id sees it: the shape keys had before they said how they
 * compare, so that an unchanged file keeps its ids (docs/question-format.md promises it). So
 * `compare` goes, and a text key of answers all worth everything, none with a wildcard, case
 * ignored, is the accepted-answer list the readers made of it then (`\*` read as a star).
 */
function keyAsHashed(answer: unknown): unknown {
  if (answer === null || typeof answer !== 'object' || Array.isArray(answer)) return answer;
  const { compare: _, ...key } = answer as Record<string, unknown>;
  const answers = key.answers;
  const textAnswers =
    Object.keys(key).length === 1 &&
    Array.isArray(answers) &&
    answers.every((a: { text?: unknown }) => typeof a?.text === 'string');
  // The same rule the readers apply to a short answer's Moodle answers (text.ts).
  return (textAnswers && acceptedList(answers as { text: string; credit: number }[])) || key;
}

/**
 * An id the author wrote (Moodle's idnumber): used as it is, or lower-cased when that is all it
 * takes (with a note); otherwise a message with a suggestion.
 */
export function authorId(raw: string): { id: string; lowered: boolean } | { error: string } {
  if (QUESTION_ID_PATTERN.test(raw)) return { id: raw, lowered: false };
  if (QUESTION_ID_PATTERN.test(raw.toLowerCase())) return { id: raw.toLowerCase(), lowered: true };
  const suggestion = idFromTitle(raw);
  return {
    error: `"${raw}" is not an Assay question id: ids are 3-64 lower-case letters, digits and hyphens, starting with a letter or digit (e.g. "${suggestion}").`,
  };
}

/** A Moodle tag as an Assay tag (`Grant's Tomb` -> `grant-s-tomb`), or undefined if none is left. */
export function tagOf(raw: string): string | undefined {
  if (TAG_PATTERN.test(raw)) return raw;
  const slug = cut(slugOf(raw), 40);
  return slug === '' ? undefined : slug;
}
