/**
 * "Answers are saved as they go and never lost": answers chosen and not yet saved survive a
 * reload and a closed page (kept in localStorage under the attempt, sent before the question
 * is shown, never over an answer saved later elsewhere); the final screen after a time-up
 * whose submit failed says what the server will really do; and nothing is sent once the final
 * screen is shown.
 */
import type { BrowserContext, Page, Request } from 'playwright-core';
import { expect, it } from 'vitest';
import { clock } from '../../functions/domain/clock.ts';
import { sweep } from '../../functions/jobs/sweeper.ts';
import { CATALOGUE } from '../../web/candidate/i18n.ts';
import {
  type Assessment,
  answerCurrentQuestion,
  attemptSession,
  chooseAnswer,
  createAssessment,
  describeInBrowser,
  goToType,
  holdRequests,
  invite,
  QUESTION_COUNT as N,
  secondsLeft,
  serverView as serverViewOf,
  shownTime,
  startInvitation,
  startOnPageClock,
  takeUrl,
  useAssessments,
  useBrowserApp,
} from './support.ts';

const app = useBrowserApp();
const made = useAssessments(app, 'kept', 'Six minutes kept');

const T = 90_000;

const serverView = (page: Page) => serverViewOf(app.api, page);

/** The question shown, its handle (`q3`) and the handle of its first option. */
async function shownQuestion(page: Page) {
  const questionId = (await page.locator('.save-status').getAttribute('data-status-for'))!;
  const first = (await page.locator('.choices input').first().getAttribute('value'))!;
  return { questionId, first };
}

/** The answer is on the server, and the page shows it chosen, "Saved at". */
async function expectKept(page: Page, questionId: string, value: string) {
  await expect
    .poll(async () => (await serverView(page)).answers[questionId], { timeout: 20_000 })
    .toBe(value);
  await goToType(page, 'single');
  await expect
    .poll(() => page.locator('.save-status').innerText(), { timeout: 20_000 })
    .toMatch(/^Saved at /);
  expect(await page.locator(`.choices input[value="${value}"]`).isChecked()).toBe(true);
}

/** The link opened again in a new tab of the same browser (the same localStorage), continued. */
async function reopen(context: BrowserContext, token: string) {
  const page = await context.newPage();
  await page.goto(takeUrl(app.api, token));
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('heading', { name: `Question 1 of ${N}` }).waitFor();
  return page;
}

/** The kept-answer records in the browser (the app's localStorage), read from a page of the app. */
async function keptRecords(page: Page) {
  // A new tab: open the app without a link first (it keeps nothing for no link).
  if (page.url() === 'about:blank') await page.goto(`${app.api.base}/take#`);
  return page.evaluate(() =>
    Object.keys(localStorage).filter((k) => k.startsWith('assay.unsent.')),
  );
}

/**
 * A new attempt at its single-choice question, whose first option is chosen and not saved:
 * the browser is offline, or every save of this page fails.
 */
async function chosenNotSaved(how: 'offline' | 'failing') {
  const inv = await invite(app.api, made.assessment);
  const { context, page } = await startInvitation(app, inv.token);
  const n = await goToType(page, 'single');
  const shown = await shownQuestion(page);
  const session = await attemptSession(page);
  if (how === 'offline') await context.setOffline(true);
  else await page.route('**/v1/attempts/*/answers/*', (route) => route.abort('connectionreset'));
  await chooseAnswer(page);
  await expect.poll(() => page.locator('.save-status').innerText()).toMatch(/^Not saved/);
  return { token: inv.token, context, page, n, session, ...shown };
}

