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
  preferredLocale,
  timeOfDay,
} from './i18n.ts';
import { PageEventRecorder } from './page-events.ts';
import {
  type CandidateQuestion,
  flushTyped,
  isAnswered,
  promptHtml,
  rendererOf,
} from './questions.ts';
import {
  type Answer,
  type SavedAnswer,
  Saver,
  type SaveState,
  type StopReason,
  type UnsentAnswer,
} from './saver.ts';

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
    sections: {
      area: string;
      name: string;
      count: number;
      mode?: 'adaptive';
      minItems?: number;
      maxItems?: number;
    }[];
  };
  expiresAt: string;
  locale: Locale;
  startedAt?: string;
  deadline?: string;
}

/** A section of the attempt; an adaptive one grows as the server chooses each next item. */
interface AttemptSection {
  index: number;
  area: string;
  mode: 'fixed' | 'adaptive';
  questionIds: string[];
  minItems?: number;
  maxItems?: number;
  answered?: number;
  itemsLeftAtMost?: number;
  current?: string | null;
  complete?: { reason: string } | null;
}

interface AttemptView {
  attemptId: string;
  attemptToken?: string;
  status: 'active' | 'submitted' | 'expired';
  preview?: boolean;
  startedAt: string;
  deadline: string;
  gracePeriodSeconds: number;
  assessment: { title: string; timeLimitMinutes: number };
  questions: CandidateQuestion[];
  answers: Record<string, Answer>;
  revisions?: Record<string, { revision: number; savedAt?: string }>;
  sections?: AttemptSection[];
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

/** The link's fragment; one mangled in transit (a stray `%`) is sent as it is, and refused. */
function fragment(): string {
  const raw = location.hash.slice(1);
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

const invitationToken = fragment();
/** `#preview:<attemptId>.<attemptToken>`: an employer's preview (no invitation). */
const previewLink = /^preview:([0-9A-HJKMNP-TV-Z]{26})\.([A-Za-z0-9_-]{43})$/.exec(invitationToken);
/** The link's id: an invitation id (`preview:<attemptId>` for a preview), never its secret. */
const LINK_ID = invitationToken.split('.')[0] ?? '';
const sessionKey = `assay.take.${LINK_ID}`;
const LOCALE_KEY = 'assay.locale';
/**
 * Answers chosen and not yet saved, kept in localStorage under the attempt's id (never its
 * token, which stays in this tab's sessionStorage): a reload, or the link opened again after
 * the page was closed, sends them before the question is shown.
 */
const UNSENT_PREFIX = 'assay.unsent.';
/** Kept this long at most (an attempt, with every extension, is over by then). */
const UNSENT_MAX_AGE_MS = 3 * 86_400_000;
/** This page's own entries in a record other tabs of the attempt may write too. */
const TAB = Math.random().toString(36).slice(2);
/** The Web Lock each open page of the app holds (`assay.tab.<TAB>`): see `holdTabLock`. */
const TAB_LOCK_PREFIX = 'assay.tab.';

const clock = new ServerClock();

/**
 * The API as this page calls it: after a request that failed (no connection, a server failing),
 * the next one that the server answers also asks it for the deadline, which an employer may
 * have moved meanwhile (`resyncClock`): a save or a page-event batch may not come for minutes.
 */
class CandidateApi extends Api {
  private failed = false;

  override async call(...args: Parameters<Api['call']>): Promise<ApiResponse> {
    const res = await super.call(...args);
    if (transient(res)) this.failed = true;
    else if (this.failed) {
      this.failed = false;
      void resyncClock();
    }
    return res;
  }
}

const api = new CandidateApi(clock);

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
  /** The final screen is shown: nothing more will be sent. */
  finished: false,
  /** Adaptive items: the answer chosen here, sent only by Save and continue (it is final). */
  drafts: new Map<string, Answer>(),
  /** The adaptive item whose save is on its way (its screen waits for the next item). */
  awaiting: undefined as string | undefined,
  /** At zero, while the server is asked whether the deadline moved. */
  checkingDeadline: false,
  /** This page's own submit is on its way (a 409 `already-submitted` meanwhile is its own). */
  submitting: false,
  /** Re-draws the screen on show (after a language switch). */
  redraw: (() => undefined) as () => void,
  /** Answers kept from before a reload are being sent: those another window replaced meanwhile. */
  restoring: undefined as Set<string> | undefined,
  /** Said above the question until the candidate moves on (kept answers another window replaced). */
  notice: undefined as (() => string) | undefined,
  /** A typed answer within its pause (not yet queued): kept with what waits, from the keystroke. */
  typed: undefined as { questionId: string; value: Answer } | undefined,
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
  if (res.status === 401)
    return res.body?.reason === 'replaced' ? m().replacedLink : m().invalidLink;
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

const transient = (res: ApiResponse) => res.status === 0 || res.status >= 500 || res.status === 429;

/** A failing server or connection when opening the page: tried again by itself (see `showError`). */
const autoRetry = {
  timer: undefined as ReturnType<typeof setTimeout> | undefined,
  tries: 0,
  run: (() => undefined) as () => void,
};

/**
 * `auto`: trying again changes nothing the candidate did not ask for (reading the invitation, a
 * reload of a started attempt, Continue), so the page tries again by itself, after 2, 4, 8, then
 * every 15 s (or the server's `Retry-After`), and at once when the browser comes back online: a
 * candidate whose time is running is not left on this screen after the service is back.
 */
function showError(res: ApiResponse | string, retry?: () => void, auto = false) {
  stopClock();
  clearTimeout(autoRetry.timer);
  autoRetry.timer = undefined;
  // The link is gone (the attempt finished, the invitation withdrawn or expired): answers kept
  // for it can never be sent.
  if (typeof res !== 'string' && res.status === 410) forgetOldUnsent(true);
  // A link that is gone names its candidate's language: say why in it, unless this tab chose.
  const locale = typeof res === 'string' ? undefined : res.body?.locale;
  if (isLocale(locale) && !isLocale(sessionStorage.getItem(LOCALE_KEY))) setLocale(locale);
  // A server or a connection failing for now is not a link that cannot be opened.
  const passing = typeof res !== 'string' && transient(res);
  const again = retry && auto && passing ? retry : undefined;
  if (again) {
    const wait =
      retryAfterMs((res as ApiResponse).headers) ?? [2000, 4000, 8000][autoRetry.tries] ?? 15_000;
    autoRetry.tries++;
    autoRetry.run = again;
    autoRetry.timer = setTimeout(again, wait);
  }
  show(() => [
    h('h1', {}, passing ? m().notNow : m().cannotOpen),
    h('p', { class: 'notice' }, typeof res === 'string' ? res : problemMessage(res)),
    again
      ? h(
          'p',
          { id: 'auto-retry' },
          app.preview?.status === 'started' || readSession()
            ? m().retryingOpenStarted
            : m().retryingOpen,
        )
      : null,
    retry
      ? h(
          'button',
          {
            type: 'button',
            class: 'primary',
            onclick: () => {
              clearTimeout(autoRetry.timer);
              autoRetry.timer = undefined;
              retry();
            },
          },
          m().tryAgain,
        )
      : null,
  ]);
}

// ---- intro ----

async function boot() {
  const stored = sessionStorage.getItem(LOCALE_KEY);
  setLocale(isLocale(stored) ? stored : preferredLocale(navigator.languages));
  // index.html's own line is English; say it in the page's language while the server answers.
  $('main').replaceChildren(h('p', {}, m().loading));
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
    if (res.status === 200) {
      autoRetry.tries = 0;
      return enterAttempt(res.body, session.attemptToken, session);
    }
    if (res.status === 401) return showElsewhere();
    if (transient(res)) return showError(res, () => void boot(), true);
  }
  if (previewLink) return bootPreview(previewLink[1]!, previewLink[2]!);
  const res = await api.call('POST', '/invitations/inspect', { body: { invitationToken } });
  if (res.status !== 200)
    return showError(res, transient(res) ? () => void boot() : undefined, true);
  autoRetry.tries = 0;
  app.preview = res.body as Preview;
  for (const section of app.preview.assessment.sections)
    app.areaNames.set(section.area, section.name);
  if (!isLocale(stored)) setLocale(app.preview.locale);
  setLocale(app.locale);
  void loadAreaNames();
  showIntro();
}

/** An employer's preview: the attempt exists already; its view stands in for the intro's facts. */
async function bootPreview(attemptId: string, token: string) {
  const res = await api.call('GET', `/attempts/${attemptId}`, { token });
  if (res.status !== 200) return showError(res, transient(res) ? () => void boot() : undefined);
  const view = res.body as AttemptView;
  const counts = new Map<string, number>();
  for (const q of view.questions) counts.set(q.area, (counts.get(q.area) ?? 0) + 1);
  app.preview = {
    status: 'started',
    organisation: { name: '' },
    candidate: {},
    assessment: {
      title: view.assessment.title,
      timeLimitMinutes: view.assessment.timeLimitMinutes,
      extraTimePercent: 0,
      timeAllowedSeconds: view.assessment.timeLimitMinutes * 60,
      questionCount: view.questions.length,
      showResultToCandidate: false,
      sections: [...counts].map(([area, count]) => ({ area, name: area, count })),
    },
    expiresAt: view.deadline,
    locale: app.locale,
    startedAt: view.startedAt,
    deadline: view.deadline,
  };
  enterAttempt(view, token);
}

/** A notice above the screens while a preview runs (it is not a candidate's attempt). */
function showPreviewBanner(on: boolean) {
  let banner = document.getElementById('preview-banner');
  if (!on) return banner?.remove();
  if (!banner) {
    banner = h('p', { class: 'offline', id: 'preview-banner', role: 'note' });
    $('main').before(banner);
  }
  banner.textContent = m().previewBanner;
}

/**
 * A later deadline from the server (an employer gave more time): the countdown follows it, the
 * warnings can sound again, and the candidate is told.
 */
function followDeadline(deadline: unknown) {
  const a = app.attempt;
  if (!a || typeof deadline !== 'string' || Number.isNaN(Date.parse(deadline))) return;
  if (Date.parse(deadline) <= Date.parse(a.deadline)) return;
  a.deadline = deadline;
  app.warned.clear();
  announce(m().moreTime(timeOfDay(app.locale, deadline)), true);
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
      h(
        'dd',
        {},
        a.sections.some((s) => s.mode === 'adaptive')
          ? msg.questionsUpTo(a.questionCount)
          : msg.questions(a.questionCount),
      ),
      h('dt', {}, msg.sectionsLabel),
      h(
        'dd',
        {},
        h(
          'ul',
          { class: 'sections' },
          ...a.sections.map((s) =>
            h(
              'li',
              {},
              s.mode === 'adaptive'
                ? `${areaName(s.area)}: ${msg.adaptiveSection(s.minItems ?? s.count, s.maxItems ?? s.count)}`
                : `${areaName(s.area)}: ${msg.questions(s.count)}`,
            ),
          ),
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
      h(
        'ul',
        {},
        ...msg.howItWorks.map((t) => h('li', {}, t)),
        a.sections.some((s) => s.mode === 'adaptive')
          ? h('li', { id: 'adaptive-intro' }, msg.adaptiveHowItWorks)
          : null,
      ),
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
      h('p', { id: 'start-status', role: 'status' }),
    ];
  });
}

