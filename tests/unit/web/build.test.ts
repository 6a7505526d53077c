import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { serveWebApp } from '../../../infra/local/static.ts';
import { JS_BUDGET_GZIP_BYTES } from '../../../web/apps.ts';
import { type BuiltApp, buildWeb } from '../../../web/build.ts';

let dist: string;
let built: BuiltApp[];
let server: Server;
let base: string;

beforeAll(async () => {
  dist = mkdtempSync(join(tmpdir(), 'assay-web-unit-'));
  built = await buildWeb(dist);
  vi.stubEnv('WEB_DIST_DIR', dist);
  server = createServer(async (req, res) => {
    if (!(await serveWebApp(req.method ?? 'GET', (req.url ?? '/').split('?')[0]!, res))) {
      res.writeHead(418);
      res.end('not a web app path');
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 60_000);

afterAll(async () => {
  await new Promise((r) => server.close(r));
  rmSync(dist, { recursive: true, force: true });
  // The unit files share one process (vitest.config.ts): leave the setting as it was.
  vi.unstubAllEnvs();
});

describe('npm run build:web', () => {
  it('builds the candidate app into take/ with hashed assets named by its index.html', () => {
    const take = built.find((a) => a.name === 'take')!;
    const html = readFileSync(join(dist, 'take', 'index.html'), 'utf8');
    const js = take.files.find((f) => f.path.endsWith('.js'))!;

    expect(js.path).toMatch(/^assets\/main-[A-Z0-9]{8}\.js$/);
    expect(html).toContain(`<script type="module" src="/take/${js.path}"></script>`);
    expect(html).toMatch(/<link rel="stylesheet" href="\/take\/assets\/main-[A-Z0-9]{8}\.css">/);
    expect(html).not.toContain('<!-- assets -->');
  });

  it('builds the console into console/, its page naming its own assets', () => {
    const html = readFileSync(join(dist, 'console', 'index.html'), 'utf8');
    expect(built.map((a) => a.name)).toEqual(['take', 'console']);
    expect(html).toMatch(/<script type="module" src="\/console\/assets\/main-[A-Z0-9]{8}\.js">/);
    expect(html).toContain('<link rel="icon" href="/console/favicon.svg"');
  });

  it(`keeps each app's JavaScript under ${JS_BUDGET_GZIP_BYTES / 1024} KB gzipped`, () => {
    for (const app of built) {
      const js = app.files.filter((f) => f.path.endsWith('.js'));
      const total = js.reduce((sum, f) => sum + f.gzipBytes, 0);
      expect(total, `${app.name}: ${total} bytes gzipped`).toBeLessThan(JS_BUDGET_GZIP_BYTES);
      expect(total).toBeGreaterThan(10_000);
    }
  });
});

describe('the local gateway serving web apps', () => {
  it('serves /take and /take/ as the page with a strict Content-Security-Policy', async () => {
    for (const path of ['/take', '/take/']) {
      const res = await fetch(`${base}${path}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(await res.text()).toContain('<main id="main"');
    }
  });

  it('serves hashed assets as immutable and the favicon', async () => {
    const js = built[0]!.files.find((f) => f.path.endsWith('.js'))!;
    const asset = await fetch(`${base}/take/${js.path}`);
    const icon = await fetch(`${base}/take/favicon.svg`);

    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(icon.headers.get('content-type')).toBe('image/svg+xml');
  });

  it('answers 404 for missing files and never leaves the app folder', async () => {
    const statuses = await Promise.all(
      [
        '/take/nope.js',
        '/take/..%2f..%2fpackage.json',
        '/take/assets/..%2f..%2f..%2fpackage.json',
        '/take/%E0%A4%A',
      ].map(async (p) => (await fetch(`${base}${p}`)).status),
    );
    const api = await fetch(`${base}/v1/health`);
    const post = await fetch(`${base}/take`, { method: 'POST' });

    expect(statuses).toEqual([404, 404, 404, 404]);
    expect(api.status).toBe(418);
    expect(post.status).toBe(418);
  });
});
