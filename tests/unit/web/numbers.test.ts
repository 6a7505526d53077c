import { describe, expect, it } from 'vitest';
import { readNumber } from '../../../web/candidate/numbers.ts';

describe('reading the number a candidate typed', () => {
  it('reads digits with a point or a comma for decimals', () => {
    expect(readNumber('42')).toEqual({ value: 42 });
    expect(readNumber('3.5')).toEqual({ value: 3.5 });
    expect(readNumber('3,5')).toEqual({ value: 3.5 });
    expect(readNumber('-0,25')).toEqual({ value: -0.25 });
    expect(readNumber('.5')).toEqual({ value: 0.5 });
    expect(readNumber('1e3')).toEqual({ value: 1000 });
  });

  it('reads thousands separators when nothing else could be meant', () => {
    expect(readNumber('1,000,000')).toEqual({ value: 1_000_000 });
    expect(readNumber('1,800.5')).toEqual({ value: 1800.5 });
    expect(readNumber('12 000')).toEqual({ value: 12_000 });
    expect(readNumber('1\u00a0234\u202f567')).toEqual({ value: 1_234_567 });
  });

  it('refuses "1,000" as ambiguous (one thousand, or one with three decimals) instead of saving 1', () => {
    expect(readNumber('1,000')).toEqual({ error: 'ambiguous' });
    expect(readNumber('1,800')).toEqual({ error: 'ambiguous' });
    expect(readNumber('-12,345')).toEqual({ error: 'ambiguous' });
  });

  it('reads a decimal comma after a leading zero, which no thousands group starts with', () => {
    expect(readNumber('0,125')).toEqual({ value: 0.125 });
    expect(readNumber('-0,750')).toEqual({ value: -0.75 });
  });

  it('refuses what is not a number', () => {
    expect(readNumber('abc')).toEqual({ error: 'invalid' });
    expect(readNumber('1,2,3')).toEqual({ error: 'invalid' });
    expect(readNumber('1.000.000,5')).toEqual({ error: 'invalid' });
    expect(readNumber('1e999')).toEqual({ error: 'invalid' });
    expect(readNumber('12 34')).toEqual({ error: 'invalid' });
  });
});