describeInBrowser('answers kept when the page goes away', () => {
  it(
    'sends an answer whose save was held when the page is reloaded, and shows it saved',
    async () => {
      // Found from outside: the queue lived in memory; a save the network held (keepalive or
      // not) was gone with the page, and the reloaded page showed the question unanswered.
      const inv = await invite(app.api, made.assessment);
      const { page } = await startInvitation(app, inv.token);
      await goToType(page, 'single');
      const { questionId, first } = await shownQuestion(page);
      // Only the first save is held (never let go in this test); the reloaded page's goes through.
      const { release, arrived } = await holdRequests(page, '**/v1/attempts/*/answers/*', 1);
      await chooseAnswer(page);
      await arrived;

      await page.reload();
      await page.getByRole('heading', { name: /^Question \d+ of / }).waitFor();

      await expectKept(page, questionId, first);
      expect(await keptRecords(page)).toEqual([]);
      release();
    },
    T,
  );

  it(
    'sends an answer chosen offline when the closed page is opened again and continued, before the question',
    async () => {
      const { token, context, page, questionId, first, session } = await chosenNotSaved('offline');
      // The token is never stored beside the answers: only this tab's sessionStorage has it.
      const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }));
      expect(stored).toContain(questionId);
      expect(stored).not.toContain(session.attemptToken);

      await page.close({ runBeforeUnload: false });
      await context.setOffline(false);
      const again = await context.newPage();
      const { release, arrived } = await holdRequests(again, '**/v1/attempts/*/answers/*');
      await again.goto(takeUrl(app.api, token));
      await again.getByRole('button', { name: 'Continue' }).click();
      await arrived;
      // Sent before the question is shown: the page says so, and waits for it.
      const whileSending = await again.locator('main').innerText();
      release();
      await again.getByRole('heading', { name: `Question 1 of ${N}` }).waitFor();

      expect(whileSending).toContain(CATALOGUE.en.sendingKept(1));
      expect(whileSending).not.toMatch(/Question \d+ of/);
      await expectKept(again, questionId, first);
    },
    T,
  );

  it(
    'sends an answer the first tab could not, when the link is continued in a second tab',
    async () => {
      // The first tab's token is replaced by the second's start: it can never send its answer.
      const { token, context, questionId, first } = await chosenNotSaved('failing');

      const second = await reopen(context, token);

      await expectKept(second, questionId, first);
    },
    T,
  );

  it(
    'keeps an answer saved later in another window over the kept one, and says so plainly',
    async () => {
      const { token, context, page, n, session, questionId, first } =
        await chosenNotSaved('offline');
      await page.close({ runBeforeUnload: false });
      await context.setOffline(false);
      // Meanwhile another window (another device, say) saves a different answer.
      const view = await app.api.request('GET', `/v1/attempts/${session.attemptId}`, {
        token: session.attemptToken,
      });
      const other = view.body.questions
        .find((q: { questionId: string }) => q.questionId === questionId)
        .options.find((o: { id: string }) => o.id !== first).id as string;
      const theirs = await app.api.request(
        'PUT',
        `/v1/attempts/${session.attemptId}/answers/${questionId}`,
        { token: session.attemptToken, body: { answer: other } },
      );
      expect(theirs.status).toBe(200);

      const again = await reopen(context, token);

      expect(await again.locator('#kept-replaced').innerText()).toBe(
        CATALOGUE.en.keptReplaced([n]),
      );
      expect((await serverView(again)).answers[questionId]).toBe(other);
      await goToType(again, 'single');
      expect(await again.locator(`.choices input[value="${other}"]`).isChecked()).toBe(true);
      expect(await again.locator('.save-status').innerText()).toBe(CATALOGUE.en.changedElsewhere);
    },
    T,
  );
  it(
    'forgets the kept answers when the link, opened again, is gone (the attempt was finished meanwhile)',
    async () => {
      const { token, context, page, session } = await chosenNotSaved('offline');
      await page.close({ runBeforeUnload: false });
      await context.setOffline(false);
      const submitted = await app.api.request('POST', `/v1/attempts/${session.attemptId}/submit`, {
        token: session.attemptToken,
      });
      expect(submitted.status).toBe(200);
      const again = await context.newPage();
      const keptBefore = await keptRecords(again);

      await again.goto(takeUrl(app.api, token));
      await again.getByRole('heading', { name: 'This assessment cannot be opened' }).waitFor();

      expect(keptBefore).toHaveLength(1);
      expect(await keptRecords(again)).toEqual([]);
    },
    T,
  );
});

