/**
 * The candidate app: `/take#<invitationToken>`. The token stays in the fragment (never sent in
 * a URL). Screens: intro (nothing starts before Start), one question per screen with a
 * navigator, review, final; and the notices for another window, time up and errors.
 * The server decides everything: its clock, what is saved, what is graded.
 */
import '../shared/base.css';
import './styles.css';
import { radarSvg } from '../../functions/domain/radar-svg.ts';
import { Api, type ApiResponse, retryAfterMs } from '../shared/api.ts';
import { h } from '../shared/dom.ts';
import { formatCountdown, ServerClock, type Warning, warningDue } from './clock.ts';
import {
  CATALOGUE,
  dateTime,
  durationWords,
  formatNumber,
  isLocale,
  LOCALES,
  type Locale,
  type Messages,
  timeOfDay,
} from './i18n.ts';
import { PageEventRecorder } from './page-events.ts';
import { type CandidateQuestion, isAnswered, promptHtml, rendererOf } from './questions.ts';
import { type Answer, type SavedAnswer, Saver, type SaveState, type StopReason } from './saver.ts';

interface Preview {
  status: 'pending' | 'started';
  organisation: { name: string };
  candidate: { name?: string };
  assessment: {
    title: string;
    timeLimitMinutes: number;
    extraTimePercent: number;
    timeAllowedSeconds: number;
    questionCount: number;
    showResultToCandidate: boolean;
    sections: { area: string; name: string; count: number }[];
  };
  expiresAt: string;
  locale: Locale;
  startedAt?: string;
  deadline?: string;
}

interface AttemptView {
  attemptId: string;
  attemptToken?: string;
  status: 'active' | 'submitted' | 'expired';
  startedAt: string;
  deadline: string;
  gracePeriodSeconds: number;
  assessment: { title: string; timeLimitMinutes: number };
  questions: CandidateQuestion[];
  answers: Record<string, Answer>;
  revisions?: Record<string, { revision: number; savedAt?: string }>;
}

interface ResultArea {
  area: string;
  kind: 'technical' | 'soft';
  score: number;
  level: keyof Messages['levels'];
}

interface CandidateResult {
  score: number;
  passed?: boolean;
  technical: { score: number } | null;
  soft: { score: number } | null;
  areas: ResultArea[];
  strengths: string[];
  gaps: string[];
}

/** What this tab keeps across a reload (sessionStorage is per tab). */
interface Session {
  attemptId: string;
  attemptToken: string;
  current: number;
  flags: string[];
  preview: Preview;
}

const invitationToken = decodeURIComponent(location.hash.slice(1));
const sessionKey = `assay.take.${invitationToken.split('.')[0]}`;
const LOCALE_KEY = 'assay.locale';

const clock = new ServerClock();
const api = new Api(clock);

const app = {
  locale: 'en' as Locale,
  preview: undefined as Preview | undefined,
  attempt: undefined as AttemptView | undefined,
  token: '',
  current: 0,
  flags: new Set<string>(),
  saver: undefined as Saver | undefined,
  states: new Map<string, SaveState>(),
  events: undefined as PageEventRecorder | undefined,
  areaNames: new Map<string, string>(),
  warned: new Set<Warning>(),
  startedWithMs: 0,
  timer: undefined as ReturnType<typeof setInterval> | undefined,
  locked: false,
  /** Re-draws the screen on show (after a language switch). */
  redraw: (() => undefined) as () => void,
};

const m = (): Messages => CATALOGUE[app.locale];
const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

// ---- shell: header, live regions, language ----

function announce(text: string, assertive = false) {
  const region = $(assertive ? 'alert' : 'status');
  // Clearing first makes a repeated message be announced again.
  region.textContent = '';
  setTimeout(() => {
    region.textContent = text;
  }, 50);
}

