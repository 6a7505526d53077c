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
  /** Send one batch under its id; a retry sends the same batch with the same id. */
  send(batchId: string, events: unknown[], keepalive: boolean): Promise<ApiResponse>;
  currentQuestion(): string | undefined;
}

/** Events per request, as the server accepts them. */
const BATCH = 20;
/** Events kept while the server cannot be reached. */
const MAX_BUFFERED = 200;
/** Wait this long after an event for others to join its batch. */
const GATHER_MS = 3000;

/** A random batch id: 32 hex digits. */
function batchId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export class PageEventRecorder {
  private buffer: Pending[] = [];
  /** The batch sent and not yet answered, kept whole for its retries. */
  private unsent: { id: string; events: Pending[] } | undefined;
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
    while ((this.unsent || this.buffer.length) && !this.stopped) {
      // A batch is fixed when first sent, with an id of its own: a retry sends the same events
      // under the same id, so a batch whose answer was lost is stored once (the server ignores
      // an id it has).
      this.unsent ??= { id: batchId(), events: this.buffer.splice(0, BATCH) };
      const batch = this.unsent;
      const now = performance.now();
      const res = await this.deps.send(
        batch.id,
        batch.events.map(({ t, ...e }) => ({
          ...e,
          ageMs: Math.min(3_600_000, Math.round(now - t)),
        })),
        keepalive,
      );
      // Network or server trouble: keep it for the next try; anything else drops it.
      if (res.status === 0 || res.status >= 500 || res.status === 429) {
        this.timer ??= setTimeout(() => void this.flush(false), 10_000);
        return;
      }
      this.unsent = undefined;
    }
  }
}
