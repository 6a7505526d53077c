/**
 * What a typed answer holds once the characters no one can see are taken out: C0 and C1
 * control characters (a NUL, an escape, a bell: they come with a paste, never from a key) and
 * lone surrogates (half a character). The server refuses an answer holding one with a message
 * about a character the candidate cannot find in the field ("Contains a NUL character at
 * character 5"); a tab, which it takes in a text answer, stays.
 * `tests/unit/web/typed-text.test.ts` checks it against the server's own rule (`textProblem`).
 */
const INVISIBLE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is its purpose
  /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

export const typedText = (s: string): string => s.replace(INVISIBLE, '');
