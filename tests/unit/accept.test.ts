import { describe, expect, it } from 'vitest';
import { preferredMediaType } from '../../functions/http/accept.ts';

const OFFERED = ['application/json', 'text/csv'] as const;

/** Accept header -> the media type chosen of JSON (the default) and CSV. */
const CASES: [string, string | undefined, (typeof OFFERED)[number]][] = [
  ['no header gets the default', undefined, 'application/json'],
  ['an empty header gets the default', '  ', 'application/json'],
  ['the type the header names', 'text/csv', 'text/csv'],
  [
    'the type the header names, in any case, with parameters',
    'TEXT/CSV; charset=utf-8',
    'text/csv',
  ],
  ['the higher q-value, named later', 'text/csv;q=0.5, application/json', 'application/json'],
  ['the higher q-value, named first', 'application/json;q=0.5, text/csv', 'text/csv'],
  ['the higher q-value by a little', 'application/json; q=0.9, text/csv; q=0.91', 'text/csv'],
  [
    'the most specific matching range, not the first',
    'text/*;q=0.9, text/csv;q=0.1, application/json;q=0.5',
    'application/json',
  ],
  ['a type range over the full wildcard', '*/*;q=0.1, text/*', 'text/csv'],
  ['on a tie, the type a more specific range named', 'text/csv, */*', 'text/csv'],
  ['the full wildcard alone gets the default', '*/*', 'application/json'],
  ['on a tie of named types, the default', 'text/csv, application/json', 'application/json'],
  ['a refused type (q=0) gets the default', 'text/csv;q=0', 'application/json'],
  ['a header naming neither gets the default', 'text/html', 'application/json'],
  ['a q-value that is no number refuses its type', 'text/csv;q=abc', 'application/json'],
  ['ranges that are no media ranges are ignored', ',,;q=1, /', 'application/json'],
];

describe('choosing a media type from the Accept header', () => {
  it.each(CASES)('%s', (_what, accept, expected) => {
    expect(preferredMediaType(accept, OFFERED)).toBe(expected);
  });
});
