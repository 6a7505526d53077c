import { createRequire } from 'node:module';
import type * as Powertools from '@aws-lambda-powertools/logger';

type Logger = Powertools.Logger;

let instance: Promise<Logger> | undefined;

/**
 * The one logger (Powertools: JSON lines with the request id on Lambda), loaded on first use:
 * HTTP functions log only on the error path, so importing it eagerly would add its load time
 * (about 16 ms) to every cold start for nothing. It is a side module (infra/aws/bundling.ts):
 * loaded with a runtime `require`, so its 35 KB stay out of every bundle and only a request that
 * logs reads them. Never log a request's headers or body: they carry bearer tokens.
 */
export function logger(): Promise<Logger> {
  instance ??= Promise.resolve().then(() => {
    const { Logger } = createRequire(import.meta.url)(
      '@aws-lambda-powertools/logger',
    ) as typeof Powertools;
    return new Logger({
      serviceName: 'assay',
      logLevel: (process.env.LOG_LEVEL as 'INFO' | undefined) ?? 'INFO',
    });
  });
  return instance;
}
