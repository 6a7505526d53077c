import { decodeTime, isValid } from 'ulid';
import { describe, expect, it } from 'vitest';
import { newUlid } from '../../functions/domain/ids.ts';

describe('new ULIDs', () => {
  it('are valid ULIDs whose time part is the given time', () => {
    const id = newUlid(1_764_470_000_123);
    expect(isValid(id)).toBe(true);
    expect(decodeTime(id)).toBe(1_764_470_000_123);
  });

  it('take the current time when none is given', () => {
    const before = Date.now();
    const t = decodeTime(newUlid());
    expect(t).toBeGreaterThanOrEqual(before);
    expect(t).toBeLessThanOrEqual(Date.now());
  });

  it('differ in their random part across many draws at the same time', () => {
    const ids = Array.from({ length: 2000 }, () => newUlid(1_764_470_000_000));
    expect(new Set(ids).size).toBe(ids.length);
    // Every one of the 32 characters of the alphabet turns up in the random parts.
    expect(new Set(ids.flatMap((id) => [...id.slice(10)])).size).toBe(32);
  });
});