function setLocale(locale: Locale) {
  app.locale = locale;
  document.documentElement.lang = locale;
  const other = LOCALES.find((l) => l !== locale)!;
  const button = $('language');
  button.textContent = CATALOGUE[other].languageName;
  button.setAttribute('lang', other);
  button.onclick = () => {
    sessionStorage.setItem(LOCALE_KEY, other);
    setLocale(other);
    app.redraw();
  };
  const extra = app.preview?.assessment.extraTimePercent ?? 0;
  $('clock-label').textContent = extra ? m().timeLeftExtra(extra) : m().timeLeft;
  $('offline').textContent = m().offlineBanner;
  document.title = app.attempt?.assessment.title ?? app.preview?.assessment.title ?? m().appName;
  $('title').textContent = document.title;
}

/** Replace the main content; focus its first heading (or `focus`) for screen readers. */
function show(draw: () => (HTMLElement | string | null)[], focus?: () => HTMLElement | null) {
  app.redraw = () => {
    const main = $('main');
    main.replaceChildren(
      ...draw().filter((x): x is HTMLElement => typeof x === 'object' && x !== null),
    );
    const target = focus?.() ?? main.querySelector<HTMLElement>('h1, h2');
    if (target) {
      target.tabIndex = -1;
      target.focus();
    }
  };
  app.redraw();
}

function areaName(id: string) {
  return m().areaNames[id] ?? app.areaNames.get(id) ?? id;
}

// ---- errors ----

function problemMessage(res: ApiResponse): string {
  if (res.status === 401) return m().invalidLink;
  if (res.status === 410) {
    const reason = res.body?.reason;
    return reason === 'revoked'
      ? m().goneRevoked
      : reason === 'expired'
        ? m().goneExpired
        : m().goneFinished;
  }
  return res.status === 0 ? m().unreachable : m().busy;
}

function showError(res: ApiResponse | string, retry?: () => void) {
  stopClock();
  show(() => [
    h('h1', {}, m().cannotOpen),
    h('p', { class: 'notice' }, typeof res === 'string' ? res : problemMessage(res)),
    retry ? h('button', { type: 'button', class: 'primary', onclick: retry }, m().tryAgain) : null,
  ]);
}

const transient = (res: ApiResponse) => res.status === 0 || res.status >= 500 || res.status === 429;

// ---- intro ----

async function boot() {
  const stored = sessionStorage.getItem(LOCALE_KEY);
  setLocale(isLocale(stored) ? stored : 'en');
  if (!invitationToken) return showError(m().noToken);
  const session = readSession();
  if (session) {
    // A reload of this tab: its token still works unless another window took over.
    app.preview = session.preview;
    for (const section of session.preview.assessment.sections) {
      app.areaNames.set(section.area, section.name);
    }
    if (!isLocale(stored)) setLocale(session.preview.locale);
    const res = await api.call('GET', `/attempts/${session.attemptId}`, {
      token: session.attemptToken,
    });
    if (res.status === 200) return enterAttempt(res.body, session.attemptToken, session);
    if (res.status === 401) return showElsewhere();
    if (transient(res)) return showError(res, () => void boot());
  }
  const res = await api.call('POST', '/invitations/inspect', { body: { invitationToken } });
  if (res.status !== 200) return showError(res, transient(res) ? () => void boot() : undefined);
  app.preview = res.body as Preview;
  for (const section of app.preview.assessment.sections)
    app.areaNames.set(section.area, section.name);
  if (!isLocale(stored)) setLocale(app.preview.locale);
  setLocale(app.locale);
  void loadAreaNames();
  showIntro();
}

async function loadAreaNames() {
  const res = await api.call('GET', '/areas');
  for (const a of res.body?.areas ?? []) app.areaNames.set(a.id, a.name);
}

