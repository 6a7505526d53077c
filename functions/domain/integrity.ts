/**
 * Integrity signals: patterns in the server's timestamps that a reviewer may want to look
 * at. They are evidence, never a verdict: each names when it happened, what was observed
 * and which questions it concerns, and nothing here scores or fails a candidate. Pure.
 */

import * as z from 'zod/mini';
import type { SavedAnswer } from './grading.ts';
import { type QuestionTypeId, typeOf } from './question-types/registry.ts';
import { own } from './reserved.ts';
import { once } from './z.ts';

export const SIGNAL_TYPES = [
  'fast-answer',
  'burst-after-silence',
  'last-seconds-rush',
  'resumed-elsewhere',
  'page-hidden',
  'paste',
] as const;
export type SignalType = (typeof SIGNAL_TYPES)[number];

/** Built on first use (see domain/z.ts): only the employer's report answers with signals. */
export const IntegritySignalSchema = /* @__PURE__ */ once(() =>
  z.object({
    type: z.enum(SIGNAL_TYPES),
    at: z.string(),
    detail: z.string(),
    questionIds: z.optional(z.array(z.string())),
    /** How many times it was observed (page events). */
    count: z.optional(z.int()),
    /** When, by the server's clock (page events; the first MAX_SIGNAL_TIMES). */
    times: z.optional(z.array(z.string())),
  }),
);
export type IntegritySignal = z.infer<ReturnType<typeof IntegritySignalSchema>>;

export interface Resume {
  /** Server time the attempt was opened (the start counts as the first resume). */
  at: string;
  userAgent?: string;
  sourceIp?: string;
}

export const PAGE_EVENT_TYPES = ['hidden', 'visible', 'paste'] as const;
export type PageEventType = (typeof PAGE_EVENT_TYPES)[number];

/**
 * What the candidate app observed: the page was hidden (another tab or window came to the
 * front) or shown again, or text was pasted into an answer (its length, never its content).
 * `at` is the server's time, derived from when the batch arrived (see services/attempt-events).
 */
export interface PageEvent {
  type: PageEventType;
  at: string;
  /** The question on screen. */
  questionId?: string;
  /** Characters pasted. */
  chars?: number;
}

/** Page-event batches kept per attempt; later ones are refused (the report already says enough). */
export const MAX_EVENT_BATCHES = 50;
/** Page events per batch (the candidate app sends a few at a time). */
export const MAX_EVENTS_PER_BATCH = 20;

/** Times listed in a page-event signal; `count` still counts them all. */
export const MAX_SIGNAL_TIMES = 50;

export interface IntegrityInput {
  startedAt: string;
  deadline: string;
  /** Each question's saved answer with the server time of its save. */
  answers: Readonly<Record<string, SavedAnswer>>;
  /** The prompt's length in words and the type, per question id. */
  questions: Readonly<Record<string, { promptWords: number; type: QuestionTypeId }>>;
  resumes: readonly Resume[];
  /** Page events recorded by the candidate app, if any. */
  pageEvents?: readonly PageEvent[];
}

// Eight words a second (480 a minute) is about twice a fluent adult's reading speed for
// technical text (Brysbaert 2019: 238 wpm for silent non-fiction reading), so an answer
// saved sooner after the previous one was almost certainly not read in full. The 3 s floor
// covers the smallest honest interaction: reading a short prompt, choosing and saving.
const FAST_WORDS_PER_SECOND = 8;
const FAST_FLOOR_SECONDS = 3;

const SILENCE_MS = 5 * 60_000;
const BURST_MS = 60_000;
const BURST_MIN_ANSWERS = 5;

const RUSH_WINDOW_MS = 30_000;
const RUSH_MIN_ANSWERS = 5;
const RUSH_MIN_SHARE = 0.3;
// A share of one answer says nothing: the last answer of any attempt is saved some time.
const RUSH_MIN_FOR_SHARE = 2;

/** Minimum plausible seconds between the previous save and this one. */
export function fastAnswerThreshold(promptWords: number, type: QuestionTypeId): number {
  return Math.max(
    FAST_FLOOR_SECONDS,
    // Answers that are typed or arranged take longer than a click: each type says how much.
    promptWords / FAST_WORDS_PER_SECOND + typeOf(type).effortSeconds,
  );
}

/** Words in a prompt, for {@link IntegrityInput.questions}. */
export function wordCount(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}

