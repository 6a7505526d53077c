/**
 * How much text one upload may hold, on its own so that the HTTP layer (every function's bundle)
 * can check it without loading the parsers.
 */

/** The most text (UTF-8 bytes, decompressed) one upload or part of an import may hold: 32 MiB. */
export const MAX_UPLOAD_TEXT_BYTES = 32 * 1024 * 1024;
