/**
 * The anonymous response records calibration reads: per completed attempt and question owner,
 * each answered question version's score and seconds, grouped by area. No candidate, no
 * answer, no attempt detail beyond its id (the record's key, for erasure and idempotence).
 * Pure; stored by `data/response-records.ts`. docs/psychometrics.md#response-records.
 */

import type { ResponseRecord } from './calibration.ts';
import type { GradedQuestion } from './grading.ts';

/** One response: question id, version, score in [0,1] (4 decimals), whole seconds. */
export type CompactResponse = [questionId: string, version: number, score: number, seconds: number];

/** One attempt's responses to one owner's questions, by area. */
export interface OwnerResponses {
  owner: string;
  areas: Record<string, CompactResponse[]>;
}

/**
 * The records of a completion, one per question owner: every answered question (a question
 * never answered is missing data for calibration, not a zero). Empty when nothing was answered.
 */
export function responsesByOwner(
  questions: readonly Pick<
    GradedQuestion,
    'questionId' | 'version' | 'area' | 'score' | 'secondsSpent' | 'answered'
  >[],
  questionOrgs: readonly string[],
): OwnerResponses[] {
  const byOwner = new Map<string, Map<string, CompactResponse[]>>();
  questions.forEach((q, i) => {
    if (q.answered === false) return;
    const owner = questionOrgs[i];
    if (!owner) return;
    const areas = byOwner.get(owner) ?? new Map<string, CompactResponse[]>();
    byOwner.set(owner, areas);
    const list = areas.get(q.area) ?? [];
    areas.set(q.area, list);
    list.push([
      q.questionId,
      q.version,
      Math.round(q.score * 1e4) / 1e4,
      Math.max(0, Math.round(q.secondsSpent)),
    ]);
  });
  return [...byOwner].map(([owner, areas]) => ({
    owner,
    areas: Object.fromEntries([...areas].sort(([a], [b]) => (a < b ? -1 : 1))),
  }));
}

/** The item key calibration uses for a question version. */
export const versionKey = (questionId: string, version: number) => `${questionId}@${version}`;

/** `q-1@3` -> {questionId, version}. */
export function parseVersionKey(key: string): { questionId: string; version: number } {
  const at = key.lastIndexOf('@');
  return { questionId: key.slice(0, at), version: Number(key.slice(at + 1)) };
}

/**
 * Calibration input for one area from stored records: one candidate (attempt) per record that
 * answered something in the area, items keyed by question version.
 */
export function calibrationInput(
  records: readonly { areas: Readonly<Record<string, readonly CompactResponse[]>> }[],
  area: string,
): ResponseRecord[] {
  const out: ResponseRecord[] = [];
  for (const r of records) {
    const list = r.areas[area];
    if (!list?.length) continue;
    out.push({ responses: list.map(([q, v, score]) => ({ item: versionKey(q, v), score })) });
  }
  return out;
}

/** The areas the records cover, sorted. */
export function areasOf(
  records: readonly { areas: Readonly<Record<string, unknown>> }[],
): string[] {
  return [...new Set(records.flatMap((r) => Object.keys(r.areas)))].sort();
}
