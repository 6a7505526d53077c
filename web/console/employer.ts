/**
 * Employers' screens: the assessments list, a new assessment from a blueprint, one assessment
 * (its invitations with live statuses, its results), inviting candidates, and a report.
 */
import { h, uid } from '../shared/dom.ts';
import { dateTime, durationWords, formatNumber, shortDateTime } from '../shared/i18n.ts';
import { markdownHtml } from '../shared/markdown.ts';
import {
  type Area,
  announce,
  areaName,
  call,
  callAll,
  current,
  leave,
  link,
  m,
  poll,
  problemText,
  say,
  show,
  showProblem,
  state,
} from './app.ts';
import { MAX_CANDIDATES, parseCandidates } from './candidates.ts';
import { confirmDialog, formDialog } from './dialogs.ts';
import {
  areasIn,
  estimateSeconds,
  type ResultRow,
  type SortDirection,
  type SortKey,
  sortResults,
} from './results.ts';

interface Section {
  area: string;
  count: number;
  difficulty: 1 | 2 | 3 | 'mixed';
  questionPool: number;
}

interface Assessment {
  assessmentId: string;
  title: string;
  timeLimitMinutes: number;
  passingScore?: number;
  showResultToCandidate: boolean;
  sections: Section[];
  questionCount: number;
  createdAt: string;
  archivedAt?: string;
}

interface Invitation {
  invitationId: string;
  status: string;
  expiresAt: string;
  candidate: { name?: string; email?: string; externalId?: string; locale?: string };
  extraTimePercent: number;
  createdAt: string;
  attemptId?: string;
  token?: string;
  delivery?: { status: string; message: string; at: string; reason?: string };
}

const has = (action: Parameters<NonNullable<typeof state.caps>['has']>[0]) =>
  state.caps?.has(action) ?? false;

const candidateLabel = (c: Invitation['candidate']) =>
  c.name ?? c.email ?? c.externalId ?? m().anonymous;

// ---- the list ----

export async function showAssessments() {
  const gen = leave();
  show(m().assessmentsHeading, h('p', {}, m().loading));
  const { items, res } = await callAll<Assessment>('/assessments');
  if (!current(gen)) return;
  if (res.status !== 200) return showProblem(m().assessmentsHeading, res, showAssessments);
  const newLink = link('/assessments/new', m().newAssessment, { class: 'button primary' });
  if (!items.length) {
    show(m().assessmentsHeading, h('p', {}, m().noAssessments), h('p', {}, newLink));
    return;
  }
  show(
    m().assessmentsHeading,
    h('p', { class: 'actions' }, newLink),
    h(
      'div',
      { class: 'table-wrap', role: 'region', 'aria-label': m().assessmentsHeading, tabindex: 0 },
      h(
        'table',
        { class: 'data' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', { scope: 'col' }, m().titleColumn),
            h('th', { scope: 'col', class: 'num' }, m().questionsColumn),
            h('th', { scope: 'col' }, m().timeLimitColumn),
            h('th', { scope: 'col' }, m().createdColumn),
          ),
        ),
        h(
          'tbody',
          {},
          ...items.map((a) =>
            h(
              'tr',
              {},
              h(
                'th',
                { scope: 'row' },
                link(`/assessments/${a.assessmentId}`, a.title),
                a.archivedAt ? h('span', { class: 'badge' }, m().archived) : null,
              ),
              h('td', { class: 'num' }, String(a.questionCount)),
              h('td', {}, m().minutes(a.timeLimitMinutes)),
              h('td', {}, shortDateTime('en', a.createdAt)),
            ),
          ),
        ),
      ),
    ),
  );
}

// ---- create ----

interface SectionRow {
  area: HTMLSelectElement;
  count: HTMLInputElement;
  difficulty: HTMLSelectElement;
  pool: HTMLElement;
  error: HTMLElement;
  row: HTMLElement;
}

