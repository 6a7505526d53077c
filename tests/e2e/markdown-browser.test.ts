/**
 * The web apps' markdown in a real browser: the renderer bundled as `npm run build:web` bundles
 * it (with the browser's entity decoding, web/shared/entities-dom.ts) gives, in Chromium, the
 * same HTML as on the server (markdown-it with entities' table) for every text of the shipped
 * bank, and decodes every named character reference as entities does.
 */
import { readFileSync } from 'node:fs';
import { characterEntities } from 'character-entities';
import { decodeHTML, decodeHTMLStrict } from 'entities';
import { build } from 'esbuild';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parse } from 'yaml';
import { bankFiles } from '../../functions/cli/bank-files.ts';
import { markdownHtml } from '../../functions/domain/markdown.ts';
import { QUESTIONS_DIR } from '../../infra/local/seed.ts';
import { WEB_ALIASES } from '../../web/build.ts';
import { BROWSER_ARGS, CHROMIUM, describeInBrowser, hasChromium } from './support.ts';

interface InPage {
  markdownHtml(text: string): string;
  decodeHTML(text: string): string;
  decodeHTMLStrict(text: string): string;
}

let browser: Browser | undefined;
let page: Page;

beforeAll(async () => {
  if (!hasChromium) return;
  const bundled = await build({
    stdin: {
      contents: [
        "export { markdownHtml } from './web/shared/markdown.ts';",
        "export { decodeHTML, decodeHTMLStrict } from 'entities';",
      ].join('\n'),
      resolveDir: `${import.meta.dirname}/../..`,
      loader: 'ts',
    },
    bundle: true,
    format: 'iife',
    globalName: 'assayMarkdown',
    platform: 'browser',
    alias: { ...WEB_ALIASES },
    write: false,
    logLevel: 'silent',
  });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: BROWSER_ARGS,
    timeout: 30_000,
  });
  page = await browser.newPage();
  await page.addScriptTag({ content: bundled.outputFiles[0]!.text });
}, 60_000);

afterAll(async () => {
  await browser?.close();
}, 30_000);

describeInBrowser('markdown in the browser', () => {
  it('renders every text of the shipped bank as the server does', async () => {
    const texts = bankFiles([QUESTIONS_DIR]).flatMap((file) =>
      (
        parse(readFileSync(file, 'utf8')) as {
          questions: { prompt: string; explanation?: string; options?: { text: string }[] }[];
        }
      ).questions.flatMap((q) => [
        q.prompt,
        ...(q.explanation === undefined ? [] : [q.explanation]),
        ...(q.options ?? []).map((o) => o.text),
      ]),
    );
    // Character references, named and numeric, in text, link targets and titles, code info.
    texts.push(
      '&copy; &AElig; &notin; &notit; &amp &ThisIsNotOne; &#35; &#x1F600; &#0;',
      '[a &amp; b](https://a.example/?x=1&amp;y=&copy; "&quot;t&quot;")',
      '```&lt;lang&gt;\ncode &amp;\n```',
      // Long numeric references reach the entity decoder itself (markdown-it decodes up to 8
      // digits on its own); a carriage return must stay one, as on the server.
      '[a](/x "&#000000013;&#0000000106;") ![b](/&#000000013;y)',
    );

    const inBrowser = await page.evaluate(
      (all) =>
        all.map((t) =>
          (globalThis as unknown as { assayMarkdown: InPage }).assayMarkdown.markdownHtml(t),
        ),
      texts,
    );

    expect(texts.length).toBeGreaterThan(3000);
    const differ = texts.filter((t, i) => inBrowser[i] !== markdownHtml(t));
    expect(differ).toEqual([]);
  }, 60_000);

  it('decodes every named character reference as entities does', async () => {
    const references = [
      ...Object.keys(characterEntities).map((name) => `&${name};`),
      // Not names, though a name starts them (`&not`, `&amp`): strict leaves them as written.
      '&notit;',
      '&ampx;',
      '&semi;',
      '&Unknown;',
      // Without its `;`, strict leaves even a name as written.
      '&lt',
      '&#000000013;',
    ];

    const inBrowser = await page.evaluate((all) => {
      const m = (globalThis as unknown as { assayMarkdown: InPage }).assayMarkdown;
      return all.map((r) => [m.decodeHTML(r), m.decodeHTMLStrict(r)]);
    }, references);

    expect(references.length).toBeGreaterThan(2000);
    const differ = references.filter(
      (r, i) => inBrowser[i]![0] !== decodeHTML(r) || inBrowser[i]![1] !== decodeHTMLStrict(r),
    );
    expect(differ).toEqual([]);
  }, 60_000);
});
