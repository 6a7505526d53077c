/**
 * The web apps (candidate app, console) render question markdown with the same module as the
 * employer's printable report on the server (micromark with its safe defaults: no raw HTML, no
 * dangerous link protocols); see functions/domain/markdown.ts.
 */
export { inlineMarkdownHtml, markdownHtml } from '../../functions/domain/markdown.ts';
