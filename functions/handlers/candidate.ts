import { clock } from '../domain/clock.ts';
import { DomainError } from '../domain/errors.ts';
import { createHttpHandler, type Operation, Reply } from '../http/api.ts';
import { clientIp } from '../http/client-ip.ts';
import { CANDIDATE_ROUTES } from '../http/routes/candidate.ts';
import {
  answer,
  attemptView,
  candidateAttempt,
  candidateResult,
  startOrResume,
  submit,
} from '../services/attempts.ts';
import { inspectInvitation, recordPageEvents } from '../services/candidate-app.ts';

export const operations: Record<string, Operation> = {
  inspectInvitation: async ({ body }) =>
    new Reply(200, await inspectInvitation(body.invitationToken, clock.now()), {
      'cache-control': 'no-store',
    }),

  startAttempt: async ({ body, headers, event }) => {
    const now = clock.now();
    const { created, attempt, attemptToken } = await startOrResume(body.invitationToken, now, {
      ...(headers['user-agent'] ? { userAgent: headers['user-agent'].slice(0, 200) } : {}),
      sourceIp: clientIp(event),
    });
    return new Reply(created ? 201 : 200, await attemptView(attempt, now, attemptToken), {
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

  saveAnswer: async ({ params, bearer, body }) =>
    answer(params.attemptId, bearer!, params.questionId, body.answer, clock.now()),

  recordPageEvents: async ({ params, bearer, body }) =>
    recordPageEvents(params.attemptId, bearer!, body.events, clock.now()),

  submitAttempt: async ({ params, bearer }) => submit(params.attemptId, bearer!, clock.now()),

  getResult: async ({ params, bearer }) => {
    const attempt = await candidateAttempt(params.attemptId, bearer!, clock.now());
    if (!attempt.showResultToCandidate) {
      throw new DomainError(
        'results-hidden',
        'This assessment does not show results to candidates; the employer will be in touch.',
      );
    }
    if (!attempt.result)
      throw new DomainError('conflict', 'The attempt is still active: submit it first.');
    return candidateResult(attempt);
  },
};

export const handler = createHttpHandler('candidate', CANDIDATE_ROUTES, operations);
