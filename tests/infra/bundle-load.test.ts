import { execSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOpenApi } from '../../functions/http/openapi.ts';
import { handlerEntry } from '../../functions/http/routes.ts';
import {
  esbuildOptions,
  SIDE_PREFIX,
  sideEntries,
  sideModuleCommands,
} from '../../infra/aws/bundling.ts';
import { buildEvent } from '../../infra/local/gateway.ts';

const root = resolve(import.meta.dirname, '../..');

describe('side entries (#side/*: code only some requests load)', () => {
  let outDir: string;
  beforeAll(async () => {
    outDir = mkdtempSync(join(tmpdir(), 'assay-side-'));
    // As CDK builds the public function: the bundle, then the afterBundling commands.
    await build({
      ...esbuildOptions(resolve(root, handlerEntry('public')), join(outDir, 'index.mjs')),
      logLevel: 'silent',
    });
    for (const command of sideModuleCommands(root, outDir)) execSync(command, { stdio: 'pipe' });
  });
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it('are the package.json imports under #side/, each a source file of the project', () => {
    const entries = sideEntries();
    expect(Object.keys(entries)).toContain('openapi');
    for (const source of Object.values(entries))
      expect(existsSync(resolve(root, source))).toBe(true);
  });

  it('stay out of the bundle, which imports them by specifier', () => {
    const code = readFileSync(join(outDir, 'index.mjs'), 'utf8');
    expect(code).toContain(`import("${SIDE_PREFIX}openapi")`);
    // The document builder's own strings and zod's JSON Schema converter are not in the bundle.
    expect(code).not.toContain('Skills assessments for backend engineers');
    expect(code).not.toContain('toJSONSchema');
  });

  it('are built beside the bundle, where the bundle finds them: the public function serves the OpenAPI document', async () => {
    const imports = JSON.parse(readFileSync(join(outDir, 'package.json'), 'utf8')).imports;
    expect(imports).toEqual({
      '#side/openapi': './side/openapi.mjs',
      '#side/report': './side/report.mjs',
    });
    const { event } = await buildEvent({
      method: 'GET',
      url: '/v1/openapi.json',
      headers: { host: 'api.example' },
    });
    const run = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const { handler } = await import(${JSON.stringify(pathToFileURL(join(outDir, 'index.mjs')).href)});
         const res = await handler(${JSON.stringify(event)}, { getRemainingTimeInMillis: () => 10000 });
         process.stdout.write(JSON.stringify(res));`,
      ],
      {
        encoding: 'utf8',
        cwd: tmpdir(),
        env: { PATH: process.env.PATH ?? '', TABLE_NAME: 'none', AWS_REGION: 'local' },
      },
    );
    expect(run.stderr).toBe('');
    const res = JSON.parse(run.stdout) as { statusCode: number; body: string };
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body)).toEqual(JSON.parse(JSON.stringify(buildOpenApi())));
  });
});

describe('the employer function', () => {
  it('carries no attempt, grading, question-type or report code (the employer-attempts function does)', async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'assay-employer-'));
    try {
      const res = await build({
        ...esbuildOptions(resolve(root, handlerEntry('employer')), join(outDir, 'index.mjs')),
        metafile: true,
        logLevel: 'silent',
      });
      const inputs = Object.keys(res.metafile.inputs);
      expect(inputs).toContain('functions/services/assessments.ts');
      const strays = inputs.filter((f) =>
        /^functions\/(domain\/question-types\/|domain\/grading|services\/attempts|services\/reports|http\/report-html)/.test(
          f,
        ),
      );
      expect(strays).toEqual([]);
    } finally {
      rmSync(outDir, { recursive: true, force: true });
    }
  });
});

describe("the employer-attempts function's report renderers (#side/report)", () => {
  let outDir: string;
  beforeAll(async () => {
    outDir = mkdtempSync(join(tmpdir(), 'assay-report-'));
    await build({
      ...esbuildOptions(
        resolve(root, handlerEntry('employer-attempts')),
        join(outDir, 'index.mjs'),
      ),
      logLevel: 'silent',
    });
    for (const command of sideModuleCommands(root, outDir)) execSync(command, { stdio: 'pipe' });
  });
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it('stay out of the bundle, which imports them by specifier', () => {
    const code = readFileSync(join(outDir, 'index.mjs'), 'utf8');
    expect(code).toContain(`import("${SIDE_PREFIX}report")`);
    // The chart's markup and the page's stylesheet policy are the side entry's alone.
    expect(code).not.toContain('assay-chart-title');
    expect(code).not.toContain("form-action 'none'");
  });

  it('load from beside the bundle and render the chart and the page policy', () => {
    const run = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const r = await import(${JSON.stringify(pathToFileURL(join(outDir, 'side', 'report.mjs')).href)});
         process.stdout.write(JSON.stringify({ svg: r.radarSvg([], { title: 'T' }), csp: r.REPORT_CONTENT_SECURITY_POLICY, html: typeof r.reportHtml }));`,
      ],
      { encoding: 'utf8', cwd: tmpdir(), env: { PATH: process.env.PATH ?? '' } },
    );
    expect(run.stderr).toBe('');
    const out = JSON.parse(run.stdout) as { svg: string; csp: string; html: string };
    expect(out.svg).toContain('<title id="assay-chart-title">T</title>');
    expect(out.csp).toMatch(/^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+'/);
    expect(out.html).toBe('function');
  });
});

describe('what a bundle loads at import', () => {
  it('takes node:http as CommonJS (no ESM facade, which would load undici through http.WebSocket)', async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'assay-http-'));
    try {
      const outfile = join(outDir, 'index.mjs');
      await build({
        ...esbuildOptions(resolve(root, handlerEntry('public')), outfile),
        logLevel: 'silent',
      });
      const code = readFileSync(outfile, 'utf8');
      // middy's util imports STATUS_CODES from node:http; the SDK imports it for http endpoints.
      expect(code).not.toMatch(/from\s*"node:http"|import\(\s*"node:http"\s*\)/);
      const run = spawnSync(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          `await import(${JSON.stringify(pathToFileURL(outfile).href)});
           process.stdout.write(JSON.stringify(process.moduleLoadList.filter((m) => m.includes('undici'))));`,
        ],
        { encoding: 'utf8', cwd: tmpdir(), env: { PATH: process.env.PATH ?? '' } },
      );
      expect(run.stderr).toBe('');
      expect(JSON.parse(run.stdout)).toEqual([]);
    } finally {
      rmSync(outDir, { recursive: true, force: true });
    }
  });
});
