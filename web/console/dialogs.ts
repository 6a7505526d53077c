/**
 * Modal questions as native `<dialog>`s: the browser keeps focus inside, Escape cancels, and
 * focus returns to the button that opened it.
 */
import { h, uid } from '../shared/dom.ts';
import { m } from './app.ts';

function open(dialog: HTMLDialogElement): Promise<string> {
  const opener = document.activeElement as HTMLElement | null;
  document.body.append(dialog);
  dialog.showModal();
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => {
      dialog.remove();
      // A live list may have redrawn the opener meanwhile: its successor has the same id.
      const back = opener?.isConnected || !opener?.id ? opener : document.getElementById(opener.id);
      back?.focus();
      resolve(dialog.returnValue);
    });
  });
}

/** Yes or no; resolves true when `confirmLabel` was pressed. */
export async function confirmDialog(
  title: string,
  text: string,
  confirmLabel: string,
): Promise<boolean> {
  const id = uid('dialog');
  const dialog = h(
    'dialog',
    { 'aria-labelledby': `${id}-title`, 'aria-describedby': `${id}-text` },
    h(
      'form',
      { method: 'dialog' },
      h('h2', { id: `${id}-title` }, title),
      h('p', { id: `${id}-text` }, text),
      h(
        'p',
        { class: 'actions' },
        h('button', { value: 'cancel', autofocus: true }, m().cancel),
        h('button', { value: 'ok', class: 'primary' }, confirmLabel),
      ),
    ),
  );
  return (await open(dialog)) === 'ok';
}

export interface DialogField {
  name: string;
  label: string;
  type: 'text' | 'number' | 'date';
  required?: boolean;
  min?: number | string;
  max?: number | string;
  /** For text: at most this many characters (the API's own limit). */
  maxLength?: number;
  /** For text: at least one character that is not a space (a reason, not blanks). */
  notBlank?: boolean;
  value?: string;
  /** What the field takes, under it (and read with it): its range, what it changes. */
  hint?: string;
}

/**
 * A small form, with an optional sentence above its fields and a label for its OK button;
 * resolves its values, or undefined when cancelled.
 */
export async function formDialog(
  title: string,
  fields: readonly DialogField[],
  { text, confirmLabel }: { text?: string; confirmLabel?: string } = {},
): Promise<Record<string, string> | undefined> {
  const id = uid('dialog');
  const inputs = fields.map((f) =>
    h('input', {
      id: `${id}-${f.name}`,
      name: f.name,
      type: f.type,
      required: f.required ?? f.type === 'number',
      min: f.min,
      max: f.max,
      maxlength: f.maxLength,
      // The browser refuses a value of only spaces before the dialog closes.
      pattern: f.notBlank ? '.*\\S.*' : undefined,
      value: f.value,
      'aria-describedby': f.hint ? `${id}-${f.name}-hint` : undefined,
      ...(f.type === 'number' ? { inputmode: 'numeric', class: 'short' } : {}),
    }),
  );
  // Said in words, not the browser's "Please match the requested format."
  fields.forEach((f, i) => {
    const input = inputs[i]!;
    if (!f.notBlank) return;
    input.addEventListener('input', () =>
      input.setCustomValidity(
        input.value !== '' && input.value.trim() === '' ? m().notBlank(f.label) : '',
      ),
    );
  });
  const form = h(
    'form',
    { method: 'dialog' },
    h('h2', { id: `${id}-title` }, title),
    text ? h('p', { id: `${id}-text` }, text) : null,
    ...fields.map((f, i) =>
      h(
        'div',
        { class: 'field' },
        h('label', { for: `${id}-${f.name}` }, f.label),
        inputs[i]!,
        f.hint ? h('p', { class: 'hint', id: `${id}-${f.name}-hint` }, f.hint) : null,
      ),
    ),
    h(
      'p',
      { class: 'actions' },
      h('button', { value: 'cancel', formnovalidate: true }, m().cancel),
      h('button', { value: 'ok', class: 'primary' }, confirmLabel ?? m().ok),
    ),
  );
  const dialog = h(
    'dialog',
    { 'aria-labelledby': `${id}-title`, 'aria-describedby': text ? `${id}-text` : undefined },
    form,
  );
  const result = await open(dialog);
  if (result !== 'ok') return undefined;
  return Object.fromEntries(fields.map((f, i) => [f.name, inputs[i]!.value]));
}