async function begin(e?: Event) {
  const button = e?.currentTarget as HTMLButtonElement | undefined;
  if (button) button.disabled = true;
  // A slow start (a busy server answers within 10 s) is said, not only a greyed-out button.
  const status = document.getElementById('start-status');
  if (status) status.textContent = m().starting;
  const res = await api.call('POST', '/attempts', { body: { invitationToken } });
  if (res.status !== 200 && res.status !== 201) {
    if (button) button.disabled = false;
    // Continue (the attempt has started: its time runs) is tried again by itself; a first
    // Start waits for the candidate to press it again.
    const started = app.preview?.status === 'started' || readSession() !== undefined;
    return showError(res, transient(res) ? () => void begin() : undefined, started);
  }
  autoRetry.tries = 0;
  const view = res.body as AttemptView;
  const previous = readSession();
  enterAttempt(
    view,
    view.attemptToken!,
    previous?.attemptId === view.attemptId ? previous : undefined,
    true,
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

/**
 * `rotated`: the token was just issued by a start (Start, Continue, Continue here), so no other
 * window can send anything any more: this page takes over every answer kept for the attempt.
 * Otherwise (a reload, a duplicated tab, a preview) another open tab may hold this same token.
 */
function enterAttempt(view: AttemptView, token: string, session?: Session, rotated = false) {
  app.attempt = view;
  app.token = token;
  app.current = Math.min(session?.current ?? 0, view.questions.length - 1);
  app.flags = new Set(session?.flags ?? []);
  app.states.clear();
  app.drafts.clear();
  app.awaiting = undefined;
  app.locked = false;
  app.finished = false;
  app.notice = undefined;
  app.typed = undefined;
  setLocale(app.locale);
  writeSession();
  void loadAreaNames();
  showPreviewBanner(view.preview === true);
  if (view.status !== 'active') {
    forgetUnsent(view.attemptId);
    return finishedEarlier(view);
  }

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
            // A save on the wire when the page is reloaded or closed still reaches the server
            // (the browser would cancel it otherwise, and the answer would be lost).
            keepalive: true,
            // The gateway answers within 30 s: a save unanswered after 35 s is on a stalled
            // connection, and is tried again (with the same If-Match) rather than waited on,
            // with every later answer queued behind it.
            timeoutMs: 35_000,
          },
        );
        if (res.status === 200) followDeadline(res.body?.deadline);
        const wait = retryAfterMs(res.headers);
        return { status: res.status, body: res.body, ...(wait ? { retryAfterMs: wait } : {}) };
      },
      isOnline: () => navigator.onLine,
      wait: (ms) => new Promise((r) => setTimeout(r, ms)),
      onState: onSaveState,
      onStop,
      onSettled: onAdaptiveSettled,
      // Another window took over (401): what waited here is dropped with the queue, as the
      // notice says (that window took over what was kept when it started).
      onQueue: () => {
        if (app.saver === saver) keepUnsent(view.attemptId, waiting(saver));
      },
    },
    initial,
    view.revisions !== undefined,
  );
  const saver = app.saver;
  app.events = new PageEventRecorder({
    send: (batchId, events, keepalive) =>
      api.call('POST', `/attempts/${view.attemptId}/events`, {
        token: app.token,
        body: { batchId, events },
        keepalive,
      }),
    currentQuestion: () => app.attempt?.questions[app.current]?.questionId,
  });
  app.events.start();
  startClock();
  void sendKept(saver, view.attemptId, rotated);
}

