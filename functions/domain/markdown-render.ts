/**
 * How Assay turns markdown into HTML, given markdown-it's constructor. The candidate app and the
 * console (in the browser, `markdown.ts`) and the employer's HTML report (on the server, which
 * loads markdown-it only when it renders a report) all render through this one module, so all
 * give the same guarantees; each page's Content-Security-Policy is the second line of defence.
 *
 * The rules (docs/markdown.md):
 * - CommonMark only (markdown-it's `commonmark` preset): no tables or strikethrough, which the
 *   bank's authors never had, so a `|` or `~~` in a text keeps its meaning.
 * - No raw HTML (`html: false`): HTML in a text comes out escaped, so `kubectl logs <pod>` shows
 *   `<pod>`.
 * - A link or image target is relative or uses an allowed scheme: `http`, `https`, `mailto`,
 *   `irc`, `ircs`, `xmpp` (micromark's list, which rendered Assay's markdown before) or a
 *   gif/png/jpeg/webp `data:` image (markdown-it's exception); markdown-it's own `validateLink`
 *   (no `javascript:`, `vbscript:`, `file:`, other `data:`, in any case or entity spelling) must
 *   accept it too. Any other target is not a link at all: its source text is shown as written
 *   (`[x](javascript:alert(1))`, `From<std::io::Error>`), so nothing clickable or loadable comes
 *   from it and the author sees the mistake in the preview.
 * - No linkify, no typographer: URLs in prose stay text, quotes and dashes stay as written.
 */
import type { default as MarkdownIt, Options } from 'markdown-it';

/** markdown-it's default export (its constructor), as `import` or `require` gives it. */
export type MarkdownItConstructor = typeof MarkdownIt;

/** Schemes a link or image may use (anything else is shown as text). */
const SAFE_SCHEME = /^(?:(?:https?|mailto|ircs?|xmpp):|data:image\/(?:gif|png|jpeg|webp);)/i;

/**
 * Whether a link's or image's target (as markdown-it normalised it) is relative, or absolute with
 * an allowed scheme. Relative: no colon, or a `/`, `?` or `#` before the first colon (what a
 * browser resolves against the page, as micromark decided).
 */
export function isSafeTarget(url: string): boolean {
  const target = url.trim();
  const colon = target.indexOf(':');
  if (colon < 0 || /[/?#]/.test(target.slice(0, colon))) return true;
  return SAFE_SCHEME.test(target);
}

/** The block and inline renderers over one markdown-it. */
export interface MarkdownRenderer {
  /** Block markdown (prompts, explanations) as HTML that contains no author-supplied HTML. */
  markdownHtml(text: string): string;
  /** Inline markdown (options, order items): one paragraph is shown without its `<p>`. */
  inlineMarkdownHtml(text: string): string;
}

/**
 * The renderers over a markdown-it configured with Assay's rules (above).
 *
 * @param markdownIt markdown-it's constructor
 */
export function markdownRenderer(markdownIt: MarkdownItConstructor): MarkdownRenderer {
  // `maxNesting` is markdown-it's option (in every preset), missing from @types/markdown-it.
  const options: Options & { maxNesting: number } = {
    html: false,
    linkify: false,
    typographer: false,
    // `<br />`, `<hr />`, `<img ... />`: what the renderer wrote before (and valid HTML).
    xhtmlOut: true,
    breaks: false,
    langPrefix: 'language-',
    // The `commonmark` preset stops at 20 levels and drops what is deeper (a quote in 20 quotes,
    // a list 10 deep); 100 (markdown-it's default preset) keeps any text a person would write.
    maxNesting: 100,
  };
  const md = new markdownIt('commonmark', options);
  const markdownItAccepts = md.validateLink;
  md.validateLink = (url) => markdownItAccepts(url) && isSafeTarget(url);
  // markdown-it ends every block with a line feed; the HTML is the same without the last one.
  const markdownHtml = (text: string) => md.render(text).replace(/\n$/, '');
  return {
    markdownHtml,
    inlineMarkdownHtml(text) {
      const html = markdownHtml(text).trim();
      const single = /^<p>([\s\S]*)<\/p>$/.exec(html);
      return single && !single[1]!.includes('<p>') ? single[1]! : html;
    },
  };
}
