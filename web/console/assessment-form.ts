/**
 * A new assessment from a blueprint (`POST /v1/assessments`) and the edit of one
 * (`PATCH /v1/assessments/{id}`): title, time limit, sections with live pool sizes and a time
 * estimate, instructions, scoring, reminders. An edit sends only what changed; time limit and
 * sections are offered only while the API says the content is editable (`contentEditable`).
 */
import { h, uid } from '../shared/dom.ts';
import { dateTime, durationWords } from '../shared/i18n.ts';
import {
  type Area,
  announce,
  call,
  current,
  leave,
  link,
  m,
  problemText,
  show,
  showProblem,
  state,
} from './app.ts';
import { changesOf, type SectionInput } from './changes.ts';
import { sectionsList } from './employer.ts';
import { checkbox, errorSummary, type FieldProblem, field, showErrors } from './forms.ts';
import type { Assessment } from './model.ts';
import { estimateSeconds } from './results.ts';
import { inScreenWords } from './section-words.ts';

interface SectionRow {
  area: HTMLSelectElement;
  count: HTMLInputElement;
  difficulty: HTMLSelectElement;
  pool: HTMLElement;
  error: HTMLElement;
  row: HTMLElement;
}

/** A section's number of questions as the form sends it: a whole number from 1 to 100. */
function validCount(value: string): number | undefined {
  const n = Number(value);
  return value.trim() !== '' && Number.isInteger(n) && n >= 1 && n <= 100 ? n : undefined;
}

/** The sections of a blueprint: area, count, difficulty; pool sizes and the time estimate live. */
function blueprintEditor(initial: readonly SectionInput[], limitMinutes: () => number) {
  const rows: SectionRow[] = [];
  const list = h('div', { class: 'sections-list' });
  const summary = h('p', { class: 'summary', id: 'blueprint-summary', 'aria-live': 'polite' });

  const update = () => {
    // Only counts the form would send add up: "2.5", "-3" or "1e3" are named instead.
    const counts = rows.map((r) => validCount(r.count.value));
    let total = 0;
    rows.forEach((r, i) => {
      const area = state.areas.find((a) => a.id === r.area.value);
      const n = counts[i] ?? 0;
      total += n;
      const available = area?.questionCount ?? 0;
      r.pool.textContent = m().poolSize(available);
      r.pool.dataset.kind = n > available ? 'error' : '';
      if (n > available) r.pool.textContent += ` ${m().poolTooSmall(available)}`;
    });
    const invalid = counts.flatMap((n, i) => (n === undefined ? [m().countInvalid(i + 1)] : []));
    const est = estimateSeconds(
      rows.map((r, i) => ({ area: r.area.value, count: counts[i] ?? 0 })),
      state.areas,
    );
    // No total or estimate of a blueprint that cannot be sent as it stands: what to fix instead.
    const parts = invalid.length ? invalid : [m().totalQuestions(total)];
    if (!invalid.length && est.seconds > 0) {
      parts.push(
        est.complete
          ? m().estimate(durationWords(m(), est.seconds))
          : m().estimatePartial(durationWords(m(), est.seconds)),
      );
      if (est.seconds > limitMinutes() * 60) parts.push(m().estimateOverLimit);
    } else if (!invalid.length && total > 0) parts.push(m().noEstimate);
    summary.textContent = parts.join(' ');
  };

  const renumber = () =>
    rows.forEach((r, i) => {
      r.row.querySelector('legend')!.textContent = m().sectionN(i + 1);
      const remove = r.row.querySelector('button')!;
      remove.setAttribute('aria-label', m().removeSectionN(i + 1));
      remove.hidden = rows.length === 1;
    });

  const addSection = (s: Partial<SectionInput> = {}) => {
    const id = uid('section');
    const difficulty = String(s.difficulty ?? 'mixed');
    const r: SectionRow = {
      area: h(
        'select',
        { id: `${id}-area`, onchange: update },
        ...state.areas.map((a) =>
          h('option', { value: a.id, selected: a.id === s.area }, `${a.name} (${a.questionCount})`),
        ),
      ),
      count: h('input', {
        id: `${id}-count`,
        type: 'number',
        min: 1,
        max: 100,
        value: s.count ?? 5,
        inputmode: 'numeric',
        class: 'short',
        oninput: update,
      }),
      difficulty: h(
        'select',
        { id: `${id}-difficulty` },
        ...['mixed', '1', '2', '3'].map((d) =>
          h(
            'option',
            { value: d, selected: d === difficulty },
            d === 'mixed' ? m().difficultyMixed : m().difficulty(Number(d)),
          ),
        ),
      ),
      pool: h('p', { class: 'hint pool', id: `${id}-pool` }),
      error: h('p', { class: 'field-error', id: `${id}-error` }),
      row: h('fieldset', { class: 'section-row' }),
    };
    r.error.hidden = true;
    for (const input of [r.area, r.count, r.difficulty]) {
      input.setAttribute('aria-describedby', `${id}-pool ${id}-error`);
    }
    const remove = h(
      'button',
      {
        type: 'button',
        class: 'small',
        onclick: () => {
          if (rows.length === 1) return;
          rows.splice(rows.indexOf(r), 1);
          r.row.remove();
          renumber();
          update();
          rows[0]?.area.focus();
        },
      },
      m().removeSection,
    );
    r.row.append(
      h('legend', {}, m().sectionN(rows.length + 1)),
      h(
        'div',
        { class: 'section-fields' },
        h('div', { class: 'field' }, h('label', { for: r.area.id }, m().areaLabel), r.area),
        h('div', { class: 'field' }, h('label', { for: r.count.id }, m().countLabel), r.count),
        h(
          'div',
          { class: 'field' },
          h('label', { for: r.difficulty.id }, m().difficultyLabel),
          r.difficulty,
        ),
        remove,
      ),
      r.pool,
      r.error,
    );
    rows.push(r);
    list.append(r.row);
    renumber();
    update();
    return r;
  };
  for (const s of initial) addSection(s);

  return {
    rows,
    update,
    el: [
      h('h2', {}, m().sectionsHeading),
      h('p', { class: 'hint' }, m().sectionsHint),
      list,
      h(
        'p',
        {},
        h('button', { type: 'button', onclick: () => addSection().area.focus() }, m().addSection),
      ),
      summary,
    ],
    /** The sections as the API takes them. */
    value: (): SectionInput[] =>
      rows.map((r) => ({
        area: r.area.value,
        count: Number(r.count.value),
        difficulty:
          r.difficulty.value === 'mixed'
            ? 'mixed'
            : (Number(r.difficulty.value) as SectionInput['difficulty']),
      })),
    /** `sections[1].count` -> that row's input and error. */
    fieldFor: (path: string) => {
      const s = /^sections\[(\d+)\](?:\.(\w+))?/.exec(path);
      const r = s ? rows[Number(s[1])] : undefined;
      if (!r) return undefined;
      const input = s![2] === 'count' ? r.count : s![2] === 'difficulty' ? r.difficulty : r.area;
      return { input, error: r.error };
    },
    problems: (): FieldProblem[] =>
      rows.flatMap((r, i) => {
        return validCount(r.count.value) !== undefined
          ? []
          : [{ path: `sections[${i}].count`, message: m().countInvalid(i + 1) }];
      }),
  };
}