const seconds = (ms: number) => {
  const s = ms / 1000;
  return Number.isInteger(s) ? `${s}` : s.toFixed(1);
};

function duration(ms: number): string {
  const total = Math.round(ms / 1000);
  const m = Math.floor(total / 60);
  const s = total % 60;
  return m === 0 ? `${s} s` : s === 0 ? `${m} min` : `${m} min ${s} s`;
}

interface Save {
  questionId: string;
  at: number;
  savedAt: string;
}

function fastAnswers(input: IntegrityInput, saves: readonly Save[]): IntegritySignal[] {
  const out: IntegritySignal[] = [];
  let previous = Date.parse(input.startedAt);
  for (const save of saves) {
    const question = own(input.questions, save.questionId);
    const gap = save.at - previous;
    previous = save.at;
    if (!question) continue;
    const threshold = fastAnswerThreshold(question.promptWords, question.type);
    if (gap < threshold * 1000) {
      out.push({
        type: 'fast-answer',
        at: save.savedAt,
        detail: `Saved ${seconds(gap)} s after the previous save; reading its ${question.promptWords}-word prompt and answering takes at least ${seconds(threshold * 1000)} s.`,
        questionIds: [save.questionId],
      });
    }
  }
  return out;
}

function burstsAfterSilence(input: IntegrityInput, saves: readonly Save[]): IntegritySignal[] {
  const out: IntegritySignal[] = [];
  let previous = Date.parse(input.startedAt);
  for (let i = 0; i < saves.length; i++) {
    const first = saves[i]!;
    const silence = first.at - previous;
    previous = first.at;
    if (silence < SILENCE_MS) continue;
    const burst = saves.slice(i).filter((s) => s.at - first.at <= BURST_MS);
    if (burst.length < BURST_MIN_ANSWERS) continue;
    const span = burst.at(-1)!.at - first.at;
    out.push({
      type: 'burst-after-silence',
      at: first.savedAt,
      detail: `No answer saved for ${duration(silence)}, then ${burst.length} answers within ${duration(span)}.`,
      questionIds: burst.map((s) => s.questionId),
    });
  }
  return out;
}

function lastSecondsRush(input: IntegrityInput, saves: readonly Save[]): IntegritySignal[] {
  const deadline = Date.parse(input.deadline);
  const rushed = saves.filter((s) => s.at >= deadline - RUSH_WINDOW_MS && s.at <= deadline);
  const share = saves.length ? rushed.length / saves.length : 0;
  const flagged =
    rushed.length >= RUSH_MIN_ANSWERS ||
    (rushed.length >= RUSH_MIN_FOR_SHARE && share >= RUSH_MIN_SHARE);
  if (!flagged) return [];
  return [
    {
      type: 'last-seconds-rush',
      at: rushed[0]!.savedAt,
      detail: `${rushed.length} of ${saves.length} answers (${Math.round(share * 100)}%) saved in the last ${RUSH_WINDOW_MS / 1000} s before the deadline.`,
      questionIds: rushed.map((s) => s.questionId),
    },
  ];
}

// The source address is personal data: the signal says it changed, the stored resumes keep it.
function resumedElsewhere(resumes: readonly Resume[]): IntegritySignal[] {
  const sorted = [...resumes].sort((x, y) => Date.parse(x.at) - Date.parse(y.at));
  const out: IntegritySignal[] = [];
  for (let i = 1; i < sorted.length; i++) {
    const before = sorted[i - 1]!;
    const now = sorted[i]!;
    const changes: string[] = [];
    if (before.userAgent && now.userAgent && before.userAgent !== now.userAgent) {
      changes.push(
        `the browser changed (from "${clip(before.userAgent)}" to "${clip(now.userAgent)}")`,
      );
    }
    if (before.sourceIp && now.sourceIp && before.sourceIp !== now.sourceIp) {
      changes.push('the network address changed');
    }
    if (changes.length) {
      out.push({
        type: 'resumed-elsewhere',
        at: now.at,
        detail: `Resumed ${duration(Date.parse(now.at) - Date.parse(before.at))} after the previous session; ${changes.join(' and ')}.`,
      });
    }
  }
  return out;
}

const distinct = (ids: readonly (string | undefined)[]) => [
  ...new Set(ids.filter((id): id is string => id !== undefined)),
];

/**
 * `page-hidden`: how often and how long the assessment page was hidden (another tab, window or
 * application in front). A hide without a later `visible` lasts until the deadline.
 */
