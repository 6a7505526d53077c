import { describe, expect, it } from 'vitest';
import { preferredMediaType } from '../../functions/http/accept.ts';

const OFFERED = ['application/json', 'text/csv'] as const;
const pick = (accept: string | undefined) => preferredMediaType(accept, OFFERED);

describe('choosing a media type from the Accept header', () => {
  it('gives the default when there is no header, or an empty one', () => {
    expect(pick(undefined)).toBe('application/json');
    expect(pick('  ')).toBe('application/json');
  });

  it('gives the type the header names', () => {
    expect(pick('text/csv')).toBe('text/csv');
    expect(pick('application/json')).toBe('application/json');
    expect(pick('TEXT/CSV; charset=utf-8')).toBe('text/csv');
  });

  it('prefers the higher q-value, whatever the order', () => {
    expect(pick('text/csv;q=0.5, application/json')).toBe('application/json');
    expect(pick('application/json;q=0.5, text/csv')).toBe('text/csv');
    expect(pick('application/json; q=0.9, text/csv; q=0.91')).toBe('text/csv');
  });

  it('takes the most specific range that matches a type, not the first', () => {
    expect(pick('text/*;q=0.9, text/csv;q=0.1, application/json;q=0.5')).toBe('application/json');
    expect(pick('*/*;q=0.1, text/*')).toBe('text/csv');
  });

  it('on a tie, gives the type a more specific range named, then the default', () => {
    expect(pick('text/csv, */*')).toBe('text/csv');
    expect(pick('*/*, text/*')).toBe('text/csv');
    expect(pick('*/*')).toBe('application/json');
    expect(pick('text/csv, application/json')).toBe('application/json');
  });

  it('gives the default when every offered type is refused or unnamed', () => {
    expect(pick('text/csv;q=0')).toBe('application/json');
    expect(pick('text/html')).toBe('application/json');
    expect(pick('text/csv;q=abc')).toBe('application/json');
    expect(pick(',,;q=1, /')).toBe('application/json');
  });
});
