/**
 * Compiled by `npm run typecheck`, never run: each `@ts-expect-error` below must meet a type
 * error, or tsc fails with "Unused '@ts-expect-error' directive". Together they prove that a
 * handler module's operations are checked against its route group.
 */

import { operations } from '../../functions/handlers/candidate.ts';
import { type Operations, Reply } from '../../functions/http/api.ts';
import type { CANDIDATE_ROUTES } from '../../functions/http/routes/candidate.ts';

type Candidate = Operations<typeof CANDIDATE_ROUTES>;

/** The real operations type-check (a baseline for the cases below). */
export const complete: Candidate = { ...operations };

// A missing operation: the route table has `getResult`, the module does not.
// @ts-expect-error Property 'getResult' is missing
export const missing: Candidate = {
  startAttempt: operations.startAttempt,
  getAttempt: operations.getAttempt,
  saveAnswer: operations.saveAnswer,
  submitAttempt: operations.submitAttempt,
};

export const misspelt: Candidate = {
  ...operations,
  // @ts-expect-error 'submitAtempt' does not exist in the candidate routes
  submitAtempt: operations.submitAttempt,
};

export const wrongRequestField: Candidate = {
  ...operations,
  // @ts-expect-error the save body has `answer`, not `value`
  saveAnswer: async ({ body }) => ({ savedAt: body.value, serverTime: '', deadline: '' }),
};

export const wrongPathParameter: Candidate = {
  ...operations,
  getResult: async ({ params }) => {
    // @ts-expect-error the path parameter is `attemptId`
    const id: string = params.attemptID;
    throw new Error(id);
  },
};

export const wrongResponseBody: Candidate = {
  ...operations,
  // @ts-expect-error Saved needs savedAt, serverTime and deadline as strings
  saveAnswer: async () => ({ savedAt: 1 }),
};

export const undeclaredStatus: Candidate = {
  ...operations,
  // @ts-expect-error getAttempt declares 200 only, not 201
  getAttempt: async () => new Reply(201, { attemptId: 'x' }),
};

export const wrongReplyBody: Candidate = {
  ...operations,
  // @ts-expect-error a 201 start answers with the attempt view, not a bare id
  startAttempt: async () => new Reply(201, { attemptId: 1 }),
};
