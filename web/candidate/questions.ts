/**
 * How each question type is shown and answered: one renderer per type, looked up by the
 * type's id. Every control is a native, labelled control usable by mouse, touch and keyboard.
 */
import type { QuestionTypeId } from '../../functions/domain/question-types/registry.ts';
import { h, uid } from '../shared/dom.ts';
import { inlineMarkdownHtml, markdownHtml } from '../shared/markdown.ts';
import type { Messages } from './i18n.ts';
import { readNumber } from './numbers.ts';
import type { Answer } from './saver.ts';
import { typedText } from './typed-text.ts';

interface Item {
  id: string;
  text: string;
}

/** A question as the attempt view carries it: the fields of every type's candidate view. */
export interface CandidateQuestion {
  questionId: string;
  area: string;
  type: string;
  prompt: string;
  /** single, multi, order, sjt, missing-word. */
  options?: Item[];
  /** numeric, when the question has one: shown beside the input. */
  unit?: string;
  /** matching: the items to match, in order. */
  left?: string[];
  /** matching: what each is matched with (shuffled); an entry may be chosen more than once. */
  right?: Item[];
}

export interface RenderContext {
  q: CandidateQuestion;
  value: Answer | undefined;
  m: Messages;
  save(value: Answer): void;
  announce(text: string): void;
  /**
   * A typed answer differs from the one last sent and waits for the pause before it is saved
   * (`true`), or no longer does, nothing being sent (`false`).
   */
  typing?(waiting: boolean): void;
  /**
   * What a typed answer within its pause would save (`undefined`: nothing), from each keystroke
   * until it is saved, so that the page keeps it where a crash cannot take it.
   */
  draft?(value: Answer | undefined): void;
}

export interface TypeRenderer {
  instruction(m: Messages): string;
  render(ctx: RenderContext): HTMLElement;
  /** Whether a stored answer counts as answered (an empty choice list does not). */
  answered?(value: Answer): boolean;
  /** The prompt as HTML, when the type shows more than its markdown (a blank in place). */
  prompt?(q: CandidateQuestion, value: Answer | undefined, m: Messages): string;
}

const optionLabel = (text: string) => h('span', { class: 'md', html: inlineMarkdownHtml(text) });