/** A field with its label, hint and error, wired for screen readers. */
function field(
  id: string,
  label: string,
  input: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement,
  hint?: string,
) {
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

function setFieldError(input: HTMLElement, error: HTMLElement, text: string) {
  error.textContent = text;
  error.hidden = !text;
  if (text) input.setAttribute('aria-invalid', 'true');
  else input.removeAttribute('aria-invalid');
}

export async function showCreate() {
  const gen = leave();
  show(m().createHeading, h('p', {}, m().loading));
  // Pool sizes are live: read the areas again (an author may just have imported questions).
  const res = await call('GET', '/areas');
  if (!current(gen)) return;
  if (res.status === 200) state.areas = res.body.areas as Area[];
  const title = field('title', m().titleLabel, h('input', { required: true, maxlength: 200 }));
  const limit = field(
    'time-limit',
    m().timeLimitLabel,
    h('input', {
      type: 'number',
      min: 1,
      max: 600,
      value: 30,
      inputmode: 'numeric',
      required: true,
      class: 'short',
    }),
    m().timeLimitHint,
  );
  const passing = field(
    'passing-score',
    m().passingScoreLabel,
    h('input', { type: 'number', min: 0, max: 100, inputmode: 'numeric', class: 'short' }),
    m().passingScoreHint,
  );
  const showResult = h('input', { type: 'checkbox', id: 'show-result' });
  const rows: SectionRow[] = [];
  const list = h('div', { class: 'sections-list' });
  const summary = h('p', { class: 'summary', id: 'blueprint-summary', 'aria-live': 'polite' });
  const errorSummary = h('div', { class: 'error-summary', role: 'alert', tabindex: -1 });
  errorSummary.hidden = true;

  const update = () => {
    let total = 0;
    for (const r of rows) {
      const area = state.areas.find((a) => a.id === r.area.value);
      const n = Number(r.count.value) || 0;
      total += n;
      const available = area?.questionCount ?? 0;
      r.pool.textContent = m().poolSize(available);
      r.pool.dataset.kind = n > available ? 'error' : '';
      if (n > available) r.pool.textContent += ` ${m().poolTooSmall(available)}`;
    }
    const est = estimateSeconds(
      rows.map((r) => ({ area: r.area.value, count: Number(r.count.value) || 0 })),
      state.areas,
    );
    const parts = [m().totalQuestions(total)];
    if (est.seconds > 0) {
      parts.push(
        est.complete
          ? m().estimate(durationWords(m(), est.seconds))
          : m().estimatePartial(durationWords(m(), est.seconds)),
      );
      if (est.seconds > Number(limit.input.value) * 60) parts.push(m().estimateOverLimit);
    } else if (total > 0) parts.push(m().noEstimate);
    summary.textContent = parts.join(' ');
  };

  const addSection = (area = '', count = 5) => {
    const id = uid('section');
    const r: SectionRow = {
      area: h(
        'select',
        { id: `${id}-area`, onchange: update },
        ...state.areas.map((a) =>
          h('option', { value: a.id, selected: a.id === area }, `${a.name} (${a.questionCount})`),
        ),
      ),
      count: h('input', {
        id: `${id}-count`,
        type: 'number',
        min: 1,
        max: 100,
        value: count,
        inputmode: 'numeric',
        class: 'short',
        oninput: update,
      }),
      difficulty: h(
        'select',
        { id: `${id}-difficulty` },
        h('option', { value: 'mixed' }, m().difficultyMixed),
        h('option', { value: '1' }, m().difficulty(1)),
        h('option', { value: '2' }, m().difficulty(2)),
        h('option', { value: '3' }, m().difficulty(3)),
      ),
      pool: h('p', { class: 'hint pool', id: `${id}-pool` }),
      error: h('p', { class: 'field-error', id: `${id}-error` }),
      row: h('fieldset', { class: 'section-row' }),
    };
    r.error.hidden = true;
    for (const input of [r.area, r.count, r.difficulty]) {
      input.setAttribute('aria-describedby', `${id}-pool ${id}-error`);
    }
    const n = rows.length + 1;
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
      h('legend', {}, m().sectionN(n)),
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
  const renumber = () =>
    rows.forEach((r, i) => {
      r.row.querySelector('legend')!.textContent = m().sectionN(i + 1);
      const remove = r.row.querySelector('button')!;
      remove.setAttribute('aria-label', m().removeSectionN(i + 1));
      remove.hidden = rows.length === 1;
    });

  const firstTechnical = state.areas.find((a) => a.kind === 'technical')?.id ?? '';
  const firstSoft = state.areas.find((a) => a.kind === 'soft')?.id ?? '';
  addSection(firstTechnical, 8);
  if (firstSoft) addSection(firstSoft, 2);
  limit.input.addEventListener('input', update);

  const submit = h('button', { type: 'submit', class: 'primary' }, m().createAssessment);
  const form = h(
    'form',
    { class: 'form', novalidate: true },
    errorSummary,
    title.el,
    limit.el,
    h('h2', {}, m().sectionsHeading),
    h('p', { class: 'hint' }, m().sectionsHint),
    list,
    h(
      'p',
      {},
      h('button', { type: 'button', onclick: () => addSection().area.focus() }, m().addSection),
    ),
    summary,
    h('h2', {}, m().scoringHeading),
    passing.el,
    h(
      'div',
      { class: 'field checkbox' },
      showResult,
      h('label', { for: 'show-result' }, m().showResultLabel),
    ),
    h('p', { class: 'actions' }, submit, link('/assessments', m().cancel, { class: 'button' })),
  );

  const fieldFor = (path: string): { input: HTMLElement; error: HTMLElement } | undefined => {
    if (path === 'title') return title;
    if (path === 'timeLimitMinutes') return limit;
    if (path === 'passingScore') return passing;
    const s = /^sections\[(\d+)\](?:\.(\w+))?/.exec(path);
    const r = s ? rows[Number(s[1])] : undefined;
    if (r) {
      const input = s![2] === 'count' ? r.count : s![2] === 'difficulty' ? r.difficulty : r.area;
      return { input, error: r.error };
    }
    return undefined;
  };

  const showErrors = (errors: { path: string; message: string }[], detail?: string) => {
    for (const f of [title, limit, passing, ...rows]) {
      const input = 'input' in f ? f.input : f.area;
      setFieldError(input, f.error, '');
    }
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
                e.message,
              )
            : `${e.path}: ${e.message}`,
        ),
      );
    }
    errorSummary.replaceChildren(
      h('h2', {}, m().fixThese),
      detail && !errors.length ? h('p', {}, detail) : '',
      items.length ? h('ul', {}, ...items) : '',
    );
    errorSummary.hidden = false;
    errorSummary.focus();
  };

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const local: { path: string; message: string }[] = [];
    if (!title.input.value.trim()) local.push({ path: 'title', message: m().titleRequired });
    const minutes = Number(limit.input.value);
    if (!Number.isInteger(minutes) || minutes < 1 || minutes > 600) {
      local.push({ path: 'timeLimitMinutes', message: m().timeLimitInvalid });
    }
    rows.forEach((r, i) => {
      const n = Number(r.count.value);
      if (!Number.isInteger(n) || n < 1 || n > 100) {
        local.push({ path: `sections[${i}].count`, message: m().countInvalid(i + 1) });
      }
    });
    const pass = passing.input.value.trim();
    if (pass && !(Number(pass) >= 0 && Number(pass) <= 100)) {
      local.push({ path: 'passingScore', message: m().passingScoreInvalid });
    }
    if (local.length) return showErrors(local);
    submit.disabled = true;
    const body = {
      title: title.input.value.trim(),
      timeLimitMinutes: minutes,
      sections: rows.map((r) => ({
        area: r.area.value,
        count: Number(r.count.value),
        difficulty: r.difficulty.value === 'mixed' ? 'mixed' : Number(r.difficulty.value),
      })),
      ...(pass ? { passingScore: Number(pass) } : {}),
      showResultToCandidate: showResult.checked,
    };
    const res = await call('POST', '/assessments', { body });
    submit.disabled = false;
    if (res.status === 201) {
      announce(m().created(body.title));
      location.hash = `#/assessments/${res.body.assessmentId}`;
      return;
    }
    showErrors(res.body?.errors ?? [], problemText(res));
  });

  show(m().createHeading, form);
}

