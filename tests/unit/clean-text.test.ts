import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  cleanText,
  textProblem,
  visibleText,
  withoutUnclean,
} from '../../functions/domain/text.ts';
import { csvField } from '../../functions/http/csv.ts';
// The project's zod messages (English locale), as every schema module gets them.
import '../../functions/domain/z.ts';

const parse = (kind: 'line' | 'long' | 'name', s: string) => cleanText(kind).safeParse(s);

describe('clean text', () => {
  it('stores text NFC-normalised: a decomposed é becomes one code point', () => {
    const decomposed = 'Caf\u0065\u0301';
    const r = parse('name', decomposed);
    expect(r.success && r.data).toBe('Caf\u00e9');
  });

  it('refuses a lone surrogate, naming the character and where it is', () => {
    expect(textProblem('ab\ud800c', 'long')).toBe(
      "Contains a lone surrogate (U+D800) at character 3: this is not valid Unicode text (is the file's encoding UTF-8?).",
    );
    expect(textProblem('a\udc00', 'line')).toMatch(/lone surrogate \(U\+DC00\) at character 2/);
  });

  it('keeps a surrogate pair (an emoji) as one character', () => {
    expect(textProblem('ok 👍 ok', 'name')).toBeUndefined();
  });

  it('refuses NUL and the C0 and C1 control characters everywhere', () => {
    for (const kind of ['line', 'long', 'name'] as const) {
      expect(textProblem('a\u0000b', kind)).toMatch(/NUL character \(U\+0000\) at character 2/);
      expect(textProblem('bell\u0007', kind)).toMatch(/control character U\+0007/);
      expect(textProblem('esc\u001b[31m', kind)).toMatch(/U\+001B/);
      expect(textProblem('del\u007f', kind)).toMatch(/U\+007F/);
      expect(textProblem('c1\u0085', kind)).toMatch(/U\+0085/);
      expect(textProblem('c1\u009b', kind)).toMatch(/U\+009B/);
    }
  });

  it('finds a problem exactly when some character of the text is refused, for any text', () => {
    // The reference: every UTF-16 unit, a surrogate pair read as one character.
    const refused = (t: string, kind: 'line' | 'long' | 'name') => {
      for (let i = 0; i < t.length; i++) {
        const code = t.charCodeAt(i);
        const pair = code >= 0xd800 && code <= 0xdbff && /[\udc00-\udfff]/.test(t.charAt(i + 1));
        if (pair) {
          i++;
          continue;
        }
        if (code >= 0xd800 && code <= 0xdfff) return true;
        if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) {
          if (!(kind === 'long' && (code === 0x09 || code === 0x0a))) return true;
        }
        if (
          kind === 'name' &&
          ((code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069))
        )
          return true;
        if (kind !== 'long' && (code === 0x2028 || code === 0x2029)) return true;
      }
      return false;
    };
    const unit = fc.oneof(
      fc.string({ unit: 'binary' }),
      fc.constantFrom(
        '\t',
        '\n',
        '\r',
        '\u0000',
        '\u0085',
        '\u202e',
        '\u2066',
        '\u2028',
        '\u2029',
        '\ud83d',
        '\ude00',
        'é',
      ),
    );
    fc.assert(
      fc.property(
        fc.array(unit, { maxLength: 8 }),
        fc.constantFrom('line', 'long', 'name'),
        (parts, kind) => {
          const t = parts.join('');
          expect(textProblem(t, kind) !== undefined).toBe(refused(t, kind));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('allows tab and newline in long text only', () => {
    expect(textProblem('a\tb\nc', 'long')).toBeUndefined();
    expect(textProblem('a\nb', 'line')).toBe(
      'Contains a line break at character 2: this field is one line.',
    );
    expect(textProblem('a\tb', 'name')).toMatch(/tab at character 2/);
  });

  it('refuses the line and paragraph separators (U+2028, U+2029) in one-line text as a newline', () => {
    for (const kind of ['line', 'name'] as const) {
      expect(textProblem('Ada\u2028Lovelace', kind)).toBe(
        'Contains a line break at character 4: this field is one line.',
      );
      expect(textProblem('Ada\u2029', kind)).toBe(
        'Contains a line break at character 4: this field is one line.',
      );
      expect(parse(kind, 'Ada\u2028Lovelace').success).toBe(false);
    }
    // Prose may hold them, as it holds newlines: stored as sent.
    const r = parse('long', 'one\u2028two\u2029three');
    expect(r.success && r.data).toBe('one\u2028two\u2029three');
  });

  it('reads a Windows line ending in long text as a newline, and refuses a lone CR', () => {
    const r = parse('long', 'one\r\ntwo');
    expect(r.success && r.data).toBe('one\ntwo');
    expect(parse('long', 'one\rtwo').success).toBe(false);
  });

  it('refuses bidirectional overrides and isolates in names and titles, not in prose', () => {
    for (const code of [0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069]) {
      const s = `Invoice${String.fromCharCode(code)}fdp.exe`;
      expect(textProblem(s, 'name')).toMatch(/bidirectional control U\+20/);
      expect(textProblem(s, 'long')).toBeUndefined();
    }
    // The marks that only hint direction (LRM, RLM) are not overrides.
    expect(textProblem('שלום\u200f!', 'name')).toBeUndefined();
  });

  it('counts the bounds on the normalised text and reports every problem of the field', () => {
    const r = cleanText('name', { min: 1, max: 3 }).safeParse('\u0007long');
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.message)).toEqual([
      'Contains the control character U+0007 at character 1: remove it.',
      'Must be 1 to 3 characters.',
    ]);
  });

  it('keeps whatever a person can type: any clean text passes unchanged but for NFC', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (raw) => {
        const clean = withoutUnclean(raw, 'long');
        expect(textProblem(clean, 'long')).toBeUndefined();
        expect(parse('long', clean)).toEqual({ success: true, data: clean });
      }),
      { numRuns: 200 },
    );
  }, 30_000);
});

describe('text written to a file', () => {
  it('makes what the rules refuse visible instead of writing it raw', () => {
    expect(visibleText('A\u0007B\u202eC\ud800')).toBe('A<U+0007>B<U+202E>C<U+D800>');
  });

  it('writes CSV cells without raw control characters, keeping quoted line breaks', () => {
    expect(csvField('Ada\u0000 Lovelace\u001b[2J')).toBe('Ada<U+0000> Lovelace<U+001B>[2J');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('\u202egnp.exe')).toBe('<U+202E>gnp.exe');
  });

  it('neutralises cells a spreadsheet would run as a formula', () => {
    for (const s of ['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx']) {
      expect(csvField(s).replace(/^"/, '').startsWith("'")).toBe(true);
    }
    expect(csvField('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvField(-1)).toBe('-1');
  });

  it('neutralises a formula after leading spaces, and quotes a cell a ";" list separator would split', () => {
    // An import that trims spaces, or a spreadsheet that splits on ";", would otherwise run these.
    expect(csvField('  =3+3')).toBe("'  =3+3");
    expect(csvField('\u00a0=3+3')).toBe("'\u00a0=3+3");
    expect(csvField('Evil;=1+1')).toBe('"Evil;=1+1"');
    expect(csvField(' =2+2;x')).toBe(`"' =2+2;x"`);
  });
});