function choices(
  kind: 'radio' | 'checkbox',
  onPick?: (input: HTMLInputElement, ctx: RenderContext) => void,
): (ctx: RenderContext) => HTMLElement {
  return (ctx) => {
    const { q, value, save } = ctx;
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
          onPick?.(input, ctx);
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

/** Markdown as one line of text (code without its backticks), for names and `<option>`s. */
const plainText = (markdown: string, max = 60) => {
  const el = h('span', { html: inlineMarkdownHtml(markdown) });
  const text = (el.textContent ?? '').replace(/\s+/g, ' ').trim();
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
};

/**
 * Stands for `{blank}` while the prompt goes through markdown: letters only, so markdown leaves
 * it alone, and it cannot be confused with the author's text, whose HTML comes out escaped.
 */
const BLANK_MARK = 'AssayBlankMarkQ7Z';

/** The blank of a missing-word prompt: empty, or showing the option chosen for it. */
function blankHtml(q: CandidateQuestion, value: Answer | undefined, m: Messages): string {
  const chosen = q.options?.find((o) => o.id === value);
  const inner = chosen
    ? inlineMarkdownHtml(chosen.text)
    : h('span', { class: 'visually-hidden' }, m.blank).outerHTML;
  return `<span class="blank${chosen ? ' filled' : ''}" data-blank="">${inner}</span>`;
}

/** Missing word: the prompt with its blank in place, the options as radios below it. */
const missingWordPrompt = (q: CandidateQuestion, value: Answer | undefined, m: Messages) =>
  markdownHtml(q.prompt.replace('{blank}', BLANK_MARK)).replace(BLANK_MARK, blankHtml(q, value, m));

/** A choice fills the blank in the prompt at once (the status says whether it is saved). */
function fillBlank(input: HTMLInputElement, { q, m }: RenderContext) {
  const blank = input.closest('fieldset')?.querySelector('[data-blank]');
  if (blank) blank.outerHTML = blankHtml(q, input.value, m);
}

/**
 * Matching: the lettered list of what to match with (markdown, full text), then one labelled
 * native `<select>` per numbered item. Every change saves the whole list (`null` for an item
 * without a match).
 */
function matchingRows({ q, value, m, save }: RenderContext): HTMLElement {
  const left = q.left ?? [];
  const right = q.right ?? [];
  const letter = (i: number) => String.fromCharCode(65 + i);
  const given = Array.isArray(value) && value.length === left.length ? value : [];
  const choicesId = uid('match-choices');
  const selects = left.map((_, i) => {
    const chosen = given[i];
    return h(
      'select',
      {
        id: uid('match'),
        onchange: () => save(selects.map((s) => (s.value === '' ? null : s.value))),
      },
      h('option', { value: '' }, m.chooseMatch),
      ...right.map((r, j) => {
        const option = h('option', { value: r.id }, `${letter(j)}: ${plainText(r.text, 80)}`);
        option.selected = r.id === chosen;
        return option;
      }),
    );
  });
  return h(
    'div',
    { class: 'matching', 'data-answer': true },
    h('h3', { id: choicesId, class: 'match-heading' }, m.matchChoices),
    h(
      'ul',
      { class: 'match-choices', 'aria-labelledby': choicesId },
      ...right.map((r, j) =>
        h(
          'li',
          {},
          h('span', { class: 'letter' }, letter(j)),
          h('span', { class: 'md', html: inlineMarkdownHtml(r.text) }),
        ),
      ),
    ),
    h(
      'ol',
      { class: 'match-rows' },
      ...left.map((text, i) =>
        h(
          'li',
          {},
          h(
            'label',
            { for: selects[i]!.id },
            h('span', { class: 'pos' }, `${i + 1}.`),
            ' ',
            h('span', { class: 'md', html: inlineMarkdownHtml(text) }),
          ),
          selects[i]!,
        ),
      ),
    ),
  );
}

/** Order: numbered list; drag by the handle (pointer: mouse, pen, touch) or move by buttons. */
function orderList({ q, value, m, save, announce }: RenderContext): HTMLElement {
  const byId = new Map((q.options ?? []).map((o) => [o.id, o]));
  const given =
    Array.isArray(value) &&
    value.length === byId.size &&
    value.every((id): id is string => typeof id === 'string')
      ? value
      : undefined;
  let ids: string[] = given ? [...(given as string[])] : (q.options ?? []).map((o) => o.id);
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
/** The typed answer waiting out its pause before it is saved (one input is on screen). */
let pendingTyped: (() => void) | undefined;

/**
 * Save now what was typed but is still within its pause (the page is closing, time is up, or
 * the candidate submits): else it would be lost without the page knowing it was there.
 */
export function flushTyped(): void {
  pendingTyped?.();
}

function typed(kind: 'numeric' | 'text'): (ctx: RenderContext) => HTMLElement {
  return ({ q, value, m, save, typing, draft }) => {
    const id = uid('answer');
    const hintId = uid('hint');
    const errorId = uid('error');
    const unitId = uid('unit');
    const unit = kind === 'numeric' && q.unit ? q.unit : undefined;
    const error = h('p', { id: errorId, class: 'field-error', hidden: true });
    const input = h('input', {
      id,
      type: 'text',
      autocomplete: 'off',
      spellcheck: kind === 'text' ? 'true' : 'false',
      ...(kind === 'numeric' ? { inputmode: 'decimal' } : { maxlength: 500 }),
      'aria-describedby': `${unit ? `${unitId} ` : ''}${hintId} ${errorId}`,
      value: value === undefined ? '' : String(value),
    });
    let last = value === undefined ? '' : String(value);
    let timer: ReturnType<typeof setTimeout> | undefined;
    /** What the pause would save now, without saying anything (`undefined`: nothing). */
    const pending = (): Answer | undefined => {
      const raw = typedText(input.value).trim();
      if (raw === '' || raw === last) return undefined;
      if (kind === 'text') return raw;
      const read = readNumber(raw);
      return 'error' in read ? undefined : read.value;
    };
    /** `left`: the candidate left the field or pressed Enter (not a pause while typing). */
    const commit = (left = true) => {
      clearTimeout(timer);
      if (pendingTyped === commit) pendingTyped = undefined;
      // Saved (or not to be): it is no longer kept as typed (after the save, so never unkept).
      queueMicrotask(() => draft?.(undefined));
      // A pasted character no one can see is taken out, in the field too: what is shown is
      // what is saved, and never refused for something the candidate cannot find.
      const visible = typedText(input.value);
      if (visible !== input.value) input.value = visible;
      const raw = visible.trim();
      if (raw === '' && last !== '' && left) {
        // An emptied field would show no answer while the saved one is graded: show it again.
        input.value = last;
        error.hidden = false;
        error.textContent = m.cannotRemove;
        typing?.(false);
        return;
      }
      if (raw === '' || raw === last) return typing?.(false);
      if (kind === 'numeric') {
        const read = readNumber(raw);
        const bad = 'error' in read;
        error.hidden = !bad;
        error.textContent = bad
          ? read.error === 'ambiguous'
            ? m.numberAmbiguous(raw)
            : m.numberInvalid
          : '';
        input.setAttribute('aria-invalid', String(bad));
        if (bad) return typing?.(false);
        last = raw;
        save(read.value);
      } else {
        error.hidden = true;
        last = raw;
        save(raw);
      }
    };
    input.addEventListener('input', () => {
      clearTimeout(timer);
      typing?.(typedText(input.value).trim() !== last);
      draft?.(pending());
      timer = setTimeout(() => commit(false), 1000);
      pendingTyped = commit;
    });
    input.addEventListener('change', () => commit());
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
        unit ? h('span', { class: 'unit', id: unitId }, unit) : null,
      ),
      h('p', { id: hintId, class: 'hint' }, kind === 'numeric' ? m.numberHint : m.textHint),
      error,
    );
  };
}

/** One renderer for every type of the registry: a type without one does not compile. */
export const RENDERERS: Readonly<Record<QuestionTypeId, TypeRenderer>> = {
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
  matching: {
    instruction: (m) => m.matchHint,
    render: matchingRows,
    // Answered once every item has a match: a partial answer is saved and scored, but the
    // navigator and the review list it as not answered, so that a missed item is found.
    answered: (v) => Array.isArray(v) && v.length > 0 && v.every((x) => x !== null),
  },
  'missing-word': {
    instruction: (m) => m.chooseWord,
    render: choices('radio', fillBlank),
    prompt: missingWordPrompt,
  },
};

/** A type this page does not know yet: shown, not answerable. */
export const UNSUPPORTED: TypeRenderer = {
  instruction: (m) => m.unsupported,
  render: () => h('div', { class: 'unsupported' }),
};

export const rendererOf = (type: string): TypeRenderer =>
  Object.hasOwn(RENDERERS, type) ? RENDERERS[type as QuestionTypeId] : UNSUPPORTED;

/** The prompt as HTML: markdown, or what the question's type makes of it. */
export function promptHtml(q: CandidateQuestion, value: Answer | undefined, m: Messages): string {
  return rendererOf(q.type).prompt?.(q, value, m) ?? markdownHtml(q.prompt);
}

export function isAnswered(q: CandidateQuestion, value: Answer | undefined): boolean {
  if (value === undefined) return false;
  return rendererOf(q.type).answered?.(value) ?? true;
}
