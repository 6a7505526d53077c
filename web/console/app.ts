/**
 * The console's shared state and page shell: the signed-in session, the server's capabilities,
 * the area list, and how a screen is shown (one `<h1>` that takes focus), announced and left.
 */
import { Api, type ApiResponse, type CallOptions } from '../shared/api.ts';
import { h } from '../shared/dom.ts';
import type { ConsoleConfig, Session } from './auth.ts';
import type { Capabilities } from './capabilities.ts';
import { CATALOGUE, type Messages } from './i18n.ts';

export interface Area {
  id: string;
  name: string;
  kind: 'technical' | 'soft';
  questionCount: number;
  timeHintSeconds?: number;
}

export const state = {
  config: undefined as ConsoleConfig | undefined,
  session: undefined as Session | undefined,
  caps: undefined as Capabilities | undefined,
  areas: [] as Area[],
  /** Bumped on every navigation: a screen still loading stops drawing when it changes. */
  generation: 0,
  /** Stopped when the screen changes (polling). */
  cleanups: [] as (() => void)[],
  /** Renews the session when the API says it expired (the hosted UI's refresh token). */
  renew: undefined as (() => Promise<boolean>) | undefined,
  /** Shows the sign-in screen with a message. */
  signIn: (() => undefined) as (message?: string) => void,
};

export const m = (): Messages => CATALOGUE.en;
export const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
export const api = new Api();

/** The API with the session's token; a 401 renews the session once, then asks to sign in. */
export async function call(
  method: string,
  path: string,
  opts: CallOptions = {},
): Promise<ApiResponse> {
  const send = () => api.call(method, path, { ...opts, token: state.session?.token });
  let res = await send();
  if (res.status === 401 && state.renew && (await state.renew())) res = await send();
  if (res.status === 401) state.signIn(m().sessionEnded);
  return res;
}

/** Every page of a listing (at most `maxPages` of 200). */
export async function callAll<T>(
  path: string,
  maxPages = 25,
): Promise<{ items: T[]; res: ApiResponse }> {
  const items: T[] = [];
  let cursor: string | null | undefined;
  let res: ApiResponse;
  let pages = 0;
  do {
    const sep = path.includes('?') ? '&' : '?';
    res = await call(
      'GET',
      `${path}${sep}limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    if (res.status !== 200) return { items, res };
    items.push(...(res.body.items as T[]));
    cursor = res.body.nextCursor;
  } while (cursor && ++pages < maxPages);
  return { items, res };
}

export function announce(text: string) {
  const region = $('status');
  // Clearing first makes a repeated message be announced again.
  region.textContent = '';
  setTimeout(() => {
    region.textContent = text;
  }, 50);
}

/** Stop the previous screen's timers; returns this screen's generation. */
export function leave(): number {
  for (const stop of state.cleanups.splice(0)) stop();
  return ++state.generation;
}

export const current = (generation: number) => generation === state.generation;

/** Replace the main content and move focus to its heading. */
export function show(title: string, ...content: (Node | string | null | false | undefined)[]) {
  document.title = `${title} — ${m().appName}`;
  const heading = h('h1', { tabindex: -1 }, title);
  const parts = content.filter(
    (c): c is Node | string => c !== null && c !== false && c !== undefined,
  );
  // A breadcrumb goes above the heading, where people look for the way back.
  const crumb =
    parts[0] instanceof HTMLElement && parts[0].classList.contains('breadcrumb')
      ? [parts.shift()!]
      : [];
  $('main').replaceChildren(...crumb, heading, ...parts);
  heading.focus();
}

/** What went wrong with a call, in words. */
export function problemText(res: ApiResponse): string {
  if (res.status === 0) return m().unreachable;
  if (res.status === 403) return m().forbidden;
  if (res.status === 404) return m().notFound;
  if (res.status === 429 || res.status >= 500) return m().busy;
  const detail = res.body?.detail;
  return typeof detail === 'string' ? detail : m().failed(res.status);
}

/**
 * Whether asking again can help: the service unreachable, busy or failing (0, 408, 429, 5xx).
 * A 404, a 403 or a refused request gives the same answer every time.
 */
export const canRetry = (status: number) =>
  status === 0 || status === 408 || status === 429 || status >= 500;

/**
 * A screen that could not load: Try again when that can help (`canRetry`), else the way back
 * (`back`: a link to the list the thing was in), since retrying what does not exist cannot.
 */
export function showProblem(
  title: string,
  res: ApiResponse,
  retry: () => void,
  back?: { href: string; text: string },
) {
  const next = canRetry(res.status)
    ? h('button', { type: 'button', onclick: retry }, m().tryAgain)
    : back && link(back.href, back.text);
  show(
    title,
    h('p', { class: 'notice', role: 'alert' }, problemText(res)),
    next && h('p', {}, next),
  );
}

/** A message next to a form or an action: replaces the previous one, announced. */
export function say(
  target: HTMLElement,
  text: string,
  kind: 'ok' | 'error' | 'info' = 'info',
): void {
  target.replaceChildren(text);
  target.dataset.kind = kind;
  target.hidden = !text;
}

export const areaName = (id: string) => state.areas.find((a) => a.id === id)?.name ?? id;

export const hasRole = (role: 'author' | 'employer') =>
  state.session?.roles.includes(role) ?? false;

/** A link inside the console (hash routes). */
export const link = (href: string, text: string, attrs: Record<string, string> = {}) =>
  h('a', { href: `#${href}`, ...attrs }, text);

/** Poll `tick` every `ms` while the screen stays and the page is visible. */
export function poll(ms: number, tick: () => Promise<void>) {
  let busy = false;
  const timer = setInterval(() => {
    if (busy || document.hidden) return;
    busy = true;
    void tick().finally(() => {
      busy = false;
    });
  }, ms);
  state.cleanups.push(() => clearInterval(timer));
}