// ---- answers kept across a reload ----

interface UnsentRecord {
  at: number;
  /** The link's invitation id (the public half of its token), to forget it when the link is gone. */
  link: string;
  entries: (UnsentAnswer & { tab: string })[];
}

/** What waits in `saver`, and a typed answer still within its pause (it is the last choice). */
function waiting(saver: Saver): UnsentAnswer[] {
  const typed = app.typed && !saver.stopReason ? app.typed : undefined;
  return [...saver.unsent(), ...(typed ? [saver.kept(typed.questionId, typed.value)] : [])];
}

function readUnsent(attemptId: string): UnsentRecord['entries'] {
  try {
    const r = JSON.parse(localStorage.getItem(UNSENT_PREFIX + attemptId) ?? 'null') as UnsentRecord;
    if (!r || !Array.isArray(r.entries) || Date.now() - r.at > UNSENT_MAX_AGE_MS) return [];
    return r.entries.filter(
      (e) =>
        typeof e?.questionId === 'string' &&
        e.value !== undefined &&
        e.value !== null &&
        (e.ifMatch === undefined || Number.isInteger(e.ifMatch)),
    );
  } catch {
    return [];
  }
}

/** This page's waiting answers, next to those other tabs of the attempt keep. */
function keepUnsent(attemptId: string, mine: UnsentAnswer[]) {
  const entries = [
    ...readUnsent(attemptId).filter((e) => e.tab !== TAB),
    ...mine.map((e) => ({ ...e, tab: TAB })),
  ];
  try {
    if (entries.length)
      localStorage.setItem(
        UNSENT_PREFIX + attemptId,
        JSON.stringify({ at: Date.now(), link: LINK_ID, entries } satisfies UnsentRecord),
      );
    else localStorage.removeItem(UNSENT_PREFIX + attemptId);
  } catch {
    // Storage full or refused: the answers still wait in this page, and the warning on leaving.
  }
}

/**
 * This page is open: it holds a Web Lock named after its tab id until it is hidden for good
 * (closed, reloaded; a crash releases it too), so that another page can tell which tabs' kept
 * answers are still being sent by their own tab (a duplicated tab holds the same token).
 */
let leaveTab: (() => void) | undefined;
function holdTabLock() {
  if (leaveTab || !navigator.locks) return;
  void navigator.locks
    .request(`${TAB_LOCK_PREFIX}${TAB}`, () => new Promise<void>((r) => (leaveTab = r)))
    .catch(() => undefined);
}

/** The tabs of this browser whose pages are open now (`undefined`: cannot be known). */
async function openTabs(): Promise<Set<string> | undefined> {
  try {
    const { held = [] } = (await navigator.locks?.query()) ?? {};
    if (!navigator.locks) return undefined;
    return new Set(
      held.flatMap((l) =>
        l.name?.startsWith(TAB_LOCK_PREFIX) ? [l.name.slice(TAB_LOCK_PREFIX.length)] : [],
      ),
    );
  } catch {
    return undefined;
  }
}

