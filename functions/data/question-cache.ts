import type { QuestionRef } from '../domain/assessment.ts';
import type { QuestionContent } from '../domain/question.ts';
import { keys } from './keys.ts';
import { batchGet, toStored } from './questions.ts';

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
  const missing = refs.filter((r) => !cache.has(cacheKey(r.o, r.q, r.v)));
  if (missing.length) {
    const items = await batchGet(missing.map((r) => keys.questionVersion(r.o, r.q, r.v)));
    if (cache.size + items.length > MAX_ENTRIES) cache.clear();
    for (const item of items) {
      const q = toStored(item);
      cache.set(cacheKey(q.org, q.id, q.version), q);
    }
  }
  const out = new Map<string, QuestionContent>();
  for (const r of refs) {
    const q = cache.get(cacheKey(r.o, r.q, r.v));
    if (!q) throw new Error(`Question version ${r.o}/${r.q}/${r.v} is missing`);
    out.set(r.q, q);
  }
  return out;
}

/** Forget every cached version (tests use it to measure the cold path). */
export function clearQuestionCache(): void {
  cache.clear();
}