describeInBrowser('the end of an attempt', () => {
  /** Every request the page makes from now on. */
  function requestsOf(page: Page) {
    const seen: string[] = [];
    const on = (r: Request) => seen.push(`${r.method()} ${new URL(r.url()).pathname}`);
    page.on('request', on);
    return seen;
  }

  /** An attempt on the page's clock whose first answer is chosen and every save of it fails. */
  async function retryingOnPageClock(assessment: Assessment) {
    const started = await startOnPageClock(app, assessment);
    const { page } = started;
    await page.route('**/v1/attempts/*/answers/*', (route) => route.abort('connectionreset'));
    await chooseAnswer(page);
    await expect.poll(() => page.locator('.save-status').innerText()).toBe('Not saved — retrying.');
    return started;
  }

  /** What the page asks for during two more minutes of its clock. */
  async function requestsInTwoMinutes(page: Page) {
    const after = requestsOf(page);
    await page.clock.fastForward('02:00');
    await page.evaluate(() => new Promise((r) => setTimeout(r, 0)));
    return after;
  }

  it(
    'says the saved answers are kept and will be graded when the time-up submit fails, and the sweeper grades them',
    async () => {
      // Found from outside: a 503 to the time-up submit still said "Your saved answers have been
      // submitted". The attempt stays active until its grace period ends, then the sweeper
      // finalises it (expired) with the answers saved: that is what the screen must say.
      const { page, session, deadline } = await startOnPageClock(app, made.sixMinutes);
      await goToType(page, 'single');
      const { questionId, first } = await shownQuestion(page);
      await chooseAnswer(page);
      await expectKept(page, questionId, first);
      await page.route('**/v1/attempts/*/submit', (route) =>
        route.fulfill({
          status: 503,
          headers: { 'retry-after': '1' },
          contentType: 'application/problem+json',
          body: JSON.stringify({ status: 503, code: 'unavailable', detail: 'Try again shortly.' }),
        }),
      );
      clock.now = () => new Date(deadline + 2000);

      await page.clock.fastForward('06:02');
      await page.getByRole('heading', { name: 'Time is up' }).waitFor();
      const final = await page.locator('main').innerText();

      expect(final).toContain(CATALOGUE.en.timeUpKept(shownTime(deadline)));
      expect(final).not.toContain('have been submitted');
      // What the screen promises: after the grace period the sweeper finalises it, graded.
      const after = new Date(deadline + 60_000);
      clock.now = () => after;
      await sweep(after);
      const result = await app.api.request('GET', `/v1/attempts/${session.attemptId}`, {
        token: session.attemptToken,
      });
      expect(result.body.status).toBe('expired');
      expect(result.body.answers[questionId]).toBe(first);
    },
    T,
  );

  it(
    'says it in Russian for a Russian invitation',
    async () => {
      const inv = await invite(app.api, made.sixMinutes, { locale: 'ru' });
      const { page } = await app.open({ locale: 'ru-RU' });
      await page.clock.install({ time: new Date() });
      await page.goto(takeUrl(app.api, inv.token));
      await page.getByRole('button', { name: CATALOGUE.ru.start }).click();
      await page.getByRole('heading', { name: CATALOGUE.ru.questionOf(1, N) }).waitFor();
      const session = await attemptSession(page);
      const view = await app.api.request('GET', `/v1/attempts/${session.attemptId}`, {
        token: session.attemptToken,
      });
      const deadline = Date.parse(view.body.deadline);
      await page.route('**/v1/attempts/*/submit', (route) => route.abort('connectionreset'));
      clock.now = () => new Date(deadline + 2000);

      await page.clock.fastForward('06:02');
      await page.getByRole('heading', { name: CATALOGUE.ru.timeUpHeading }).waitFor();

      const time = shownTime(deadline, 'ru-RU');
      const final = await page.locator('main').innerText();
      expect(final).toContain(CATALOGUE.ru.timeUpKept(time));
      expect(final).not.toContain('отправлены.');
    },
    T,
  );

  it(
    'counts an answer the server refused because its time was up (sent when the connection came back during the time-up wait) as not saved',
    async () => {
      // Found from outside: offline at the deadline, the connection back during the time-up
      // wait; the answer then reached the server after the grace period (409 time-is-up), the
      // queue dropped it, and the final screen said only "Your saved answers have been submitted".
      const { page, deadline } = await startOnPageClock(app, made.sixMinutes);
      const context = page.context();
      await context.setOffline(true);
      await chooseAnswer(page);
      await expect.poll(() => page.locator('.save-status').innerText()).toMatch(/^Not saved/);
      const refused: number[] = [];
      page.on('response', (r) => {
        if (r.request().method() === 'PUT') refused.push(r.status());
      });
      clock.now = () => new Date(deadline + 60_000);

      await page.clock.fastForward('06:02');
      await page.getByText('Time is up. Your saved answers are being submitted…').waitFor();
      await context.setOffline(false);
      await page.getByRole('heading', { name: 'Time is up' }).waitFor();

      expect(refused).toEqual([409]);
      expect(await page.locator('main').innerText()).toContain(CATALOGUE.en.timeUpUnsaved(1));
    },
    T,
  );

  it(
    'keeps sending an answer waiting at time-up for the whole grace period the server gives, not 10 s',
    async () => {
      // Found from outside: with a two-minute grace period, an answer offline at the deadline
      // was given up after 10 s ("not saved, so not submitted") though the server would take it
      // for two minutes more.
      const graceful = await createAssessment(app.api, 'kept-grace', {
        title: 'Six minutes, two of grace',
        timeLimitMinutes: 6,
        gracePeriodSeconds: 120,
        showResultToCandidate: false,
      });
      const { page, session, deadline } = await startOnPageClock(app, graceful);
      await goToType(page, 'single');
      const { questionId, first } = await shownQuestion(page);
      await page.context().setOffline(true);
      await chooseAnswer(page);
      await expect.poll(() => page.locator('.save-status').innerText()).toMatch(/^Not saved/);
      clock.now = () => new Date(deadline + 40_000);

      await page.clock.fastForward('06:02');
      await page.getByText('Time is up. Your saved answers are being submitted…').waitFor();
      // Read without waiting for it (an older page never shows it).
      const waiting = await page.evaluate(
        "document.getElementById('time-up-waiting')?.textContent ?? null",
      );
      await page.clock.fastForward('00:30');
      const after30s = await page.locator('main h1').count();
      await page.context().setOffline(false);
      await page.getByRole('heading', { name: 'Time is up' }).waitFor();

      const until = shownTime(deadline + 120_000);
      const final = await page.locator('main').innerText();
      const result = await app.api.request('GET', `/v1/attempts/${session.attemptId}`, {
        token: session.attemptToken,
      });
      expect(result.body.answers[questionId]).toBe(first);
      expect(after30s).toBe(0);
      expect(final).toContain('Your saved answers have been submitted.');
      expect(final).not.toContain('could not be saved');
      expect(waiting).toBe(CATALOGUE.en.timeUpWaiting(1, until));
    },
    T,
  );

  it(
    'says an attempt submitted from another window is finished, not that time is up, and counts the choice made here',
    async () => {
      // Found from outside: a duplicated tab (the same token) submitted; the next choice here
      // met 409 already-submitted and the page said "Time is up. Time ran out at <the deadline,
      // 29 minutes away>", and nothing of the choice just made.
      const inv = await invite(app.api, made.assessment);
      const { page } = await startInvitation(app, inv.token);
      const s = await attemptSession(page);
      const submitted = await app.api.request('POST', `/v1/attempts/${s.attemptId}/submit`, {
        token: s.attemptToken,
      });
      expect(submitted.status).toBe(200);

      await chooseAnswer(page);
      await expect.poll(() => page.locator('main h1').count(), { timeout: 20_000 }).toBe(1);

      expect(await page.locator('main h1').innerText()).toBe(CATALOGUE.en.submittedHeading);
      const final = await page.locator('main').innerText();
      expect(final).toContain(CATALOGUE.en.goneFinished);
      expect(final).toContain(CATALOGUE.en.submittedUnsaved(1));
      expect(final).not.toContain('Time ran out');
    },
    T,
  );

  it(
    'sends nothing after the time-up final screen, though a save was still retrying',
    async () => {
      // Found from outside: a save retrying at time-up went on after the final screen (its
      // back-off timer), to an attempt that could no longer take it.
      const { page, deadline } = await retryingOnPageClock(made.sixMinutes);
      const before = requestsOf(page);
      clock.now = () => new Date(deadline + 2000);

      await page.clock.fastForward('06:02');
      await page.getByText('Time is up. Your saved answers are being submitted…').waitFor();
      await page.clock.fastForward('00:10');
      await page.getByRole('heading', { name: 'Time is up' }).waitFor();
      const after = await requestsInTwoMinutes(page);

      expect(after).toEqual([]);
      expect(before.filter((r) => r.endsWith('/submit'))).toHaveLength(1);
      expect(await keptRecords(page)).toEqual([]);
    },
    T,
  );

  it(
    'sends nothing after Submit pressed again without an answer still retrying',
    async () => {
      const { page } = await retryingOnPageClock(made.assessment);
      await page.getByRole('button', { name: 'Review and submit' }).click();
      await page.getByRole('button', { name: 'Submit' }).click();
      await page.clock.fastForward('00:16');
      await expect
        .poll(() => page.locator('#submit-status').innerText())
        .toMatch(/^Not submitted yet/);
      await page.getByRole('button', { name: 'Submit' }).click();
      await page.clock.fastForward('00:16');
      await page.getByRole('heading', { name: 'Your answers were submitted' }).waitFor();

      expect(await requestsInTwoMinutes(page)).toEqual([]);
    },
    T,
  );
});