function pageHidden(events: readonly PageEvent[], deadline: string): IntegritySignal[] {
  const hides: { at: string; ms: number; questionId?: string }[] = [];
  let open: { at: string; questionId?: string } | undefined;
  const close = (until: number) => {
    if (!open) return;
    hides.push({ ...open, ms: Math.max(0, until - Date.parse(open.at)) });
    open = undefined;
  };
  for (const e of events) {
    if (e.type === 'hidden' && !open) {
      open = { at: e.at, ...(e.questionId ? { questionId: e.questionId } : {}) };
    } else if (e.type === 'visible') close(Date.parse(e.at));
  }
  close(Math.max(Date.parse(deadline), open ? Date.parse(open.at) : 0));
  if (!hides.length) return [];
  const total = hides.reduce((sum, h) => sum + h.ms, 0);
  const longest = Math.max(...hides.map((h) => h.ms));
  const times = hides.length === 1 ? 'once' : `${hides.length} times`;
  const questionIds = distinct(hides.map((h) => h.questionId));
  return [
    {
      type: 'page-hidden',
      at: hides[0]!.at,
      detail: `The assessment page was hidden ${times}, ${duration(total)} in all${hides.length > 1 ? ` (longest ${duration(longest)})` : ''}: another tab, window or application was in front.`,
      count: hides.length,
      times: hides.slice(0, MAX_SIGNAL_TIMES).map((h) => h.at),
      ...(questionIds.length ? { questionIds } : {}),
    },
  ];
}

/** `paste`: text pasted into answers, with how much (never what). */
function pastes(events: readonly PageEvent[]): IntegritySignal[] {
  const all = events.filter((e) => e.type === 'paste');
  if (!all.length) return [];
  const chars = all.reduce((sum, e) => sum + (e.chars ?? 0), 0);
  const questionIds = distinct(all.map((e) => e.questionId));
  const into = questionIds.length
    ? ` into the answer${questionIds.length === 1 ? '' : 's'} of ${questionIds.length} question${questionIds.length === 1 ? '' : 's'}`
    : '';
  return [
    {
      type: 'paste',
      at: all[0]!.at,
      detail: `Text was pasted ${all.length === 1 ? 'once' : `${all.length} times`}${into}, ${chars} character${chars === 1 ? '' : 's'} in all.`,
      count: all.length,
      times: all.slice(0, MAX_SIGNAL_TIMES).map((e) => e.at),
      ...(questionIds.length ? { questionIds } : {}),
    },
  ];
}

const clip = (s: string) => (s.length > 120 ? `${s.slice(0, 119)}…` : s);

function pageSignals(events: readonly PageEvent[], deadline: string): IntegritySignal[] {
  const sorted = events
    .filter((e) => Number.isFinite(Date.parse(e.at)))
    .sort((x, y) => Date.parse(x.at) - Date.parse(y.at));
  return [...pageHidden(sorted, deadline), ...pastes(sorted)];
}

/**
 * Integrity signals of an attempt from the server's timestamps, in time order:
 * `fast-answer` (saved sooner after the previous save than its prompt can be read),
 * `burst-after-silence` (5+ answers within 60 s after 5+ minutes without any),
 * `last-seconds-rush` (5+ answers, or 30%+ of them, in the 30 s before the deadline) and
 * `resumed-elsewhere` (a session whose browser or network address differs from the one
 * before), and from the candidate app's page events `page-hidden` (how often and how long the
 * page was hidden) and `paste` (how often and how much text was pasted into answers).
 * Evidence for a reviewer, never a verdict: nothing here changes a score.
 */
export function integritySignals(input: IntegrityInput): IntegritySignal[] {
  const saves: Save[] = Object.entries(input.answers)
    .map(([questionId, a]) => ({ questionId, at: Date.parse(a.savedAt), savedAt: a.savedAt }))
    .filter((s) => Number.isFinite(s.at))
    .sort((x, y) => x.at - y.at || (x.questionId < y.questionId ? -1 : 1));
  const signals = [
    ...fastAnswers(input, saves),
    ...burstsAfterSilence(input, saves),
    ...lastSecondsRush(input, saves),
    ...resumedElsewhere(input.resumes),
    ...pageSignals(input.pageEvents ?? [], input.deadline),
  ];
  const order = (t: SignalType) => SIGNAL_TYPES.indexOf(t);
  return signals.sort(
    (x, y) => Date.parse(x.at) - Date.parse(y.at) || order(x.type) - order(y.type),
  );
}
