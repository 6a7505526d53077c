import { Logger } from '@aws-lambda-powertools/logger';

/**
 * The one logger (Powertools: JSON lines with the request id on Lambda). Never log a request's
 * headers or body: they carry bearer tokens.
 */
export const logger = new Logger({
  serviceName: 'assay',
  logLevel: (process.env.LOG_LEVEL as 'INFO' | undefined) ?? 'INFO',
});