function showIntro() {
  const p = app.preview!;
  const a = p.assessment;
  const started = p.status === 'started';
  show(() => {
    const msg = m();
    const base = durationWords(msg, a.timeLimitMinutes * 60);
    const allowed = durationWords(msg, a.timeAllowedSeconds);
    const facts = h(
      'dl',
      { class: 'facts' },
      h('dt', {}, msg.timeLimit),
      h(
        'dd',
        {},
        allowed,
        a.extraTimePercent ? ` — ${msg.extraTime(a.extraTimePercent, base)}` : '',
      ),
      h('dt', {}, msg.questionsLabel),
      h('dd', {}, msg.questions(a.questionCount)),
      h('dt', {}, msg.sectionsLabel),
      h(
        'dd',
        {},
        h(
          'ul',
          { class: 'sections' },
          ...a.sections.map((s) => h('li', {}, `${areaName(s.area)}: ${msg.questions(s.count)}`)),
        ),
      ),
      h('dt', {}, msg.validUntil),
      h('dd', {}, dateTime(app.locale, p.expiresAt)),
    );
    const left = p.deadline ? Date.parse(p.deadline) - clock.now() : 0;
    return [
      h('p', { class: 'eyebrow' }, msg.introFrom(p.organisation.name)),
      h('h1', {}, a.title),
      p.candidate.name ? h('p', {}, msg.hello(p.candidate.name)) : '',
      started
        ? h(
            'p',
            { class: 'notice' },
            p.startedAt ? msg.startedAt(dateTime(app.locale, p.startedAt)) : '',
            p.deadline ? ` ${msg.timeLeftWords(durationWords(msg, left / 1000))}` : '',
          )
        : h('p', { class: 'lead' }, msg.introLead),
      facts,
      h('h2', {}, msg.howItWorksHeading),
      h('ul', {}, ...msg.howItWorks.map((t) => h('li', {}, t))),
      h('h2', {}, msg.recordedHeading),
      h('p', {}, msg.recorded),
      h(
        'p',
        { class: 'actions' },
        h(
          'button',
          { type: 'button', class: 'primary', id: 'start', onclick: begin },
          started ? msg.continue : msg.start,
        ),
      ),
    ];
  });
}

async function begin(e?: Event) {
  const button = e?.currentTarget as HTMLButtonElement | undefined;
  if (button) button.disabled = true;
  const res = await api.call('POST', '/attempts', { body: { invitationToken } });
  if (res.status !== 200 && res.status !== 201) {
    if (button) button.disabled = false;
    return showError(res, transient(res) ? () => void begin() : undefined);
  }
  const view = res.body as AttemptView;
  const previous = readSession();
  enterAttempt(
    view,
    view.attemptToken!,
    previous?.attemptId === view.attemptId ? previous : undefined,
  );
}

// ---- the attempt ----

function readSession(): Session | undefined {
  try {
    const s = JSON.parse(sessionStorage.getItem(sessionKey) ?? 'null') as Session | null;
    return s?.attemptId && s.preview ? s : undefined;
  } catch {
    return undefined;
  }
}

function writeSession() {
  if (!app.attempt || !app.preview) return;
  const s: Session = {
    attemptId: app.attempt.attemptId,
    attemptToken: app.token,
    current: app.current,
    flags: [...app.flags],
    preview: app.preview,
  };
  sessionStorage.setItem(sessionKey, JSON.stringify(s));
}

function enterAttempt(view: AttemptView, token: string, session?: Session) {
  app.attempt = view;
  app.token = token;
  app.current = Math.min(session?.current ?? 0, view.questions.length - 1);
  app.flags = new Set(session?.flags ?? []);
  app.states.clear();
  app.locked = false;
  setLocale(app.locale);
  writeSession();
  void loadAreaNames();
  if (view.status !== 'active') return finishedEarlier(view);

  const initial: Record<string, SavedAnswer> = {};
  for (const [q, value] of Object.entries(view.answers)) {
    const r = view.revisions?.[q];
    initial[q] = {
      value,
      ...(r ? { revision: r.revision, ...(r.savedAt ? { savedAt: r.savedAt } : {}) } : {}),
    };
    if (r?.savedAt) app.states.set(q, { kind: 'saved', savedAt: r.savedAt });
  }
  app.saver = new Saver(
    {
      send: async (questionId, value, ifMatch) => {
        const res = await api.call(
          'PUT',
          `/attempts/${view.attemptId}/answers/${encodeURIComponent(questionId)}`,
          {
            token: app.token,
            body: { answer: value },
            ...(ifMatch !== undefined ? { ifMatch } : {}),
          },
        );
        const wait = retryAfterMs(res.headers);
        return { status: res.status, body: res.body, ...(wait ? { retryAfterMs: wait } : {}) };
      },
      isOnline: () => navigator.onLine,
      wait: (ms) => new Promise((r) => setTimeout(r, ms)),
      onState: onSaveState,
      onStop,
    },
    initial,
    view.revisions !== undefined,
  );
  app.events = new PageEventRecorder({
    send: (events, keepalive) =>
      api.call('POST', `/attempts/${view.attemptId}/events`, {
        token: app.token,
        body: { events },
        keepalive,
      }),
    currentQuestion: () => app.attempt?.questions[app.current]?.questionId,
  });
  app.events.start();
  startClock();
  showQuestion();
}

