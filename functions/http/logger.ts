import type { Logger } from '@aws-lambda-powertools/logger';

let instance: Promise<Logger> | undefined;

/**
 * The one logger (Powertools: JSON lines with the request id on Lambda), loaded on first use:
 * HTTP functions log only on the error path, so importing it eagerly would add its load time
 * (about 16 ms) to every cold start for nothing. Never log a request's headers or body: they
 * carry bearer tokens.
 */
export function logger(): Promise<Logger> {
  instance ??= import('@aws-lambda-powertools/logger').then(
    ({ Logger }) =>
      new Logger({
        serviceName: 'assay',
        logLevel: (process.env.LOG_LEVEL as 'INFO' | undefined) ?? 'INFO',
      }),
  );
  return instance;
}
