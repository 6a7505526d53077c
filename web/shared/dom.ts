/** A small element builder: the app's only way of making DOM, so text is always text. */

type Child = Node | string | false | null | undefined;
type Attrs = Record<string, string | number | boolean | EventListener | undefined>;

/**
 * `h('button', {type: 'button', onclick: go}, 'Next')`. Strings are text nodes, never HTML;
 * `html` sets markup and is given only the markdown renderer's output.
 */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (k === 'html') el.innerHTML = String(v);
    else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'disabled' || k === 'checked')
      (el as unknown as Record<string, boolean>)[k] = Boolean(v);
    else if (k === 'value') (el as unknown as { value: string }).value = String(v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) if (c !== false && c !== null && c !== undefined) el.append(c);
  return el;
}

let ids = 0;
/** A document-unique id for aria references. */
export const uid = (prefix: string) => `${prefix}-${++ids}`;
