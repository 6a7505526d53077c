import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../../functions/http/routes.ts';
import { startedAttempt } from './fixtures.ts';
import { useTestApi } from './support.ts';

const api = useTestApi();
const tokens: Record<string, string> = {};
const ids: Record<string, string> = {};

beforeAll(async () => {
  const fixture = await startedAttempt(api, {
    org: 'fuzz',
    bankPrefix: 'fz',
    title: 'Fuzz',
    candidateName: 'F',
  });
  Object.assign(tokens, fixture.tokens);
  Object.assign(ids, fixture.ids);
});

const targets = ROUTES.filter((r) =>
  ['employer', 'employer-attempts', 'candidate'].includes(r.group),
);

/** A path segment: the real id, something id-shaped, or junk (encoded so it stays one segment). */
const segment = (real: string) =>
  fc
    .oneof(
      fc.constant(real),
      fc.constant('01ARZ3NDEKTSV4RRFFQ69G5FAV'),
      fc.string({ maxLength: 80 }),
      fc.constant('..'),
      fc.constant('%00'),
    )
    .map((s) => encodeURIComponent(s) || 'x');

const body = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  fc.record({ invitationToken: fc.string() }),
  fc.record({ answer: fc.jsonValue({ maxDepth: 2 }) }),
  fc.record({
    title: fc.string(),
    timeLimitMinutes: fc.integer(),
    sections: fc.array(
      fc.record({
        area: fc.constantFrom('security', 'x'),
        count: fc.integer(),
        difficulty: fc.jsonValue(),
      }),
      { maxLength: 3 },
    ),
  }),
  fc.record({
    candidates: fc.array(
      fc.record({ name: fc.string(), email: fc.string(), extraTimePercent: fc.integer() }),
      { maxLength: 3 },
    ),
    expiresAt: fc.string(),
  }),
);

describe('fuzzing employer and candidate routes', () => {
  for (const route of targets) {
    it(`never answers ${route.method} ${route.path} with a 5xx`, async () => {
      await fc.assert(
        fc.asyncProperty(
          segment(ids.assessmentId!),
          segment(ids.invitationId!),
          segment(ids.attemptId!),
          segment(ids.questionId!),
          body,
          fc.oneof(
            fc.constant(''),
            fc
              .string({ maxLength: 40 })
              .map((s) => `?cursor=${encodeURIComponent(s)}&limit=${encodeURIComponent(s)}`),
          ),
          fc.constantFrom('author', 'employer', 'candidate', 'none'),
          fc.boolean(),
          async (aid, iid, atid, qid, json, query, who, raw) => {
            const path = route.path
              .replace('{assessmentId}', aid)
              .replace('{invitationId}', iid)
              .replace('{attemptId}', atid)
              .replace('{questionId}', qid);
            const res = await api.request(route.method, `${path}${query}`, {
              ...(who !== 'none' ? { token: tokens[who] } : {}),
              ...(route.method === 'GET'
                ? {}
                : raw
                  ? { raw: JSON.stringify(json).slice(0, -1), contentType: 'application/json' }
                  : { body: json }),
            });
            expect(
              res.status,
              `${route.method} ${path}${query} -> ${res.text.slice(0, 300)}`,
            ).toBeLessThan(500);
          },
        ),
        { numRuns: 40 },
      );
    }, 60_000);
  }
});
