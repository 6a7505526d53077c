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