/**
 * The browser's "Duplicate tab": a second tab of `page`'s context with its sessionStorage (so
 * the same attempt token: nothing is rotated), opened on the link and shown a question.
 */
async function duplicate(context: BrowserContext, page: Page, token: string) {
  const storage = await page.evaluate(() => JSON.stringify(Object.entries(sessionStorage)));
  const second = await context.newPage();
  await second.addInitScript((entries: string) => {
    if (sessionStorage.length === 0)
      for (const [k, v] of JSON.parse(entries) as [string, string][]) sessionStorage.setItem(k, v);
  }, storage);
  await second.goto(takeUrl(app.api, token));
  await second.getByRole('heading', { name: /^Question \d+ of \d+$/ }).waitFor();
  return second;
}

describeInBrowser('a typed answer in its pause, and a duplicated tab', () => {
  it(
    'keeps a typed answer from the keystroke: a page that crashes within its pause loses nothing',
    async () => {
      // Found: a typed answer reached localStorage only once its one-second pause was over (or
      // on a normal close, by beforeunload); a crash in that second lost it.
      const inv = await invite(app.api, made.assessment);
      const { context, page } = await startInvitation(app, inv.token);
      await goToType(page, 'text');
      const questionId = (await page.locator('.save-status').getAttribute('data-status-for'))!;
      const session = await attemptSession(page);
      // Typed, and the record read in the same task: the pause cannot have ended.
      const kept = (await page.evaluate(`(() => {
        const input = document.querySelector('.typed input');
        input.value = 'bearer';
        input.dispatchEvent(new Event('input', { bubbles: true }));
        return localStorage.getItem('assay.unsent.${session.attemptId}') ?? '';
      })()`)) as string;
      const cdp = await context.newCDPSession(page);
      const crashed = page.waitForEvent('crash');
      void cdp.send('Page.crash').catch(() => undefined);
      await crashed;
      const ifMatch: string[] = [];
      context.on('request', (r) => {
        if (r.method() === 'PUT') ifMatch.push(r.headers()['if-match'] ?? '');
      });

      const again = await reopen(context, inv.token);

      expect(JSON.parse(kept || '{"entries":[]}').entries).toEqual([
        expect.objectContaining({ questionId, value: 'bearer', ifMatch: 0 }),
      ]);
      expect(kept).not.toContain(session.attemptToken);
      await expect
        .poll(async () => (await serverView(again)).answers[questionId], { timeout: 20_000 })
        .toBe('bearer');
      expect(ifMatch).toEqual(['"0"']);
      await goToType(again, 'text');
      expect(await again.locator('.typed input').inputValue()).toBe('bearer');
      expect(await keptRecords(again)).toEqual([]);
    },
    T,
  );

  it(
    "leaves a tab's waiting answers to it when the tab is duplicated: its newer choice is saved, and the duplicate is told plainly",
    async () => {
      // Found: the duplicate took over (and sent) what the first tab kept, an older choice of
      // the first tab's; the first tab's newer one then met 412 and was shown as "changed in
      // another window", undone, though no one else had changed anything.
      const inv = await invite(app.api, made.assessment);
      const { context, page: first } = await startInvitation(app, inv.token);
      await goToType(first, 'single');
      const { questionId } = await shownQuestion(first);
      const [a, b, c] = await first
        .locator('.choices input')
        .evaluateAll((els) => els.map((e) => e.getAttribute('value')!));
      // The first choice is held on the wire; the newer one waits behind it.
      const { release, arrived } = await holdRequests(first, '**/v1/attempts/*/answers/*', 1);
      await first.locator(`.choices input[value="${a}"]`).click();
      await arrived;
      await first.locator(`.choices input[value="${b}"]`).click();
      const said: string[] = [];
      await first.exposeFunction('said', (t: string) => said.push(t));
      // Every status the first tab shows (a redraw replaces the element).
      await first.evaluate(`new MutationObserver(() =>
        window.said(document.querySelector('.save-status')?.textContent ?? ''),
      ).observe(document.getElementById('main'), { childList: true, characterData: true, subtree: true })`);

      const second = await duplicate(context, first, inv.token);
      release();

      await expect
        .poll(() => first.locator('.save-status').innerText(), { timeout: 20_000 })
        .toMatch(/^Saved at /);
      const view = await serverView(first);
      expect(view.answers[questionId]).toBe(b);
      expect(view.revisions[questionId]!.revision).toBe(2);
      expect(said).not.toContain(CATALOGUE.en.changedElsewhere);
      expect(await first.locator(`.choices input[value="${b}"]`).isChecked()).toBe(true);
      // The duplicate still shows what it read; a choice there meets the first tab's answer:
      // it is shown, selected, and said plainly.
      await goToType(second, 'single');
      await second.locator(`.choices input[value="${c}"]`).click();
      await expect
        .poll(() => second.locator('.save-status').innerText())
        .toBe(CATALOGUE.en.changedElsewhere);
      expect(await second.locator(`.choices input[value="${b}"]`).isChecked()).toBe(true);
      expect((await serverView(second)).answers[questionId]).toBe(b);
    },
    T,
  );
});

