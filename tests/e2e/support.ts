/**
 * Browser tests of the candidate app: the real local gateway and DynamoDB Local (as the
 * integration tests use them), the app built by `web/build.ts` into a temporary folder, and
 * Debian's Chromium driven by playwright-core. One browser per test file; each test opens its
 * own context (a fresh profile: no storage, no cache).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, onTestFinished } from 'vitest';
import { clock } from '../../functions/domain/clock.ts';
import {
  QUESTION_TYPES,
  type QuestionTypeId,
} from '../../functions/domain/question-types/registry.ts';
import { buildWeb } from '../../web/build.ts';
import { type TestApi, useTestApi } from '../integration/support.ts';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);

if (!hasChromium) {
  if (process.env.CI) {
    throw new Error(
      `Browser tests need Chromium at ${CHROMIUM} in CI (.ci/run installs it with apt).`,
    );
  }
  console.warn(
    `Browser tests skipped: no Chromium at ${CHROMIUM}. Install it with "apt-get install chromium" (or set CHROMIUM_PATH).`,
  );
}

/** `describe`, run only where Chromium exists (never skipped in CI: see above). */
export const describeInBrowser = describe.skipIf(!hasChromium);

export const BROWSER_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface BrowserApp {
  api: TestApi;
  browser: Browser;
  /** A new context (fresh profile) and page; closed after the file. */
  open(options?: {
    viewport?: { width: number; height: number };
    locale?: string;
    /** A touch screen: `tap()` works, and the page sees touch and pointer events. */
    hasTouch?: boolean;
  }): Promise<{
    context: BrowserContext;
    page: Page;
  }>;
}

/** The stack, the built app and one browser for this file (`streams`: as useTestApi's). */
export function useBrowserApp(opts: { streams?: boolean } = {}): BrowserApp {
  const api = useTestApi(opts);
  const app = { api } as BrowserApp;
  const pageErrors: string[] = [];
  let dist: string | undefined;
  beforeAll(async () => {
    if (!hasChromium) return;
    dist = mkdtempSync(join(tmpdir(), 'assay-web-'));
    await buildWeb(dist);
    process.env.WEB_DIST_DIR = dist;
    app.browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: BROWSER_ARGS,
      timeout: 30_000,
    });
  }, 60_000);
  afterAll(async () => {
    await app.browser?.close();
    expect(pageErrors, 'uncaught errors in the page').toEqual([]);
    if (dist) rmSync(dist, { recursive: true, force: true });
  }, 30_000);
  app.open = async (options = {}) => {
    const context = await app.browser.newContext({
      viewport: options.viewport ?? { width: 1000, height: 900 },
      locale: options.locale ?? 'en-GB',
      timezoneId: 'Europe/London',
      hasTouch: options.hasTouch ?? false,
    });
    // Actions wait for a browser that shares two cores with the rest of the suite.
    context.setDefaultTimeout(20_000);
    // Closed when the test that opened it ends: an open page keeps its timers (the countdown
    // repaints four times a second) and costs Chromium CPU until the file ends. A context
    // opened outside a test (in a beforeAll) lives until the file's browser closes.
    try {
      onTestFinished(() => context.close());
    } catch {
      // not inside a test
    }
    const page = await context.newPage();
    page.on('pageerror', (err) => pageErrors.push(err.message));
    return { context, page };
  };
  return app;
}

const fence = '```';

type Authored = { area: string; difficulty: number; prompt: string } & Record<string, unknown>;

const OPTIONS = ['alpha', 'bravo', 'charlie', 'delta'].map((w, i) => ({
  id: 'abcd'[i]!,
  text: i === 0 ? `Use \`${w}()\` first` : `Option ${w}`,
}));

/**
 * One question of every type of the registry (a type missing here does not compile), in
 * markdown: code spans, fenced code, lists, and `<pod>`. Security, but for the SJT.
 */