// ---- one assessment ----

function assessmentFacts(a: Assessment) {
  return h(
    'dl',
    { class: 'facts' },
    h('dt', {}, m().timeLimitColumn),
    h('dd', {}, m().minutes(a.timeLimitMinutes)),
    h('dt', {}, m().questionsColumn),
    h('dd', {}, String(a.questionCount)),
    h('dt', {}, m().sectionsHeading),
    h(
      'dd',
      {},
      h(
        'ul',
        { class: 'plain' },
        ...a.sections.map((s) =>
          h(
            'li',
            {},
            m().sectionFact(
              areaName(s.area),
              s.count,
              s.difficulty === 'mixed' ? m().difficultyMixed : m().difficulty(s.difficulty),
              s.questionPool,
            ),
          ),
        ),
      ),
    ),
    a.passingScore !== undefined ? h('dt', {}, m().passingScoreLabel) : null,
    a.passingScore !== undefined ? h('dd', {}, String(a.passingScore)) : null,
    h('dt', {}, m().resultsToCandidate),
    h('dd', {}, a.showResultToCandidate ? m().yes : m().no),
    h('dt', {}, m().createdColumn),
    h('dd', {}, dateTime('en', a.createdAt)),
  );
}

/** The assessment's own actions, each only where the server has its route. */
function assessmentActions(a: Assessment, message: HTMLElement) {
  const buttons: HTMLElement[] = [];
  if (!a.archivedAt) {
    buttons.push(
      link(`/assessments/${a.assessmentId}/invite`, m().inviteCandidates, {
        class: 'button primary',
      }),
    );
  }
  if (has('preview')) {
    buttons.push(
      h(
        'button',
        {
          type: 'button',
          onclick: async () => {
            const res = await call('POST', `/assessments/${a.assessmentId}/preview`);
            const token = res.body?.invitationToken ?? res.body?.token;
            const url =
              res.body?.takeUrl ?? res.body?.url ?? (token ? `/take#${token}` : undefined);
            if ((res.status === 200 || res.status === 201) && url) {
              window.open(url, '_blank', 'noopener');
              say(message, m().previewOpened, 'ok');
            } else say(message, problemText(res), 'error');
          },
        },
        m().preview,
      ),
    );
  }
  if (has('clone')) {
    buttons.push(
      h(
        'button',
        {
          type: 'button',
          onclick: async () => {
            const res = await call('POST', `/assessments/${a.assessmentId}/clone`, { body: {} });
            if (res.status === 201) {
              announce(m().cloned(res.body.title));
              location.hash = `#/assessments/${res.body.assessmentId}`;
            } else say(message, problemText(res), 'error');
          },
        },
        m().clone,
      ),
    );
  }
  const archiveAction = a.archivedAt ? 'unarchive' : 'archive';
  if (has(archiveAction)) {
    buttons.push(
      h(
        'button',
        {
          type: 'button',
          onclick: async () => {
            if (
              !a.archivedAt &&
              !(await confirmDialog(m().archiveConfirmHeading, m().archiveConfirm, m().archive))
            ) {
              return;
            }
            const res = await call(
              a.archivedAt ? 'DELETE' : 'POST',
              `/assessments/${a.assessmentId}/archive`,
            );
            if (res.status === 200) {
              announce(a.archivedAt ? m().unarchived : m().archivedDone);
              void showAssessment(a.assessmentId, 'invitations');
            } else say(message, problemText(res), 'error');
          },
        },
        a.archivedAt ? m().unarchive : m().archive,
      ),
    );
  }
  if (has('deleteAssessment')) {
    buttons.push(
      h(
        'button',
        {
          type: 'button',
          class: 'danger',
          onclick: async () => {
            if (!(await confirmDialog(m().deleteConfirmHeading, m().deleteConfirm, m().delete))) {
              return;
            }
            const res = await call('DELETE', `/assessments/${a.assessmentId}`);
            if (res.status === 204) {
              announce(m().deleted(a.title));
              location.hash = '#/assessments';
            } else say(message, problemText(res), 'error');
          },
        },
        m().delete,
      ),
    );
  }
  return h('div', { class: 'actions' }, ...buttons);
}

