import { describe, expect, it } from 'vitest';
import {
  type Answer,
  Saver,
  type SaveState,
  type SendResult,
  type StopReason,
} from '../../../web/candidate/saver.ts';

/** A saver whose server answers from a script; records what was sent and what was shown. */
function harness(
  answers: SendResult[] | ((n: number) => SendResult),
  opts: {
    online?: boolean;
    revisions?: boolean;
    initial?: Record<string, { value: Answer; revision?: number }>;
    onSettled?: (questionId: string, res: SendResult) => void;
  } = {},
) {
  const sent: { questionId: string; value: Answer; ifMatch: number | undefined }[] = [];
  const states: [string, SaveState][] = [];
  /** What the page would read while it is told of a state: the answer shown, and "unsaved". */
  const seen: { kind: string; current: Answer | undefined; unsaved: boolean }[] = [];
  const stops: StopReason[] = [];
  const waits: number[] = [];
  let online = opts.online ?? true;
  const saver = new Saver(
    {
      send: async (questionId, value, ifMatch) => {
        sent.push({ questionId, value, ifMatch });
        const n = sent.length - 1;
        return typeof answers === 'function' ? answers(n) : (answers[n] ?? ok(n));
      },
      isOnline: () => online,
      wait: async (ms) => {
        waits.push(ms);
      },
      onState: (q, s) => {
        states.push([q, s]);
        seen.push({ kind: s.kind, current: saver.current(q), unsaved: saver.isUnsaved(q) });
      },
      onStop: (r) => stops.push(r),
      ...(opts.onSettled ? { onSettled: opts.onSettled } : {}),
    },
    opts.initial ?? {},
    opts.revisions ?? false,
  );
  return {
    saver,
    sent,
    states,
    seen,
    stops,
    waits,
    goOnline: () => {
      online = true;
      saver.resume();
    },
    last: (q: string) => states.filter(([id]) => id === q).at(-1)?.[1],
  };
}

const ok = (n: number, revision?: number): SendResult => ({
  status: 200,
  body: { savedAt: `2026-11-29T10:00:0${n}.000Z`, ...(revision ? { revision } : {}) },
});
const settle = () => new Promise((r) => setTimeout(r, 0));

