/**
 * Integrity signals: patterns in the server's timestamps that a reviewer may want to look
 * at. They are evidence, never a verdict: each names when it happened, what was observed
 * and which questions it concerns, and nothing here scores or fails a candidate. Pure.
 */

import * as z from 'zod/mini';
import type { SavedAnswer } from './grading.ts';
import { type QuestionTypeId, typeOf } from './question-types/registry.ts';

export const SIGNAL_TYPES = [
  'fast-answer',
  'burst-after-silence',
  'last-seconds-rush',
  'resumed-elsewhere',
] as const;
export type SignalType = (typeof SIGNAL_TYPES)[number];

export const IntegritySignalSchema = z.object({
  type: z.enum(SIGNAL_TYPES),
  at: z.string(),
  detail: z.string(),
  questionIds: z.optional(z.array(z.string())),
});
export type IntegritySignal = z.infer<typeof IntegritySignalSchema>;

export interface Resume {
  /** Server time the attempt was opened (the start counts as the first resume). */
  at: string;
  userAgent?: string;
  sourceIp?: string;
}

export interface IntegrityInput {
  startedAt: string;
  deadline: string;
  /** Each question's saved answer with the server time of its save. */
  answers: Readonly<Record<string, SavedAnswer>>;
  /** The prompt's length in words and the type, per question id. */
  questions: Readonly<Record<string, { promptWords: number; type: QuestionTypeId }>>;
  resumes: readonly Resume[];
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
    const question = input.questions[save.questionId];
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

const clip = (s: string) => (s.length > 120 ? `${s.slice(0, 119)}…` : s);

/**
 * Integrity signals of an attempt from the server's timestamps, in time order:
 * `fast-answer` (saved sooner after the previous save than its prompt can be read),
 * `burst-after-silence` (5+ answers within 60 s after 5+ minutes without any),
 * `last-seconds-rush` (5+ answers, or 30%+ of them, in the 30 s before the deadline) and
 * `resumed-elsewhere` (a session whose browser or network address differs from the one
 * before). Evidence for a reviewer, never a verdict: nothing here changes a score.
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
  ];
  const order = (t: SignalType) => SIGNAL_TYPES.indexOf(t);
  return signals.sort(
    (x, y) => Date.parse(x.at) - Date.parse(y.at) || order(x.type) - order(y.type),
  );
}
