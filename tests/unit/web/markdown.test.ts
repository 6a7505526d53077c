import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { bankFiles } from '../../../functions/cli/bank-files.ts';
import { QUESTIONS_DIR } from '../../../infra/local/seed.ts';
import { inlineMarkdownHtml, markdownHtml } from '../../../web/shared/markdown.ts';

/** Tags the renderer may produce for CommonMark: nothing an author wrote as HTML. */
const ALLOWED = new Set([
  'p',
  'code',
  'pre',
  'em',
  'strong',
  'ul',
  'ol',
  'li',
  'a',
  'blockquote',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'hr',
  'br',
  'img',
]);
const tags = (html: string) =>
  [...html.matchAll(/<\/?([a-zA-Z0-9-]+)/g)].map((m) => m[1]!.toLowerCase());
const outsideCode = (html: string) => html.replace(/<code[^>]*>[\s\S]*?<\/code>/g, '');

describe('markdown in questions', () => {
  it('renders code spans and fenced code as <code> and <pre>, lists as lists', () => {
    expect(markdownHtml('Use `a < b` here:\n\n```ts\nconst x = 1;\n```\n\n- one\n- two')).toBe(
      '<p>Use <code>a &lt; b</code> here:</p>\n<pre><code class="language-ts">const x = 1;\n</code></pre>\n<ul>\n<li>one</li>\n<li>two</li>\n</ul>',
    );
    expect(inlineMarkdownHtml('Call `fetch()`')).toBe('Call <code>fetch()</code>');
  });

  it('cannot emit HTML written in the text, nor a javascript: link', () => {
    const html = markdownHtml(
      '<img src=x onerror=alert(1)> <script>alert(1)</script> kubectl logs <pod> [x](javascript:alert(1))',
    );

    expect(tags(html).every((t) => ALLOWED.has(t))).toBe(true);
    expect(html).not.toMatch(/<(img|script|pod)\b/);
    expect(html).toContain('&lt;pod&gt;');
    expect(html).not.toContain('javascript:');
  });

  it('shows no raw backtick anywhere in the shipped bank and emits only markdown tags', () => {
    const problems: string[] = [];
    let texts = 0;
    for (const file of bankFiles([QUESTIONS_DIR])) {
      const doc = parse(readFileSync(file, 'utf8')) as {
        questions: { id: string; prompt: string; options?: { text: string }[] }[];
      };
      for (const q of doc.questions) {
        for (const [where, html] of [
          ['prompt', markdownHtml(q.prompt)],
          ...(q.options ?? []).map((o, i) => [`option ${i + 1}`, inlineMarkdownHtml(o.text)]),
        ] as [string, string][]) {
          texts++;
          if (outsideCode(html).includes('`')) problems.push(`${q.id} ${where}: raw backtick`);
          const bad = tags(html).filter((t) => !ALLOWED.has(t));
          if (bad.length) problems.push(`${q.id} ${where}: <${bad.join('>, <')}>`);
        }
      }
    }

    expect(texts).toBeGreaterThan(1000);
    expect(problems).toEqual([]);
  });
});
