import { execFile, execSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOpenApi } from '../../functions/http/openapi.ts';
import { PUBLIC_PROSE } from '../../functions/http/routes/public.ts';
import { handlerEntry } from '../../functions/http/routes.ts';
import { JOBS } from '../../functions/jobs/jobs.ts';
import {
  esbuildOptions,
  SIDE_PREFIX,
  sideEntries,
  sideModuleCommands,
} from '../../infra/aws/bundling.ts';
import { buildEvent } from '../../infra/local/gateway.ts';
import { type MailCapture, startMailCapture } from '../../infra/local/mail-capture.ts';

const root = resolve(import.meta.dirname, '../..');
const execFileAsync = promisify(execFile);

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
    // Nor the routes' prose (summaries, what each status means), which only the document reads.
    for (const { summary, responses } of Object.values(PUBLIC_PROSE()))
      for (const text of [summary, ...Object.values(responses)])
        expect(code).not.toContain(text.slice(0, 40));
  });

  it('are built beside the bundle, where the bundle finds them: the public function serves the OpenAPI document', async () => {
    const imports = JSON.parse(readFileSync(join(outDir, 'package.json'), 'utf8')).imports;
    expect(imports).toEqual({
      '#side/moodle-readers': './side/moodle-readers.mjs',
      '#side/openapi': './side/openapi.mjs',
      '#side/output-crosscheck': './side/output-crosscheck.mjs',
      '#side/outputs-authoring': './side/outputs-authoring.mjs',
      '#side/outputs-candidate': './side/outputs-candidate.mjs',
      '#side/outputs-employer': './side/outputs-employer.mjs',
      '#side/outputs-employer-attempts': './side/outputs-employer-attempts.mjs',
      '#side/outputs-public': './side/outputs-public.mjs',
      '#side/report': './side/report.mjs',
      '#side/smtp': './side/smtp.mjs',
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

describe("the mail job's SMTP path (#side/smtp: nodemailer's MIME composer and SMTP client)", () => {
  let outDir: string;
  let capture: MailCapture;
  beforeAll(async () => {
    outDir = mkdtempSync(join(tmpdir(), 'assay-smtp-'));
    const mailJob = JOBS.find((j) => j.name === 'mail')!;
    await build({
      ...esbuildOptions(resolve(root, mailJob.entry), join(outDir, 'index.mjs')),
      logLevel: 'silent',
    });
    for (const command of sideModuleCommands(root, outDir)) execSync(command, { stdio: 'pipe' });
    capture = await startMailCapture();
  }, 120_000);
  afterAll(async () => {
    await capture?.stop();
    rmSync(outDir, { recursive: true, force: true });
  });

  it('stays out of the mail bundle, which carries no nodemailer and imports it by specifier', () => {
    const code = readFileSync(join(outDir, 'index.mjs'), 'utf8');
    expect(code).toContain(`import("${SIDE_PREFIX}smtp")`);
    // Strings of nodemailer's SMTP client and MIME composer.
    expect(code).not.toContain('Greeting never received');
    expect(code).not.toContain('_NmP-');
    expect(existsSync(join(outDir, 'node_modules', 'nodemailer'))).toBe(false);
  });

  it('is built beside the bundle and sends a message from there, through SMTP', async () => {
    const to = `side-${Date.now()}@example.test`;
    // Not spawnSync: the capture answers from this process's event loop.
    const run = await execFileAsync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const { sendSmtp } = await import('#side/smtp');
         const id = await sendSmtp(${JSON.stringify(capture.smtpUrl)}, { from: { name: 'Acme', address: 'assessments@assay.test' }, to: ${JSON.stringify(to)}, subject: 'Hello', text: 'Hello', html: '<p>Hello</p>', headers: { 'X-assay-message': '1' } });
         process.stdout.write(id);`,
      ],
      { encoding: 'utf8', cwd: outDir, env: { PATH: process.env.PATH ?? '' }, timeout: 30_000 },
    );
    expect(run.stderr).toBe('');
    const all = (await (await fetch(`${capture.apiUrl}/email`)).json()) as {
      id: string;
      to: { address: string }[];
    }[];
    const sent = all.filter((m) => m.to.some((t) => t.address === to));
    expect(sent).toHaveLength(1);
    const source = await (await fetch(`${capture.apiUrl}/email/${sent[0]!.id}/source`)).text();
    expect(source).toContain(`Message-ID: ${run.stdout}`);
  });
});

describe('the GIFT and Moodle XML readers (#side/moodle-readers)', () => {
  let outDir: string;
  let readers: string;
  beforeAll(async () => {
    outDir = mkdtempSync(join(tmpdir(), 'assay-readers-'));
    // The upload path as the authoring function and the import job bundle it, with the
    // bundle's own error class to compare against, then the afterBundling commands.
    await build({
      ...esbuildOptions(resolve(root, 'functions/domain/upload.ts'), join(outDir, 'index.mjs')),
      entryPoints: [],
      stdin: {
        contents:
          "export { parseUpload } from './functions/domain/upload.ts'; export { ValidationError } from './functions/domain/errors.ts';",
        resolveDir: root,
        loader: 'ts',
      },
      logLevel: 'silent',
    });
    for (const command of sideModuleCommands(root, outDir)) execSync(command, { stdio: 'pipe' });
    readers = readFileSync(join(outDir, 'side', 'moodle-readers.mjs'), 'utf8');
  }, 120_000);
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  /** Runs `body` in a fresh Node with the bundle's exports in scope; its output as JSON. */
  const inBundle = (body: string) => {
    const run = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const { parseUpload, ValidationError } = await import(${JSON.stringify(pathToFileURL(join(outDir, 'index.mjs')).href)});
         const out = {};
         ${body}
         process.stdout.write(JSON.stringify(out));`,
      ],
      { encoding: 'utf8', cwd: tmpdir(), env: { PATH: process.env.PATH ?? '' } },
    );
    expect(run.stderr).toBe('');
    return JSON.parse(run.stdout) as Record<string, unknown>;
  };

  it('stay out of the bundle, which imports them only for a GIFT or XML upload', () => {
    const code = readFileSync(join(outDir, 'index.mjs'), 'utf8');
    expect(code).toContain(`import("${SIDE_PREFIX}moodle-readers")`);
    // The GIFT reader's messages and the XML reader's are in the side entry, not the bundle.
    for (const text of ['is not closed with "}" before the blank line', 'Not well-formed XML']) {
      expect(code).not.toContain(text);
      expect(readers).toContain(text);
    }
  });

  it("copy neither validation nor the error classes: those are the bundle's own", () => {
    // No zod (its messages), no question types (a key schema's message), no error class.
    expect(readers).not.toContain('Matches none of the accepted forms');
    expect(readers).not.toContain('extends Error');
    expect(readers).not.toContain('validation-failed');
  });

  it("read GIFT and XML from the built files, and their problems are the bundle's ValidationError", () => {
    const out = inBundle(`
      const spec = { format: 'gift', area: 'security' };
      const ok = await parseUpload('::Q1:: [html]<p>Which port does <b>HTTPS</b> use by default?</p> {=443 ~80 ~22}', spec);
      out.gift = ok.bank.questions.map((q) => [q.id, q.type, q.answer, q.prompt]);
      for (const [name, text, format] of [
        ['giftProblem', '::Q1:: Which port does HTTPS use by default? {=443 ~80', 'gift'],
        ['xmlMalformed', '<quiz><question', 'xml'],
        ['xmlProblem', '<quiz><question type="essay"><name><text>E</text></name><questiontext><text>Explain.</text></questiontext></question></quiz>', 'xml'],
      ]) {
        try {
          await parseUpload(text, { format, area: 'security' });
          out[name] = 'no error';
        } catch (err) {
          out[name] = { own: err instanceof ValidationError, message: err.message };
        }
      }`);
    // The HTML prompt went through turndown, a side module the side entry requires.
    expect(out.gift).toEqual([
      ['q-q1', 'single', 'a', 'Which port does **HTTPS** use by default?'],
    ]);
    expect(out.giftProblem).toEqual({
      own: true,
      message: expect.stringContaining('is not closed with "}"'),
    });
    expect(out.xmlMalformed).toEqual({
      own: true,
      message: expect.stringMatching(/^1 problem in the Moodle XML: line 1: Not well-formed XML/),
    });
    expect(out.xmlProblem).toEqual({
      own: true,
      message: expect.stringContaining('essay'),
    });
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
