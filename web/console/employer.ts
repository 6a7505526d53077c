/**
 * Employers' screens: the assessments list, a new assessment from a blueprint, one assessment
 * (its invitations with live statuses, its results), inviting candidates, and a report.
 */
import { h, uid } from '../shared/dom.ts';
import { dateTime, durationWords, formatNumber, shortDateTime } from '../shared/i18n.ts';
import { markdownHtml } from '../shared/markdown.ts';
import {
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
import {
  alreadyInvited,
  type CandidateLocale,
  csvText,
  LOCALES,
  languagesOf,
  MAX_CANDIDATES,
  type ParsedCandidates,
  parseCandidates,
  withLanguage,
} from './candidates.ts';
import { confirmDialog, formDialog } from './dialogs.ts';
import { field, setFieldError } from './forms.ts';
import type { Assessment, Invitation, Organisation } from './model.ts';
import {
  areasIn,
  type ResultRow,
  type SortDirection,
  type SortKey,
  sortResults,
} from './results.ts';

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
    h('dd', {}, sectionsList(a)),
    a.passingScore !== undefined ? h('dt', {}, m().passingScoreFact) : null,
    a.passingScore !== undefined ? h('dd', {}, String(a.passingScore)) : null,
    h('dt', {}, m().resultsToCandidate),
    h('dd', {}, a.showResultToCandidate ? m().yes : m().no),
    a.remindBeforeExpiryHours !== undefined ? h('dt', {}, m().remindersHeading) : null,
    a.remindBeforeExpiryHours !== undefined
      ? h(
          'dd',
          {},
          a.remindBeforeExpiryHours ? m().remindFact(a.remindBeforeExpiryHours) : m().remindOff,
        )
      : null,
    a.instructions ? h('dt', {}, m().instructionsFact) : null,
    a.instructions ? h('dd', { class: 'prewrap' }, a.instructions) : null,
    h('dt', {}, m().createdColumn),
    h('dd', {}, dateTime('en', a.createdAt)),
    a.contentLockedAt ? h('dt', {}, m().firstStartColumn) : null,
    a.contentLockedAt ? h('dd', {}, dateTime('en', a.contentLockedAt)) : null,
  );
}

