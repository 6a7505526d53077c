/**
 * What an edit changes: the PATCH body of an assessment form, with only the fields that differ
 * from the assessment as it was read (pure, unit-tested).
 */
import type { Assessment, Section } from './model.ts';

export type SectionInput = Pick<Section, 'area' | 'count' | 'difficulty'>;

export interface AssessmentFields {
  title: string;
  timeLimitMinutes: number;
  sections: SectionInput[];
  /** Empty for none. */
  instructions: string;
  passingScore?: number;
  showResultToCandidate: boolean;
  remindBeforeExpiryHours: number;
}

export const sameSections = (a: readonly SectionInput[], b: readonly SectionInput[]) =>
  a.length === b.length &&
  a.every(
    (s, i) =>
      s.area === b[i]!.area &&
      s.count === b[i]!.count &&
      String(s.difficulty) === String(b[i]!.difficulty),
  );

/**
 * The PATCH body: only what differs from the assessment as read (`null` removes instructions
 * or the pass mark); time limit and sections only while the content is editable, so an edit of
 * a started assessment's title cannot be refused for content it did not touch.
 */
export function changesOf(
  a: Assessment,
  f: AssessmentFields,
  contentEditable: boolean,
): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (f.title !== a.title) body.title = f.title;
  if (f.instructions !== (a.instructions ?? '')) body.instructions = f.instructions || null;
  if (f.passingScore !== a.passingScore) body.passingScore = f.passingScore ?? null;
  if (f.showResultToCandidate !== a.showResultToCandidate) {
    body.showResultToCandidate = f.showResultToCandidate;
  }
  if (f.remindBeforeExpiryHours !== (a.remindBeforeExpiryHours ?? 24)) {
    body.remindBeforeExpiryHours = f.remindBeforeExpiryHours;
  }
  if (contentEditable) {
    if (f.timeLimitMinutes !== a.timeLimitMinutes) body.timeLimitMinutes = f.timeLimitMinutes;
    if (!sameSections(f.sections, a.sections)) body.sections = f.sections;
  }
  return body;
}
