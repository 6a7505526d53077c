/**
 * The console: `/console`. Staff sign in (locally through the gateway's development sign-in,
 * in AWS through the Cognito hosted UI with PKCE); employers build assessments, invite
 * candidates, follow their statuses and read results and reports; authors keep the question
 * bank. Screens are hash routes (`#/assessments/<id>`), so the one `index.html` serves them all.
 */
import '../shared/base.css';
import './styles.css';
import { h } from '../shared/dom.ts';
import { $, announce, call, hasRole, leave, link, m, show, state } from './app.ts';
import { showCreate, showEdit } from './assessment-form.ts';
import {
  authorizeUrl,
  type ConsoleConfig,
  callbackOf,
  logoutUrl,
  PKCE_KEY,
  pkceChallenge,
  randomToken,
  readSession,
  requestTokens,
  SESSION_KEY,
  type Session,
  sessionFromToken,
} from './auth.ts';
import { showBank, showImport, showQuestion } from './bank.ts';
import { capabilitiesOf } from './capabilities.ts';
import { showAssessment, showAssessments, showInvite, showReport } from './employer.ts';
import { showOrganisation } from './organisation.ts';

function saveSession(session: Session | undefined) {
  state.session = session;
  if (session) sessionStorage.setItem(SESSION_KEY, JSON.stringify(session));
  else sessionStorage.removeItem(SESSION_KEY);
  drawHeader();
}

function drawHeader() {
  const s = state.session;
  const nav = $('nav');
  const links: [string, string][] = [];
  if (s && hasRole('employer')) links.push(['#/assessments', m().navAssessments]);
  if (s && hasRole('employer') && state.caps?.has('organisation')) {
    links.push(['#/organisation', m().navOrganisation]);
  }
  if (s && hasRole('author')) links.push(['#/bank', m().navBank]);
  const section = location.hash.split(/[/?]/)[1] ?? '';
  // A report belongs to the assessments.
  const here = section === 'attempts' ? 'assessments' : section;
  nav.replaceChildren(
    ...(links.length
      ? [
          h(
            'ul',
            {},
            ...links.map(([href, text]) =>
              h(
                'li',
                {},
                h(
                  'a',
                  {
                    href,
                    'aria-current': href.split('/')[1] === here ? 'page' : undefined,
                  },
                  text,
                ),
              ),
            ),
          ),
        ]
      : []),
  );
  nav.hidden = !links.length;
  const who = $('who');
  who.replaceChildren(
    ...(s
      ? [
          h('span', { class: 'who-text' }, m().signedInAs(s.who, s.org, s.roles.map(roleName))),
          h('button', { type: 'button', class: 'small', onclick: signOut }, m().signOut),
        ]
      : []),
  );
}

const roleName = (r: string) => (r === 'author' ? m().roleAuthor : m().roleEmployer);

function signOut() {
  const via = state.session?.via;
  saveSession(undefined);
  const c = state.config;
  if (via === 'cognito' && c?.signIn === 'cognito') location.assign(logoutUrl(c.cognito));
  else showSignIn(m().signedOut);
}

// ---- sign-in ----

function showSignIn(message?: string) {
  leave();
  state.session = undefined;
  sessionStorage.removeItem(SESSION_KEY);
  drawHeader();
  const c = state.config;
  const notice = message ? h('p', { class: 'notice', role: 'status' }, message) : null;
  if (c?.signIn === 'cognito') {
    show(
      m().signInHeading,
      notice,
      h('p', {}, m().signInCognito),
      h(
        'p',
        {},
        h('button', { type: 'button', class: 'primary', onclick: startHostedUi }, m().signIn),
      ),
    );
    return;
  }
  const error = h('p', { class: 'field-error', id: 'sign-in-error', role: 'alert' });
  error.hidden = true;
  const org = h('input', {
    id: 'org',
    name: 'org',
    value: 'demo',
    required: true,
    autocomplete: 'organization',
    'aria-describedby': 'org-hint sign-in-error',
    spellcheck: 'false',
  });
  const role = (value: string, label: string, checked = false) =>
    h(
      'label',
      { class: 'choice' },
      h('input', { type: 'radio', name: 'role', value, checked }),
      label,
    );
  const form = h(
    'form',
    { class: 'form', novalidate: true },
    h('p', {}, m().devSignInLead),
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'org' }, m().organisation),
      org,
      h('p', { class: 'hint', id: 'org-hint' }, m().organisationHint),
    ),
    h(
      'fieldset',
      { class: 'field' },
      h('legend', {}, m().role),
      role('employer', m().roleEmployer, true),
      role('author', m().roleAuthor),
      role('both', m().roleBoth),
    ),
    error,
    h('p', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, m().signIn)),
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const chosen = (form.elements.namedItem('role') as RadioNodeList).value;
    const roles = chosen === 'both' ? ['employer', 'author'] : [chosen];
    const url = c?.signIn === 'local' ? c.devTokenUrl : '/local/dev-token';
    const button = form.querySelector('button')!;
    button.disabled = true;
    let res: Response | undefined;
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ org: org.value.trim(), roles }),
      });
    } catch {
      res = undefined;
    }
    button.disabled = false;
    const body = res ? await res.json().catch(() => ({})) : {};
    if (!res?.ok || typeof body.token !== 'string') {
      error.hidden = false;
      error.textContent = body.detail ?? m().unreachable;
      org.setAttribute('aria-invalid', 'true');
      org.focus();
      return;
    }
    const session = sessionFromToken(body.token, 'local');
    if (!session) return;
    saveSession(session);
    await loadCommon();
    const home = hasRole('employer') ? '#/assessments' : '#/bank';
    if (location.hash === home) route();
    else location.hash = home;
  });
  show(m().devSignInHeading, notice, form);
}

