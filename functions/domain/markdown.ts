/**
 * Markdown as HTML with markdown-it imported statically: the candidate app and the console (in
 * the browser). The rules are `markdown-render.ts`'s, shared with the employer's HTML report,
 * which loads markdown-it only when it renders one (so the employer function does not carry it).
 */
import markdownIt from 'markdown-it';
import { markdownRenderer } from './markdown-render.ts';

const renderer = markdownRenderer(markdownIt);

/** Block markdown (prompts, explanations) as HTML that contains no author-supplied HTML. */
export const markdownHtml = renderer.markdownHtml;

/** Inline markdown (options, order items): one paragraph is shown without its `<p>`. */
export const inlineMarkdownHtml = renderer.inlineMarkdownHtml;