/** The employer gives the attempt more time. */
async function extend(assessment: Assessment, attemptId: string, minutes: number) {
  const ext = await app.api.request('POST', `/v1/attempts/${attemptId}/extend`, {
    token: assessment.employer,
    body: { minutes, reason: 'Power cut' },
  });
  expect(ext.status).toBe(200);
  return Date.parse(ext.body.deadline);
}

describeInBrowser('more time given while the page is offline', () => {
  it(
    'learns the new deadline from the server as soon as the connection is back, and says it',
    async () => {
      // Found: nothing was sent when the connection came back (no answer waiting), so the
      // extension was found only by opening the link again; the countdown ran to the old end.
      const inv = await invite(app.api, made.assessment);
      const { context, page } = await startInvitation(app, inv.token);
      const session = await attemptSession(page);
      const before = await secondsLeft(page);
      await context.setOffline(true);
      const deadline = await extend(made.assessment, session.attemptId, 60);

      await context.setOffline(false);

      await expect
        .poll(() => secondsLeft(page), { timeout: 20_000 })
        .toBeGreaterThan(before + 59 * 60);
      await expect
        .poll(() => page.locator('#alert').innerText())
        .toBe(CATALOGUE.en.moreTime(shownTime(deadline)));
    },
    T,
  );

  it(
    'reopens an attempt whose time ran out offline when the connection comes back with more time, and submits nothing',
    async () => {
      // Found: at zero the time-up check failed (offline), so the page locked, submitted (and
      // failed), and said time was up and the answers would be graded: the extension granted
      // meanwhile was never learnt, and the candidate stopped with 10 minutes left.
      const { page, session } = await startOnPageClock(app, made.sixMinutes);
      await page.context().setOffline(true);
      const deadline = await extend(made.sixMinutes, session.attemptId, 10);
      await page.clock.fastForward('06:02');
      await page.getByText('Time is up. Your saved answers are being submitted…').waitFor();

      await page.context().setOffline(false);

      await expect
        .poll(() => page.locator('#alert').innerText(), { timeout: 20_000 })
        .toBe(CATALOGUE.en.moreTime(shownTime(deadline)));
      await page.getByRole('heading', { name: `Question 1 of ${N}` }).waitFor();
      expect(await page.locator('#time-up').count()).toBe(0);
      expect(await secondsLeft(page)).toBeGreaterThan(6 * 60);
      await answerCurrentQuestion(page);
      const view = await app.api.request('GET', `/v1/attempts/${session.attemptId}`, {
        token: session.attemptToken,
      });
      expect(view.body.status).toBe('active');
    },
    T,
  );
});