const BY_TYPE: Record<QuestionTypeId, Authored> = {
  single: {
    area: 'security',
    difficulty: 1,
    prompt: `Which call does this code make first?\n\n${fence}js\nconst token = await alpha();\nawait bravo(token);\n${fence}\n\nRun \`kubectl logs <pod>\` if unsure.`,
    options: OPTIONS,
    answer: 'a',
  },
  multi: {
    area: 'security',
    difficulty: 2,
    prompt: 'Which of these are **safe** defaults?\n\n- deny by default\n- least privilege',
    options: OPTIONS,
    answer: ['a', 'c'],
  },
  order: {
    area: 'security',
    difficulty: 2,
    prompt: 'Order these steps of a `TLS` handshake, first at the top.',
    options: [
      { id: 'a', text: '`ClientHello`' },
      { id: 'b', text: '`ServerHello`' },
      { id: 'c', text: 'Key exchange' },
      { id: 'd', text: '`Finished`' },
    ],
    answer: ['a', 'b', 'c', 'd'],
  },
  numeric: {
    area: 'security',
    difficulty: 1,
    prompt: 'How many bits does `SHA-256` output?',
    answer: { value: 256, tolerance: 0, unit: 'bits' },
  },
  text: {
    area: 'security',
    difficulty: 3,
    prompt: 'Name the header that carries a bearer token (one word).',
    answer: ['authorization'],
  },
  sjt: {
    area: 'collaboration',
    difficulty: 2,
    prompt: 'A reviewer blocks your change without a reason. What do you do?',
    options: [
      { id: 'a', text: 'Ask them what they need to see' },
      { id: 'b', text: 'Merge it anyway' },
      { id: 'c', text: 'Complain to the team' },
      { id: 'd', text: 'Wait silently' },
    ],
    answer: { weights: { a: 1, b: 0, c: 0.25, d: 0.25 } },
  },
  matching: {
    area: 'security',
    difficulty: 2,
    prompt: 'Match each attack with the **first** defence against it.',
    answer: {
      pairs: [
        { left: 'SQL injection', right: 'Parameterised queries' },
        { left: 'Cross-site scripting (`<script>` in a comment)', right: 'Output encoding' },
        { left: 'Cross-site request forgery', right: '`SameSite` cookies' },
      ],
    },
  },
  'missing-word': {
    area: 'security',
    difficulty: 1,
    prompt: 'Store passwords with a slow, salted {blank} such as `argon2id`, never encrypted.',
    options: [
      { id: 'a', text: 'hash' },
      { id: 'b', text: 'cipher' },
      { id: 'c', text: '`base64` encoding' },
    ],
    answer: 'a',
  },
};

const question = (prefix: string, type: QuestionTypeId) => ({
  id: `${prefix}-${type}`,
  type,
  ...BY_TYPE[type],
  explanation: 'Because the key is what the documentation says it is.',
  tags: ['e2e'],
});

/** The bank options of the every-type bank's question of this type (the API shows them by handle). */
export const bankOptionsOf = (type: string): readonly { id: string; text: string }[] =>
  (BY_TYPE[type as QuestionTypeId] as { options?: { id: string; text: string }[] }).options ?? [];

/** A bank with one question of every type of the registry, in the registry's order. */
export function everyTypeBank(prefix: string) {
  return {
    bank: { id: `${prefix}-bank`, title: 'E2E bank' },
    questions: QUESTION_TYPES.map((t) => question(prefix, t)),
  };
}

/** The console's bank: 5 security questions (single to text) and 1 collaboration (SJT). */
export function markdownBank(prefix: string) {
  const six = new Set<string>(['single', 'multi', 'order', 'numeric', 'text', 'sjt']);
  const bank = everyTypeBank(prefix);
  return { ...bank, questions: bank.questions.filter((q) => six.has(q.type)) };
}

/** Questions in an assessment over the every-type bank: one of each type. */
export const QUESTION_COUNT = QUESTION_TYPES.length;

/** Its sections: every question of the bank, by area. */
export const SECTIONS = Object.entries(
  Object.groupBy(QUESTION_TYPES, (t) => BY_TYPE[t].area) as Record<string, QuestionTypeId[]>,
).map(([area, types]) => ({ area, count: types.length }));

export interface Assessment {
  id: string;
  employer: string;
}

/** Puts the server's clock back after each test of the file that moved it (`clock.now`). */
export function restoreClockAfterEach(): void {
  const realNow = clock.now;
  afterEach(() => {
    clock.now = realNow;
  });
}

/** A six-minute assessment whose candidates see no result: the time-up cases' own. */
export const sixMinuteAssessment = (api: TestApi, prefix: string, title: string) =>
  createAssessment(api, prefix, { title, timeLimitMinutes: 6, showResultToCandidate: false });

/**
 * This file's two assessments, made before its tests: one over the every-type bank (30
 * minutes) and a six-minute one for the time-up cases. Puts the server's clock back after each
 * test that moved it.
 */
export function useAssessments(app: BrowserApp, prefix: string, sixMinuteTitle: string) {
  const made = {} as { assessment: Assessment; sixMinutes: Assessment };
  restoreClockAfterEach();
  beforeAll(async () => {
    if (!app.browser) return;
    made.assessment = await createAssessment(app.api, prefix);
    made.sixMinutes = await sixMinuteAssessment(app.api, `${prefix}6`, sixMinuteTitle);
  }, 60_000);
  return made;
}

