/**
 * The console's form parts: a field with its label, hint and error wired for screen readers,
 * and an error summary that takes focus and links each problem to its field.
 */
import { h } from '../shared/dom.ts';
import { m } from './app.ts';

export interface Field {
  input: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;
  error: HTMLElement;
  el: HTMLElement;
}

/** A field with its label, hint and error, wired for screen readers. */
export function field(
  id: string,
  label: string,
  input: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement,
  hint?: string,
): Field {
  const error = h('p', { class: 'field-error', id: `${id}-error` });
  error.hidden = true;
  input.id = id;
  input.setAttribute(
    'aria-describedby',
    [hint ? `${id}-hint` : '', `${id}-error`].join(' ').trim(),
  );
  return {
    input,
    error,
    el: h(
      'div',
      { class: 'field' },
      h('label', { for: id }, label),
      input,
      hint ? h('p', { class: 'hint', id: `${id}-hint` }, hint) : null,
      error,
    ),
  };
}

/** A checkbox with its label after it. */
export function checkbox(id: string, label: string, checked: boolean) {
  const input = h('input', { type: 'checkbox', id, checked });
  return {
    input,
    el: h('div', { class: 'field checkbox' }, input, h('label', { for: id }, label)),
  };
}

export function setFieldError(input: HTMLElement, error: HTMLElement, text: string) {
  error.textContent = text;
  error.hidden = !text;
  if (text) input.setAttribute('aria-invalid', 'true');
  else input.removeAttribute('aria-invalid');
}

export interface FieldProblem {
  path: string;
  message: string;
}

/**
 * The words a summary names a field by: its label, after its group's legend ("Section 2,
 * Questions"), so that a message the server wrote for the field alone ("Must be a whole number
 * from 1 to 100.") says, in the summary, which field it is about.
 */
export function fieldName(input: HTMLElement): string {
  const label = (input as HTMLInputElement).labels?.[0]?.textContent ?? '';
  const legend = input.closest('fieldset')?.querySelector('legend')?.textContent;
  return [legend, label].filter(Boolean).join(', ');
}

/**
 * Show problems next to their fields and in the summary (which takes focus); `fieldFor` maps
 * a server path (`sections[1].count`) to its field. `clear` lists every field to reset first.
 * `named`: the messages are the server's, which do not name their field: the summary does.
 */
export function showErrors(
  summary: HTMLElement,
  clear: readonly { input: HTMLElement; error: HTMLElement }[],
  fieldFor: (path: string) => { input: HTMLElement; error: HTMLElement } | undefined,
  errors: readonly FieldProblem[],
  detail?: string,
  named = false,
) {
  for (const f of clear) setFieldError(f.input, f.error, '');
  const items: HTMLElement[] = [];
  for (const e of errors) {
    const f = fieldFor(e.path);
    if (f) {
      setFieldError(f.input, f.error, [f.error.textContent, e.message].filter(Boolean).join(' '));
    }
    items.push(
      h(
        'li',
        {},
        f
          ? h(
              'a',
              {
                href: `#${f.input.id}`,
                onclick: (ev: Event) => {
                  ev.preventDefault();
                  f.input.focus();
                },
              },
              named && fieldName(f.input) ? `${fieldName(f.input)}: ${e.message}` : e.message,
            )
          : `${e.path}: ${e.message}`,
      ),
    );
  }
  summary.replaceChildren(
    // Without field problems (the service busy, an attempt that started meanwhile) there is
    // nothing on the form to fix: say what happened.
    h('h2', {}, errors.length ? m().fixThese : m().notSaved),
    detail && !errors.length ? h('p', {}, detail) : '',
    items.length ? h('ul', {}, ...items) : '',
  );
  summary.hidden = false;
  summary.focus();
}

/** An error summary, hidden until `showErrors` fills it. */
export function errorSummary() {
  const el = h('div', { class: 'error-summary', role: 'alert', tabindex: -1 });
  el.hidden = true;
  return el;
}