function onSaveState(questionId: string, state: SaveState) {
  app.states.set(questionId, state);
  if (state.kind === 'replaced') {
    // Another window's answer won: show it in place of the choice made here.
    if (app.attempt?.questions[app.current]?.questionId === questionId) showQuestion(false);
  }
  const status = document.querySelector<HTMLElement>(
    `[data-status-for="${CSS.escape(questionId)}"]`,
  );
  if (status) paintStatus(status, questionId);
  updateNavigator();
}

function statusText(questionId: string): { text: string; kind: string } {
  const msg = m();
  const state = app.states.get(questionId);
  if (!state) {
    return app.saver?.saved.has(questionId)
      ? { text: msg.saved, kind: 'saved' }
      : { text: msg.notAnswered, kind: 'idle' };
  }
  switch (state.kind) {
    case 'pending':
      return { text: msg.saving, kind: 'pending' };
    case 'saved':
      return { text: msg.savedAt(timeOfDay(app.locale, state.savedAt)), kind: 'saved' };
    case 'retrying':
      return { text: msg.retrying, kind: 'error' };
    case 'offline':
      return { text: msg.offline, kind: 'error' };
    case 'rejected':
      return { text: msg.rejected(state.detail), kind: 'error' };
    case 'replaced':
      return { text: msg.changedElsewhere, kind: 'error' };
  }
}

function paintStatus(el: HTMLElement, questionId: string) {
  const { text, kind } = statusText(questionId);
  el.textContent = text;
  el.dataset.kind = kind;
}

function answeredCount() {
  const a = app.attempt!;
  return a.questions.filter((q) => isAnswered(q, app.saver?.current(q.questionId))).length;
}

function navState(q: CandidateQuestion) {
  const msg = m();
  const answered = isAnswered(q, app.saver?.current(q.questionId));
  const states = [answered ? msg.stateAnswered : msg.stateUnanswered];
  if (app.saver?.isUnsaved(q.questionId)) states.push(msg.stateUnsaved);
  if (app.flags.has(q.questionId)) states.push(msg.flagged);
  return { answered, states };
}

function questionNavigator(): HTMLElement {
  const a = app.attempt!;
  return h(
    'nav',
    { 'aria-label': m().navLabel, class: 'navigator' },
    h(
      'ol',
      {},
      ...a.questions.map((q, i) => {
        const { answered, states } = navState(q);
        return h(
          'li',
          {},
          h(
            'button',
            {
              type: 'button',
              class: `nav-item${answered ? ' answered' : ''}${app.flags.has(q.questionId) ? ' flagged' : ''}`,
              'data-question': q.questionId,
              'aria-label': m().navItem(i + 1, states),
              'aria-current': i === app.current ? 'step' : undefined,
              disabled: app.locked,
              onclick: () => goTo(i),
            },
            String(i + 1),
          ),
        );
      }),
    ),
  );
}

function updateNavigator() {
  const a = app.attempt;
  if (!a) return;
  for (const [i, q] of a.questions.entries()) {
    const b = document.querySelector<HTMLButtonElement>(
      `.nav-item[data-question="${CSS.escape(q.questionId)}"]`,
    );
    if (!b) continue;
    const { answered, states } = navState(q);
    b.classList.toggle('answered', answered);
    b.classList.toggle('flagged', app.flags.has(q.questionId));
    b.setAttribute('aria-label', m().navItem(i + 1, states));
  }
  const count = document.getElementById('answered-count');
  if (count) count.textContent = m().answeredCount(answeredCount(), a.questions.length);
}

