/**
 * Saved means saved: every answer the candidate gives goes through this queue, which shows it
 * as pending until the server's 200, sends answers one at a time in the order they were given
 * (a newer answer to a question still waiting replaces the waiting one), retries failures with
 * a growing back-off, waits while the browser is offline, and stops for good when the server
 * says the attempt continues elsewhere (401) or has ended (409). With answer revisions
 * (`If-Match`), an answer changed in another window is not overwritten: the saved one is shown.
 * An adaptive item's answer is final: a 409 `adaptive-item-closed` settles it with the answer
 * the server keeps.
 * What waits is reported on every change (`onQueue`, `unsent()`) so that the page can keep it
 * across a reload, and taken over by the next page (`adopt`), each answer sent against the
 * revision it was chosen over. Once the attempt ends the page closes the queue
 * (`stop('closed')`): nothing more is sent.
 * No DOM here: the page renders what `onState` reports.
 */

/** A saved answer: an option id, a number, a text, ids (multi, order), or matches (`null`: none). */
export type Answer = string | number | string[] | (string | null)[];

export interface SavedAnswer {
  value: Answer;
  savedAt?: string;
  revision?: number;
}

export type SaveState =
  | { kind: 'pending' }
  | { kind: 'saved'; savedAt: string }
  | { kind: 'retrying' }
  | { kind: 'offline' }
  | { kind: 'rejected'; detail: string }
  | { kind: 'replaced'; saved: SavedAnswer };

/** `closed`: the page ended the attempt itself (the final screen); no one is told. */
export type StopReason = 'elsewhere' | 'time-is-up' | 'already-submitted' | 'closed';

/**
 * An answer chosen and not yet saved, as the page keeps it across a reload (`unsent()`,
 * `adopt()`): `ifMatch` is the revision the answer was chosen over, so that sending it later
 * does not overwrite an answer saved since in another window (412: theirs is kept).
 */
export interface UnsentAnswer {
  questionId: string;
  value: Answer;
  ifMatch?: number;
}

/** An answer as the queue keeps it: `ifMatch` only when there is a revision to match. */
const unsentAnswer = (questionId: string, value: Answer, ifMatch: number | undefined) => ({
  questionId,
  value,
  ...(ifMatch !== undefined ? { ifMatch } : {}),
});

export interface SendResult {
  /** 0: the request never reached the server. */
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: a JSON body read field by field
  body?: any;
  retryAfterMs?: number;
}

export interface SaverDeps {
  send(questionId: string, value: Answer, ifMatch: number | undefined): Promise<SendResult>;
  isOnline(): boolean;
  wait(ms: number): Promise<void>;
  onState(questionId: string, state: SaveState): void;
  onStop(reason: StopReason): void;
  /**
   * Every response that settled an answer (a 200, or an adaptive item's 409 with the answer it
   * keeps): in an adaptive section it carries the next item.
   */
  onSettled?(questionId: string, res: SendResult): void;
  /** The answers waiting changed (queued, saved, dropped): `unsent()` is what waits now. */
  onQueue?(): void;
}