describeInBrowser('more time given while the server was failing', () => {
  it(
    'is learnt from the first request the server answers again, one that carries no deadline',
    async () => {
      // The path no other test took alone: a page events batch (which answers no deadline)
      // fails with 503 while the employer gives more time; its retry is answered, and that
      // answer after a failure makes the page ask for the attempt (CandidateApi in main.ts).
      // No save is sent (no answer is chosen), so nothing else could bring the new deadline.
      const inv = await invite(app.api, made.assessment);
      const { page } = await startInvitation(app, inv.token);
      const session = await attemptSession(page);
      const before = await secondsLeft(page);
      let failing = true;
      const sent = { failed: 0, answered: 0, attemptReads: 0 };
      await page.route('**/v1/attempts/*/events', (route) => {
        if (!failing) {
          sent.answered++;
          return route.continue();
        }
        sent.failed++;
        return route.fulfill({
          status: 503,
          headers: { 'retry-after': '1', 'content-type': 'application/problem+json' },
          body: JSON.stringify({ title: 'Service unavailable', status: 503 }),
        });
      });
      page.on('request', (r) => {
        if (r.method() === 'GET' && /\/v1\/attempts\/[^/]+$/.test(new URL(r.url()).pathname))
          sent.attemptReads++;
      });
      // A paste into an answer is recorded as a page event (its length only), sent in a batch.
      // (A script: the tests are compiled without the DOM's types.)
      const paste = () =>
        page.evaluate(`{
          const data = new DataTransfer();
          data.setData('text/plain', 'pasted');
          document
            .querySelector('[data-answer]')
            .dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true }));
        }`);
      await paste();
      await expect.poll(() => sent.failed, { timeout: 20_000 }).toBeGreaterThan(0);
      const deadline = await extend(made.assessment, session.attemptId, 60);
      // Still failing: the countdown cannot know yet.
      expect(await secondsLeft(page)).toBeLessThanOrEqual(before);
      const readsBefore = sent.attemptReads;

      failing = false;

      await expect.poll(() => sent.answered, { timeout: 30_000 }).toBeGreaterThan(0);
      await expect
        .poll(() => secondsLeft(page), { timeout: 20_000 })
        .toBeGreaterThan(before + 59 * 60);
      await expect
        .poll(() => page.locator('#alert').innerText())
        .toBe(CATALOGUE.en.moreTime(shownTime(deadline)));
      expect(sent.attemptReads).toBeGreaterThan(readsBefore);
    },
    T,
  );
});

