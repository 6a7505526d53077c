import type { Logger } from '@aws-lambda-powertools/logger';
import type { MiddlewareObj, Request } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { UnavailableError } from '../domain/errors.ts';
import {
  problemOf,
  problemResponse,
  problemType,
  retryAfterHeader,
  toDomainError,
} from './problem.ts';

export interface ProblemErrorsOptions {
  /** Resolves the logger when an unexpected error or a fault needs one (it may load lazily). */
  logger?: () => Promise<Pick<Logger, 'error' | 'warn'>>;
}

/** What a log line may say about an error: its kind and message, never request data. */
function describe(err: unknown): Record<string, unknown> {
  const e = err as { name?: string; code?: string; message?: string; cause?: unknown };
  return {
    name: e?.name,
    ...(e?.code ? { code: e.code } : {}),
    message: e?.message,
    ...(e?.cause && e.cause !== err ? { cause: describe(e.cause) } : {}),
  };
}

const defaults: ProblemErrorsOptions = { logger: undefined };

/**
 * Turns every error into an RFC 9457 `application/problem+json` response. Domain errors keep
 * their status and message; anything else is logged and answered with a bare 500 so that no
 * internal detail reaches a client.
 */
export function problemErrors(
  opts: ProblemErrorsOptions = {},
): MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2> {
  const options = { ...defaults, ...opts };
  const problemErrorsOnError = async (
    request: Request<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>,
  ) => {
    const instance = request.event?.rawPath;
    const domain = toDomainError(request.error);
    if (domain instanceof UnavailableError) {
      // The one log line of a fault: its cause, for the operator; the client gets 503 only.
      (await options.logger?.())?.warn('Unavailable', {
        fault: domain.fault,
        error: describe(domain.cause ?? request.error),
        path: instance,
      });
      request.response = problemResponse(problemOf(domain, instance), retryAfterHeader(domain));
      return;
    }
    if (domain) {
      const allow = domain.extra.allow;
      request.response = problemResponse(
        problemOf(domain, instance),
        typeof allow === 'string' ? { allow } : {},
      );
      return;
    }
    (await options.logger?.())?.error('Unhandled error', {
      error: request.error as Error,
      path: instance,
    });
    request.response = problemResponse({
      type: problemType('internal'),
      code: 'internal',
      title: 'Internal server error',
      status: 500,
      detail: `Something went wrong on our side. Quote request id ${request.event?.requestContext?.requestId ?? 'unknown'} when reporting it.`,
      ...(instance ? { instance } : {}),
    });
  };
  return { onError: problemErrorsOnError };
}