/** Back-off between tries of one answer: 1, 2, 4, 8, 15, then every 30 s. */
export const BACKOFF_MS = [1000, 2000, 4000, 8000, 15000, 30000] as const;

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export class Saver {
  /** What the server confirmed, per question. */
  readonly saved = new Map<string, SavedAnswer>();
  private queue: UnsentAnswer[] = [];
  private running = false;
  /** Held: nothing more is sent until `hold(false)` (a submit is on its way). */
  private held = false;
  private stopped: StopReason | undefined;
  /** The questions whose answers were waiting when the queue stopped: never saved. */
  private droppedIds: string[] = [];
  /** A settled response, reported once its entry has left the queue. */
  private settled: { questionId: string; res: SendResult } | undefined;
  private idle: (() => void)[] = [];

  /**
   * @param useRevisions the server returns answer revisions: send `If-Match` with the last
   *   revision seen (0 for a question never answered), so another window's answer is not lost.
   */
  constructor(
    private readonly deps: SaverDeps,
    initial: Readonly<Record<string, SavedAnswer>> = {},
    private readonly useRevisions = false,
  ) {
    for (const [q, a] of Object.entries(initial)) this.saved.set(q, a);
  }

  /** The answer to show: the one waiting to be saved, else the saved one. */
  current(questionId: string): Answer | undefined {
    const waiting = this.queue.findLast((e) => e.questionId === questionId);
    return waiting ? waiting.value : this.saved.get(questionId)?.value;
  }

  isUnsaved(questionId: string): boolean {
    return this.queue.some((e) => e.questionId === questionId);
  }

  get unsavedCount(): number {
    return this.queue.length;
  }

  get stopReason(): StopReason | undefined {
    return this.stopped;
  }

  /** The questions whose answers still waited when the queue stopped (they were not saved). */
  get dropped(): readonly string[] {
    return this.droppedIds;
  }

  /** Not saved: still waiting, or dropped when the queue stopped. */
  isLost(questionId: string): boolean {
    return this.isUnsaved(questionId) || this.droppedIds.includes(questionId);
  }

  /** Queue an answer. Returns false once stopped (nothing is queued then). */
  save(questionId: string, value: Answer): boolean {
    if (this.stopped) return false;
    // The head may be on the wire: replace only an entry behind it, else queue a new one.
    const at = this.queue.findIndex(
      (e, i) => e.questionId === questionId && (i > 0 || !this.running),
    );
    // An answer kept from before a reload keeps the revision it was chosen over.
    const ifMatch = at >= 0 ? this.queue[at]!.ifMatch : undefined;
    const entry = unsentAnswer(questionId, value, ifMatch);
    if (at >= 0) this.queue[at] = entry;
    else this.queue.push(entry);
    this.changed();
    this.deps.onState(questionId, this.deps.isOnline() ? { kind: 'pending' } : { kind: 'offline' });
    void this.pump();
    return true;
  }

  /**
   * What waits, in order, each with the revision it must match (with revisions: the one given
   * to `adopt`, else the last this page saw, `0` for a question never answered).
   */
  unsent(): UnsentAnswer[] {
    return this.queue.map((e) => unsentAnswer(e.questionId, e.value, this.ifMatchOf(e)));
  }

  /**
   * An answer chosen and not yet queued (a typed one within its pause), as `unsent()` would keep
   * it: against the revision its question's waiting answer was chosen over, else the last seen.
   */
  kept(questionId: string, value: Answer): UnsentAnswer {
    const waiting = this.queue.findLast((e) => e.questionId === questionId);
    return unsentAnswer(questionId, value, this.ifMatchOf(waiting ?? { questionId, value }));
  }

  /**
   * Queue answers an earlier page chose and never saw saved (kept across a reload), each sent
   * with its own `ifMatch`: a 412 means someone saved later, and theirs is kept. Only the last
   * answer to each question is queued (it was the candidate's last choice). Returns how many.
   */
  adopt(entries: readonly UnsentAnswer[]): number {
    if (this.stopped) return 0;
    const last = new Map<string, UnsentAnswer>();
    for (const e of entries) {
      last.delete(e.questionId);
      last.set(e.questionId, e);
    }
    for (const e of last.values()) {
      this.queue = this.queue.filter(
        (q, i) => q.questionId !== e.questionId || (i === 0 && this.running),
      );
      this.queue.push(
        unsentAnswer(e.questionId, e.value, this.useRevisions ? e.ifMatch : undefined),
      );
      this.deps.onState(
        e.questionId,
        this.deps.isOnline() ? { kind: 'pending' } : { kind: 'offline' },
      );
    }
    if (last.size) {
      this.changed();
      void this.pump();
    }
    return last.size;
  }

  /** Hold (or let go) what waits: a request already on the wire still ends. */
  hold(on: boolean): void {
    this.held = on;
    if (!on) void this.pump();
  }

  /** The browser is back online: send what waits. */
  resume(): void {
    void this.pump();
  }

  /** Resolves when nothing waits any more (or after `timeoutMs`); true when all was sent. */
  async drain(timeoutMs: number): Promise<boolean> {
    if (this.queue.length === 0 || this.stopped) return this.queue.length === 0;
    void this.pump();
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      new Promise<void>((r) => this.idle.push(r)),
      new Promise<void>((r) => {
        timer = setTimeout(r, timeoutMs);
      }),
    ]);
    clearTimeout(timer);
    return this.queue.length === 0;
  }

  /** Stop: nothing more is sent, and what waited is dropped (it was never saved). */
  stop(reason: StopReason): void {
    if (this.stopped) return;
    this.stopped = reason;
    // Kept, so that the page can say how many were not saved (not only what still waits).
    this.droppedIds = [...new Set(this.queue.map((e) => e.questionId))];
    this.queue = [];
    this.changed();
    this.settle();
    if (reason !== 'closed') this.deps.onStop(reason);
  }

  private ifMatchOf(e: UnsentAnswer): number | undefined {
    if (!this.useRevisions) return undefined;
    return e.ifMatch ?? this.saved.get(e.questionId)?.revision ?? 0;
  }

  private changed() {
    this.deps.onQueue?.();
  }

  private settle() {
    if (this.queue.length && !this.stopped) return;
    for (const r of this.idle.splice(0)) r();
  }

  private markWaiting(state: SaveState) {
    for (const q of new Set(this.queue.map((e) => e.questionId))) this.deps.onState(q, state);
  }

  private async pump(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      let failures = 0;
      while (this.queue.length && !this.stopped && !this.held) {
        if (!this.deps.isOnline()) {
          this.markWaiting({ kind: 'offline' });
          return; // resume() starts again
        }
        const entry = this.queue[0]!;
        const ifMatch = this.ifMatchOf(entry);
        const res = await this.deps.send(entry.questionId, entry.value, ifMatch);
        if (this.stopped) return;
        const outcome = this.outcome(entry, res);
        if (outcome !== 'retry') this.changed();
        if (outcome === 'next') {
          failures = 0;
          const settled = this.settled;
          this.settled = undefined;
          if (settled) this.deps.onSettled?.(settled.questionId, settled.res);
          continue;
        }
        if (outcome === 'stop') return;
        this.markWaiting(this.deps.isOnline() ? { kind: 'retrying' } : { kind: 'offline' });
        if (!this.deps.isOnline()) return;
        const backoff = BACKOFF_MS[Math.min(failures, BACKOFF_MS.length - 1)]!;
        failures++;
        // A little jitter, so that many candidates behind one outage do not retry in step.
        await this.deps.wait(
          Math.max(backoff, res.retryAfterMs ?? 0) * (0.9 + Math.random() * 0.2),
        );
      }
    } finally {
      this.running = false;
      this.settle();
    }
  }

  /**
   * What the server's answer means for the head of the queue. A settled head ('next') leaves
   * the queue here, before the page is told, so that what the page reads while it redraws (`current`,
   * `isUnsaved`) is already the outcome: never the refused choice, never "not saved yet".
   */
  private outcome(
    entry: { questionId: string; value: Answer },
    res: SendResult,
  ): 'next' | 'retry' | 'stop' {
    const { questionId, value } = entry;
    // A 200 that is not the API's answer (a Wi-Fi sign-in page, a proxy's or a CDN's page in
    // its place) saved nothing: it is retried like any failure, never shown as saved.
    if (res.status === 200 && typeof res.body?.savedAt !== 'string') return 'retry';
    if (res.status === 200) {
      this.queue.shift();
      const revision = typeof res.body?.revision === 'number' ? res.body.revision : undefined;
      const savedAt: string = res.body.savedAt;
      this.saved.set(questionId, {
        value,
        savedAt,
        ...(revision !== undefined ? { revision } : {}),
      });
      // A newer answer to this question still waits: it stays "saving".
      if (!this.isUnsaved(questionId)) this.deps.onState(questionId, { kind: 'saved', savedAt });
      this.settled = { questionId, res };
      return 'next';
    }
    if (res.status === 409 && res.body?.code === 'adaptive-item-closed' && res.body.current) {
      // An adaptive item's answer is final: the one the server keeps stands (this window's
      // earlier save, or another window's), and the response names the next item.
      const current = res.body.current as { answer: Answer; savedAt?: string };
      const saved: SavedAnswer = {
        value: current.answer,
        revision: 1,
        ...(current.savedAt ? { savedAt: current.savedAt } : {}),
      };
      this.saved.set(questionId, saved);
      // Final: nothing else this window chose for it can be saved.
      this.queue = this.queue.filter((e) => e.questionId !== questionId);
      this.deps.onState(
        questionId,
        same(current.answer, value)
          ? { kind: 'saved', savedAt: current.savedAt ?? '' }
          : { kind: 'replaced', saved },
      );
      this.settled = { questionId, res };
      return 'next';
    }
    if (res.status === 401) {
      this.stop('elsewhere');
      return 'stop';
    }
    if (
      res.status === 409 &&
      (res.body?.code === 'time-is-up' || res.body?.code === 'already-submitted')
    ) {
      this.stop(res.body.code);
      return 'stop';
    }
    if (res.status === 412 && res.body?.current) {
      this.queue.shift();
      const current = res.body.current as { answer: Answer; revision: number; savedAt?: string };
      const saved: SavedAnswer = {
        value: current.answer,
        revision: current.revision,
        ...(current.savedAt ? { savedAt: current.savedAt } : {}),
      };
      this.saved.set(questionId, saved);
      // Our own earlier save whose response was lost: it is saved, nothing to replace.
      if (same(current.answer, value)) {
        if (!this.isUnsaved(questionId))
          this.deps.onState(questionId, { kind: 'saved', savedAt: current.savedAt ?? '' });
      } else {
        this.queue = this.queue.filter((e) => e.questionId !== questionId);
        this.deps.onState(questionId, { kind: 'replaced', saved });
      }
      return 'next';
    }
    if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429) {
      // The server refused this answer: retrying cannot help. Say so, and go on.
      this.queue.shift();
      this.deps.onState(questionId, {
        kind: 'rejected',
        detail: String(res.body?.detail ?? `HTTP ${res.status}`),
      });
      return 'next';
    }
    return 'retry';
  }
}