describeInBrowser('a page that cannot be opened just now', () => {
  it(
    'tries again by itself when a reload meets a busy service, says so, and sends the answer kept meanwhile',
    async () => {
      // Found from outside (DynamoDB Local paused): a reload of a started attempt showed "The
      // assessment cannot be shown just now" and stayed there after the service was back,
      // until the candidate thought of pressing Try again, their time running, no clock shown.
      const { page, questionId, first } = await chosenNotSaved('failing');
      await page.unroute('**/v1/attempts/*/answers/*');
      let busy = true;
      await page.route('**/v1/attempts/*', (route) =>
        busy && route.request().method() === 'GET'
          ? route.fulfill({
              status: 503,
              headers: { 'retry-after': '1', 'content-type': 'application/problem+json' },
              body: JSON.stringify({ title: 'Service unavailable', status: 503 }),
            })
          : route.continue(),
      );

      await page.reload();
      await page.getByRole('heading', { name: CATALOGUE.en.notNow }).waitFor();
      const said = await page.locator('main').innerText();
      busy = false;

      await page.getByRole('heading', { name: /^Question \d+ of / }).waitFor();
      expect(said).toContain(CATALOGUE.en.retryingOpenStarted);
      await expectKept(page, questionId, first);
    },
    T,
  );
});

