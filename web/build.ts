/**
 * `npm run build:web`: bundles every web app (see apps.ts) with the project's esbuild into
 * `web/dist/<name>/`: `index.html` naming content-hashed assets under `/<name>/assets/`, and the
 * favicon. `npm start` runs it first. `--out DIR` builds elsewhere (tests use a temporary dir).
 */
import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { WEB_APPS, type WebApp } from './apps.ts';

const WEB_DIR = import.meta.dirname;
export const DEFAULT_DIST = join(WEB_DIR, 'dist');

export interface BuiltFile {
  path: string;
  bytes: number;
  gzipBytes: number;
}

export interface BuiltApp {
  name: string;
  dir: string;
  files: BuiltFile[];
}

/**
 * Modules replaced in the browser: markdown-it's entity decoding by the browser's own parser,
 * not a 46 KB table (web/shared/entities-dom.ts says why).
 */
export const WEB_ALIASES: Readonly<Record<string, string>> = {
  entities: join(WEB_DIR, 'shared/entities-dom.ts'),
};

/** Build one app into `<dist>/<name>/` (the folder is replaced whole). */
export async function buildApp(app: WebApp, dist = DEFAULT_DIST): Promise<BuiltApp> {
  const source = join(WEB_DIR, app.source);
  const dir = join(dist, app.name);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const result = await build({
    entryPoints: [join(source, 'main.ts')],
    bundle: true,
    minify: true,
    format: 'esm',
    target: ['es2022', 'chrome111', 'firefox111', 'safari16.4'],
    platform: 'browser',
    sourcemap: 'linked',
    outdir: join(dir, 'assets'),
    entryNames: '[name]-[hash]',
    metafile: true,
    charset: 'utf8',
    alias: WEB_ALIASES,
    logLevel: 'silent',
  });
  const outputs = Object.keys(result.metafile.outputs).map((p) => resolve(p));
  const url = (file: string) => `/${app.name}/${relative(dir, file).split('\\').join('/')}`;
  const js = outputs.find((p) => p.endsWith('.js'))!;
  const css = outputs.find((p) => p.endsWith('.css'));
  const html = (await readFile(join(source, 'index.html'), 'utf8')).replace(
    '<!-- assets -->',
    [
      ...(css ? [`<link rel="stylesheet" href="${url(css)}">`] : []),
      `<script type="module" src="${url(js)}"></script>`,
    ].join('\n'),
  );
  await writeFile(join(dir, 'index.html'), html);
  await copyFile(join(source, 'favicon.svg'), join(dir, 'favicon.svg'));
  const files: BuiltFile[] = [];
  for (const path of [join(dir, 'index.html'), ...outputs.filter((p) => !p.endsWith('.map'))]) {
    const content = await readFile(path);
    files.push({
      path: relative(dir, path),
      bytes: content.length,
      gzipBytes: gzipSync(content, { level: 9 }).length,
    });
  }
  return { name: app.name, dir, files };
}

/** Build every web app. */
export async function buildWeb(dist = DEFAULT_DIST): Promise<BuiltApp[]> {
  const built: BuiltApp[] = [];
  for (const app of WEB_APPS) built.push(await buildApp(app, dist));
  return built;
}

if (process.argv[1] && basename(process.argv[1]) === 'build.ts') {
  const { values } = parseArgs({ options: { out: { type: 'string' } } });
  const started = performance.now();
  const built = await buildWeb(values.out ? resolve(values.out) : DEFAULT_DIST);
  for (const app of built) {
    const sizes = app.files
      .map(
        (f) =>
          `${f.path} ${(f.bytes / 1024).toFixed(1)} KB (${(f.gzipBytes / 1024).toFixed(1)} KB gzipped)`,
      )
      .join(', ');
    console.log(`web/dist/${app.name}: ${sizes}`);
  }
  console.log(`Built ${built.length} web app(s) in ${Math.round(performance.now() - started)} ms.`);
}