/**
 * Take over the kept answers: all of them after a start (`open` undefined: no other window can
 * send any), else those of tabs no longer open (a reload's earlier page, a closed or crashed
 * one). A tab still open with this same token (this page is its duplicate) sends its own, and
 * keeps them in the record.
 */
function takeUnsent(attemptId: string, open: Set<string> | undefined): UnsentAnswer[] {
  const entries = readUnsent(attemptId);
  const theirs = entries.filter((e) => e.tab !== TAB && open?.has(e.tab));
  try {
    if (theirs.length)
      localStorage.setItem(
        UNSENT_PREFIX + attemptId,
        JSON.stringify({ at: Date.now(), link: LINK_ID, entries: theirs } satisfies UnsentRecord),
      );
    else forgetUnsent(attemptId);
  } catch {
    // Storage refused: what is taken is sent by this page all the same.
  }
  return entries.filter((e) => !theirs.includes(e));
}

/** The attempt is over (submitted, or its time ran out): nothing kept can be saved any more. */
function forgetUnsent(attemptId: string) {
  try {
    localStorage.removeItem(UNSENT_PREFIX + attemptId);
  } catch {
    // Nothing to forget.
  }
}

/**
 * Records left by attempts long over (their page never came back), or, with `gone`, every
 * record of this link: it cannot be opened any more (finished, withdrawn, expired), so nothing
 * kept for it can be sent.
 */
function forgetOldUnsent(gone = false) {
  try {
    for (const key of Object.keys(localStorage)) {
      if (!key.startsWith(UNSENT_PREFIX)) continue;
      const r = JSON.parse(localStorage.getItem(key) ?? '{}') as Partial<UnsentRecord> | null;
      const old = !(Date.now() - Number(r?.at) <= UNSENT_MAX_AGE_MS);
      if (old || (gone && r?.link === LINK_ID)) localStorage.removeItem(key);
    }
  } catch {
    // Unreadable storage keeps nothing worth sending.
  }
}

/**
 * Answers an earlier page of this attempt chose and never saw saved (it was reloaded or closed
 * with them waiting): this page takes them over, sends them before the question is shown (each
 * against the revision it was chosen over: an answer saved later elsewhere is kept and the
 * candidate is told), then shows the question. Offline, or a server slow to answer, the
 * question comes with them still waiting ("Not saved").
 */
async function sendKept(saver: Saver, attemptId: string, all: boolean) {
  const open = all ? undefined : await openTabs();
  if (app.saver !== saver) return;
  const count = saver.adopt(takeUnsent(attemptId, open));
  if (!count) return showQuestion();
  const replaced = new Set<string>();
  app.restoring = replaced;
  show(() => [h('h1', {}, m().loading), h('p', { role: 'status' }, m().sendingKept(count))]);
  await saver.drain(navigator.onLine ? 15_000 : 0);
  app.restoring = undefined;
  if (app.saver !== saver || app.locked) return;
  if (replaced.size) {
    const numbers = app.attempt!.questions.flatMap((q, i) =>
      replaced.has(q.questionId) ? [i + 1] : [],
    );
    app.notice = () => m().keptReplaced(numbers);
  }
  showQuestion();
}

