/**
 * The server's clock as seen from the page: the offset between the server's `serverTime` and
 * this browser's clock, so a browser clock that is wrong changes nothing. Pure helpers for the
 * countdown and its warnings.
 */

export class ServerClock {
  private offsetMs = 0;
  /** `wall() - mono()` when the offset was learnt; it moves when the computer's clock is set. */
  private baseMs: number | undefined;

  /**
   * @param wall this browser's clock (it can be set, and jumps)
   * @param mono a clock that only moves forward (`performance.now()`)
   */
  constructor(
    private readonly wall: () => number = () => Date.now(),
    private readonly mono: () => number = () => performance.now(),
  ) {}

  /** Learn the offset from a response's `serverTime`, taking the request's midpoint. */
  sync(serverTime: string, sentAt: number, receivedAt: number): void {
    const server = Date.parse(serverTime);
    if (!Number.isFinite(server)) return;
    this.offsetMs = server - (sentAt + receivedAt) / 2;
    this.baseMs = this.wall() - this.mono();
  }

  now(): number {
    return this.wall() + this.offsetMs;
  }

  /**
   * The computer's clock was set (or the computer slept) since the offset was learnt, by more
   * than `toleranceMs`: `now()` cannot be trusted until the next `sync`. Neither clock alone is
   * right in both cases (a monotonic clock stops while the computer sleeps), so the page asks
   * the server again.
   */
  jumped(toleranceMs = 2000): boolean {
    if (this.baseMs === undefined) return false;
    return Math.abs(this.wall() - this.mono() - this.baseMs) > toleranceMs;
  }
}

/** `m:ss` below an hour, `h:mm:ss` from an hour; whole seconds rounded up (0:00 only at zero). */
export function formatCountdown(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** The warnings, in minutes left, announced once each. */
export const WARNINGS = [5, 1] as const;
export type Warning = (typeof WARNINGS)[number];

/**
 * The warning due at `msLeft` that has not been given yet: the smallest threshold at or
 * above the time left. A page opened with 3 minutes left announces nothing until 1 minute.
 */
export function warningDue(
  msLeft: number,
  given: ReadonlySet<Warning>,
  startedWithMs: number,
): Warning | undefined {
  if (msLeft <= 0) return undefined;
  const due = [...WARNINGS]
    .filter((w) => msLeft <= w * 60_000 && startedWithMs > w * 60_000)
    .sort((a, b) => a - b)[0];
  return due !== undefined && !given.has(due) ? due : undefined;
}
