import type { QuestionRef } from '../domain/assessment.ts';
import type { QuestionContent } from '../domain/question.ts';
import { batchGet } from './batch-get.ts';
import { type Key, keys } from './keys.ts';
import { toStored } from './questions.ts';

/**
 * Question versions are immutable, so a Lambda may keep them in memory for as long as it
 * lives. A warm function reads no question twice.
 */
const cache = new Map<string, QuestionContent>();
const MAX_ENTRIES = 20_000;

const cacheKey = (o: string, q: string, v: number) => `${o}/${q}/${v}`;

/** The contents of these versions: cached ones from memory, the rest in one BatchGet per 100. */
export async function questionVersions(
  refs: readonly Pick<QuestionRef, 'o' | 'q' | 'v'>[],
): Promise<Map<string, QuestionContent>> {
  return (await questionVersionsWith(refs, [])).contents;
}

/**
 * `questionVersions`, with other items of the table read in the same BatchGetItem (a start
 * reads the calibration sets with its question versions: one call, not one per set). The
 * other items come back as stored, those found; with nothing to read, no call is made.
 */
export async function questionVersionsWith(
  refs: readonly Pick<QuestionRef, 'o' | 'q' | 'v'>[],
  alongside: readonly Key[],
): Promise<{ contents: Map<string, QuestionContent>; alongside: Record<string, unknown>[] }> {
  const missing = refs.filter((r) => !cache.has(cacheKey(r.o, r.q, r.v)));
  const versionKeys = missing.map((r) => keys.questionVersion(r.o, r.q, r.v));
  const wanted = new Set(versionKeys.map((k) => `${k.PK}\n${k.SK}`));
  const found: Record<string, unknown>[] = [];
  if (versionKeys.length || alongside.length) {
    const items = await batchGet([...versionKeys, ...alongside]);
    const versions = items.filter((i) => wanted.has(`${i.PK}\n${i.SK}`));
    found.push(...items.filter((i) => !wanted.has(`${i.PK}\n${i.SK}`)));
    if (cache.size + versions.length > MAX_ENTRIES) cache.clear();
    for (const item of versions) {
      const q = toStored(item);
      cache.set(cacheKey(q.org, q.id, q.version), q);
    }
  }
  const contents = new Map<string, QuestionContent>();
  for (const r of refs) {
    const q = cache.get(cacheKey(r.o, r.q, r.v));
    if (!q) throw new Error(`Question version ${r.o}/${r.q}/${r.v} is missing`);
    contents.set(r.q, q);
  }
  return { contents, alongside: found };
}

/** Forget every cached version (tests use it to measure the cold path). */
export function clearQuestionCache(): void {
  cache.clear();
}
