/**
 * How each question type is shown and answered: one renderer per type, looked up by the
 * type's id. Every control is a native, labelled control usable by mouse, touch and keyboard.
 */
import { h, uid } from '../shared/dom.ts';
import { inlineMarkdownHtml } from '../shared/markdown.ts';
import type { Messages } from './i18n.ts';
import type { Answer } from './saver.ts';

export interface CandidateQuestion {
  questionId: string;
  area: string;
  type: string;
  prompt: string;
  options?: { id: string; text: string }[];
  /** A numeric question's unit, once questions carry one. */
  unit?: string;
}

export interface RenderContext {
  q: CandidateQuestion;
  value: Answer | undefined;
  m: Messages;
  save(value: Answer): void;
  announce(text: string): void;
}

export interface TypeRenderer {
  instruction(m: Messages): string;
  render(ctx: RenderContext): HTMLElement;
  /** Whether a stored answer counts as answered (an empty choice list does not). */
  answered?(value: Answer): boolean;
}

const optionLabel = (text: string) => h('span', { class: 'md', html: inlineMarkdownHtml(text) });

function choices(kind: 'radio' | 'checkbox'): (ctx: RenderContext) => HTMLElement {
  return ({ q, value, save }) => {
    const name = uid(`q-${q.questionId}`);
    const picked = new Set(
      Array.isArray(value) ? value : value === undefined ? [] : [String(value)],
    );
    const list = h('div', { class: 'choices', 'data-answer': true });
    for (const o of q.options ?? []) {
      const id = uid('opt');
      const input = h('input', {
        type: kind,
        id,
        name,
        value: o.id,
        checked: picked.has(o.id),
        onchange: () => {
          if (kind === 'radio') save(o.id);
          else
            save([...list.querySelectorAll<HTMLInputElement>('input:checked')].map((i) => i.value));
        },
      });
      list.append(
        h('div', { class: 'choice' }, input, h('label', { for: id }, optionLabel(o.text))),
      );
    }
    return list;
  };
}

const plainText = (markdown: string) => {
  const el = h('span', { html: inlineMarkdownHtml(markdown) });
  const text = (el.textContent ?? '').replace(/\s+/g, ' ').trim();
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
};

/** Order: numbered list; drag by the handle (pointer: mouse, pen, touch) or move by buttons. */
function orderList({ q, value, m, save, announce }: RenderContext): HTMLElement {
  const byId = new Map((q.options ?? []).map((o) => [o.id, o]));
  const given = Array.isArray(value) && value.length === byId.size ? value : undefined;
  let ids = given ? [...given] : (q.options ?? []).map((o) => o.id);
  const wrap = h('div', { class: 'order', 'data-answer': true });
  const list = h('ol', { class: 'order-list' });
  const keep = h(
    'button',
    { type: 'button', class: 'secondary', onclick: () => commit() },
    m.keepOrder,
  );

  const commit = (focus?: { id: string; dir: 'up' | 'down' }) => {
    save([...ids]);
    keep.hidden = true;
    draw(focus);
  };
  const move = (from: number, to: number) => {
    const [id] = ids.splice(from, 1);
    ids.splice(to, 0, id!);
  };

  const draw = (focus?: { id: string; dir: 'up' | 'down' }) => {
    list.replaceChildren(
      ...ids.map((id, i) => {
        const text = plainText(byId.get(id)?.text ?? id);
        const up = h(
          'button',
          {
            type: 'button',
            class: 'icon',
            'aria-label': m.moveUp(text),
            disabled: i === 0,
            'data-dir': 'up',
            onclick: () => {
              move(i, i - 1);
              commit({ id, dir: i - 1 === 0 ? 'down' : 'up' });
              announce(m.movedTo(text, i, ids.length));
            },
          },
          '↑',
        );
        const down = h(
          'button',
          {
            type: 'button',
            class: 'icon',
            'aria-label': m.moveDown(text),
            disabled: i === ids.length - 1,
            'data-dir': 'down',
            onclick: () => {
              move(i, i + 1);
              commit({ id, dir: i + 1 === ids.length - 1 ? 'up' : 'down' });
              announce(m.movedTo(text, i + 2, ids.length));
            },
          },
          '↓',
        );
        const handle = h('span', { class: 'handle', 'aria-hidden': 'true', title: '' }, '⠿');
        const li = h(
          'li',
          { 'data-id': id },
          h('span', { class: 'pos', 'aria-hidden': 'true' }, `${i + 1}.`),
          handle,
          h('span', { class: 'md', html: inlineMarkdownHtml(byId.get(id)?.text ?? id) }),
          h('span', { class: 'moves' }, up, down),
        );
        handle.addEventListener('pointerdown', (e) => drag(e, li));
        return li;
      }),
    );
    if (focus) {
      const li = list.querySelector(`li[data-id="${CSS.escape(focus.id)}"]`);
      li?.querySelector<HTMLButtonElement>(`button[data-dir="${focus.dir}"]`)?.focus();
    }
  };

  const drag = (e: PointerEvent, li: HTMLLIElement) => {
    e.preventDefault();
    // Listen on the window, not with pointer capture: moving the item in the list would
    // release a capture held by its handle.
    const pointer = e.pointerId;
    li.classList.add('dragging');
    const onMove = (ev: PointerEvent) => {
      if (ev.pointerId !== pointer) return;
      ev.preventDefault();
      const siblings = [...list.children] as HTMLElement[];
      const from = siblings.indexOf(li);
      let to = siblings.findIndex((s) => {
        const r = s.getBoundingClientRect();
        return ev.clientY < r.top + r.height / 2;
      });
      if (to === -1) to = siblings.length - 1;
      else if (to > from) to -= 1;
      if (to !== from) list.insertBefore(li, siblings[to > from ? to + 1 : to] ?? null);
    };
    const onUp = (ev: PointerEvent) => {
      if (ev.pointerId !== pointer) return;
      window.removeEventListener('pointermove', onMove);
      window.removeEventListener('pointerup', onUp);
      window.removeEventListener('pointercancel', onUp);
      li.classList.remove('dragging');
      const order = [...list.children].map((c) => (c as HTMLElement).dataset.id!);
      const changed = order.join() !== ids.join();
      ids = order;
      if (changed) {
        commit();
        const id = li.dataset.id!;
        announce(m.movedTo(plainText(byId.get(id)?.text ?? id), ids.indexOf(id) + 1, ids.length));
      } else draw();
    };
    window.addEventListener('pointermove', onMove, { passive: false });
    window.addEventListener('pointerup', onUp);
    window.addEventListener('pointercancel', onUp);
  };

  keep.hidden = Boolean(given);
  draw();
  wrap.append(list, keep);
  return wrap;
}

