import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { displayName, MAX_DISPLAY_NAME, mailboxHeader } from '../../functions/domain/mailbox.ts';

/** RFC 2047's decoding of a phrase of "B" encoded words (what a mail reader shows). */
function decodePhrase(phrase: string): string {
  const words = phrase.split(' ');
  const texts = words.map((w) => {
    const m = /^=\?UTF-8\?B\?([A-Za-z0-9+/=]*)\?=$/.exec(w);
    if (!m) throw new Error(`not an encoded word: ${w}`);
    // Each word must decode on its own: no character split between two words.
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(m[1]!, 'base64'));
  });
  return texts.join('');
}

describe('mailboxHeader', () => {
  it('quotes a printable ASCII name, escaping quotes and backslashes', () => {
    expect(mailboxHeader('Acme "Robotics" Ltd', 'a@b.test')).toBe(
      '"Acme \\"Robotics\\" Ltd" <a@b.test>',
    );
    expect(mailboxHeader('C:\\dev', 'a@b.test')).toBe('"C:\\\\dev" <a@b.test>');
  });

  it('writes any other name as UTF-8 encoded words (SES takes 7-bit ASCII only)', () => {
    expect(mailboxHeader('Müller GmbH', 'a@b.test')).toBe(
      '=?UTF-8?B?TcO8bGxlciBHbWJI?= <a@b.test>',
    );
    expect(mailboxHeader('Иван Петров', 'ivan@b.test')).toBe(
      `=?UTF-8?B?${Buffer.from('Иван Петров').toString('base64')}?= <ivan@b.test>`,
    );
  });

  it('is the bare address without a name, and folds line breaks', () => {
    expect(mailboxHeader(undefined, 'a@b.test')).toBe('a@b.test');
    expect(mailboxHeader('  \n ', 'a@b.test')).toBe('a@b.test');
    expect(mailboxHeader('Ada\r\nBcc: x@evil.test', 'a@b.test')).toBe(
      '"Ada Bcc: x@evil.test" <a@b.test>',
    );
  });

  it('is 7-bit ASCII on one line, in words of at most 75 characters, that decode to the name', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (name) => {
        const header = mailboxHeader(name, 'x@y.test');
        expect(header).toMatch(/^[\x20-\x7e]+$/);
        const shown = displayName(name);
        expect([...shown].length).toBeLessThanOrEqual(MAX_DISPLAY_NAME);
        if (!shown) {
          expect(header).toBe('x@y.test');
          return;
        }
        const phrase = header.slice(0, -' <x@y.test>'.length);
        if (phrase.startsWith('"')) {
          expect(phrase.slice(1, -1).replace(/\\(.)/g, '$1')).toBe(shown);
        } else {
          for (const w of phrase.split(' ')) expect(w.length).toBeLessThanOrEqual(75);
          expect(decodePhrase(phrase)).toBe(shown);
        }
      }),
      { numRuns: 500 },
    );
  });
});