/** An assessment over the every-type bank: every question, one section per area. */
export async function createAssessment(
  api: TestApi,
  prefix: string,
  over: Record<string, unknown> = {},
): Promise<Assessment> {
  const org = `org-${prefix}`;
  const author = await api.token('author', org);
  const employer = await api.token('employer', org);
  const up = await api.request('POST', '/v1/banks', {
    token: author,
    body: everyTypeBank(prefix),
  });
  expect(up.status).toBe(201);
  const res = await api.request('POST', '/v1/assessments', {
    token: employer,
    body: {
      title: 'Backend screen',
      timeLimitMinutes: 30,
      sections: SECTIONS,
      showResultToCandidate: true,
      ...over,
    },
  });
  expect(res.status).toBe(201);
  return { id: res.body.assessmentId, employer };
}

/** A new invitation's link token. */
export async function invite(
  api: TestApi,
  a: Assessment,
  candidate: Record<string, unknown> = {},
): Promise<{ invitationId: string; token: string }> {
  const res = await api.request('POST', `/v1/assessments/${a.id}/invitations`, {
    token: a.employer,
    body: {
      candidates: [{ name: 'Grace Hopper', ...candidate }],
      expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
    },
  });
  expect(res.status).toBe(201);
  return res.body.invitations[0];
}

export const takeUrl = (api: TestApi, token: string) => `${api.base}/take#${token}`;

/** A time as the app shows it to the tests' browsers (Europe/London, `timeStyle: medium`). */
export const shownTime = (at: number, locale = 'en-GB') =>
  new Intl.DateTimeFormat(locale, { timeStyle: 'medium', timeZone: 'Europe/London' }).format(at);