export async function showAssessment(id: string, tab: 'invitations' | 'results') {
  const gen = leave();
  show(m().loadingHeading, h('p', {}, m().loading));
  const res = await call('GET', `/assessments/${id}`);
  if (!current(gen)) return;
  if (res.status !== 200) {
    return showProblem(m().assessmentHeading, res, () => void showAssessment(id, tab));
  }
  const a = res.body as Assessment;
  const message = h('p', { class: 'message', role: 'status' });
  message.hidden = true;
  const panel = h('div', { class: 'panel', id: 'tab-panel' });
  const tabs = h(
    'nav',
    { class: 'tabs', 'aria-label': m().assessmentViews },
    h(
      'ul',
      {},
      h(
        'li',
        {},
        link(`/assessments/${id}`, m().invitationsTab, {
          ...(tab === 'invitations' ? { 'aria-current': 'page' } : {}),
        }),
      ),
      h(
        'li',
        {},
        link(`/assessments/${id}/results`, m().resultsTab, {
          ...(tab === 'results' ? { 'aria-current': 'page' } : {}),
        }),
      ),
    ),
  );
  show(
    a.title,
    h('p', { class: 'breadcrumb' }, link('/assessments', m().backToAssessments)),
    a.archivedAt
      ? h('p', { class: 'notice' }, m().archivedNotice(dateTime('en', a.archivedAt)))
      : null,
    assessmentFacts(a),
    assessmentActions(a, message),
    message,
    tabs,
    panel,
  );
  if (tab === 'results') await drawResults(a, panel, gen);
  else await drawInvitations(a, panel, gen);
}

// ---- invitations and their statuses ----

const STATUS_ORDER = ['pending', 'started', 'completed', 'expired', 'undeliverable', 'revoked'];

function statusBadge(status: string) {
  return h('span', { class: `status status-${status}` }, m().statusName(status));
}

async function drawInvitations(a: Assessment, panel: HTMLElement, gen: number) {
  const counts = h('p', { class: 'counts', role: 'status' });
  const body = h('div', {});
  const message = h('p', { class: 'message', role: 'status' });
  message.hidden = true;
  panel.replaceChildren(h('h2', {}, m().invitationsHeading), counts, message, body);
  let last = '';
  const refresh = async () => {
    const { items, res } = await callAll<Invitation>(`/assessments/${a.assessmentId}/invitations`);
    if (!current(gen)) return;
    if (res.status !== 200) {
      say(message, problemText(res), 'error');
      return;
    }
    const tally = new Map<string, number>();
    for (const i of items) tally.set(i.status, (tally.get(i.status) ?? 0) + 1);
    const text = items.length
      ? STATUS_ORDER.filter((s) => tally.get(s))
          .map((s) => `${m().statusName(s)}: ${tally.get(s)}`)
          .join(' · ')
      : m().noInvitations;
    // Only a change is announced (the region is polite): polling says nothing new otherwise.
    if (text !== last) counts.textContent = text;
    last = text;
    const focused = document.activeElement?.id;
    body.replaceChildren(items.length ? invitationsTable(items, message, refresh) : '');
    if (focused) document.getElementById(focused)?.focus();
  };
  await refresh();
  poll(5000, refresh);
}

function invitationsTable(items: Invitation[], message: HTMLElement, refresh: () => Promise<void>) {
  const showDelivery = items.some((i) => i.delivery);
  return h(
    'div',
    { class: 'table-wrap', role: 'region', 'aria-label': m().invitationsHeading, tabindex: 0 },
    h(
      'table',
      { class: 'data' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col' }, m().candidateColumn),
          h('th', { scope: 'col' }, m().statusColumn),
          showDelivery ? h('th', { scope: 'col' }, m().deliveryColumn) : null,
          h('th', { scope: 'col' }, m().expiresColumn),
          h('th', { scope: 'col' }, m().actionsColumn),
        ),
      ),
      h(
        'tbody',
        {},
        ...items.map((i) =>
          h(
            'tr',
            { 'data-invitation': i.invitationId },
            h(
              'th',
              { scope: 'row' },
              candidateLabel(i.candidate),
              i.candidate.email && i.candidate.name
                ? h('span', { class: 'sub' }, i.candidate.email)
                : null,
              i.extraTimePercent
                ? h('span', { class: 'sub' }, m().extraTime(i.extraTimePercent))
                : null,
            ),
            h('td', {}, statusBadge(i.status)),
            showDelivery
              ? h(
                  'td',
                  {},
                  i.delivery
                    ? `${m().deliveryName(i.delivery.status)}${i.delivery.reason ? ` (${i.delivery.reason})` : ''}`
                    : '—',
                )
              : null,
            h('td', {}, shortDateTime('en', i.expiresAt)),
            h(
              'td',
              {},
              h('div', { class: 'row-actions' }, ...invitationActions(i, message, refresh)),
            ),
          ),
        ),
      ),
    ),
  );
}