async function startHostedUi() {
  const c = state.config;
  if (c?.signIn !== 'cognito') return;
  const verifier = randomToken(32);
  const stateToken = randomToken(16);
  sessionStorage.setItem(
    PKCE_KEY,
    JSON.stringify({ verifier, state: stateToken, hash: location.hash }),
  );
  location.assign(authorizeUrl(c.cognito, stateToken, await pkceChallenge(verifier)));
}

/** Back from the hosted UI: exchange the code, then clean the URL (no code stays in it). */
async function finishHostedUi(): Promise<boolean> {
  const back = callbackOf(location.search);
  if (!back) return false;
  const c = state.config;
  const saved = JSON.parse(sessionStorage.getItem(PKCE_KEY) ?? 'null') as {
    verifier: string;
    state: string;
    hash: string;
  } | null;
  sessionStorage.removeItem(PKCE_KEY);
  history.replaceState(null, '', `${location.pathname}${saved?.hash ?? ''}`);
  if ('error' in back) {
    showSignIn(m().signInFailed(back.error));
    return true;
  }
  if (c?.signIn !== 'cognito' || !saved || saved.state !== back.state) {
    showSignIn(m().signInStale);
    return true;
  }
  const session = await requestTokens(c.cognito, { code: back.code, verifier: saved.verifier });
  if (typeof session === 'string') {
    showSignIn(m().signInFailed(session));
    return true;
  }
  saveSession(session);
  return false;
}

async function renew(): Promise<boolean> {
  const c = state.config;
  const refreshToken = state.session?.refreshToken;
  if (c?.signIn !== 'cognito' || !refreshToken) return false;
  const session = await requestTokens(c.cognito, { refreshToken });
  if (typeof session === 'string') return false;
  saveSession(session);
  return true;
}

// ---- routing ----

function route() {
  drawHeader();
  if (!state.session) return showSignIn();
  const [path = '', query = ''] = location.hash.replace(/^#\/?/, '').split('?');
  const parts = path.split('/').filter(Boolean);
  const [a, b, c] = parts;
  if (a === 'assessments' && hasRole('employer')) {
    if (b === 'new') return void showCreate();
    if (b && c === 'invite') return void showInvite(b);
    if (b && c === 'edit' && state.caps?.has('update')) return void showEdit(b);
    if (b) return void showAssessment(b, c === 'results' ? 'results' : 'invitations');
    return void showAssessments();
  }
  if (a === 'attempts' && b && hasRole('employer')) return void showReport(b);
  if (a === 'organisation' && hasRole('employer') && state.caps?.has('organisation')) {
    return void showOrganisation();
  }
  if (a === 'bank' && hasRole('author')) {
    if (b === 'import') return void showImport();
    if (b) return void showQuestion(decodeURIComponent(b));
    return void showBank(new URLSearchParams(query));
  }
  if (!a) {
    location.replace(hasRole('employer') ? '#/assessments' : '#/bank');
    return;
  }
  leave();
  // The way on from an address that leads nowhere (a mistyped or outdated bookmark).
  const home = hasRole('employer')
    ? link('/assessments', m().backToAssessments)
    : link('/bank', m().backToBank);
  show(m().notFoundHeading, h('p', {}, m().notFoundText), h('p', {}, home));
}

/** The server's capabilities and the areas (names, pool sizes): once per sign-in. */
async function loadCommon() {
  const [doc, areas] = await Promise.all([call('GET', '/openapi.json'), call('GET', '/areas')]);
  state.caps = capabilitiesOf(doc.status === 200 ? doc.body : {});
  if (areas.status === 200) state.areas = areas.body.areas;
}

async function boot() {
  // The skip link moves focus without changing the hash (the hash is the route).
  document.querySelector('.skip')?.addEventListener('click', (e) => {
    e.preventDefault();
    $('main').focus();
  });
  state.signIn = showSignIn;
  state.renew = renew;
  const res = await fetch('/console/config.json', { cache: 'no-store' }).catch(() => undefined);
  state.config = res?.ok ? ((await res.json().catch(() => undefined)) as ConsoleConfig) : undefined;
  if (!state.config) {
    show(m().appName, h('p', { class: 'notice', role: 'alert' }, m().noConfig));
    return;
  }
  if (await finishHostedUi()) return;
  state.session ??= readSession(sessionStorage);
  if (state.session && state.session.expiresAt <= Date.now() && !(await renew())) {
    return showSignIn(m().sessionEnded);
  }
  if (state.session) await loadCommon();
  window.addEventListener('hashchange', route);
  route();
  announce('');
}

void boot();
