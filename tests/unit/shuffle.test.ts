import { describe, expect, it } from 'vitest';
import { fingerprint, shuffle } from '../../functions/domain/shuffle.ts';

describe('fingerprints', () => {
  it('are FNV-1a 64 of the UTF-8 text (the published test vectors)', () => {
    expect(fingerprint('')).toBe('cbf29ce484222325');
    expect(fingerprint('a')).toBe('af63dc4c8601ec8c');
    expect(fingerprint('foobar')).toBe('85944171f73967e8');
    expect(fingerprint('é')).not.toBe(fingerprint('e'));
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
