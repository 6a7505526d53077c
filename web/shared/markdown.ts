/**
 * The web apps (candidate app, console) render question markdown with the same module as the
 * employer's printable report on the server (markdown-it: no raw HTML, no dangerous link
 * targets); see functions/domain/markdown-render.ts and docs/markdown.md.
 */
export { inlineMarkdownHtml, markdownHtml } from '../../functions/domain/markdown.ts';
