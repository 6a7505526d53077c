import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fingerprint, fingerprintInJs } from '../../functions/domain/fingerprint.ts';
import { shuffle } from '../../functions/domain/shuffle.ts';

describe('fingerprints', () => {
  it('are FNV-1a 64 of the UTF-8 text (the published test vectors)', () => {
    expect(fingerprint('')).toBe('cbf29ce484222325');
    expect(fingerprint('a')).toBe('af63dc4c8601ec8c');
    expect(fingerprint('foobar')).toBe('85944171f73967e8');
    expect(fingerprint('é')).not.toBe(fingerprint('e'));
  });

  it('equal FNV-1a 64 computed in BigInt for any text, natively and in JavaScript', () => {
    const reference = (text: string) => {
      let h = 0xcbf29ce484222325n;
      for (const byte of new TextEncoder().encode(text)) {
        h = ((h ^ BigInt(byte)) * 0x100000001b3n) & 0xffffffffffffffffn;
      }
      return h.toString(16).padStart(16, '0');
    };
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => {
        expect(fingerprint(text)).toBe(reference(text));
        expect(fingerprintInJs(text)).toBe(reference(text));
      }),
      { numRuns: 500 },
    );
    // Longer than the WebAssembly memory's first page (64 KiB) once encoded: it grows, and a
    // short text after a long one hashes only its own bytes.
    const long = 'é'.repeat(40_000) + '\u{1F600}\ud800';
    expect(fingerprint(long)).toBe(reference(long));
    expect(fingerprint('a')).toBe('af63dc4c8601ec8c');
  });
});

describe('shuffles', () => {
  it('keep every item once, in an order the numbers decide', () => {
    const items = ['a', 'b', 'c', 'd', 'e'];
    expect(shuffle(items, () => 0)).toEqual(['b', 'c', 'd', 'e', 'a']);
    expect(shuffle(items, () => 0.999).sort()).toEqual(items);
    expect(items).toEqual(['a', 'b', 'c', 'd', 'e']);
  });
});