describe('the saving queue', () => {
  it('shows an answer as pending until the server confirms it, then saved with its time', async () => {
    const h = harness([]);

    h.saver.save('q1', 'a');
    const before = h.last('q1');
    await h.saver.drain(1000);

    expect(before).toEqual({ kind: 'pending' });
    expect(h.last('q1')).toEqual({ kind: 'saved', savedAt: '2026-11-29T10:00:00.000Z' });
    expect(h.saver.saved.get('q1')?.value).toBe('a');
  });

  it('retries a failed save with a growing back-off and says "retrying" meanwhile', async () => {
    const h = harness([{ status: 503, retryAfterMs: 3000 }, { status: 0 }, { status: 500 }]);

    h.saver.save('q1', 'a');
    await h.saver.drain(60_000);

    expect(h.sent).toHaveLength(4);
    expect(h.states.map(([, s]) => s.kind)).toEqual([
      'pending',
      'retrying',
      'retrying',
      'retrying',
      'saved',
    ]);
    expect(h.waits[0]).toBeGreaterThanOrEqual(2700); // Retry-After wins over the first 1 s
    expect(h.waits[1]).toBeGreaterThanOrEqual(1800);
    expect(h.waits[2]).toBeGreaterThanOrEqual(3600);
  });

  it("does not count a 200 that is not the API's answer (a sign-in page, a proxy's page) as saved: it retries", async () => {
    // Found from outside: a save answered 200 with an HTML page was taken as saved (the page
    // threw "Invalid time value" on its savedAt, stayed "Saving…", and the review listed the
    // answer as saved).
    const h = harness([{ status: 200 }, { status: 200, body: { title: 'Sign in to the Wi-Fi' } }]);

    h.saver.save('q1', 'a');
    await h.saver.drain(60_000);

    expect(h.sent).toHaveLength(3);
    expect(h.states.map(([, s]) => s.kind)).toEqual(['pending', 'retrying', 'retrying', 'saved']);
    expect(h.saver.saved.get('q1')).toEqual({ value: 'a', savedAt: '2026-11-29T10:00:02.000Z' });
  });

  it('waits while offline and then sends in the order given, a newer answer replacing a waiting one', async () => {
    const h = harness([], { online: false });

    h.saver.save('q1', 'a');
    h.saver.save('q2', 'x');
    h.saver.save('q1', 'b');
    await settle();
    const whileOffline = h.sent.length;
    const shown = h.saver.current('q1');
    h.goOnline();
    await h.saver.drain(1000);

    expect(whileOffline).toBe(0);
    expect(h.last('q2')?.kind).toBe('saved');
    expect(shown).toBe('b');
    expect(h.sent.map((s) => [s.questionId, s.value])).toEqual([
      ['q1', 'b'],
      ['q2', 'x'],
    ]);
  });

  it('stops for good on 401 (another window), dropping what was never saved', async () => {
    const h = harness([ok(0), { status: 401 }]);

    h.saver.save('q1', 'a');
    await h.saver.drain(1000);
    h.saver.save('q2', 'x');
    h.saver.save('q3', 'y');
    await h.saver.drain(1000);
    const later = h.saver.save('q4', 'z');

    expect(h.stops).toEqual(['elsewhere']);
    expect(later).toBe(false);
    expect(h.saver.unsavedCount).toBe(0);
    expect(h.saver.current('q2')).toBeUndefined();
    expect(h.saver.current('q1')).toBe('a');
  });

  it('stops when the server says time is up, and reports a refused answer without retrying it', async () => {
    const refused = harness([
      { status: 400, body: { detail: 'This single question takes one option id.' } },
    ]);
    const late = harness([{ status: 409, body: { code: 'time-is-up' } }]);

    refused.saver.save('q1', ['a']);
    late.saver.save('q1', 'a');
    await refused.saver.drain(1000);
    await late.saver.drain(1000);

    expect(refused.sent).toHaveLength(1);
    expect(refused.last('q1')).toEqual({
      kind: 'rejected',
      detail: 'This single question takes one option id.',
    });
    expect(late.stops).toEqual(['time-is-up']);
  });

  it('sends If-Match with the last revision and shows the saved answer when another window changed it', async () => {
    const h = harness(
      [
        ok(0, 3),
        {
          status: 412,
          body: { code: 'revision-mismatch', current: { answer: 'c', revision: 5, savedAt: 't' } },
        },
        ok(2, 6),
      ],
      { revisions: true, initial: { q1: { value: 'a', revision: 2 } } },
    );

    h.saver.save('q1', 'b');
    await h.saver.drain(1000);
    h.saver.save('q1', 'd');
    await h.saver.drain(1000);
    const replaced = h.last('q1');
    h.saver.save('q1', 'e');
    await h.saver.drain(1000);

    expect(h.sent.map((s) => s.ifMatch)).toEqual([2, 3, 5]);
    expect(replaced).toEqual({
      kind: 'replaced',
      saved: { value: 'c', revision: 5, savedAt: 't' },
    });
    expect(h.saver.saved.get('q1')).toMatchObject({ value: 'e', revision: 6 });
  });

  it('treats a 412 whose current answer is its own (a lost response) as saved', async () => {
    const h = harness(
      [{ status: 412, body: { current: { answer: ['a', 'b'], revision: 1, savedAt: 't' } } }],
      { revisions: true },
    );

    h.saver.save('q1', ['a', 'b']);
    await h.saver.drain(1000);

    expect(h.sent[0]?.ifMatch).toBe(0);
    expect(h.last('q1')).toEqual({ kind: 'saved', savedAt: 't' });
  });

  it('has settled the answer before it tells the page: saved is not unsaved, and a replaced choice is no longer current', async () => {
    const h = harness(
      [
        ok(0, 1),
        { status: 412, body: { current: { answer: 'c', revision: 2, savedAt: 't' } } },
        { status: 412, body: { current: { answer: 'e', revision: 3, savedAt: 't' } } },
      ],
      { revisions: true },
    );

    h.saver.save('q1', 'a');
    await h.saver.drain(1000);
    h.saver.save('q1', 'd');
    await h.saver.drain(1000);
    h.saver.save('q1', 'e');
    await h.saver.drain(1000);

    expect(h.seen.filter((s) => s.kind !== 'pending')).toEqual([
      { kind: 'saved', current: 'a', unsaved: false },
      { kind: 'replaced', current: 'c', unsaved: false },
      { kind: 'saved', current: 'e', unsaved: false },
    ]);
  });

  it('sends no If-Match to a server without revisions', async () => {
    const h = harness([]);

    h.saver.save('q1', 1);
    await h.saver.drain(1000);

    expect(h.sent[0]?.ifMatch).toBeUndefined();
  });
});