function goTo(i: number) {
  app.current = i;
  writeSession();
  showQuestion();
}

function showQuestion(focusHeading = true) {
  const a = app.attempt!;
  show(
    () => {
      const msg = m();
      const q = a.questions[app.current]!;
      const renderer = rendererOf(q.type);
      const promptId = `prompt-${app.current}`;
      const instructionId = `instruction-${app.current}`;
      const flag = h(
        'button',
        {
          type: 'button',
          class: 'flag',
          'aria-pressed': String(app.flags.has(q.questionId)),
          onclick: () => {
            if (app.flags.has(q.questionId)) app.flags.delete(q.questionId);
            else app.flags.add(q.questionId);
            flag.setAttribute('aria-pressed', String(app.flags.has(q.questionId)));
            writeSession();
            updateNavigator();
          },
        },
        msg.flag,
      );
      const status = h('p', {
        class: 'save-status',
        role: 'status',
        'data-status-for': q.questionId,
      });
      paintStatus(status, q.questionId);
      const last = app.current === a.questions.length - 1;
      const answer = renderer.render({
        q,
        value: app.saver?.current(q.questionId),
        m: msg,
        save: (value) => {
          app.saver?.save(q.questionId, value);
        },
        announce: (text) => announce(text),
      });
      return [
        h(
          'p',
          { class: 'progress', id: 'answered-count' },
          msg.answeredCount(answeredCount(), a.questions.length),
        ),
        h(
          'section',
          { class: 'question', 'aria-labelledby': 'question-heading', 'data-type': q.type },
          h(
            'fieldset',
            { 'aria-describedby': `${promptId} ${instructionId}`, disabled: app.locked },
            h(
              'legend',
              {},
              h(
                'h2',
                { id: 'question-heading' },
                msg.questionOf(app.current + 1, a.questions.length),
              ),
              h('span', { class: 'area' }, areaName(q.area)),
            ),
            h('div', {
              class: 'prompt md',
              id: promptId,
              html: promptHtml(q, app.saver?.current(q.questionId), msg),
            }),
            h('p', { class: 'instruction', id: instructionId }, renderer.instruction(msg)),
            answer,
          ),
          status,
          h('p', { class: 'flag-row' }, flag),
          h(
            'div',
            { class: 'pager' },
            h(
              'button',
              {
                type: 'button',
                class: 'secondary',
                disabled: app.current === 0,
                onclick: () => goTo(app.current - 1),
              },
              msg.previous,
            ),
            h(
              'button',
              {
                type: 'button',
                class: 'primary',
                onclick: () => (last ? showReview() : goTo(app.current + 1)),
              },
              msg.next,
            ),
          ),
        ),
        questionNavigator(),
        h(
          'p',
          { class: 'actions' },
          h(
            'button',
            { type: 'button', class: 'secondary', onclick: showReview },
            msg.reviewAndSubmit,
          ),
        ),
      ];
    },
    () => (focusHeading ? $('question-heading') : null),
  );
  if (app.locked) lockInputs();
}

