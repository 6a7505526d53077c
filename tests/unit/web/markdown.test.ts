import { readFileSync } from 'node:fs';
import { micromark } from 'micromark';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { bankFiles } from '../../../functions/cli/bank-files.ts';
import { isSafeTarget } from '../../../functions/domain/markdown-render.ts';
import { QUESTIONS_DIR } from '../../../infra/local/seed.ts';
import { inlineMarkdownHtml, markdownHtml } from '../../../web/shared/markdown.ts';

interface BankQuestion {
  id: string;
  prompt: string;
  explanation?: string;
  options?: { id: string; text: string }[];
}

/** Every markdown text of the shipped bank: prompts, explanations, option and item texts. */
function bankTexts(): { where: string; text: string }[] {
  return bankFiles([QUESTIONS_DIR]).flatMap((file) =>
    (parse(readFileSync(file, 'utf8')) as { questions: BankQuestion[] }).questions.flatMap((q) => [
      { where: `${q.id} prompt`, text: q.prompt },
      ...(q.explanation === undefined
        ? []
        : [{ where: `${q.id} explanation`, text: q.explanation }]),
      ...(q.options ?? []).map((o) => ({ where: `${q.id} option ${o.id}`, text: o.text })),
    ]),
  );
}

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
    // The link is shown as the text it was written as: nothing to click.
    expect(html).not.toMatch(/<a\b|href=/);
    expect(html).toContain('[x](javascript:alert(1))');
  });

  it('shows no raw backtick anywhere in the shipped bank and emits only markdown tags', () => {
    const problems: string[] = [];
    let texts = 0;
    for (const file of bankFiles([QUESTIONS_DIR])) {
      const doc = parse(readFileSync(file, 'utf8')) as { questions: BankQuestion[] };
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

/**
 * Where the shipped bank renders differently from micromark (which rendered Assay's markdown
 * until markdown-it replaced it; docs/markdown.md): each difference, and why it is right.
 */
const KNOWN_DIFFERENCES: Readonly<Record<string, string>> = {
  // `From<std::io::Error>` is a CommonMark autolink with the scheme `std:`. micromark made it a
  // link to nowhere (`From<a href="">std::io::Error</a>`: the angle brackets vanished); a scheme
  // outside the allowed ones is not a link for Assay, so the text reads as the author wrote it.
  'lang-rust-question-mark-operator prompt':
    'From&lt;std::io::Error&gt; and From&lt;toml::de::Error&gt;',
};

describe('markdown-it renders the shipped bank as micromark did', () => {
  it('gives the same HTML for every prompt, explanation and option, but for the differences named', () => {
    const texts = bankTexts();
    const differences: Record<string, string> = {};
    for (const { where, text } of texts) {
      const html = markdownHtml(text);
      // micromark copied the text's last line ending (a YAML block scalar ends with one); the
      // HTML is the same without it, and Assay's renderer ends with none.
      if (html !== micromark(text).replace(/\r?\n$/, '')) differences[where] = html;
    }

    expect(texts.length).toBeGreaterThan(3000);
    expect(Object.keys(differences)).toEqual(Object.keys(KNOWN_DIFFERENCES));
    for (const [where, expected] of Object.entries(KNOWN_DIFFERENCES))
      expect(differences[where], where).toContain(expected);
  }, 60_000);
});

describe('markdown safety', () => {
  it('escapes HTML written in the text, in a paragraph, on a line of its own and inline', () => {
    expect(markdownHtml('kubectl logs <pod>')).toBe('<p>kubectl logs &lt;pod&gt;</p>');
    expect(markdownHtml('<div onclick="x()">\nhi\n</div>')).toBe(
      '<p>&lt;div onclick=&quot;x()&quot;&gt;\nhi\n&lt;/div&gt;</p>',
    );
    expect(markdownHtml('<!-- c --> <script>alert(1)</script>')).toBe(
      '<p>&lt;!-- c --&gt; &lt;script&gt;alert(1)&lt;/script&gt;</p>',
    );
    expect(inlineMarkdownHtml('Use <b>bold</b> & <i>')).toBe(
      'Use &lt;b&gt;bold&lt;/b&gt; &amp; &lt;i&gt;',
    );
  });

  it.each([
    ['javascript:', '[x](javascript:alert(1))'],
    ['javascript: in capitals', '[x](JaVaScRiPt:alert(1))'],
    ['javascript: spelt with a character reference', '[x](&#x6A;avascript:alert(1))'],
    ['javascript: as an autolink', '<javascript:alert(1)>'],
    ['vbscript:', '[x](vbscript:msgbox(1))'],
    [
      'data: that is not an image',
      '[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
    ],
    ['an SVG data: image (it can carry script)', '![x](data:image/svg+xml;base64,PHN2Zz4=)'],
    ['file:', '[x](file:///etc/passwd)'],
    ['a scheme outside the allowed ones', '[x](ftp://files.example/a)'],
    ['an image with a javascript: source', '![x](javascript:alert(1))'],
    ['a reference link to javascript:', '[x]\n\n[x]: javascript:alert(1)'],
  ])('shows a link to %s as its text, not as a link', (_, text) => {
    const html = markdownHtml(text);

    expect(html).not.toMatch(/<a\b|<img\b/);
    expect(html).toMatch(/^<p>/);
    expect(tags(html).every((t) => ALLOWED.has(t))).toBe(true);
  });

  it('keeps links that are relative or http(s), mailto, and raster data: images', () => {
    expect(
      markdownHtml('[a](https://a.example/x?y=1 "T") [b](/docs#z) [c](mailto:a@b.example)'),
    ).toBe(
      '<p><a href="https://a.example/x?y=1" title="T">a</a> <a href="/docs#z">b</a> <a href="mailto:a@b.example">c</a></p>',
    );
    expect(markdownHtml('<https://a.example/b>')).toBe(
      '<p><a href="https://a.example/b">https://a.example/b</a></p>',
    );
    expect(markdownHtml('![chart *a*](https://i.example/c.png "C")')).toBe(
      '<p><img src="https://i.example/c.png" alt="chart a" title="C" /></p>',
    );
    expect(markdownHtml('![dot](data:image/png;base64,iVBORw0KGgo=)')).toBe(
      '<p><img src="data:image/png;base64,iVBORw0KGgo=" alt="dot" /></p>',
    );
  });

  it('renders code fences and code spans with their < and & as text', () => {
    expect(markdownHtml('```html\n<script>alert(1)</script> &amp;\n```')).toBe(
      '<pre><code class="language-html">&lt;script&gt;alert(1)&lt;/script&gt; &amp;amp;\n</code></pre>',
    );
    expect(markdownHtml('```"><img src=x onerror=alert(1)>\nx\n```')).not.toMatch(/<img/);
    expect(inlineMarkdownHtml('`Vec<T>` and `a && b`')).toBe(
      '<code>Vec&lt;T&gt;</code> and <code>a &amp;&amp; b</code>',
    );
  });

  it('keeps the text of deeply nested quotes and lists', () => {
    const quotes = markdownHtml(`${'>'.repeat(30)} deep\n\nafter`);
    const list = markdownHtml(
      Array.from({ length: 30 }, (_, i) => `${'  '.repeat(i)}- item${i}`).join('\n'),
    );

    expect(quotes.match(/<blockquote>/g)).toHaveLength(30);
    expect(quotes).toContain('deep');
    expect(quotes).toContain('after');
    expect(list.match(/item\d+/g)).toHaveLength(30);
  });

  it('leaves quotes, dashes and URLs in prose as written: no typographer, no linkify', () => {
    expect(inlineMarkdownHtml('"a" -- b... (c) see https://a.example')).toBe(
      '&quot;a&quot; -- b... (c) see https://a.example',
    );
    expect(markdownHtml('| a | b |\n|---|---|\n| 1 | 2 |')).not.toContain('<table');
    expect(markdownHtml('~~x~~')).toBe('<p>~~x~~</p>');
  });
});

describe('isSafeTarget', () => {
  it.each([
    ['https://a.example', true],
    ['HTTP://a.example', true],
    ['mailto:a@b.example', true],
    ['/docs/a:b', true],
    ['./a:b', true],
    ['#x', true],
    ['?a=b:c', true],
    ['relative', true],
    ['data:image/webp;base64,AAAA', true],
    ['javascript:alert(1)', false],
    ['  javascript:alert(1)', false],
    ['data:text/html,x', false],
    ['data:image/svg+xml,x', false],
    ['std::io::Error', false],
    ['tel:123', false],
  ])('%s: %s', (url, safe) => {
    expect(isSafeTarget(url)).toBe(safe);
  });
});
