/**
 * A start's read of question versions with their calibration sets, apart from
 * `calibrations.ts` so that what reads only the sets (the employer function freezing a pool)
 * does not bundle the question types that reading versions brings.
 */
import type { QuestionContent } from '../domain/question.ts';
import {
  calibratedParameters,
  readCalibrationSet,
  remember,
  SET_CACHE_MS,
  SET_CHUNK,
  type SetEntry,
  setCache,
} from './calibrations.ts';
import { keys } from './keys.ts';
import { questionVersionsWith } from './question-cache.ts';

/**
 * The contents of these question versions and the calibrated parameters of these owners' areas
 * (keys as `calibratedParameters`), in one BatchGetItem where a start once made one call per
 * set: chunk 0 of every set not fresh in memory is read with the versions not in memory. A
 * full chunk 0 (a set of more than `SET_CHUNK` versions) costs 1 Query of the whole set; a
 * version whose area `pairs` did not name (the sections predict it: pools are drawn by area)
 * costs the Query of its set, as before.
 */
export async function versionsWithParameters(
  refs: readonly { o: string; q: string; v: number }[],
  pairs: readonly { owner: string; area: string }[],
  now = Date.now(),
): Promise<{ contents: Map<string, QuestionContent>; params: Map<string, SetEntry> }> {
  const stale = [...new Map(pairs.map((p) => [`${p.owner}/${p.area}`, p])).values()].filter((p) => {
    const hit = setCache.get(`${p.owner}/${p.area}`);
    return !hit || now - hit.at > SET_CACHE_MS;
  });
  const { contents, alongside } = await questionVersionsWith(
    refs,
    stale.map((p) => keys.calibrationSet(p.owner, p.area, 0)),
  );
  const chunkOf = new Map(alongside.map((i) => [`${i.PK}\n${i.SK}`, i]));
  await Promise.all(
    stale.map(async (p) => {
      const key = keys.calibrationSet(p.owner, p.area, 0);
      const first = (chunkOf.get(`${key.PK}\n${key.SK}`)?.v ?? {}) as Record<string, SetEntry>;
      const set =
        Object.keys(first).length >= SET_CHUNK
          ? await readCalibrationSet(p.owner, p.area)
          : new Map(Object.entries(first));
      remember(`${p.owner}/${p.area}`, now, set);
    }),
  );
  const params = await calibratedParameters(
    refs.map((r) => ({ owner: r.o, area: contents.get(r.q)!.area })),
    now,
  );
  return { contents, params };
}
