/**
 * The deadline of the request being served. The HTTP layer opens one per invocation (an abort
 * signal that fires shortly before the function's time runs out); every DynamoDB call made on
 * its behalf carries it, however deep, without threading a parameter through each function.
 * Async-local rather than a module variable: the local gateway runs many invocations in one
 * process, and a timed-out invocation's leftover work must still see its own (aborted) signal,
 * so that it stops writing instead of carrying on after its caller was told 503.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

const current = new AsyncLocalStorage<AbortSignal>();

/** Run `work` with `signal` as its deadline: everything it awaits sees the same signal. */
export function withDeadline<T>(signal: AbortSignal, work: () => T): T {
  return current.run(signal, work);
}

/**
 * Run `work` outside any request: it and everything it awaits see no deadline, as a job that a
 * request starts does in AWS (another function, with its own timeout). Without this a job
 * started locally in a request's async context inherited that request's deadline, its short
 * per-attempt timeouts and the circuit breaker's refusals.
 */
export function outsideRequest<T>(work: () => T): T {
  return current.exit(work);
}

/** The signal of the request being served, if any (jobs and scripts have none). */
export function currentDeadline(): AbortSignal | undefined {
  return current.getStore();
}