function invitationActions(
  i: Invitation,
  message: HTMLElement,
  refresh: () => Promise<void>,
): HTMLElement[] {
  const who = candidateLabel(i.candidate);
  const out: HTMLElement[] = [];
  const button = (key: string, text: string, label: string, onclick: () => Promise<void>) =>
    h(
      'button',
      {
        type: 'button',
        class: 'small',
        id: `${key}-${i.invitationId}`,
        'aria-label': label,
        onclick: () => void onclick(),
      },
      text,
    );
  if (i.attemptId && i.status === 'completed') {
    out.push(
      link(`/attempts/${i.attemptId}`, m().report, {
        'aria-label': m().reportOf(who),
        class: 'button small',
      }),
    );
  }
  if (i.status === 'started' && i.attemptId && has('extend')) {
    out.push(
      button('extend', m().extend, m().extendOf(who), async () => {
        const values = await formDialog(m().extendHeading(who), [
          {
            name: 'minutes',
            label: m().extendMinutes,
            type: 'number',
            min: 1,
            max: 600,
            value: '10',
          },
          { name: 'reason', label: m().extendReason, type: 'text', required: true },
        ]);
        if (!values) return;
        const res = await call('POST', `/attempts/${i.attemptId}/extend`, {
          body: { minutes: Number(values.minutes), reason: values.reason },
        });
        if (res.status === 200) say(message, m().extended(who, values.minutes!), 'ok');
        else say(message, problemText(res), 'error');
        await refresh();
      }),
    );
  }
  const resendable = ['pending', 'expired', 'undeliverable'].includes(i.status);
  if (resendable && has('resend')) {
    out.push(
      button('resend', m().resend, m().resendOf(who), async () => {
        const expired = i.status === 'expired';
        const res = await call('POST', `/invitations/${i.invitationId}/resend`, {
          body: expired ? { expiresAt: defaultExpiry() } : {},
        });
        if (res.status === 200) {
          const url = `${location.origin}/take#${res.body.token}`;
          message.replaceChildren(
            res.body.emailed ? m().resentEmailed(who) : m().resentLink(who),
            ' ',
            linkBox(url, who),
          );
          message.dataset.kind = 'ok';
          message.hidden = false;
        } else say(message, problemText(res), 'error');
        await refresh();
      }),
    );
  }
  if (i.status === 'pending' && has('revoke')) {
    out.push(
      button('revoke', m().revoke, m().revokeOf(who), async () => {
        if (!(await confirmDialog(m().revokeHeading(who), m().revokeConfirm, m().revoke))) return;
        const res = await call('DELETE', `/invitations/${i.invitationId}`);
        if (res.status === 204) say(message, m().revoked(who), 'ok');
        else say(message, problemText(res), 'error');
        await refresh();
      }),
    );
  }
  return out;
}

/** A candidate link to copy: the text itself (selectable) and a Copy button. */
function linkBox(url: string, who: string) {
  const id = uid('link');
  return h(
    'span',
    { class: 'link-box' },
    h('input', {
      id,
      readonly: true,
      value: url,
      class: 'link-text',
      'aria-label': m().linkFor(who),
      onfocus: (e: Event) => (e.target as HTMLInputElement).select(),
    }),
    h(
      'button',
      {
        type: 'button',
        class: 'small',
        'aria-label': m().copyLinkOf(who),
        onclick: async () => {
          try {
            await navigator.clipboard.writeText(url);
            announce(m().copied);
          } catch {
            (document.getElementById(id) as HTMLInputElement).select();
            announce(m().copyManually);
          }
        },
      },
      m().copy,
    ),
  );
}

const defaultExpiry = () => new Date(Date.now() + 7 * 86_400_000).toISOString();

// ---- inviting ----

export async function showInvite(id: string) {
  const gen = leave();
  show(m().loadingHeading, h('p', {}, m().loading));
  const res = await call('GET', `/assessments/${id}`);
  if (!current(gen)) return;
  if (res.status !== 200) return showProblem(m().inviteHeading, res, () => void showInvite(id));
  const a = res.body as Assessment;
  const sendable = state.caps?.sendInvitations ?? false;
  const text = h('textarea', {
    rows: 8,
    spellcheck: 'false',
    placeholder: 'Ada Lovelace, ada@example.com\nGrace Hopper <grace@example.com>, ru',
  });
  const pasted = field('candidates', m().candidatesLabel, text, m().candidatesHint(MAX_CANDIDATES));
  const file = h('input', { type: 'file', accept: '.csv,.tsv,.txt,text/csv,text/plain' });
  const fileField = field('candidates-file', m().csvLabel, file, m().csvHint);
  const expiryDefault = new Date(Date.now() + 7 * 86_400_000);
  const expires = field(
    'expires',
    m().expiresLabel,
    h('input', {
      type: 'date',
      required: true,
      value: expiryDefault.toISOString().slice(0, 10),
      min: new Date(Date.now() + 86_400_000).toISOString().slice(0, 10),
    }),
    m().expiresHint,
  );
  const send = h('input', { type: 'checkbox', id: 'send', checked: true });
  const preview = h('div', { class: 'invite-preview', 'aria-live': 'polite' });
  const result = h('div', { class: 'invite-result' });
  const submit = h('button', { type: 'submit', class: 'primary' }, m().invite);

  const check = () => {
    const parsed = parseCandidates(text.value);
    const n = parsed.candidates.length;
    preview.replaceChildren(
      h('p', {}, n ? m().candidatesFound(n) : ''),
      parsed.problems.length
        ? h(
            'ul',
            { class: 'problems' },
            ...parsed.problems.map((p) => h('li', {}, m().lineProblem(p.line, p.message))),
          )
        : '',
    );
    setFieldError(
      text,
      pasted.error,
      parsed.problems.length ? m().candidatesProblems(parsed.problems.length) : '',
    );
    return parsed;
  };
  text.addEventListener('input', () => check());
  file.addEventListener('change', async () => {
    const f = file.files?.[0];
    if (!f) return;
    text.value = await f.text();
    check();
    text.focus();
  });

  const form = h(
    'form',
    { class: 'form', novalidate: true },
    h('p', {}, m().inviteLead),
    pasted.el,
    fileField.el,
    preview,
    expires.el,
    sendable
      ? h('div', { class: 'field checkbox' }, send, h('label', { for: 'send' }, m().sendLabel))
      : h('p', { class: 'hint' }, m().noSendHint),
    h(
      'p',
      { class: 'actions' },
      submit,
      link(`/assessments/${id}`, m().cancel, { class: 'button' }),
    ),
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const parsed = check();
    if (!parsed.candidates.length || parsed.problems.length) {
      if (!parsed.candidates.length) setFieldError(text, pasted.error, m().candidatesNone);
      text.focus();
      return;
    }
    const day = expires.input.value;
    if (!day) {
      setFieldError(expires.input, expires.error, m().expiresInvalid);
      expires.input.focus();
      return;
    }
    setFieldError(expires.input, expires.error, '');
    // The end of the chosen day, in the employer's time zone.
    const expiresAt = new Date(`${day}T23:59:00`).toISOString();
    const sending = sendable && send.checked;
    submit.disabled = true;
    const res = await call('POST', `/assessments/${id}/invitations`, {
      headers: { 'idempotency-key': crypto.randomUUID() },
      body: {
        candidates: parsed.candidates.map(({ line: _line, ...c }) => c),
        expiresAt,
        ...(sending ? { send: true } : {}),
      },
    });
    submit.disabled = false;
    if (res.status !== 201) {
      const errors = (res.body?.errors ?? []) as { path: string; message: string }[];
      const where = (path: string) => {
        const i = /^candidates\[(\d+)\]/.exec(path);
        return i ? m().lineProblem(parsed.candidates[Number(i[1])]?.line ?? 0, '') : `${path}: `;
      };
      result.replaceChildren(
        h(
          'div',
          { class: 'error-summary', role: 'alert' },
          h('p', {}, problemText(res)),
          errors.length
            ? h('ul', {}, ...errors.map((er) => h('li', {}, `${where(er.path)}${er.message}`)))
            : '',
        ),
      );
      return;
    }
    const issued = res.body.invitations as Invitation[];
    form.hidden = true;
    result.replaceChildren(issuedView(a, issued, sending));
    result.querySelector('h2')?.focus();
    announce(m().invited(issued.length));
  });
  show(
    m().inviteHeading,
    h('p', { class: 'breadcrumb' }, link(`/assessments/${id}`, m().backTo(a.title))),
    form,
    result,
  );
}

