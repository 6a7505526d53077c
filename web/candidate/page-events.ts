/**
 * Integrity evidence, disclosed on the intro screen: when the page is hidden or shown again,
 * and when text is pasted into an answer (its length, never its content). Events are sent in
 * small batches; each carries its age in milliseconds, and the server times it by its own clock.
 */
import type { ApiResponse } from '../shared/api.ts';

export type PageEventType = 'hidden' | 'visible' | 'paste';

interface Pending {
  type: PageEventType;
  /** performance.now() when it happened. */
  t: number;
  questionId?: string;
  chars?: number;
}

export interface PageEventDeps {
  send(events: unknown[], keepalive: boolean): Promise<ApiResponse>;
  currentQuestion(): string | undefined;
}

/** Events per request, as the server accepts them. */
const BATCH = 20;
/** Events kept while the server cannot be reached. */
const MAX_BUFFERED = 200;
/** Wait this long after an event for others to join its batch. */
const GATHER_MS = 3000;

export class PageEventRecorder {
  private buffer: Pending[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private sending: Promise<void> = Promise.resolve();
  private stopped = false;
  private readonly onVisibility = () => {
    this.record(document.visibilityState === 'hidden' ? 'hidden' : 'visible');
    // Hidden may mean closing: send now, in a request that outlives the page.
    if (document.visibilityState === 'hidden') void this.flush(true);
  };
  private readonly onPaste = (e: ClipboardEvent) => {
    const target = e.target as Element | null;
    if (!target?.closest?.('[data-answer]')) return;
    this.record('paste', { chars: e.clipboardData?.getData('text').length ?? 0 });
  };

  constructor(private readonly deps: PageEventDeps) {}

  start(): void {
    document.addEventListener('visibilitychange', this.onVisibility);
    document.addEventListener('paste', this.onPaste, true);
  }

  /** Stop recording; what was recorded is sent first when `flushFirst`. */
  async stop(flushFirst: boolean): Promise<void> {
    document.removeEventListener('visibilitychange', this.onVisibility);
    document.removeEventListener('paste', this.onPaste, true);
    if (flushFirst) await this.flush(false);
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private record(type: PageEventType, extra: { chars?: number } = {}) {
    if (this.stopped || this.buffer.length >= MAX_BUFFERED) return;
    const questionId = this.deps.currentQuestion();
    this.buffer.push({
      type,
      t: performance.now(),
      ...(questionId ? { questionId } : {}),
      ...extra,
    });
    this.timer ??= setTimeout(() => void this.flush(false), GATHER_MS);
  }

  /** Send what was recorded; a flush during another waits for it, so none is left behind. */
  flush(keepalive: boolean): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.sending = this.sending.then(() => this.sendAll(keepalive));
    return this.sending;
  }

  private async sendAll(keepalive: boolean): Promise<void> {
    while (this.buffer.length && !this.stopped) {
      const batch = this.buffer.slice(0, BATCH);
      const now = performance.now();
      const res = await this.deps.send(
        batch.map(({ t, ...e }) => ({ ...e, ageMs: Math.min(3_600_000, Math.round(now - t)) })),
        keepalive,
      );
      // Network or server trouble: keep them for the next try; anything else drops them.
      if (res.status === 0 || res.status >= 500 || res.status === 429) {
        this.timer ??= setTimeout(() => void this.flush(false), 10_000);
        return;
      }
      this.buffer.splice(0, batch.length);
    }
  }
}
