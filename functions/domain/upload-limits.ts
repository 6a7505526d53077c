/**
 * How much text one upload may hold, on its own so that the HTTP layer (every function's bundle)
 * can check it without loading the parsers.
 */

/** The most text (UTF-8 bytes, decompressed) one upload or part of an import may hold: 32 MiB. */
export const MAX_UPLOAD_TEXT_BYTES = 32 * 1024 * 1024;

/**
 * The most characters one question of a GIFT file, or one HTML text of a Moodle file, may hold:
 * 512 KiB. Read a character at a time with its position, a 4 MB GIFT question took 0.8-1.8 GB of
 * memory (the authoring function has 1.5 GB, the import job 2 GB), and a question Assay keeps is
 * far smaller (a prompt of at most 4,000 characters, ten options of 1,000).
 */
export const MAX_MOODLE_TEXT_CHARS = 512 * 1024;

/** A length for messages: 1536000 -> "1,500 KB". */
export const kilobytes = (chars: number) => `${Math.ceil(chars / 1024).toLocaleString('en')} KB`;

/**
 * How many things one upload may make a parser build, each far above what a real bank needs and
 * far below what exhausts the import job (2 GB): counted as the text is read, and refused at the
 * first one past the limit, with where in the file that is (YAML's 1,000,000 nodes are
 * `PARSE_LIMITS.yamlNodes` in bank.ts, kept out of this module's import there to keep the
 * authoring bundle under its size limit; `docs/hostile-input.md` has the
 * figures). The text limit alone does not bound them: 32 MiB of `[a,a,a,...` is 16 million YAML
 * nodes, of `<a/><a/>...` 8 million XML elements, of `a{}` and a blank line 6.7 million GIFT
 * questions.
 */
export const UPLOAD_COUNT_LIMITS = {
  /** Moodle XML elements and attributes: a Moodle question has about 15-40. */
  xmlElements: 1_000_000,
  /** GIFT questions: as many as one bank may hold. */
  giftQuestions: 100_000,
  /** GIFT paragraphs (runs of lines between blank lines: questions, comments, categories). */
  giftParagraphs: 200_000,
} as const;

/** 1000000 -> "1,000,000". */
export const count = (n: number) => n.toLocaleString('en');

/** The line and column (from 1) of `offset` in `text`, reading only as far as it. */
export function positionAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, column: offset - start + 1 };
}