describe('answers kept across a reload', () => {
  it('lists what waits with the revision each must match, the last seen or 0', () => {
    const h = harness([], {
      online: false,
      revisions: true,
      initial: { q1: { value: 'a', revision: 4 } },
    });

    h.saver.save('q1', 'b');
    h.saver.save('q2', 'c');

    expect(h.saver.unsent()).toEqual([
      { questionId: 'q1', value: 'b', ifMatch: 4 },
      { questionId: 'q2', value: 'c', ifMatch: 0 },
    ]);
  });

  it('keeps a typed answer not yet queued against the revision its question waits on, else the last seen', () => {
    const h = harness([], {
      online: false,
      revisions: true,
      initial: { q1: { value: 'a', revision: 4 }, q2: { value: 'x', revision: 7 } },
    });
    h.saver.adopt([{ questionId: 'q2', value: 'y', ifMatch: 5 }]);

    expect(h.saver.kept('q1', 'typed')).toEqual({ questionId: 'q1', value: 'typed', ifMatch: 4 });
    expect(h.saver.kept('q2', 'typed')).toEqual({ questionId: 'q2', value: 'typed', ifMatch: 5 });
    expect(h.saver.kept('q3', 9)).toEqual({ questionId: 'q3', value: 9, ifMatch: 0 });
    expect(harness([]).saver.kept('q1', 'typed')).toEqual({ questionId: 'q1', value: 'typed' });
    // Nothing is queued by keeping it.
    expect(h.saver.unsent()).toEqual([{ questionId: 'q2', value: 'y', ifMatch: 5 }]);
  });

  it('sends adopted answers with the revision they were chosen over, the last to each question only, and keeps a later answer saved elsewhere (412)', async () => {
    const h = harness(
      [
        {
          status: 412,
          body: { code: 'revision-mismatch', current: { answer: 'x', revision: 2, savedAt: 't' } },
        },
        ok(1, 3),
      ],
      // The server's view after the reload: q2 was saved since, elsewhere (revision 2).
      {
        revisions: true,
        initial: { q1: { value: 'a', revision: 2 }, q2: { value: 'x', revision: 2 } },
      },
    );

    const adopted = h.saver.adopt([
      { questionId: 'q1', value: 'old', ifMatch: 2 },
      { questionId: 'q2', value: 'b', ifMatch: 1 },
      { questionId: 'q1', value: 'b', ifMatch: 2 },
    ]);
    await h.saver.drain(1000);

    expect(adopted).toBe(2);
    expect(h.sent).toEqual([
      { questionId: 'q2', value: 'b', ifMatch: 1 },
      { questionId: 'q1', value: 'b', ifMatch: 2 },
    ]);
    expect(h.last('q2')).toEqual({
      kind: 'replaced',
      saved: { value: 'x', revision: 2, savedAt: 't' },
    });
    expect(h.saver.current('q2')).toBe('x');
  });

  it('tells the page each time what waits changes, and waits on nothing once held, until let go', async () => {
    let changes = 0;
    const h = harness([]);
    const saver = new Saver(
      {
        send: async () => ok(0),
        isOnline: () => true,
        wait: async () => undefined,
        onState: () => undefined,
        onStop: () => undefined,
        onQueue: () => {
          changes++;
        },
      },
      {},
    );

    saver.hold(true);
    saver.save('q1', 'a');
    await settle();
    const whileHeld = saver.unsavedCount;
    saver.hold(false);
    await saver.drain(1000);

    expect(whileHeld).toBe(1);
    expect(saver.unsavedCount).toBe(0);
    expect(changes).toBe(2);
    expect(h.sent).toEqual([]);
  });

  it('remembers which answers were dropped when the server ended the attempt (409), so the page can count them', async () => {
    const h = harness([{ status: 409, body: { code: 'time-is-up' } }]);

    h.saver.save('q1', 'a');
    h.saver.save('q2', 'b');
    await h.saver.drain(1000);

    expect(h.stops).toEqual(['time-is-up']);
    expect(h.saver.unsavedCount).toBe(0);
    expect(h.saver.dropped).toEqual(['q1', 'q2']);
    expect([h.saver.isLost('q1'), h.saver.isLost('q2'), h.saver.isLost('q3')]).toEqual([
      true,
      true,
      false,
    ]);
  });

  it('sends nothing once closed, and tells no one (the page closed it)', async () => {
    const h = harness([], { online: false });
    h.saver.save('q1', 'a');
    await settle();

    h.saver.stop('closed');
    h.goOnline();
    await settle();

    expect(h.sent).toEqual([]);
    expect(h.saver.save('q1', 'b')).toBe(false);
    expect(h.saver.unsent()).toEqual([]);
    expect(h.stops).toEqual([]);
  });
});

describe('answers in an adaptive section', () => {
  it('reports each settled save (its next item) once its entry has left the queue, and settles a 409 adaptive-item-closed with the answer the server keeps', async () => {
    const closed: SendResult = {
      status: 409,
      body: {
        code: 'adaptive-item-closed',
        current: { answer: 'c', savedAt: '2026-11-29T10:00:05.000Z' },
        next: { questionId: 'q3' },
      },
    };
    const settled: { q: string; next: unknown; unsaved: number }[] = [];
    // The page moves on when told: nothing of that answer may still be queued by then.
    const h = harness([ok(0), closed], {
      onSettled: (q, res) =>
        settled.push({ q, next: res.body?.next ?? null, unsaved: h.saver.unsavedCount }),
    });

    h.saver.save('q1', 'a');
    await h.saver.drain(1000);
    h.saver.save('q2', 'b');
    await h.saver.drain(1000);

    expect(settled).toEqual([
      { q: 'q1', next: null, unsaved: 0 },
      { q: 'q2', next: { questionId: 'q3' }, unsaved: 0 },
    ]);
    expect(h.saver.saved.get('q2')?.value).toBe('c');
    expect(h.last('q2')).toEqual({
      kind: 'replaced',
      saved: { value: 'c', revision: 1, savedAt: '2026-11-29T10:00:05.000Z' },
    });
    expect(h.sent).toHaveLength(2);
  });
});