function showReview() {
  const a = app.attempt!;
  show(() => {
    const msg = m();
    const list = (title: string, qs: CandidateQuestion[]) =>
      qs.length
        ? [
            h('h2', {}, `${title} (${qs.length})`),
            h(
              'ul',
              { class: 'review-list' },
              ...qs.map((q) => {
                const i = a.questions.indexOf(q);
                return h(
                  'li',
                  {},
                  h(
                    'button',
                    { type: 'button', class: 'link', onclick: () => goTo(i) },
                    msg.goTo(i + 1),
                  ),
                );
              }),
            ),
          ]
        : [];
    const unanswered = a.questions.filter((q) => !isAnswered(q, app.saver?.current(q.questionId)));
    const flagged = a.questions.filter((q) => app.flags.has(q.questionId));
    const unsaved = a.questions.filter((q) => app.saver?.isUnsaved(q.questionId));
    const submit = h(
      'button',
      { type: 'button', class: 'primary', id: 'submit', onclick: () => void submitNow(submit) },
      msg.submit,
    );
    return [
      h('h1', {}, msg.reviewHeading),
      h('p', { class: 'progress' }, msg.answeredCount(answeredCount(), a.questions.length)),
      ...(unanswered.length
        ? list(msg.reviewUnanswered, unanswered)
        : [h('p', {}, msg.reviewAllAnswered)]),
      ...list(msg.reviewFlagged, flagged),
      ...list(msg.reviewUnsaved, unsaved),
      h('p', { class: 'notice' }, msg.reviewWarning),
      h(
        'p',
        { class: 'actions' },
        h(
          'button',
          { type: 'button', class: 'secondary', onclick: () => goTo(app.current) },
          msg.backToQuestions,
        ),
        submit,
      ),
      h('p', { id: 'submit-status', role: 'status' }),
    ];
  });
}

async function submitNow(button: HTMLButtonElement) {
  button.disabled = true;
  $('submit-status').textContent = m().submitting;
  await app.saver?.drain(15_000);
  if (app.saver?.stopReason === 'elsewhere') return;
  await app.events?.flush(false);
  const res = await api.call('POST', `/attempts/${app.attempt!.attemptId}/submit`, {
    token: app.token,
  });
  if (res.status === 200) return finish(res.body, false);
  if (res.status === 401) return onStop('elsewhere');
  button.disabled = false;
  $('submit-status').textContent = m().submitFailed;
}

// ---- clock ----

function startClock() {
  stopClock();
  const a = app.attempt!;
  app.startedWithMs = Date.parse(a.deadline) - clock.now();
  app.warned.clear();
  $('clock').hidden = false;
  const tick = () => {
    const left = Date.parse(a.deadline) - clock.now();
    $('countdown').textContent = formatCountdown(left);
    $('clock').dataset.low = String(left <= 60_000);
    const warning = warningDue(left, app.warned, app.startedWithMs);
    if (warning) {
      app.warned.add(warning);
      announce(warning === 5 ? m().fiveMinutes : m().oneMinute, true);
    }
    if (left <= 0) void timeUp();
  };
  tick();
  app.timer = setInterval(tick, 250);
}

function stopClock() {
  clearInterval(app.timer);
  app.timer = undefined;
}

function lockInputs() {
  for (const el of document.querySelectorAll<HTMLInputElement | HTMLButtonElement>(
    'main input, main button, main select, main textarea, main fieldset',
  )) {
    el.disabled = true;
  }
}

/** At zero: lock every input, say so, send what waits (within the grace period), submit. */
async function timeUp() {
  if (app.locked) return;
  app.locked = true;
  stopClock();
  $('countdown').textContent = formatCountdown(0);
  lockInputs();
  const banner = h(
    'p',
    { class: 'notice time-up', role: 'alert', id: 'time-up' },
    m().timeUpSubmitting,
  );
  $('main').prepend(banner);
  const a = app.attempt!;
  await app.saver?.drain(Math.min(10_000, a.gracePeriodSeconds * 1000));
  await app.events?.stop(true);
  const res = await api.call('POST', `/attempts/${a.attemptId}/submit`, { token: app.token });
  if (res.status === 401) return onStop('elsewhere');
  finish(res.status === 200 ? res.body : { status: 'expired' }, true);
}

function onStop(reason: StopReason) {
  if (reason === 'elsewhere') return showElsewhere();
  void timeUp();
}

// ---- another window ----

function showElsewhere() {
  stopClock();
  void app.events?.stop(false);
  app.saver = undefined;
  app.attempt = undefined;
  $('clock').hidden = true;
  show(() => [
    h('h1', {}, m().elsewhereHeading),
    h('p', {}, m().elsewhereText),
    h(
      'p',
      { class: 'actions' },
      h('button', { type: 'button', class: 'primary', onclick: begin }, m().continueHere),
    ),
  ]);
}