function issuedView(a: Assessment, issued: Invitation[], sent: boolean) {
  return h(
    'section',
    {},
    h('h2', { tabindex: -1 }, m().invitedHeading(issued.length)),
    h('p', { class: 'notice' }, sent ? m().sentNote : m().linksOnceNote),
    h(
      'ul',
      { class: 'links' },
      ...issued.map((i) => {
        const who = candidateLabel(i.candidate);
        const emailed = sent && i.candidate.email;
        return h(
          'li',
          {},
          h('span', { class: 'who' }, who),
          emailed ? h('span', { class: 'sub' }, m().emailedTo(i.candidate.email!)) : null,
          i.token ? linkBox(`${location.origin}/take#${i.token}`, who) : null,
        );
      }),
    ),
    h(
      'p',
      { class: 'actions' },
      link(`/assessments/${a.assessmentId}`, m().seeStatuses, { class: 'button primary' }),
    ),
  );
}

// ---- results ----

async function drawResults(a: Assessment, panel: HTMLElement, gen: number) {
  panel.replaceChildren(h('h2', {}, m().resultsHeading), h('p', {}, m().loading));
  const { items, res } = await callAll<ResultRow>(`/assessments/${a.assessmentId}/results`);
  if (!current(gen)) return;
  if (res.status !== 200) {
    panel.replaceChildren(
      h('h2', {}, m().resultsHeading),
      h('p', { class: 'notice' }, problemText(res)),
    );
    return;
  }
  const message = h('p', { class: 'message', role: 'status' });
  message.hidden = true;
  const exportButton = h(
    'button',
    { type: 'button', onclick: () => void exportCsv(a, message) },
    m().exportCsv,
  );
  if (!items.length) {
    panel.replaceChildren(h('h2', {}, m().resultsHeading), h('p', {}, m().noResults));
    return;
  }
  const areas = areasIn(
    items,
    state.areas.map((x) => x.id),
  );
  let key: SortKey = 'score';
  let direction: SortDirection = 'descending';
  const tableHolder = h('div', {});
  const draw = (focusKey?: SortKey) => {
    const rows = sortResults(items, key, direction);
    const header = (k: SortKey, text: string) =>
      h(
        'th',
        {
          scope: 'col',
          class: k === 'name' || k === 'completedAt' ? undefined : 'num',
          'aria-sort': k === key ? direction : undefined,
        },
        h(
          'button',
          {
            type: 'button',
            class: 'sort',
            id: `sort-${k.replace(':', '-')}`,
            onclick: () => {
              direction = k === key && direction === 'descending' ? 'ascending' : 'descending';
              if (k === 'name' && k !== key) direction = 'ascending';
              key = k;
              draw(k);
              announce(m().sortedBy(text, direction));
            },
          },
          text,
          h(
            'span',
            { class: 'arrow', 'aria-hidden': 'true' },
            k === key ? (direction === 'ascending' ? ' ▲' : ' ▼') : '',
          ),
        ),
      );
    tableHolder.replaceChildren(
      h(
        'div',
        { class: 'table-wrap', role: 'region', 'aria-label': m().resultsHeading, tabindex: 0 },
        h(
          'table',
          { class: 'data results' },
          h('caption', { class: 'visually-hidden' }, m().resultsCaption),
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              header('name', m().candidateColumn),
              header('score', m().scoreColumn),
              header('percentile', m().percentileColumn),
              ...areas.map((id) => header(`area:${id}`, areaName(id))),
              header('completedAt', m().completedColumn),
              h('th', { scope: 'col' }, m().reportColumn),
            ),
          ),
          h(
            'tbody',
            {},
            ...rows.map((r) => {
              const who =
                r.candidate.name ?? r.candidate.email ?? r.candidate.externalId ?? m().anonymous;
              return h(
                'tr',
                {},
                h(
                  'th',
                  { scope: 'row' },
                  who,
                  r.status === 'expired' ? h('span', { class: 'sub' }, m().timeRanOut) : null,
                ),
                h(
                  'td',
                  { class: 'num' },
                  formatNumber('en', r.score),
                  r.passed === undefined
                    ? ''
                    : h(
                        'span',
                        { class: `pass pass-${r.passed}` },
                        r.passed ? m().passed : m().notPassed,
                      ),
                ),
                h(
                  'td',
                  { class: 'num' },
                  r.percentile === undefined ? '—' : formatNumber('en', r.percentile),
                ),
                ...areas.map((id) =>
                  h(
                    'td',
                    { class: 'num' },
                    r.areas[id] === undefined ? '—' : formatNumber('en', r.areas[id]!),
                  ),
                ),
                h('td', {}, shortDateTime('en', r.completedAt)),
                h(
                  'td',
                  {},
                  link(`/attempts/${r.attemptId}`, m().report, { 'aria-label': m().reportOf(who) }),
                ),
              );
            }),
          ),
        ),
      ),
    );
    if (focusKey) document.getElementById(`sort-${focusKey.replace(':', '-')}`)?.focus();
  };
  draw();
  panel.replaceChildren(
    h('h2', {}, m().resultsHeading),
    h('p', { class: 'hint' }, m().resultsHint(items.length)),
    h('p', { class: 'actions' }, exportButton),
    message,
    tableHolder,
  );
}

