/**
 * How Assay turns markdown into HTML, given micromark's `micromark` function. micromark renders
 * CommonMark and, with its defaults (this module passes no options), cannot emit raw HTML: HTML
 * in the text comes out escaped (so `kubectl logs <pod>` shows `<pod>`) and links with dangerous
 * protocols lose their target. The candidate app (in the browser, `markdown.ts`) and the
 * employer's HTML report (on the server, which loads micromark only when it renders a report)
 * both render through this one module, so both give the same guarantees; each page's
 * Content-Security-Policy is the second line of defence.
 */

/** micromark's `micromark(text)`, called with its defaults only. */
export type Micromark = (text: string) => string;

/** The block and inline renderers over one micromark. */
export interface MarkdownRenderer {
  /** Block markdown (prompts, explanations) as HTML that contains no author-supplied HTML. */
  markdownHtml(text: string): string;
  /** Inline markdown (options, order items): one paragraph is shown without its `<p>`. */
  inlineMarkdownHtml(text: string): string;
}

/**
 * The renderers over `micromark` (called with the text alone: its safe defaults).
 *
 * @param micromark micromark's `micromark` function
 */
export function markdownRenderer(micromark: Micromark): MarkdownRenderer {
  const markdownHtml = (text: string) => micromark(text);
  return {
    markdownHtml,
    inlineMarkdownHtml(text) {
      const html = markdownHtml(text).trim();
      const single = /^<p>([\s\S]*)<\/p>$/.exec(html);
      return single && !single[1]!.includes('<p>') ? single[1]! : html;
    },
  };
}
