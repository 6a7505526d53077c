import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { handler } from '../../bench/floor/replay.ts';

const yamlModule = createRequire(import.meta.url).resolve('yaml');
const markdownItModule = createRequire(import.meta.url).resolve('markdown-it');

describe('the cold-start floor', () => {
  it('parses the texts its event names with the module it names, and makes no call', async () => {
    const res = await handler({
      calls: [],
      parse: { module: yamlModule, afterCalls: 0, texts: ['bank: {id: a}', 'questions: [1, 2]'] },
    });

    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body)).toEqual([2]);
  });

  it('fails as the parser does on a text it cannot parse, so a broken capture is seen', async () => {
    const broken = handler({
      calls: [],
      parse: { module: yamlModule, afterCalls: 0, texts: ['a: [1, 2'] },
    });

    await expect(broken).rejects.toThrow();
  });

  it('renders with markdown-it made with the options the function gave, block and inline', async () => {
    const options = ['commonmark', { html: false, xhtmlOut: true }];
    const res = await handler({
      calls: [],
      render: {
        module: markdownItModule,
        afterCalls: 0,
        options,
        calls: [
          { method: 'render', text: '*a* <b>' },
          { method: 'renderInline', text: '`c`' },
        ],
      },
    });

    // markdown-it's CommonJS export is its constructor: the same instance renders both.
    const MarkdownIt = createRequire(import.meta.url)('markdown-it') as new (
      ...args: unknown[]
    ) => { render(t: string): string; renderInline(t: string): string };
    const md = new MarkdownIt(...options);
    expect(md.render('*a* <b>')).toBe('<p><em>a</em> &lt;b&gt;</p>\n');
    expect(JSON.parse(res.body)).toEqual([
      md.render('*a* <b>').length + md.renderInline('`c`').length,
    ]);
  });
});
