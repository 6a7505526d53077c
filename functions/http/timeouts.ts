/**
 * Time limits of the HTTP functions, declared once: the CDK stack sets each function's timeout
 * from them, the local gateway enforces them as Lambda and API Gateway would, and the handler
 * answers 503 before they run out (see `createHttpHandler`).
 */
import type { FunctionGroup } from './route-types.ts';

/**
 * Each function's timeout. Bank uploads parse and write up to 6 MB documents; the HTTP API
 * gives up on an integration after 30 s, so no timeout goes beyond 29 s.
 */
export const FUNCTION_TIMEOUT_SECONDS: Readonly<Record<FunctionGroup, number>> = {
  public: 10,
  authoring: 29,
  employer: 20,
  'employer-attempts': 20,
  candidate: 10,
};

/** API Gateway (HTTP API) waits this long for a Lambda integration, then answers 503 itself. */
export const INTEGRATION_TIMEOUT_SECONDS = 30;

/**
 * A handler stops waiting this long before its function's time runs out and answers 503 with
 * Retry-After: enough to serialise the answer and write one log line. Were Lambda to kill the
 * function instead, the client would get API Gateway's bare 500, which reads like a bug.
 */
export const DEADLINE_MARGIN_MS = 1000;