/** Every page of the results as one CSV file, downloaded (ranks continue across pages). */
async function exportCsv(a: Assessment, message: HTMLElement) {
  let path = `/assessments/${a.assessmentId}/results?limit=200`;
  const parts: string[] = [];
  let header = '';
  let rank = 0;
  for (let page = 0; page < 50; page++) {
    const res = await call('GET', path, { accept: 'text/csv' });
    if (res.status !== 200 || res.text === undefined) {
      say(message, problemText(res), 'error');
      return;
    }
    const [first, ...lines] = res.text.replace(/\r?\n$/, '').split(/\r?\n/);
    if (!header) header = first ?? '';
    else if (first !== header) {
      say(message, m().exportColumnsChanged, 'error');
      return;
    }
    for (const line of lines) parts.push(line.replace(/^\d+/, String(++rank)));
    const next = /<\?cursor=([^>]+)>;\s*rel="next"/.exec(res.headers?.get('link') ?? '');
    if (!next) break;
    path = `/assessments/${a.assessmentId}/results?limit=200&cursor=${next[1]}`;
  }
  const blob = new Blob([`${[header, ...parts].join('\r\n')}\r\n`], { type: 'text/csv' });
  const url = URL.createObjectURL(blob);
  const anchor = h('a', { href: url, download: `results-${a.assessmentId}.csv` });
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  say(message, m().exported(parts.length), 'ok');
}

// ---- the report ----

interface Report {
  attemptId: string;
  status: string;
  candidate: Invitation['candidate'];
  assessment: { assessmentId: string; title: string };
  startedAt: string;
  completedAt?: string;
  secondsUsed?: number;
  score?: number;
  passed?: boolean;
  percentile?: number;
  technical?: { score: number } | null;
  soft?: { score: number } | null;
  areas: {
    area: string;
    kind: string;
    score: number;
    items: number;
    correct: number;
    level: string;
    levelRule?: string;
    name?: string;
  }[];
  strengths: string[];
  gaps: string[];
  development: { area: string; kind: string; name: string; suggestion: string }[];
  integrity: {
    signals: { type: string; at: string; detail: string; count?: number; times?: string[] }[];
  };
  questions: {
    questionId: string;
    area: string;
    score: number;
    secondsSpent: number;
    prompt?: string;
    unanswered?: boolean;
    /** `unanswered` is told apart from `wrong` (both score 0). */
    outcome?: string;
  }[];
}