function onSaveState(questionId: string, state: SaveState) {
  app.states.set(questionId, state);
  if (state.kind === 'rejected' && app.awaiting === questionId) {
    // The server refused this answer (it did not fit): the item is still open.
    app.awaiting = undefined;
    app.saver?.saved.delete(questionId);
    if (currentQuestion()?.questionId === questionId) showQuestion(false);
  }
  if (state.kind === 'replaced') {
    app.restoring?.add(questionId);
    // Another window's answer won: show it in place of the choice made here.
    if (app.attempt?.questions[app.current]?.questionId === questionId) showQuestion(false);
  }
  const status = document.querySelector<HTMLElement>(
    `[data-status-for="${CSS.escape(questionId)}"]`,
  );
  if (status) paintStatus(status, questionId);
  updateNavigator();
  refreshReviewList('review-unanswered', reviewUnanswered);
  refreshReviewList('review-unsaved', reviewUnsaved);
  const progress = document.getElementById('review-progress');
  if (progress) progress.textContent = progressText();
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

// ---- adaptive sections ----

const currentQuestion = () => app.attempt?.questions[app.current];

function sectionOf(questionId: string): AttemptSection | undefined {
  return app.attempt?.sections?.find((s) => s.questionIds.includes(questionId));
}

const isAdaptive = (questionId: string) => sectionOf(questionId)?.mode === 'adaptive';

/** An adaptive item whose answer is saved (or on its way): final, shown read-only. */
const isClosed = (questionId: string) =>
  isAdaptive(questionId) &&
  (app.saver?.saved.has(questionId) === true || app.awaiting === questionId);

/** Questions adaptive sections may still add beyond those shown. */
function moreToCome(): number {
  let n = 0;
  for (const s of app.attempt?.sections ?? []) {
    if (s.mode !== 'adaptive' || s.complete) continue;
    n += Math.max(0, (s.itemsLeftAtMost ?? 0) - (s.current ? 1 : 0));
  }
  return n;
}

/**
 * A save in an adaptive section settled: its response carries the section's progress and the
 * next item (or that the section is complete). The item joins its section, and a candidate
 * still on the answered item moves on to it.
 */
function onAdaptiveSettled(questionId: string, res: { body?: Record<string, unknown> }) {
  const a = app.attempt;
  if (!a || !isAdaptive(questionId)) return;
  const body = res.body ?? {};
  app.drafts.delete(questionId);
  if (app.awaiting === questionId) app.awaiting = undefined;
  const onIt = currentQuestion()?.questionId === questionId;
  const section = body.section as AttemptSection | undefined;
  const next = body.next as CandidateQuestion | undefined;
  const keep = currentQuestion()?.questionId;
  if (section && a.sections) {
    const old = a.sections.find((s) => s.index === section.index);
    if (next && old && !a.questions.some((q) => q.questionId === next.questionId)) {
      // After the section's last item shown so far, before any later section's questions.
      const last = Math.max(
        ...old.questionIds.map((id) => a.questions.findIndex((q) => q.questionId === id)),
      );
      a.questions.splice(last + 1, 0, next);
    }
    a.sections = a.sections.map((s) => (s.index === section.index ? section : s));
  }
  if (keep)
    app.current = Math.max(
      0,
      a.questions.findIndex((q) => q.questionId === keep),
    );
  writeSession();
  if (!onIt || app.locked) return updateNavigator();
  if (next) return goTo(a.questions.findIndex((q) => q.questionId === next.questionId));
  if (body.sectionComplete) announce(m().sectionComplete(areaName(section?.area ?? '')));
  const after = app.current + 1;
  if (after < a.questions.length) return goTo(after);
  showReview();
}

/** Save and continue: send the chosen answer of an adaptive item (final once saved). */
function saveAndContinue(q: CandidateQuestion) {
  const value = app.drafts.get(q.questionId);
  if (value === undefined || !isAnswered(q, value)) {
    const status = document.querySelector<HTMLElement>(
      `[data-status-for="${CSS.escape(q.questionId)}"]`,
    );
    if (status) {
      status.textContent = m().chooseFirst;
      status.dataset.kind = 'error';
    }
    return;
  }
  app.awaiting = q.questionId;
  app.saver?.save(q.questionId, value);
  showQuestion(false);
}

/** Adaptive answers chosen but not sent: the attempt is ending, so they are sent as they are. */
function flushDrafts() {
  for (const [questionId, value] of app.drafts) {
    const q = app.attempt?.questions.find((x) => x.questionId === questionId);
    if (q && isAnswered(q, value) && !app.saver?.saved.has(questionId))
      app.saver?.save(questionId, value);
  }
  app.drafts.clear();
}

function answeredCount() {
  const a = app.attempt!;
  return a.questions.filter((q) => isAnswered(q, app.saver?.current(q.questionId))).length;
}

/** "3 of 12 answered", or with adaptive sections still going, "3 answered of up to 20". */
function progressText() {
  const a = app.attempt!;
  const more = moreToCome();
  return more
    ? m().answeredCountUpTo(answeredCount(), a.questions.length + more)
    : m().answeredCount(answeredCount(), a.questions.length);
}

function navState(q: CandidateQuestion) {
  const msg = m();
  const answered = isAnswered(q, app.saver?.current(q.questionId));
  const states = [answered ? msg.stateAnswered : msg.stateUnanswered];
  if (answered && isAdaptive(q.questionId)) states.push(msg.stateFinal);
  if (app.saver?.isUnsaved(q.questionId)) states.push(msg.stateUnsaved);
  if (app.flags.has(q.questionId)) states.push(msg.flagged);
  return { answered, states };
}

function questionNavigator(): HTMLElement {
  const a = app.attempt!;
  const items: HTMLElement[] = a.questions.map((q, i) => {
    const { answered, states } = navState(q);
    // An answered adaptive item cannot be gone back to: it stays listed, but not as a link.
    const closed = isClosed(q.questionId) && i !== app.current;
    return h(
      'li',
      {},
      h(
        'button',
        {
          type: 'button',
          class: `nav-item${answered ? ' answered' : ''}${app.flags.has(q.questionId) ? ' flagged' : ''}${isAdaptive(q.questionId) ? ' adaptive' : ''}`,
          'data-question': q.questionId,
          'aria-label': m().navItem(i + 1, states),
          'aria-current': i === app.current ? 'step' : undefined,
          disabled: app.locked || closed,
          onclick: () => goTo(i),
        },
        String(i + 1),
      ),
    );
  });
  // After each adaptive section still going: how many more items it may add.
  for (const s of [...(a.sections ?? [])].reverse()) {
    if (s.mode !== 'adaptive' || s.complete) continue;
    const more = Math.max(0, (s.itemsLeftAtMost ?? 0) - (s.current ? 1 : 0));
    if (!more) continue;
    const last = Math.max(
      -1,
      ...s.questionIds.map((id) => a.questions.findIndex((q) => q.questionId === id)),
    );
    items.splice(last + 1, 0, h('li', { class: 'nav-more' }, m().moreToCome(more)));
  }
  return h('nav', { 'aria-label': m().navLabel, class: 'navigator' }, h('ol', {}, ...items));
}

function updateNavigator() {
  const a = app.attempt;
  if (!a) return;
  const nav = document.querySelector<HTMLElement>('nav.navigator');
  if (nav && nav.querySelectorAll('.nav-item').length !== a.questions.length) {
    // An adaptive section grew: draw the navigator again.
    nav.replaceWith(questionNavigator());
  }
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
  if (count) count.textContent = progressText();
}

function goTo(i: number) {
  app.current = i;
  app.notice = undefined;
  writeSession();
  showQuestion();
}

function showQuestion(focusHeading = true) {
  const a = app.attempt!;
  show(
    () => {
      const msg = m();
      const q = a.questions[app.current]!;
      const adaptive = isAdaptive(q.questionId);
      const closed = isClosed(q.questionId);
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
        value: app.saver?.current(q.questionId) ?? app.drafts.get(q.questionId),
        m: msg,
        // An adaptive item's answer is sent only by Save and continue: it is final.
        save: (value) => {
          if (adaptive) app.drafts.set(q.questionId, value);
          else app.saver?.save(q.questionId, value);
        },
        announce: (text) => announce(text),
        // Kept in localStorage from the keystroke (a crash in the pause loses nothing); an
        // adaptive item's answer is final only by Save and continue, so it is not kept.
        draft: (value) => {
          if (adaptive) return;
          if (value !== undefined) app.typed = { questionId: q.questionId, value };
          else if (app.typed?.questionId === q.questionId) app.typed = undefined;
          else return;
          if (app.saver && app.attempt) keepUnsent(app.attempt.attemptId, waiting(app.saver));
        },
        // What is typed is not saved until the pause: not "Not answered yet" nor "Saved at"
        // over a field that says otherwise.
        typing: (waiting) => {
          if (adaptive) return;
          if (!waiting) paintStatus(status, q.questionId);
          else if (status.dataset.kind !== 'typing') {
            status.textContent = msg.typing;
            status.dataset.kind = 'typing';
          }
        },
      });
      const section = sectionOf(q.questionId);
      const left = Math.max(0, (section?.itemsLeftAtMost ?? 0) - 1);
      const previous = a.questions[app.current - 1];
      // No going back into, or within, an adaptive section.
      const noPrevious =
        app.current === 0 || adaptive || (previous ? isAdaptive(previous.questionId) : true);
      const forward =
        adaptive && !closed
          ? h(
              'button',
              {
                type: 'button',
                class: 'primary',
                id: 'save-continue',
                onclick: () => saveAndContinue(q),
              },
              msg.saveAndContinue,
            )
          : h(
              'button',
              {
                type: 'button',
                class: 'primary',
                disabled: adaptive && app.awaiting === q.questionId,
                onclick: () => (last ? showReview() : goTo(app.current + 1)),
              },
              msg.next,
            );
      return [
        app.notice ? h('p', { class: 'notice', id: 'kept-replaced' }, app.notice()) : null,
        h('p', { class: 'progress', id: 'answered-count' }, progressText()),
        h(
          'section',
          { class: 'question', 'aria-labelledby': 'question-heading', 'data-type': q.type },
          h(
            'fieldset',
            {
              'aria-describedby': `${promptId} ${instructionId}`,
              disabled: app.locked || closed,
            },
            h(
              'legend',
              {},
              h(
                'h2',
                { id: 'question-heading' },
                moreToCome()
                  ? msg.questionNumber(app.current + 1)
                  : msg.questionOf(app.current + 1, a.questions.length),
              ),
              h('span', { class: 'area' }, areaName(q.area)),
            ),
            h('div', {
              class: 'prompt md',
              id: promptId,
              html: promptHtml(q, app.saver?.current(q.questionId), msg),
            }),
            h('p', { class: 'instruction', id: instructionId }, renderer.instruction(msg)),
            adaptive
              ? h(
                  'p',
                  { class: 'notice adaptive-note', id: `adaptive-${app.current}` },
                  closed ? msg.adaptiveFinal : msg.adaptiveNote(left),
                )
              : null,
            answer,
          ),
          status,
          adaptive ? null : h('p', { class: 'flag-row' }, flag),
          h(
            'div',
            { class: 'pager' },
            adaptive
              ? null
              : h(
                  'button',
                  {
                    type: 'button',
                    class: 'secondary',
                    disabled: noPrevious,
                    onclick: () => goTo(app.current - 1),
                  },
                  msg.previous,
                ),
            forward,
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

/** A titled list of questions on the review screen, each a button to go to it. */
function reviewList(title: string, qs: CandidateQuestion[]): HTMLElement[] {
  const a = app.attempt!;
  if (!qs.length) return [];
  return [
    h('h2', {}, `${title} (${qs.length})`),
    h(
      'ul',
      { class: 'review-list' },
      ...qs.map((q) => {
        const i = a.questions.indexOf(q);
        return h(
          'li',
          {},
          h('button', { type: 'button', class: 'link', onclick: () => goTo(i) }, m().goTo(i + 1)),
        );
      }),
    ),
  ];
}

function showReview() {
  const a = app.attempt!;
  show(() => {
    const msg = m();
    const open = (a.sections ?? []).filter((s) => s.mode === 'adaptive' && !s.complete);
    const flagged = a.questions.filter((q) => app.flags.has(q.questionId));
    // Pressed once with answers still not saved: told so, and not submitted. Pressed again
    // (the candidate knows), it submits without them and the final screen says so.
    let toldUnsaved = false;
    const submit = h(
      'button',
      {
        type: 'button',
        class: 'primary',
        id: 'submit',
        onclick: async () => {
          toldUnsaved = await submitNow(submit, toldUnsaved);
        },
      },
      msg.submit,
    );
    return [
      h('h1', {}, msg.reviewHeading),
      h('p', { class: 'progress', id: 'review-progress' }, progressText()),
      ...open.map((s) =>
        h(
          'p',
          { class: 'notice adaptive-open' },
          msg.reviewAdaptiveOpen(areaName(s.area), s.itemsLeftAtMost ?? 0),
        ),
      ),
      reviewUnanswered(),
      ...reviewList(msg.reviewFlagged, flagged),
      reviewUnsaved(),
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

/**
 * The review's "Not answered" and "Not saved yet" lists: repainted as saves settle (see
 * `onSaveState`), so that an answer the server has saved (or refused, or another window
 * replaced) since the screen was drawn is listed as it now is.
 */
/**
 * Rebuild a review list in place without taking the keyboard focus away: a list that did not
 * change stays as it is, and a "Go to question" button that had the focus passes it to its
 * namesake in the new list.
 */
function refreshReviewList(id: string, build: () => HTMLElement) {
  const old = document.getElementById(id);
  if (!old) return;
  const next = build();
  if (old.isEqualNode(next)) return;
  const focused = old.contains(document.activeElement) ? document.activeElement?.textContent : null;
  old.replaceWith(next);
  if (focused) [...next.querySelectorAll('button')].find((b) => b.textContent === focused)?.focus();
}

function reviewUnanswered(): HTMLElement {
  const a = app.attempt!;
  const unanswered = a.questions.filter((q) => !isAnswered(q, app.saver?.current(q.questionId)));
  return h(
    'div',
    { id: 'review-unanswered' },
    ...(unanswered.length
      ? reviewList(m().reviewUnanswered, unanswered)
      : [h('p', {}, m().reviewAllAnswered)]),
  );
}

function reviewUnsaved(): HTMLElement {
  const a = app.attempt!;
  const unsaved = a.questions.filter((q) => app.saver?.isUnsaved(q.questionId));
  return h('div', { id: 'review-unsaved' }, ...reviewList(m().reviewUnsaved, unsaved));
}

/**
 * Submit from the review. An answer still not saved after the wait (the server failing, a
 * connection that drops requests) is not submitted silently: the first press says so and
 * submits nothing; a press with `withoutUnsaved` (the candidate was told) submits, and the
 * final screen counts what was not saved. Returns whether the candidate has now been told.
 */
async function submitNow(button: HTMLButtonElement, withoutUnsaved: boolean): Promise<boolean> {
  button.disabled = true;
  $('submit-status').textContent = m().submitting;
  flushTyped();
  flushDrafts();
  await app.saver?.drain(15_000);
  // Time ran out meanwhile: time-up locked the page and submits (or has), and says so.
  if (app.locked || app.saver?.stopReason === 'elsewhere') return false;
  const unsaved = app.attempt!.questions.filter((q) => app.saver?.isUnsaved(q.questionId)).length;
  if (unsaved && !withoutUnsaved) {
    button.disabled = false;
    $('submit-status').textContent = m().submitUnsaved(unsaved);
    return true;
  }
  await app.events?.flush(false);
  // Nothing more is sent once the submit is: an answer still retrying would reach a sealed
  // attempt (or be sent after the final screen). A submit that fails lets it go on.
  app.saver?.hold(true);
  app.submitting = true;
  const res = await api.call('POST', `/attempts/${app.attempt!.attemptId}/submit`, {
    token: app.token,
  });
  app.submitting = false;
  if (res.status === 200) {
    finish(res.body, false, true, unsaved);
    return false;
  }
  if (res.status === 401) {
    onStop('elsewhere');
    return false;
  }
  app.saver?.hold(false);
  button.disabled = false;
  // A connection that failed, or a server that did (busy, a fault): each said as it is.
  $('submit-status').textContent = res.status === 0 ? m().submitFailed : m().submitBusy;
  return withoutUnsaved;
}

// ---- clock ----

function startClock() {
  stopClock();
  const a = app.attempt!;
  app.startedWithMs = Date.parse(a.deadline) - clock.now();
  app.warned.clear();
  $('clock').hidden = false;
  const tick = () => {
    // A computer clock that jumped is wrong until the server answers: show it, but neither warn
    // nor end the attempt on it (a warning given now would never be given at its real time).
    const jumped = clock.jumped();
    if (jumped) void resyncClock();
    const left = Date.parse(a.deadline) - clock.now();
    $('countdown').textContent = formatCountdown(left);
    $('clock').dataset.low = String(left <= 60_000);
    if (jumped) return;
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

let resyncing = false;

/**
 * The computer's clock was set (or it slept): ask the server for its time (every response
 * carries `serverTime`, and the Api syncs the clock from it), and follow a moved deadline.
 * A failed request is tried again two seconds later.
 */
async function resyncClock() {
  const a = app.attempt;
  if (resyncing || !a || app.locked) return;
  resyncing = true;
  try {
    const res = await api.call('GET', `/attempts/${a.attemptId}`, { token: app.token });
    if (res.status === 200) followDeadline(res.body?.deadline);
    else if (res.status === 401) onStop('elsewhere');
    // Not answered with the server's time: not again on every tick.
    else await new Promise((r) => setTimeout(r, 2000));
  } finally {
    resyncing = false;
  }
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

/**
 * At zero: ask the server once whether the deadline moved (an employer may have given more time
 * while nothing was saved); if not, lock every input, say so, send what waits (within the grace
 * period), submit.
 */
async function timeUp() {
  if (app.locked || app.checkingDeadline) return;
  const a0 = app.attempt!;
  app.checkingDeadline = true;
  const now = await api.call('GET', `/attempts/${a0.attemptId}`, { token: app.token });
  app.checkingDeadline = false;
  if (now.status === 200 && now.body?.status === 'active') {
    followDeadline(now.body.deadline);
    // The server's answer decides, by its own time: not this page's estimate of it.
    if (Date.parse(now.body.deadline) > Date.parse(now.body.serverTime)) return;
  }
  if (app.locked) return;
  // The server could not say (offline, failing): an extension granted meanwhile is asked for
  // again before anything is submitted.
  const unsure = transient(now);
  // Submitted from another window before the time ran out: not "time is up".
  if (now.status === 200 && now.body?.status === 'submitted') return submittedElsewhere();
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
  flushTyped();
  flushDrafts();
  // The server takes saves until the grace period ends: what waits (offline, a server failing)
  // may be sent until then, by the server's clock (a second short of it, for the request).
  const until = Date.parse(a.deadline) + a.gracePeriodSeconds * 1000;
  const waiting = app.saver?.unsavedCount ?? 0;
  if (waiting && until - clock.now() > 3000)
    banner.after(
      h(
        'p',
        { class: 'notice', id: 'time-up-waiting' },
        m().timeUpWaiting(waiting, timeOfDay(app.locale, until)),
      ),
    );
  await app.saver?.drain(Math.max(0, until - 1000 - clock.now()));
  if (unsure && (await deadlineMoved(until))) return;
  await app.events?.stop(true);
  // What is still waiting now was not saved in time: the candidate is told, not left to think
  // it was submitted with the rest.
  // So was an answer the server refused meanwhile because its time was up (409 `time-is-up`):
  // the queue dropped it.
  const lost = a.questions.filter((q) => app.saver?.isLost(q.questionId)).length;
  // Time is up: nothing more is saved (a retry would be sent after the final screen, to an
  // attempt that can no longer take it).
  app.saver?.stop('closed');
  const res = await api.call('POST', `/attempts/${a.attemptId}/submit`, { token: app.token });
  if (res.status === 401) return onStop('elsewhere');
  // A submit that failed (a server fault, no connection) changes nothing the candidate has
  // saved: the server finalises the attempt itself once its grace period ends (the sweeper),
  // grading the answers saved, so the screen says so rather than "submitted".
  finish(
    res.status === 200 ? res.body : { status: 'expired' },
    true,
    true,
    lost,
    res.status !== 200,
  );
}

/**
 * Time-up whose check at zero failed: wait for the connection (while the server still takes
 * saves), then ask again. A deadline that moved meanwhile (an employer gave more time while this
 * page could not hear of it) reopens the attempt: the inputs come back, the countdown follows,
 * and the candidate is told. Returns whether it did.
 */
async function deadlineMoved(until: number): Promise<boolean> {
  await online(until - 1000 - clock.now());
  const a = app.attempt;
  if (!a || app.finished) return false;
  const res = await api.call('GET', `/attempts/${a.attemptId}`, { token: app.token });
  if (res.status !== 200 || res.body?.status !== 'active') return false;
  if (!(Date.parse(res.body.deadline) > Date.parse(res.body.serverTime))) return false;
  followDeadline(res.body.deadline);
  app.locked = false;
  document.getElementById('time-up')?.remove();
  document.getElementById('time-up-waiting')?.remove();
  startClock();
  app.redraw();
  return true;
}

/** Resolves when the browser is online, or after `ms`. */
function online(ms: number): Promise<void> {
  if (navigator.onLine || ms <= 0) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      window.removeEventListener('online', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    window.addEventListener('online', done);
  });
}

function onStop(reason: StopReason) {
  if (reason === 'elsewhere') return showElsewhere();
  if (reason === 'already-submitted') {
    // This page's own submit (or time-up) is under way and says how it ended.
    if (app.submitting || app.locked) return;
    return void submittedElsewhere();
  }
  void timeUp();
}

/**
 * The attempt was submitted from another window holding this one's token (a duplicated tab):
 * a save here met 409 `already-submitted`. The final screen says it was already finished and
 * how many answers chosen here were not saved; it is not "time is up".
 */
async function submittedElsewhere() {
  const a = app.attempt;
  if (!a || app.finished) return;
  app.locked = true;
  stopClock();
  lockInputs();
  const lost = a.questions.filter((q) => app.saver?.isLost(q.questionId)).length;
  app.saver?.stop('closed');
  void app.events?.stop(false);
  const res = await api.call('GET', `/attempts/${a.attemptId}/result`, { token: app.token });
  finish(
    { status: 'submitted', ...(res.status === 200 ? { result: res.body } : {}) },
    false,
    false,
    lost,
  );
}

// ---- another window ----

function showElsewhere() {
  stopClock();
  void app.events?.stop(false);
  // This window's token no longer works: it sends nothing more, and what it had waiting is
  // dropped (the window that took over took what was kept when it started).
  app.saver?.stop('closed');
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

/**
 * The final screen; `lost`: answers still unsaved when time ran out or at Submit (not
 * submitted); `pending`: time ran out and the submit failed, so the server finalises it later.
 */
function finish(
  body: { status: string; result?: CandidateResult },
  timedOut: boolean,
  now = true,
  lost = 0,
  pending = false,
) {
  stopClock();
  app.locked = true;
  app.finished = true;
  // Nothing more is sent from here: the attempt is over (or the server ends it by itself).
  app.saver?.stop('closed');
  if (app.attempt) forgetUnsent(app.attempt.attemptId);
  // "Your answers are kept here and sent when you are back online" is no longer true.
  $('offline').hidden = true;
  void app.events?.stop(false);
  // Time ran out at the server's deadline (it follows extensions), not whenever this page's
  // clock says the final screen came: the drain, the submit or a sleeping computer lie between.
  const at = timedOut && app.attempt ? app.attempt.deadline : clock.now();
  $('clock').hidden = true;
  sessionStorage.removeItem(sessionKey);
  show(() => {
    const msg = m();
    const org = app.preview?.organisation.name ?? '';
    const when = timeOfDay(app.locale, at);
    const out: (HTMLElement | null)[] = [
      h('h1', {}, timedOut ? msg.timeUpHeading : msg.submittedHeading),
      h(
        'p',
        { class: 'notice' },
        now
          ? timedOut
            ? pending
              ? msg.timeUpKept(when)
              : msg.timeUpSubmitted(when)
            : msg.submittedAt(when)
          : msg.goneFinished,
      ),
      lost
        ? h(
            'p',
            { class: 'notice', id: 'time-up-unsaved' },
            timedOut ? msg.timeUpUnsaved(lost) : msg.submittedUnsaved(lost),
          )
        : null,
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
  if (!app.locked) flushTyped();
  if (app.saver?.unsavedCount || app.drafts.size) {
    e.preventDefault();
    e.returnValue = m().leaveWarning;
  }
});
window.addEventListener('online', () => {
  $('offline').hidden = true;
  // The page could not be opened while offline: try again now, not at the next timer.
  if (autoRetry.timer) {
    clearTimeout(autoRetry.timer);
    autoRetry.timer = undefined;
    autoRetry.run();
  }
  // More time may have been given while this page could not hear of it.
  void resyncClock();
  app.saver?.resume();
  void app.events?.flush(false);
});
window.addEventListener('offline', () => {
  $('offline').hidden = app.finished;
});
window.addEventListener('hashchange', () => location.reload());

window.addEventListener('pagehide', () => {
  leaveTab?.();
  leaveTab = undefined;
});
// Back from the back-forward cache: open again.
window.addEventListener('pageshow', (e) => {
  if (e.persisted) holdTabLock();
});

$('offline').hidden = navigator.onLine;
holdTabLock();
forgetOldUnsent();
void boot();