/** Each section: area, how many questions drawn from a pool of how many, difficulty. */
export function sectionsList(a: Assessment) {
  return h(
    'ul',
    { class: 'plain' },
    ...a.sections.map((s) => {
      const difficulty =
        s.difficulty === 'mixed' ? m().difficultyMixed : m().difficulty(s.difficulty);
      if (s.mode !== 'adaptive')
        return h('li', {}, m().sectionFact(areaName(s.area), s.count, difficulty, s.questionPool));
      const max = s.maxItems ?? s.count;
      const target = s.targetStandardError ?? 0;
      return h(
        'li',
        {},
        m().adaptiveSectionFact(
          areaName(s.area),
          s.minItems ?? max,
          max,
          target,
          difficulty,
          s.questionPool,
        ),
        // The pool cannot get the estimate as precise as asked: say so where the section is read.
        s.bestStandardError !== undefined && s.bestStandardError > target
          ? h(
              'p',
              { class: 'notice unreachable-target' },
              m().targetUnreachable(s.bestStandardError, target, max),
            )
          : null,
      );
    }),
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
  if (has('update')) {
    buttons.push(link(`/assessments/${a.assessmentId}/edit`, m().edit, { class: 'button' }));
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
  // Only while no attempt has started (the server answers 409 after): archive it then.
  if (has('deleteAssessment') && a.contentEditable === true) {
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
    return showProblem(m().assessmentHeading, res, () => void showAssessment(id, tab), {
      href: '/assessments',
      text: m().backToAssessments,
    });
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
  const counts = h('p', { class: 'counts', role: 'status', tabindex: -1 });
  const body = h('div', {});
  // Focusable from script: an action that removes its own button (Revoke) moves focus here.
  const message = h('p', { class: 'message', role: 'status', tabindex: -1 });
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
    const active = document.activeElement;
    const inTable = !!active && body.contains(active);
    body.replaceChildren(items.length ? invitationsTable(items, message, refresh) : '');
    // The redrawn row's button of the same id takes focus back; a button the new status no
    // longer offers (Revoke, on a revoked row) leaves focus on the message about it, not the page.
    const successor = active?.id ? document.getElementById(active.id) : null;
    if (successor) successor.focus();
    else if (inTable) (message.hidden ? counts : message).focus();
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
              i.candidate.locale && i.candidate.locale !== 'en'
                ? h('span', { class: 'sub' }, m().languageName(i.candidate.locale))
                : null,
            ),
            h('td', {}, statusBadge(i.status)),
            showDelivery ? h('td', { class: 'delivery' }, ...deliveryCell(i.delivery)) : null,
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

/** The latest email: its state, which message it was (when not the invitation), why it failed. */
function deliveryCell(d: Invitation['delivery']): (HTMLElement | string)[] {
  if (!d) return ['—'];
  return [
    m().deliveryName(d.status),
    d.message !== 'invitation' ? h('span', { class: 'sub' }, m().messageName(d.message)) : '',
    d.reason ? h('span', { class: 'sub reason' }, d.reason) : '',
  ];
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
            hint: m().extendMinutesHint,
          },
          {
            name: 'reason',
            label: m().extendReason,
            type: 'text',
            required: true,
            notBlank: true,
            maxLength: 500,
          },
        ]);
        if (!values) return;
        const res = await call('POST', `/attempts/${i.attemptId}/extend`, {
          body: { minutes: Number(values.minutes), reason: values.reason },
        });
        if (res.status === 200) say(message, m().extended(who, Number(values.minutes)), 'ok');
        else say(message, problemText(res), 'error');
        await refresh();
      }),
    );
  }
  const resendable = ['pending', 'expired', 'undeliverable'].includes(i.status);
  if (resendable && has('resend')) {
    out.push(
      button('resend', m().resend, m().resendOf(who), async () => {
        const body = await askResend(i, who);
        if (!body) return;
        const res = await call('POST', `/invitations/${i.invitationId}/resend`, { body });
        if (res.status === 200 && res.body.emailed) {
          say(message, m().resentEmailed(who, i.candidate.email ?? ''), 'ok');
        } else if (res.status === 200) {
          // No email to send it to: the new link is shown here, once.
          message.replaceChildren(
            m().resentLink(who),
            ' ',
            linkBox(`${location.origin}/take#${res.body.token}`, who),
          );
          message.dataset.kind = 'ok';
          message.hidden = false;
        } else say(message, problemText(res), 'error');
        await refresh();
      }),
    );
  }
  // An undeliverable invitation is still pending: its link works if it reaches the candidate.
  if ((i.status === 'pending' || i.status === 'undeliverable') && has('revoke')) {
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

/** A day a week from now, as a date input's value. */
const inAWeek = () => new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
/** The end of the chosen day, in the employer's time zone. */
const endOfDay = (day: string) => new Date(`${day}T23:59:00`).toISOString();

/**
 * Confirm a new link (the old one stops working at once); an expired invitation also needs a
 * new expiry day. Resolves the request body, or undefined when cancelled.
 */
async function askResend(i: Invitation, who: string) {
  const explain = i.candidate.email
    ? m().resendConfirmEmail(i.candidate.email)
    : m().resendConfirmLink;
  if (i.status !== 'expired') {
    return (await confirmDialog(m().resendHeading(who), explain, m().resend)) ? {} : undefined;
  }
  const values = await formDialog(
    m().resendHeading(who),
    [
      {
        name: 'expires',
        label: m().expiresLabel,
        type: 'date',
        required: true,
        value: inAWeek(),
        min: new Date(Date.now() + 86_400_000).toISOString().slice(0, 10),
      },
    ],
    { text: `${m().resendExpired} ${explain}`, confirmLabel: m().resend },
  );
  return values?.expires ? { expiresAt: endOfDay(values.expires) } : undefined;
}

// ---- inviting ----

export async function showInvite(id: string) {
  const gen = leave();
  show(m().loadingHeading, h('p', {}, m().loading));
  const [res, org] = await Promise.all([
    call('GET', `/assessments/${id}`),
    has('organisation') ? call('GET', '/organisation') : undefined,
  ]);
  if (!current(gen)) return;
  if (res.status !== 200) {
    return showProblem(m().inviteHeading, res, () => void showInvite(id), {
      href: '/assessments',
      text: m().backToAssessments,
    });
  }
  const a = res.body as Assessment;
  // Reached by its address (a bookmark, Back): an archived assessment takes no invitations, and
  // the API's refusal names an HTTP route; say it in the console's words instead of a form.
  if (a.archivedAt) {
    show(
      m().inviteHeading,
      h('p', { class: 'breadcrumb' }, link(`/assessments/${id}`, m().backTo(a.title))),
      h('p', { class: 'notice' }, m().inviteArchived(dateTime('en', a.archivedAt))),
    );
    return;
  }
  // The API takes send (its schema says so) and this deployment sends mail (the organisation
  // view says so; a server from before that field is taken at its schema's word).
  const sendsMail = org?.status === 200 ? (org.body as Organisation).sendsMail !== false : true;
  const sendable = (state.caps?.sendInvitations ?? false) && sendsMail;
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
  const language = field(
    'language',
    m().languageLabel,
    h('select', {}, ...LOCALES.map((l) => h('option', { value: l }, m().languageName(l)))),
    m().languageHint,
  );
  const send = h('input', { type: 'checkbox', id: 'send', checked: true });
  const preview = h('div', { class: 'invite-preview', 'aria-live': 'polite' });
  const result = h('div', { class: 'invite-result' });
  const submit = h('button', { type: 'submit', class: 'primary' }, m().invite);

  const check = () => {
    const parsed = parseCandidates(text.value);
    const n = parsed.candidates.length;
    const languages = languagesOf(parsed.candidates, language.input.value as CandidateLocale);
    preview.replaceChildren(
      h(
        'p',
        {},
        n
          ? m().candidatesFound(
              n,
              languages.length > 1 || languages[0]?.[0] !== 'en'
                ? languages.map(([l, k]) => m().inLanguage(k, m().languageName(l)))
                : [],
            )
          : '',
      ),
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
  language.input.addEventListener('change', () => check());
  file.addEventListener('change', async () => {
    const f = file.files?.[0];
    if (!f) return;
    const read = csvText(new Uint8Array(await f.arrayBuffer()));
    const unreadable = read.encoding.startsWith('utf-32') || read.encoding === 'binary';
    if (!unreadable) text.value = read.text;
    const hint = document.getElementById('candidates-file-hint');
    if (hint) {
      hint.textContent = unreadable
        ? read.encoding === 'binary'
          ? m().csvBinary
          : m().csvUtf32
        : read.encoding === 'windows-1252'
          ? m().csvLegacy
          : m().csvHint;
    }
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
    language.el,
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
    // The form is novalidate: the date input's min is checked here (ISO days compare as text).
    const earliest = (expires.input as HTMLInputElement).min;
    if (!day || day < earliest) {
      setFieldError(expires.input, expires.error, day ? m().expiresTooSoon : m().expiresInvalid);
      expires.input.focus();
      return;
    }
    setFieldError(expires.input, expires.error, '');
    submit.disabled = true;
    // An address with an open invitation to this assessment: say so before sending again.
    const listed = await callAll<Invitation>(`/assessments/${id}/invitations`);
    submit.disabled = false;
    const checked = listed.res.status === 200;
    const again = checked ? alreadyInvited(parsed.candidates, listed.items) : [];
    if (!again.length) return void sendInvites(parsed.candidates, endOfDay(day), checked);
    const rest = parsed.candidates.filter((c) => !again.some((x) => x.candidate === c));
    const warning = h(
      'div',
      { class: 'notice already-invited', role: 'alert', tabindex: -1 },
      h('h2', {}, m().alreadyInvitedHeading(again.length)),
      h('p', {}, m().alreadyInvitedText(again.length)),
      h(
        'ul',
        {},
        ...again.map(({ candidate, invitation }) =>
          h(
            'li',
            {},
            m().alreadyInvitedRow(
              candidate.name ? `${candidate.name} <${candidate.email}>` : (candidate.email ?? ''),
              invitation.status,
              dateTime('en', invitation.createdAt),
            ),
          ),
        ),
      ),
      h(
        'p',
        { class: 'actions' },
        h(
          'button',
          {
            type: 'button',
            onclick: () => void sendInvites(parsed.candidates, endOfDay(day), true),
          },
          m().inviteAgain(again.length),
        ),
        rest.length
          ? h(
              'button',
              { type: 'button', onclick: () => void sendInvites(rest, endOfDay(day), true) },
              m().leaveOutRest(rest.length),
            )
          : '',
      ),
    );
    result.replaceChildren(warning);
    warning.focus();
  });
  // The list changed since a warning: the warning no longer describes it.
  text.addEventListener('input', () => result.replaceChildren());

  async function sendInvites(
    candidates: ParsedCandidates['candidates'],
    expiresAt: string,
    checked: boolean,
  ) {
    const sending = sendable && send.checked;
    submit.disabled = true;
    for (const b of result.querySelectorAll('button')) b.disabled = true;
    const res = await call('POST', `/assessments/${id}/invitations`, {
      headers: { 'idempotency-key': crypto.randomUUID() },
      body: {
        candidates: withLanguage(candidates, language.input.value as CandidateLocale),
        expiresAt,
        ...(sending ? { send: true } : {}),
      },
    });
    submit.disabled = false;
    if (res.status !== 201) {
      const errors = (res.body?.errors ?? []) as { path: string; message: string }[];
      // The server names a candidate's field by its path (candidates[2].name): a person reads
      // the line and the column.
      const where = (path: string) => {
        const i = /^candidates\[(\d+)\](?:\.(\w+))?/.exec(path);
        if (i) {
          const line = candidates[Number(i[1])]?.line ?? 0;
          return `${m().lineProblem(line, '').replace(/: $/, '')}${i[2] ? `, ${m().candidateField(i[2])}` : ''}: `;
        }
        return path === 'expiresAt' ? `${m().expiresLabel}: ` : `${path}: `;
      };
      const onExpiry = errors.find((er) => er.path === 'expiresAt');
      if (onExpiry) setFieldError(expires.input, expires.error, onExpiry.message);
      const summary = h(
        'div',
        { class: 'error-summary', role: 'alert', tabindex: -1 },
        errors.length ? h('h2', {}, m().notInvited) : h('p', {}, problemText(res)),
        errors.length
          ? h('ul', {}, ...errors.map((er) => h('li', {}, `${where(er.path)}${er.message}`)))
          : '',
      );
      result.replaceChildren(summary);
      // The Invite button was disabled while it had focus: focus goes to what went wrong.
      summary.focus();
      return;
    }
    const issued = res.body.invitations as Invitation[];
    form.hidden = true;
    result.replaceChildren(
      checked ? '' : h('p', { class: 'notice' }, m().invitedCheckFailed),
      issuedView(a, issued, sending),
    );
    result.querySelector('h2')?.focus();
    announce(m().invited(issued.length));
  }
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
          h(
            'span',
            { class: 'sub' },
            emailed
              ? m().emailedTo(i.candidate.email!, m().languageName(i.candidate.locale ?? 'en'))
              : m().readsIn(m().languageName(i.candidate.locale ?? 'en')),
          ),
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
  // A UTF-8 byte order mark first: Excel opens a CSV without one in the system's legacy code
  // page, which turns every name outside ASCII (Ёлка, José) into mojibake.
  const blob = new Blob(['\uFEFF', `${[header, ...parts].join('\r\n')}\r\n`], {
    type: 'text/csv;charset=utf-8',
  });
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
  /** More time given while it ran (POST /attempts/{id}/extend), oldest first. */
  extensions?: { minutes: number; reason: string; by: string; at: string }[];
  areas: {
    area: string;
    kind: string;
    score: number;
    items: number;
    correct: number;
    level: string;
    levelRule?: string;
    /** An adaptive area in words, as the printable report says it. */
    adaptiveSummary?: string;
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
    answered?: boolean;
    /** An adaptive item shown and not answered when the attempt ended: not graded. */
    shownNotAnswered?: true;
    /** The answer as a person reads it; absent when unanswered or erased. */
    answer?: string;
    correctAnswer?: string;
    /** Markdown. */
    explanation?: string;
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
    return showProblem(m().reportHeading, res, () => void showReport(attemptId), {
      href: '/assessments',
      text: m().backToAssessments,
    });
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
    // The printable report says the deadline moved; the reader of this one needs it as much.
    r.extensions?.length ? h('dt', {}, m().moreTimeLabel) : null,
    ...(r.extensions ?? []).map((x) =>
      h('dd', {}, m().extensionLine(m().minutes(x.minutes), dateTime('en', x.at), x.by, x.reason)),
    ),
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
              x.adaptiveSummary
                ? h('span', { class: 'sub adaptive-summary' }, x.adaptiveSummary)
                : null,
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

/**
 * What a hiring manager reads under a question: the answer given (as text, as report.html
 * shows it), the key and its explanation (markdown), as the report's JSON carries them.
 */
function answersOf(q: Report['questions'][number]) {
  const unanswered = q.unanswered || q.outcome === 'unanswered';
  const given =
    q.answer !== undefined
      ? q.answer
      : q.shownNotAnswered
        ? m().shownNotAnswered
        : unanswered || q.answered === false
          ? m().noAnswerSaved
          : q.answered
            ? m().answerErased
            : undefined;
  const pair = (label: string, value: HTMLElement | string) =>
    h('div', {}, h('dt', {}, `${label}: `), h('dd', {}, value));
  const parts = [
    given !== undefined ? pair(m().answerGivenLabel, given) : null,
    q.correctAnswer !== undefined ? pair(m().correctAnswerLabel, q.correctAnswer) : null,
    q.explanation !== undefined
      ? pair(
          m().explanationLabel,
          h('div', { class: 'md explanation', html: markdownHtml(q.explanation) }),
        )
      : null,
  ].filter((x) => x !== null);
  return parts.length ? h('dl', { class: 'answers' }, ...parts) : null;
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
              answersOf(q),
            ),
            h('td', {}, areaName(q.area)),
            h(
              'td',
              { class: 'num' },
              q.unanswered || q.outcome === 'unanswered'
                ? m().unanswered
                : formatNumber('en', q.score * 100),
            ),
            h('td', { class: 'num' }, q.shownNotAnswered ? '—' : String(q.secondsSpent)),
          ),
        ),
      ),
    ),
  );
}
