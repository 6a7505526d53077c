import { clock } from '../domain/clock.ts';
import { createHttpHandler, type Operations, Reply } from '../http/api.ts';
import { clientIp } from '../http/client-ip.ts';
import { CANDIDATE_ROUTES } from '../http/routes/candidate.ts';
import {
  answer,
  attemptView,
  candidateAttempt,
  ownResult,
  startOrResume,
  submit,
} from '../services/attempts.ts';
import { inspectInvitation, recordPageEvents } from '../services/candidate-app.ts';

export const operations: Operations<typeof CANDIDATE_ROUTES> = {
  inspectInvitation: async ({ body }) =>
    new Reply(200, await inspectInvitation(body.invitationToken, clock.now()), {
      'cache-control': 'no-store',
    }),

  startAttempt: async ({ headers, body, event }) => {
    const now = clock.now();
    const { created, loaded, attemptToken } = await startOrResume(body.invitationToken, now, {
      ...(headers['user-agent'] ? { userAgent: headers['user-agent'].slice(0, 200) } : {}),
      sourceIp: clientIp(event),
    });
    return new Reply(created ? 201 : 200, await attemptView(loaded, now, attemptToken), {
      'cache-control': 'no-store',
    });
  },

  getAttempt: async ({ params, bearer }) => {
    const now = clock.now();
    return new Reply(
      200,
      await attemptView(await candidateAttempt(params.attemptId, bearer!, now), now),
      { 'cache-control': 'no-store' },
    );
  },

  saveAnswer: async ({ params, bearer, body, headers }) => {
    const saved = await answer(
      params.attemptId,
      bearer!,
      params.questionId,
      body.answer,
      clock.now(),
      headers['if-match'],
    );
    return new Reply(200, saved, { etag: `"${saved.revision}"` });
  },

  recordPageEvents: async ({ params, bearer, body }) =>
    recordPageEvents(params.attemptId, bearer!, body.events, clock.now(), body.batchId),

  submitAttempt: async ({ params, bearer }) => submit(params.attemptId, bearer!, clock.now()),

  getResult: async ({ params, bearer }) => ownResult(params.attemptId, bearer!, clock.now()),
};

export const handler = createHttpHandler('candidate', CANDIDATE_ROUTES, operations, {
  outputs: () => import('#side/outputs-candidate'),
});
