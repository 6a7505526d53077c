/**
 * markdown-it's two imports from `entities` (`decodeHTML`, `decodeHTMLStrict`), answered by the
 * browser's own HTML parser instead of entities' 46 KB table of named character references:
 * `npm run build:web` aliases `entities` to this module (web/build.ts), which keeps each app's
 * JavaScript inside its budget (micromark did the same through decode-named-character-reference's
 * `browser` export). The server (the employer's report) and the tests use entities itself; both
 * implement the HTML standard's table, and tests/e2e/markdown-browser.test.ts checks every name
 * in Chromium against entities.
 *
 * The text goes into a detached `<textarea>`: the parser reads its content as RCDATA, so it
 * decodes character references and never makes an element (no markup in the text can load or
 * run anything).
 */

let textarea: HTMLTextAreaElement | undefined;

/** Every character reference in `text` decoded as the HTML parser decodes text (legacy names too). */
export function decodeHTML(text: string): string {
  if (!text.includes('&')) return text;
  textarea ??= document.createElement('textarea');
  textarea.innerHTML = text;
  // textContent, not value: a textarea's value turns a carriage return into a line feed, which
  // entities (the server's decoder) keeps as it is.
  return textarea.textContent ?? '';
}

/**
 * One reference (`&name;`, what markdown-it passes) decoded only if the whole of it is a named
 * reference: `&notit;` is not (`&not` would be, without the `;`), so it stays as written.
 */
export function decodeHTMLStrict(reference: string): string {
  // entities decodes only references with their `;` here (`&lt` stays as written).
  if (!reference.endsWith(';')) return reference;
  const decoded = decodeHTML(reference);
  return decoded.endsWith(';') && reference !== '&semi;' ? reference : decoded;
}