export async function showReport(attemptId: string) {
  const gen = leave();
  show(m().loadingHeading, h('p', {}, m().loading));
  const [res, svg] = await Promise.all([
    call('GET', `/attempts/${attemptId}/report`),
    has('reportSvg') ? call('GET', `/attempts/${attemptId}/report.svg`) : undefined,
  ]);
  if (!current(gen)) return;
  if (res.status !== 200)
    return showProblem(m().reportHeading, res, () => void showReport(attemptId));
  const r = res.body as Report;
  const who = candidateLabel(r.candidate);
  const chart =
    svg?.status === 200 && svg.text
      ? h(
          'figure',
          { class: 'chart' },
          h('img', {
            src: `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg.text)}`,
            alt: m().chartAlt(who),
            width: 560,
          }),
        )
      : null;
  const facts = h(
    'dl',
    { class: 'facts' },
    h('dt', {}, m().assessmentLabel),
    h('dd', {}, link(`/assessments/${r.assessment.assessmentId}/results`, r.assessment.title)),
    r.candidate.email ? h('dt', {}, m().emailLabel) : null,
    r.candidate.email ? h('dd', {}, r.candidate.email) : null,
    h('dt', {}, m().statusColumn),
    h('dd', {}, m().attemptStatus(r.status)),
    h('dt', {}, m().startedLabel),
    h('dd', {}, dateTime('en', r.startedAt)),
    r.completedAt ? h('dt', {}, m().completedColumn) : null,
    r.completedAt ? h('dd', {}, dateTime('en', r.completedAt)) : null,
    r.secondsUsed !== undefined ? h('dt', {}, m().timeUsed) : null,
    r.secondsUsed !== undefined ? h('dd', {}, durationWords(m(), r.secondsUsed)) : null,
    r.score !== undefined ? h('dt', {}, m().scoreColumn) : null,
    r.score !== undefined
      ? h(
          'dd',
          {},
          h('span', { class: 'score' }, m().scoreOf(formatNumber('en', r.score))),
          r.passed === undefined ? '' : ` — ${r.passed ? m().passed : m().notPassed}`,
        )
      : null,
    r.percentile !== undefined ? h('dt', {}, m().percentileColumn) : null,
    r.percentile !== undefined ? h('dd', {}, formatNumber('en', r.percentile)) : null,
    r.technical ? h('dt', {}, m().technicalScore) : null,
    r.technical ? h('dd', {}, formatNumber('en', r.technical.score)) : null,
    r.soft ? h('dt', {}, m().softScore) : null,
    r.soft ? h('dd', {}, formatNumber('en', r.soft.score)) : null,
  );
  const areaTable = h(
    'div',
    { class: 'table-wrap', role: 'region', 'aria-label': m().areasHeading, tabindex: 0 },
    h(
      'table',
      { class: 'data' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col' }, m().areaLabel),
          h('th', { scope: 'col', class: 'num' }, m().scoreColumn),
          h('th', { scope: 'col', class: 'num' }, m().correctColumn),
          h('th', { scope: 'col' }, m().levelColumn),
        ),
      ),
      h(
        'tbody',
        {},
        ...r.areas.map((x) =>
          h(
            'tr',
            {},
            h('th', { scope: 'row' }, x.name ?? areaName(x.area)),
            h('td', { class: 'num' }, formatNumber('en', x.score)),
            h('td', { class: 'num' }, m().correctOf(x.correct, x.items)),
            h(
              'td',
              {},
              m().levelName(x.level),
              x.levelRule ? h('span', { class: 'sub' }, x.levelRule) : null,
            ),
          ),
        ),
      ),
    ),
  );
  const signals = r.integrity?.signals ?? [];
  show(
    m().reportOfHeading(who),
    h(
      'p',
      { class: 'breadcrumb' },
      link(`/assessments/${r.assessment.assessmentId}/results`, m().backTo(r.assessment.title)),
    ),
    h(
      'p',
      { class: 'actions no-print' },
      h('button', { type: 'button', onclick: () => window.print() }, m().print),
    ),
    facts,
    chart,
    h('h2', {}, m().areasHeading),
    areaTable,
    ...developmentSection(m().strengthsHeading, r.strengths, r.development, 'strength'),
    ...developmentSection(m().gapsHeading, r.gaps, r.development, 'gap'),
    h('h2', {}, m().integrityHeading),
    signals.length
      ? h(
          'ul',
          {},
          ...signals.map((s) =>
            h(
              'li',
              {},
              h('strong', {}, `${m().signalName(s.type)}${s.count ? ` (${s.count})` : ''}: `),
              s.detail,
              ` — ${shortDateTime('en', s.at)}`,
            ),
          ),
        )
      : h('p', {}, m().noSignals),
    h('h2', {}, m().questionsHeading),
    questionTable(r),
  );
}

/** Strengths or gaps: the areas, each with its suggestion when the report has one. */
function developmentSection(
  heading: string,
  areas: string[],
  development: Report['development'],
  kind: 'strength' | 'gap',
) {
  const suggestion = (area: string) =>
    development.find((d) => d.area === area && d.kind === kind)?.suggestion;
  return [
    h('h2', {}, heading),
    areas.length
      ? h(
          'ul',
          { class: 'development' },
          ...areas.map((area) =>
            h(
              'li',
              {},
              h('strong', {}, areaName(area)),
              suggestion(area) ? `: ${suggestion(area)}` : '',
            ),
          ),
        )
      : h('p', {}, m().none),
  ];
}

function questionTable(r: Report) {
  return h(
    'div',
    { class: 'table-wrap', role: 'region', 'aria-label': m().questionsHeading, tabindex: 0 },
    h(
      'table',
      { class: 'data' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col', class: 'num' }, m().numberColumn),
          h('th', { scope: 'col' }, m().questionColumn),
          h('th', { scope: 'col' }, m().areaLabel),
          h('th', { scope: 'col', class: 'num' }, m().scoreColumn),
          h('th', { scope: 'col', class: 'num' }, m().secondsColumn),
        ),
      ),
      h(
        'tbody',
        {},
        ...r.questions.map((q, i) =>
          h(
            'tr',
            {},
            h('td', { class: 'num' }, String(i + 1)),
            h(
              'th',
              { scope: 'row' },
              h('code', {}, q.questionId),
              q.prompt ? h('div', { class: 'md prompt', html: markdownHtml(q.prompt) }) : null,
            ),
            h('td', {}, areaName(q.area)),
            h(
              'td',
              { class: 'num' },
              q.unanswered || q.outcome === 'unanswered'
                ? m().unanswered
                : formatNumber('en', q.score * 100),
            ),
            h('td', { class: 'num' }, String(q.secondsSpent)),
          ),
        ),
      ),
    ),
  );
}