describeInBrowser('a Continue that meets a busy service', () => {
  it(
    'is tried again by itself (the attempt has started: its time runs), and sends the answer kept',
    async () => {
      // Found from outside (DynamoDB Local paused): Continue answered 503, and the page stayed
      // on "cannot be shown just now" after the service was back.
      const { token, context, page, questionId, first } = await chosenNotSaved('offline');
      await page.close({ runBeforeUnload: false });
      await context.setOffline(false);
      const again = await context.newPage();
      let busy = true;
      await again.route('**/v1/attempts', (route) =>
        busy
          ? route.fulfill({
              status: 503,
              headers: { 'retry-after': '1', 'content-type': 'application/problem+json' },
              body: JSON.stringify({ title: 'Service unavailable', status: 503 }),
            })
          : route.continue(),
      );
      await again.goto(takeUrl(app.api, token));
      await again.getByRole('button', { name: 'Continue' }).click();
      await again.getByRole('heading', { name: CATALOGUE.en.notNow }).waitFor();
      const said = await again.locator('main').innerText();
      busy = false;

      await again.getByRole('heading', { name: `Question 1 of ${N}` }).waitFor();
      expect(said).toContain(CATALOGUE.en.retryingOpenStarted);
      await expectKept(again, questionId, first);
    },
    T,
  );
});

describeInBrowser('a stalled connection', () => {
  it(
    'gives up a save that is never answered after 35 s, says it is retrying, and saves it on the next try',
    async () => {
      // Found from outside (a request held, as a stalled connection holds it: no answer, no
      // reset): "Saving…" for ever, and every later answer queued behind it "Saving…" too.
      const { page, session } = await startOnPageClock(app, made.assessment);
      await goToType(page, 'single');
      const { questionId, first } = await shownQuestion(page);
      await holdRequests(page, '**/v1/attempts/*/answers/*', 1);
      await chooseAnswer(page);
      await expect.poll(() => page.locator('.save-status').innerText()).toBe(CATALOGUE.en.saving);

      await page.clock.fastForward('00:36');

      await expect.poll(() => page.locator('.save-status').innerText()).toBe(CATALOGUE.en.retrying);
      await page.clock.fastForward('00:02');
      await expect
        .poll(() => page.locator('.save-status').innerText(), { timeout: 20_000 })
        .toMatch(/^Saved at /);
      const view = await app.api.request('GET', `/v1/attempts/${session.attemptId}`, {
        token: session.attemptToken,
      });
      expect(view.body.answers[questionId]).toBe(first);
    },
    T,
  );
});
