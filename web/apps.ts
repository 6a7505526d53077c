/**
 * The web apps: each is built from `web/<source>/` into `web/dist/<name>/` and served at
 * `/<name>` (locally by the gateway, in AWS by CloudFront from the stack's bucket).
 */
export interface WebApp {
  /** The URL path segment and the folder in `web/dist/`. */
  name: string;
  /** The folder under `web/` with `index.html`, `main.ts` and `favicon.svg`. */
  source: string;
}

export const WEB_APPS: readonly WebApp[] = [{ name: 'take', source: 'candidate' }];

/** Largest gzipped JavaScript an app may ship (bytes). */
export const JS_BUDGET_GZIP_BYTES = 60 * 1024;
