import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { textProblem } from '../../../functions/domain/text.ts';
import { typedText } from '../../../web/candidate/typed-text.ts';

/** Any UTF-16 string: control characters, lone surrogates and pairs included. */
const anyUnits = fc
  .array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 40 })
  .map((codes) => String.fromCharCode(...codes));

describe('a typed answer as the candidate app sends it', () => {
  it('takes out what the server refuses in a text answer and the candidate cannot see: a pasted NUL, an escape, half a character', () => {
    expect(typedText('auth\u0000orization')).toBe('authorization');
    expect(typedText('\u001b[31mred\u0007')).toBe('[31mred');
    expect(typedText('a\u0085b\u007f')).toBe('ab');
    expect(typedText('x\ud800y\udc00')).toBe('xy');
    fc.assert(
      fc.property(anyUnits, (s) => {
        expect(textProblem(typedText(s).normalize('NFC'), 'long')).toBeUndefined();
      }),
    );
  });

  it('keeps everything else as typed: letters of any script, emoji, a tab', () => {
    for (const s of [
      'authorization',
      'Авторизация',
      '認可',
      'ok 👍🏽',
      'a\tb',
      '\u202eabc',
      '12 000,5',
    ])
      expect(typedText(s)).toBe(s);
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (s) => {
        fc.pre(textProblem(s, 'long') === undefined && !s.includes('\n'));
        expect(typedText(s)).toBe(s);
      }),
    );
  });
});
