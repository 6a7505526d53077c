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

export const WEB_APPS: readonly WebApp[] = [
  { name: 'take', source: 'candidate' },
  { name: 'console', source: 'console' },
];

/** Largest gzipped JavaScript an app may ship (bytes). */
export const JS_BUDGET_GZIP_BYTES = 60 * 1024;

/**
 * The web apps' Content-Security-Policy: their own scripts, styles and API only, so even HTML
 * slipped into a question's text could not run. Sent by the local gateway
 * (`infra/local/static.ts`) and by CloudFront (`infra/aws/edge.ts`), which adds the Cognito
 * domain to `connect-src` (the console exchanges its sign-in code there: `connectSources`).
 */
export function webContentSecurityPolicy(connectSources: readonly string[] = []): string {
  return `default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src ${["'self'", ...connectSources].join(' ')}; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;
}

/** The policy with no other origin: what the local gateway sends. */
export const WEB_CONTENT_SECURITY_POLICY = webContentSecurityPolicy();