// ---- final ----

async function finishedEarlier(view: AttemptView) {
  const res = await api.call('GET', `/attempts/${view.attemptId}/result`, { token: app.token });
  finish(
    { status: view.status, ...(res.status === 200 ? { result: res.body } : {}) },
    view.status === 'expired',
    false,
  );
}

function finish(body: { status: string; result?: CandidateResult }, timedOut: boolean, now = true) {
  stopClock();
  app.locked = true;
  void app.events?.stop(false);
  const at = clock.now();
  $('clock').hidden = true;
  sessionStorage.removeItem(sessionKey);
  show(() => {
    const msg = m();
    const org = app.preview?.organisation.name ?? '';
    const when = timeOfDay(app.locale, at);
    const out: HTMLElement[] = [
      h('h1', {}, timedOut ? msg.timeUpHeading : msg.submittedHeading),
      h(
        'p',
        { class: 'notice' },
        now ? (timedOut ? msg.timeUpSubmitted(when) : msg.submittedAt(when)) : msg.goneFinished,
      ),
    ];
    const r = body.result;
    if (r) out.push(...resultView(r));
    else
      out.push(h('h2', {}, msg.nextHeading), h('p', {}, org ? msg.nextText(org) : msg.closeNote));
    return out;
  });
}

function resultView(r: CandidateResult): HTMLElement[] {
  const msg = m();
  const score = (n: number) => formatNumber(app.locale, n);
  const chart = h('figure', {
    class: 'chart',
    html: radarSvg(r.areas, {
      title: msg.chartTitle,
      text: { ...msg.chart, areaName: areaName, level: msg.levels },
    }),
  });
  return [
    h('h2', {}, msg.resultHeading),
    h(
      'dl',
      { class: 'facts' },
      h('dt', {}, msg.scoreLabel),
      h(
        'dd',
        { class: 'score' },
        msg.score(score(r.score)),
        r.passed === undefined ? '' : ` — ${r.passed ? msg.passed : msg.notPassed}`,
      ),
      ...(r.technical
        ? [h('dt', {}, msg.technicalScore), h('dd', {}, msg.score(score(r.technical.score)))]
        : []),
      ...(r.soft ? [h('dt', {}, msg.softScore), h('dd', {}, msg.score(score(r.soft.score)))] : []),
    ),
    h('h2', {}, msg.profileHeading),
    h(
      'table',
      { class: 'profile' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col' }, msg.areaColumn),
          h('th', { scope: 'col' }, msg.scoreColumn),
          h('th', { scope: 'col' }, msg.levelColumn),
        ),
      ),
      h(
        'tbody',
        {},
        ...r.areas.map((a) =>
          h(
            'tr',
            {},
            h('th', { scope: 'row' }, areaName(a.area)),
            h('td', {}, score(a.score)),
            h('td', {}, msg.levels[a.level]),
          ),
        ),
      ),
    ),
    chart,
    ...(r.strengths.length
      ? [
          h('h2', {}, msg.strengthsHeading),
          h('ul', {}, ...r.strengths.map((a) => h('li', {}, areaName(a)))),
        ]
      : []),
    ...(r.gaps.length
      ? [h('h2', {}, msg.gapsHeading), h('ul', {}, ...r.gaps.map((a) => h('li', {}, areaName(a))))]
      : []),
    h('p', {}, msg.closeNote),
  ];
}

// ---- page lifecycle ----

window.addEventListener('beforeunload', (e) => {
  if (app.saver?.unsavedCount) {
    e.preventDefault();
    e.returnValue = m().leaveWarning;
  }
});
window.addEventListener('online', () => {
  $('offline').hidden = true;
  app.saver?.resume();
  void app.events?.flush(false);
});
window.addEventListener('offline', () => {
  $('offline').hidden = false;
});
window.addEventListener('hashchange', () => location.reload());

$('offline').hidden = navigator.onLine;
void boot();