/** axe-core on the page as it is: no serious or critical violation (WCAG 2.2 A and AA). */
export async function expectAccessible(page: Page, screen: string) {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
    .analyze();
  const serious = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join('; ')})`);
  expect(serious, `axe-core on the ${screen} screen`).toEqual([]);
}

/** Write a screenshot for docs/candidate-app.md when SCREENSHOT_DIR is set. */
export async function capture(page: Page, name: string) {
  const dir = process.env.SCREENSHOT_DIR;
  if (!dir) return;
  await mkdir(dir, { recursive: true });
  await page.evaluate('window.scrollTo(0, 0)');
  await writeFile(join(dir, `${name}.png`), await page.screenshot({ fullPage: true }));
}

/** Answer the question on screen, whatever its type, and wait for "saved". */
export async function answerCurrentQuestion(page: Page) {
  const type = await page.locator('section.question').getAttribute('data-type');
  if (type === 'order') await page.getByRole('button', { name: 'Keep this order' }).click();
  else if (type === 'matching') {
    const selects = page.locator('.matching select');
    for (let i = 0; i < (await selects.count()); i++)
      await selects.nth(i).selectOption({ index: i + 1 });
  } else if (type === 'numeric') await page.getByLabel('Your answer (a number)').fill('256');
  else if (type === 'text')
    await page.getByLabel('Your answer', { exact: true }).fill('authorization');
  else await page.locator('.choices input').first().check();
  if (type === 'numeric' || type === 'text') await page.keyboard.press('Enter');
  await expect.poll(() => page.locator('.save-status').innerText()).toMatch(/^Saved at /);
  return type!;
}

/** Pick an answer on the question shown, whatever its type, without waiting for it to be saved. */
export async function chooseAnswer(page: Page) {
  const type = await page.locator('section.question').getAttribute('data-type');
  if (type === 'order') await page.getByRole('button', { name: 'Keep this order' }).click();
  else if (type === 'matching')
    await page.locator('.matching select').first().selectOption({ index: 1 });
  else if (type === 'numeric' || type === 'text') {
    await page.locator('.typed input').fill('1');
    await page.keyboard.press('Enter');
  } else await page.locator('.choices input').first().click();
}

/**
 * A candidate follows an invitation link (from the console, or from a captured email) in the
 * candidate app: Start, answer every question, Submit, and see the final screen. `page` is a
 * fresh page of its own (a candidate's browser).
 */
export async function completeViaLink(page: Page, link: string) {
  await page.goto(link);
  await page.getByRole('button', { name: /^(Start|Начать)$/ }).waitFor();
  // An invitation in Russian: read it in English (the header button switches the language).
  const english = page.getByRole('button', { name: 'English' });
  if (await english.isVisible()) await english.click();
  await page.getByRole('button', { name: 'Start' }).click();
  const heading = page.getByRole('heading', { name: /^Question 1 of \d+$/ });
  await heading.waitFor();
  const total = Number(/of (\d+)/.exec(await heading.innerText())![1]);
  for (let i = 1; i <= total; i++) {
    await page.getByRole('heading', { name: `Question ${i} of ${total}` }).waitFor();
    await answerCurrentQuestion(page);
    await page.getByRole('button', { name: 'Next', exact: true }).click();
  }
  await page.getByRole('heading', { name: 'Review your answers' }).waitFor();
  await page.getByRole('button', { name: 'Submit' }).click();
  await page.getByRole('heading', { name: 'Your answers were submitted' }).waitFor();
}

/** A fresh browser context on the invitation's intro, once its button (Start...) shows. */
export async function openInvitation(
  app: BrowserApp,
  token: string,
  button = 'Start',
  options: Parameters<BrowserApp['open']>[0] = {},
) {
  const { context, page } = await app.open(options);
  await page.goto(takeUrl(app.api, token));
  await page.getByRole('button', { name: button }).waitFor();
  return { context, page };
}

/** A fresh context that has pressed Start and shows the first question. */
export async function startInvitation(
  app: BrowserApp,
  token: string,
  options: Parameters<BrowserApp['open']>[0] = {},
) {
  const opened = await openInvitation(app, token, 'Start', options);
  await opened.page.getByRole('button', { name: 'Start' }).click();
  await opened.page.getByRole('heading', { name: `Question 1 of ${QUESTION_COUNT}` }).waitFor();
  return opened;
}

/** Go to the first question of this type with the navigator; its number. */
export async function goToType(page: Page, type: string) {
  for (let i = 1; i <= QUESTION_COUNT; i++) {
    await page.getByRole('button', { name: new RegExp(`^Question ${i}:`) }).click();
    await page.getByRole('heading', { name: `Question ${i} of ${QUESTION_COUNT}` }).waitFor();
    if ((await page.locator('section.question').getAttribute('data-type')) === type) return i;
  }
  throw new Error(`No ${type} question in this attempt`);
}

/** The attempt this tab holds (sessionStorage, per tab): its id and token. */
export async function attemptSession(page: Page) {
  return page.evaluate(() => {
    const key = Object.keys(sessionStorage).find((k) => k.startsWith('assay.take.'))!;
    return JSON.parse(sessionStorage.getItem(key)!) as { attemptId: string; attemptToken: string };
  });
}

/** The attempt as the server has it, read with the token `page` holds. */
export async function serverView(api: TestApi, page: Page) {
  const s = await attemptSession(page);
  const res = await api.request('GET', `/v1/attempts/${s.attemptId}`, { token: s.attemptToken });
  expect(res.status).toBe(200);
  return res.body as {
    status: string;
    answers: Record<string, unknown>;
    revisions: Record<string, { revision: number }>;
    questions: { questionId: string; type: string; options?: { id: string }[] }[];
  };
}

/**
 * A new attempt of `assessment` started in a page on Playwright's clock (installed at the real
 * time, so the page's and the server's clocks agree until a test moves them), shown at its first
 * question; with the attempt's session and the server's deadline.
 */
export async function startOnPageClock(app: BrowserApp, assessment: Assessment) {
  const inv = await invite(app.api, assessment);
  const { page } = await app.open();
  await page.clock.install({ time: new Date() });
  await page.goto(takeUrl(app.api, inv.token));
  await page.getByRole('button', { name: 'Start' }).click();
  await page.getByRole('heading', { name: `Question 1 of ${QUESTION_COUNT}` }).waitFor();
  const session = await attemptSession(page);
  const view = await app.api.request('GET', `/v1/attempts/${session.attemptId}`, {
    token: session.attemptToken,
  });
  expect(view.status).toBe(200);
  return { page, session, deadline: Date.parse(view.body.deadline) };
}

/**
 * Holds every request of the page to `url` (or only the first `count`) until `release()` is
 * called; `arrived` resolves at the first. A request the browser cancelled meanwhile (its page
 * reloaded) is let go.
 */
export async function holdRequests(
  page: Page,
  url: string,
  count = Number.POSITIVE_INFINITY,
): Promise<{ release: () => void; arrived: Promise<void> }> {
  let release!: () => void;
  const held = new Promise<void>((r) => {
    release = r;
  });
  let arrive!: () => void;
  const arrived = new Promise<void>((r) => {
    arrive = r;
  });
  let seen = 0;
  await page.route(url, async (route) => {
    if (seen++ >= count) return route.continue();
    arrive();
    await held;
    await route.continue().catch(() => undefined);
  });
  return { release, arrived };
}

/** Holds every submit of the page until `release()` is called (the time-up screen stays up). */
export const holdSubmits = async (page: Page) =>
  (await holdRequests(page, '**/v1/attempts/*/submit')).release;

/** No horizontal scrolling: content reflows to the viewport's width. */
export async function expectReflow(page: Page, screen: string) {
  const overflow = await page.evaluate(
    'document.documentElement.scrollWidth - document.documentElement.clientWidth',
  );
  expect(overflow, `horizontal overflow (px) on the ${screen} screen`).toBeLessThanOrEqual(0);
}

/** Seconds left on the countdown ("29:58" or "1:29:58"). */
export async function secondsLeft(page: Page): Promise<number> {
  const text = await page.locator('#countdown').innerText();
  return text
    .split(':')
    .map(Number)
    .reduce((t, n) => t * 60 + n, 0);
}
