/**
 * Question text is markdown (code spans, fenced code, lists). micromark renders CommonMark and,
 * with its defaults, cannot emit raw HTML: HTML in the text comes out escaped (so
 * `kubectl logs <pod>` shows `<pod>`) and links with dangerous protocols lose their target.
 * One module for the candidate app (in the browser) and the employer's HTML report (on the
 * server), so both give the same guarantees; each page's Content-Security-Policy is the second
 * line of defence.
 */
import { micromark } from 'micromark';

/** Block markdown (prompts, explanations) as HTML that contains no author-supplied HTML. */
export function markdownHtml(text: string): string {
  return micromark(text);
}

/** Inline markdown (options, order items): one paragraph is shown without its `<p>`. */
export function inlineMarkdownHtml(text: string): string {
  const html = micromark(text).trim();
  const single = /^<p>([\s\S]*)<\/p>$/.exec(html);
  return single && !single[1]!.includes('<p>') ? single[1]! : html;
}