/** Read the areas again: pool sizes are live (an author may just have imported questions). */
async function refreshAreas() {
  const res = await call('GET', '/areas');
  if (res.status === 200) state.areas = res.body.areas as Area[];
}

export async function showCreate() {
  const gen = leave();
  show(m().createHeading, h('p', {}, m().loading));
  await refreshAreas();
  if (!current(gen)) return;
  drawForm(undefined);
}

export async function showEdit(id: string) {
  const gen = leave();
  show(m().loadingHeading, h('p', {}, m().loading));
  const [res] = await Promise.all([call('GET', `/assessments/${id}`), refreshAreas()]);
  if (!current(gen)) return;
  if (res.status !== 200) {
    return showProblem(m().editHeading, res, () => void showEdit(id), {
      href: '/assessments',
      text: m().backToAssessments,
    });
  }
  drawForm(res.body as Assessment);
}

function drawForm(a: Assessment | undefined) {
  const editing = a !== undefined;
  // An assessment from before the lifecycle routes says nothing: its content is not editable.
  const contentEditable = !a || a.contentEditable === true;
  const summary = errorSummary();
  const title = field(
    'title',
    m().titleLabel,
    h('input', { required: true, maxlength: 200, value: a?.title }),
  );
  const limit = field(
    'time-limit',
    m().timeLimitLabel,
    h('input', {
      type: 'number',
      min: 1,
      max: 600,
      value: a?.timeLimitMinutes ?? 30,
      inputmode: 'numeric',
      required: true,
      class: 'short',
    }),
    m().timeLimitHint,
  );
  const firstTechnical = state.areas.find((x) => x.kind === 'technical')?.id;
  const firstSoft = state.areas.find((x) => x.kind === 'soft')?.id;
  const initial: SectionInput[] = a?.sections ?? [];
  if (!a && firstTechnical) initial.push({ area: firstTechnical, count: 8, difficulty: 'mixed' });
  if (!a && firstSoft) initial.push({ area: firstSoft, count: 2, difficulty: 'mixed' });
  const blueprint = blueprintEditor(initial, () => Number(limit.input.value));
  limit.input.addEventListener('input', blueprint.update);
  blueprint.update();
  const instructions = field(
    'instructions',
    m().instructionsLabel,
    h('textarea', { rows: 4, maxlength: 2000, value: a?.instructions ?? '' }),
    m().instructionsHint,
  );
  const passing = field(
    'passing-score',
    m().passingScoreLabel,
    h('input', {
      type: 'number',
      min: 0,
      max: 100,
      inputmode: 'numeric',
      class: 'short',
      value: a?.passingScore,
    }),
    m().passingScoreHint,
  );
  const showResult = checkbox(
    'show-result',
    m().showResultLabel,
    a?.showResultToCandidate ?? false,
  );
  const remind = field(
    'remind-hours',
    m().remindLabel,
    h('input', {
      type: 'number',
      min: 0,
      max: 168,
      inputmode: 'numeric',
      class: 'short',
      value: a?.remindBeforeExpiryHours ?? 24,
    }),
    m().remindHint,
  );
  const submit = h(
    'button',
    { type: 'submit', class: 'primary' },
    editing ? m().saveChanges : m().createAssessment,
  );
  const back = a ? `/assessments/${a.assessmentId}` : '/assessments';

  const content = contentEditable
    ? [limit.el, ...blueprint.el]
    : [
        h(
          'p',
          { class: 'notice', id: 'content-locked' },
          m().contentLocked(a?.contentLockedAt ? dateTime('en', a.contentLockedAt) : undefined),
        ),
        h(
          'dl',
          { class: 'facts' },
          h('dt', {}, m().timeLimitColumn),
          h('dd', {}, m().minutes(a!.timeLimitMinutes)),
          h('dt', {}, m().sectionsHeading),
          h('dd', {}, sectionsList(a!)),
        ),
      ];

  const form = h(
    'form',
    { class: 'form', novalidate: true },
    summary,
    title.el,
    ...content,
    instructions.el,
    h('h2', {}, m().scoringHeading),
    passing.el,
    showResult.el,
    h('h2', {}, m().remindersHeading),
    remind.el,
    h('p', { class: 'actions' }, submit, link(back, m().cancel, { class: 'button' })),
  );

  const simple = { title, timeLimitMinutes: limit, instructions, passingScore: passing };
  const fieldFor = (path: string) =>
    path === 'remindBeforeExpiryHours'
      ? remind
      : (simple[path as keyof typeof simple] ?? blueprint.fieldFor(path));
  const clearable = () => [
    title,
    limit,
    instructions,
    passing,
    remind,
    ...blueprint.rows.map((r) => ({ input: r.area, error: r.error })),
  ];

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const local: FieldProblem[] = [];
    if (!title.input.value.trim()) local.push({ path: 'title', message: m().titleRequired });
    const minutes = Number(limit.input.value);
    if (contentEditable) {
      if (!Number.isInteger(minutes) || minutes < 1 || minutes > 600) {
        local.push({ path: 'timeLimitMinutes', message: m().timeLimitInvalid });
      }
      local.push(...blueprint.problems());
    }
    const pass = passing.input.value.trim();
    if (pass && !(Number(pass) >= 0 && Number(pass) <= 100)) {
      local.push({ path: 'passingScore', message: m().passingScoreInvalid });
    }
    const hours = Number(remind.input.value);
    if (!Number.isInteger(hours) || hours < 0 || hours > 168) {
      local.push({ path: 'remindBeforeExpiryHours', message: m().remindInvalid });
    }
    if (local.length) return showErrors(summary, clearable(), fieldFor, local);

    const text = instructions.input.value.trim();
    const fields = {
      title: title.input.value.trim(),
      timeLimitMinutes: minutes,
      sections: blueprint.value(),
      instructions: text,
      passingScore: pass ? Number(pass) : undefined,
      showResultToCandidate: showResult.input.checked,
      remindBeforeExpiryHours: hours,
    };
    let res: Awaited<ReturnType<typeof call>>;
    if (!a) {
      const { instructions: _i, passingScore: _p, ...rest } = fields;
      submit.disabled = true;
      res = await call('POST', '/assessments', {
        body: {
          ...rest,
          ...(text ? { instructions: text } : {}),
          ...(pass ? { passingScore: Number(pass) } : {}),
        },
      });
    } else {
      const body = changesOf(a, fields, contentEditable);
      if (!Object.keys(body).length) {
        showErrors(summary, clearable(), fieldFor, [], m().nothingChanged);
        return;
      }
      submit.disabled = true;
      res = await call('PATCH', `/assessments/${a.assessmentId}`, { body });
    }
    submit.disabled = false;
    if (res.status === 201 || res.status === 200) {
      announce(a ? m().saved(fields.title) : m().created(fields.title));
      location.hash = `#/assessments/${res.body.assessmentId}`;
      return;
    }
    const known = (id: string) => state.areas.find((x) => x.id === id)?.name;
    const errors = ((res.body?.errors ?? []) as FieldProblem[]).map((e) =>
      e.path.startsWith('sections') ? { ...e, message: inScreenWords(e.message, known) } : e,
    );
    showErrors(summary, clearable(), fieldFor, errors, problemText(res), true);
  });

  show(
    editing ? m().editHeadingOf(a.title) : m().createHeading,
    editing ? h('p', { class: 'breadcrumb' }, link(back, m().backTo(a.title))) : null,
    form,
  );
}
