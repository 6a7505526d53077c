/**
 * The web apps of `web/dist/` (built by `npm run build:web`) as the local gateway serves them,
 * the way CloudFront does in AWS: `/take` and `/take/` are the app's `index.html`, its files
 * are under `/take/...`. Only GET and HEAD; anything else goes on to the API's routes.
 */
import { readFile, stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { WEB_APPS, WEB_CONTENT_SECURITY_POLICY } from '../../web/apps.ts';

/** Where the built apps are: `WEB_DIST_DIR`, else `web/dist`. */
export const webDistDir = () =>
  resolve(process.env.WEB_DIST_DIR ?? join(import.meta.dirname, '../../web/dist'));

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.map': 'application/json',
  '.png': 'image/png',
};

/**
 * The page may run only its own script and styles and talk only to its own origin: even if a
 * question's text slipped HTML past the markdown renderer, nothing in it could run.
 */
export const WEB_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': WEB_CONTENT_SECURITY_POLICY,
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'cross-origin-opener-policy': 'same-origin',
};

function notFound(res: ServerResponse, text: string, status = 404): true {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...WEB_SECURITY_HEADERS });
  res.end(text);
  return true;
}

/**
 * Serve a web app's file if the request is for one. Returns false when the path belongs to no
 * app (the gateway then routes it to the API).
 */
export async function serveWebApp(
  method: string,
  path: string,
  res: ServerResponse,
): Promise<boolean> {
  if (method !== 'GET' && method !== 'HEAD') return false;
  const app = WEB_APPS.find((a) => path === `/${a.name}` || path.startsWith(`/${a.name}/`));
  if (!app) return false;
  const root = join(webDistDir(), app.name);
  let rel: string;
  try {
    rel = decodeURIComponent(path.slice(app.name.length + 1)).replace(/^\/+/, '') || 'index.html';
  } catch {
    return notFound(res, 'Not found.');
  }
  const file = normalize(join(root, rel));
  if (!file.startsWith(root + sep)) return notFound(res, 'Not found.');
  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile()) {
    const built = await stat(join(root, 'index.html')).catch(() => undefined);
    return built
      ? notFound(res, 'Not found.')
      : notFound(res, `The ${app.name} app is not built: run npm run build:web.`, 503);
  }
  const isHtml = file.endsWith('.html');
  res.writeHead(200, {
    'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
    'content-length': String(info.size),
    // Assets carry a content hash in their names; the page itself is checked every time.
    'cache-control': rel.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
    ...(isHtml ? WEB_SECURITY_HEADERS : { 'x-content-type-options': 'nosniff' }),
  });
  res.end(method === 'HEAD' ? undefined : await readFile(file));
  return true;
}
