import { describe, expect, it } from 'vitest';
import { formatCountdown, ServerClock, warningDue } from '../../../web/candidate/clock.ts';

describe('the countdown', () => {
  it('shows m:ss under an hour and h:mm:ss from an hour, rounding up to whole seconds', () => {
    expect(formatCountdown(20 * 60_000)).toBe('20:00');
    expect(formatCountdown(59_001)).toBe('1:00');
    expect(formatCountdown(59_000)).toBe('0:59');
    expect(formatCountdown(1)).toBe('0:01');
    expect(formatCountdown(0)).toBe('0:00');
    expect(formatCountdown(-5000)).toBe('0:00');
    expect(formatCountdown(90 * 60_000)).toBe('1:30:00');
  });

  it('warns once at 5 and at 1 minute left, and not for a threshold the attempt started under', () => {
    const hour = 3_600_000;
    expect(warningDue(5 * 60_000 + 1, new Set(), hour)).toBeUndefined();
    expect(warningDue(5 * 60_000, new Set(), hour)).toBe(5);
    expect(warningDue(4 * 60_000, new Set([5]), hour)).toBeUndefined();
    expect(warningDue(60_000, new Set([5]), hour)).toBe(1);
    expect(warningDue(30_000, new Set([5, 1]), hour)).toBeUndefined();
    expect(warningDue(60_000, new Set(), hour)).toBe(1);
    expect(warningDue(4 * 60_000, new Set(), 4.5 * 60_000)).toBeUndefined();
    expect(warningDue(0, new Set(), hour)).toBeUndefined();
  });

  it("follows the server's clock, however wrong the browser's is", () => {
    const clock = new ServerClock();
    const local = Date.now();

    clock.sync(new Date(local - 3_600_000).toISOString(), local - 100, local + 100);

    expect(Math.abs(clock.now() - (Date.now() - 3_600_000))).toBeLessThan(50);
  });

  it("knows its offset cannot be trusted once the computer's clock is set during the attempt", () => {
    let wall = 1_000_000;
    let mono = 5_000;
    const clock = new ServerClock(
      () => wall,
      () => mono,
    );
    clock.sync(new Date(wall + 60_000).toISOString(), wall, wall);
    wall += 1000;
    mono += 1000;
    const steady = clock.jumped();

    wall -= 2 * 3_600_000;
    const setBack = clock.jumped();
    clock.sync(new Date(wall + 60_000).toISOString(), wall, wall);
    const synced = clock.jumped();

    expect(steady).toBe(false);
    expect(setBack).toBe(true);
    expect(synced).toBe(false);
    expect(clock.now()).toBe(wall + 60_000);
  });

  it('knows it cannot be trusted after the computer slept (its monotonic clock stood still)', () => {
    let wall = 1_000_000;
    const clock = new ServerClock(
      () => wall,
      () => 5_000,
    );
    const before = clock.jumped();
    clock.sync(new Date(wall).toISOString(), wall, wall);

    wall += 10 * 60_000;

    expect(before).toBe(false);
    expect(clock.jumped()).toBe(true);
  });
});