/** Text or number typed in: saved when the candidate pauses (1 s) or leaves the field. */
function typed(kind: 'numeric' | 'text'): (ctx: RenderContext) => HTMLElement {
  return ({ q, value, m, save }) => {
    const id = uid('answer');
    const hintId = uid('hint');
    const errorId = uid('error');
    const error = h('p', { id: errorId, class: 'field-error', hidden: true });
    const input = h('input', {
      id,
      type: 'text',
      autocomplete: 'off',
      spellcheck: kind === 'text' ? 'true' : 'false',
      ...(kind === 'numeric' ? { inputmode: 'decimal' } : { maxlength: 500 }),
      'aria-describedby': `${hintId} ${errorId}`,
      value: value === undefined ? '' : String(value),
    });
    let last = value === undefined ? '' : String(value);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const commit = () => {
      clearTimeout(timer);
      const raw = input.value.trim();
      if (raw === '' || raw === last) return;
      if (kind === 'numeric') {
        const n = /^[-+]?(\d+([.,]\d*)?|[.,]\d+)([eE][-+]?\d+)?$/.test(raw)
          ? Number(raw.replace(',', '.'))
          : Number.NaN;
        const bad = !Number.isFinite(n);
        error.hidden = !bad;
        error.textContent = bad ? m.numberInvalid : '';
        input.setAttribute('aria-invalid', String(bad));
        if (bad) return;
        last = raw;
        save(n);
      } else {
        last = raw;
        save(raw);
      }
    };
    input.addEventListener('input', () => {
      clearTimeout(timer);
      timer = setTimeout(commit, 1000);
    });
    input.addEventListener('change', commit);
    input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') commit();
    });
    const label = kind === 'numeric' ? m.numberLabel : m.textLabel;
    return h(
      'div',
      { class: 'typed', 'data-answer': true },
      h('label', { for: id }, label),
      h(
        'span',
        { class: 'input-row' },
        input,
        kind === 'numeric' && q.unit ? h('span', { class: 'unit' }, q.unit) : null,
      ),
      h('p', { id: hintId, class: 'hint' }, kind === 'numeric' ? m.numberHint : m.textHint),
      error,
    );
  };
}

export const RENDERERS: Readonly<Record<string, TypeRenderer>> = {
  single: { instruction: (m) => m.chooseOne, render: choices('radio') },
  sjt: { instruction: (m) => m.chooseSjt, render: choices('radio') },
  multi: {
    instruction: (m) => m.chooseAll,
    render: choices('checkbox'),
    answered: (v) => Array.isArray(v) && v.length > 0,
  },
  order: { instruction: (m) => m.orderHint, render: orderList },
  numeric: { instruction: (m) => m.enterNumber, render: typed('numeric') },
  text: { instruction: (m) => m.typeAnswer, render: typed('text') },
};

/** A type this page does not know yet: shown, not answerable. */
export const UNSUPPORTED: TypeRenderer = {
  instruction: (m) => m.unsupported,
  render: () => h('div', { class: 'unsupported' }),
};

export const rendererOf = (type: string) => RENDERERS[type] ?? UNSUPPORTED;

export function isAnswered(q: CandidateQuestion, value: Answer | undefined): boolean {
  if (value === undefined) return false;
  return rendererOf(q.type).answered?.(value) ?? true;
}
