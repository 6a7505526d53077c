/**
 * A mailbox as a header writes it: `"Display Name" <address>`. SES's simple content takes the
 * From and To lines as such strings and, lacking SMTPUTF8, accepts only 7-bit ASCII in them: a
 * display name with any other character must be MIME encoded words (RFC 2047), or SES refuses
 * the message ("Illegal address"), which for an organisation called "Müller GmbH" or a
 * candidate called "Иван Петров" would fail every invitation. nodemailer's composer does the
 * same encoding on the SMTP path from `{ name, address }`; this is the SES path's, a few lines
 * because the one library that has it (nodemailer's `mime-funcs`) lives in the SMTP side entry.
 */

/** At most this many characters of a display name are kept (names are shown, not parsed). */
export const MAX_DISPLAY_NAME = 120;

/** A display name as it goes into a header: no line breaks, runs of space one space, trimmed. */
export function displayName(name: string): string {
  return [...name.replace(/\s+/g, ' ').trim()].slice(0, MAX_DISPLAY_NAME).join('');
}

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
/** UTF-8 bytes per encoded word: base64 of 45 bytes is 60 characters, 72 with `=?UTF-8?B?...?=`. */
const WORD_BYTES = 45;

/**
 * `name` as RFC 2047 "B" encoded words, each under the 75 characters the RFC allows, split
 * between characters (a word is decoded on its own, so none may end inside a character).
 */
export function encodedWords(name: string): string {
  const words: string[] = [];
  let chunk = '';
  for (const ch of name) {
    if (Buffer.byteLength(chunk + ch) > WORD_BYTES) {
      words.push(chunk);
      chunk = '';
    }
    chunk += ch;
  }
  if (chunk) words.push(chunk);
  return words.map((w) => `=?UTF-8?B?${Buffer.from(w).toString('base64')}?=`).join(' ');
}

/**
 * `"Name" <address>` in 7-bit ASCII: a printable ASCII name quoted (quotes and backslashes
 * escaped), any other name as encoded words; the bare address when the name is empty.
 */
export function mailboxHeader(name: string | undefined, address: string): string {
  const clean = displayName(name ?? '');
  if (!clean) return address;
  const phrase = PRINTABLE_ASCII.test(clean)
    ? `"${clean.replace(/(["\\])/g, '\\$1')}"`
    : encodedWords(clean);
  return `${phrase} <${address}>`;
}
