/**
 * An outside tester's bad days in the candidate app: a link mangled in transit, answers that
 * land while the review screen is open, the deadline passing with answers still offline, and
 * a computer whose clock is changed during the attempt.
 */
import { expect, it } from 'vitest';
import { clock } from '../../functions/domain/clock.ts';
import { CATALOGUE } from '../../web/candidate/i18n.ts';
import {
  answerCurrentQuestion,
  attemptSession,
  chooseAnswer,
  describeInBrowser,
  goToType,
  holdRequests,
  holdSubmits,
  invite,
  QUESTION_COUNT as N,
  openInvitation,
  shownTime,
  startInvitation,
  startOnPageClock,
  takeUrl,
  useAssessments,
  useBrowserApp,
} from './support.ts';

const app = useBrowserApp();
const made = useAssessments(app, 'badday', 'Six minutes');

describeInBrowser('the candidate app on a bad day', () => {
  it('says a link whose fragment is not valid percent-encoding is not valid, instead of loading forever', async () => {
    const { page } = await app.open();

    await page.goto(`${app.api.base}/take#%E0%A4%A`);
    await page.getByRole('heading', { name: 'This assessment cannot be opened' }).waitFor();

    expect(await page.locator('main').innerText()).toContain('This invitation link is not valid');
  }, 60_000);

  it("says why a Russian candidate's link is gone in Russian, in an English browser: expired, withdrawn, finished", async () => {
    // Found from outside: an expired link whose invitation is in Russian said so in English
    // (the page knew no language before the invitation's preview, which a 410 does not give).
    const gone = {
      expired: await invite(app.api, made.assessment, { locale: 'ru' }),
      revoked: await invite(app.api, made.assessment, { locale: 'ru' }),
      finished: await invite(app.api, made.assessment, { locale: 'ru' }),
    };
    const revoked = await app.api.request(
      'DELETE',
      `/v1/invitations/${gone.revoked.invitationId}`,
      {
        token: made.assessment.employer,
      },
    );
    expect(revoked.status).toBeLessThan(300);
    const started = await app.api.request('POST', '/v1/attempts', {
      body: { invitationToken: gone.finished.token },
    });
    const submitted = await app.api.request(
      'POST',
      `/v1/attempts/${started.body.attemptId}/submit`,
      {
        token: started.body.attemptToken,
      },
    );
    expect(submitted.status).toBe(200);
    // Two days on by the server's clock: the first invitation (a day) has expired.
    const now = clock.now;
    clock.now = () => new Date(now().getTime() + 2 * 86_400_000);

    const said: Record<string, string> = {};
    for (const [reason, inv] of Object.entries(gone)) {
      const { page } = await app.open();
      await page.goto(takeUrl(app.api, inv.token));
      await page.getByRole('heading', { name: 'Задание не удаётся открыть' }).waitFor();
      said[reason] = await page.locator('main').innerText();
      expect(await page.evaluate('document.documentElement.lang')).toBe('ru');
    }

    expect(said).toEqual({
      expired:
        'Задание не удаётся открыть\n\nСрок действия приглашения истёк. Попросите у работодателя новую ссылку.',
      revoked: 'Задание не удаётся открыть\n\nРаботодатель отозвал это приглашение.',
      finished:
        'Задание не удаётся открыть\n\nЭто задание уже завершено: ответы отправлены или время вышло.',
    });
  }, 90_000);

  it("says a link is not valid in the browser's language when no invitation names one", async () => {
    const { page } = await app.open({ locale: 'ru-RU' });

    await page.goto(`${app.api.base}/take#not-a-token`);
    await page.getByRole('heading', { name: 'Задание не удаётся открыть' }).waitFor();

    expect(await page.locator('main').innerText()).toContain(
      'Ссылка приглашения недействительна. Проверьте, что она скопирована целиком.',
    );
  }, 60_000);

  it('says in Russian that the server refused an answer, without its English detail', async () => {
    const inv = await invite(app.api, made.assessment, { locale: 'ru' });
    const { page } = await app.open({ locale: 'ru-RU' });
    await page.goto(takeUrl(app.api, inv.token));
    await page.getByRole('button', { name: 'Начать' }).click();
    // A single choice: one click saves it.
    for (let i = 1; ; i++) {
      await page.getByRole('heading', { name: CATALOGUE.ru.questionOf(i, N) }).waitFor();
      if ((await page.locator('section.question').getAttribute('data-type')) === 'single') break;
      await page.getByRole('button', { name: CATALOGUE.ru.next, exact: true }).click();
    }
    // The real server's 400 for an answer it cannot take, whatever the question's type.
    await page.route('**/v1/attempts/*/answers/*', (route) =>
      route.continue({ postData: '{"answer":null}' }),
    );

    await chooseAnswer(page);
    await expect.poll(() => page.locator('.save-status').innerText()).toMatch(/^Не сохранено/);

    expect(await page.locator('.save-status').innerText()).not.toMatch(/[A-Za-z]/);
  }, 60_000);

  /** A new attempt on the review screen with one answer (a single choice) chosen offline. */
  async function reviewWithOneAnswerOffline() {
    const inv = await invite(app.api, made.assessment);
    const opened = await startInvitation(app, inv.token);
    // A single choice: one click answers it (one of a matching's rows would not).
    await goToType(opened.page, 'single');
    await opened.context.setOffline(true);
    await chooseAnswer(opened.page);
    await opened.page.getByRole('button', { name: 'Review and submit' }).click();
    await opened.page.getByRole('heading', { name: 'Review your answers' }).waitFor();
    return opened;
  }

  it('does not submit an answer still not saved without saying so: a second Submit submits without it, and the final screen counts it', async () => {
    // Found from outside: with a save failing ("Not saved — retrying."), Submit waited 15 s,
    // then submitted and said "Your answers were submitted": the answer was lost, unsaid.
    const { page } = await startOnPageClock(app, made.assessment);
    await page.route('**/v1/attempts/*/answers/*', (route) => route.abort('connectionreset'));
    const submits: string[] = [];
    page.on('request', (r) => {
      if (r.url().endsWith('/submit')) submits.push(r.url());
    });
    await chooseAnswer(page);
    await expect.poll(() => page.locator('.save-status').innerText()).toBe('Not saved — retrying.');
    await page.getByRole('button', { name: 'Review and submit' }).click();
    const status = page.locator('#submit-status');

    await page.getByRole('button', { name: 'Submit' }).click();
    await expect.poll(() => status.innerText()).toBe('Submitting…');
    await page.clock.fastForward('00:16');
    await expect
      .poll(() => status.innerText())
      .toMatch(/^Not submitted yet: 1 answer is not saved/);
    expect(submits).toEqual([]);

    await page.getByRole('button', { name: 'Submit' }).click();
    await expect.poll(() => status.innerText()).toBe('Submitting…');
    await page.clock.fastForward('00:16');
    await page.getByRole('heading', { name: 'Your answers were submitted' }).waitFor();
    expect(await page.locator('main').innerText()).toContain(
      '1 answer chosen on this page could not be saved, so it was not submitted.',
    );
    expect(submits).toHaveLength(1);
  }, 120_000);

  it('keeps the time-up screen when time runs out while Submit waits for an answer not yet saved', async () => {
    // Submit pressed a second before the deadline waits 15 s for a failing save; time-up
    // comes, submits and says "Time is up"; the waiting Submit must then leave the page alone
    // (it wrote to a status line the time-up screen had removed: a page error).
    const { page, deadline } = await startOnPageClock(app, made.sixMinutes);
    await page.route('**/v1/attempts/*/answers/*', (route) => route.abort('connectionreset'));
    await chooseAnswer(page);
    await expect.poll(() => page.locator('.save-status').innerText()).toBe('Not saved — retrying.');
    await page.getByRole('button', { name: 'Review and submit' }).click();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.clock.fastForward('05:59');
    await page.getByRole('button', { name: 'Submit' }).click();
    clock.now = () => new Date(deadline + 2000);

    // Time-up first (its wait for the save is 10 s), then the end of Submit's own (15 s).
    await page.clock.fastForward('00:02');
    await page.getByText('Time is up. Your saved answers are being submitted…').waitFor();
    await page.clock.fastForward('00:10');
    await page.getByRole('heading', { name: 'Time is up' }).waitFor();
    await page.clock.fastForward('00:05');
    await page.evaluate(() => new Promise((r) => setTimeout(r, 0)));

    await expect.poll(() => page.locator('h1').innerText()).toBe('Time is up');
    expect(errors).toEqual([]);
    expect(await page.locator('main').innerText()).toContain(
      '1 answer chosen on this page could not be saved before the time ran out, so it was not submitted.',
    );
  }, 120_000);

  it('says a slow Start is starting, and a server failing for now is "cannot be shown just now", not a link that cannot be opened', async () => {
    // Found from outside: with the database paused, Start greyed out for 9 s with nothing said,
    // then "This assessment cannot be opened" (the heading of a dead link) over "busy".
    const inv = await invite(app.api, made.assessment);
    const { page } = await openInvitation(app, inv.token);
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    await page.route('**/v1/attempts', async (route) => {
      await held;
      await route.fulfill({
        status: 503,
        headers: { 'retry-after': '1' },
        contentType: 'application/problem+json',
        body: JSON.stringify({ status: 503, code: 'unavailable', detail: 'Try again shortly.' }),
      });
    });

    await page.getByRole('button', { name: 'Start' }).click();
    await expect.poll(() => page.locator('#start-status').innerText()).toBe('Starting…');
    release();
    await page.getByRole('heading', { name: 'The assessment cannot be shown just now' }).waitFor();
    expect(await page.locator('main').innerText()).toContain(
      'The assessment service is busy. Please try again in a moment.',
    );
    await page.unroute('**/v1/attempts');
    await page.getByRole('button', { name: 'Try again' }).click();

    await page.getByRole('heading', { name: `Question 1 of ${N}` }).waitFor();
  }, 60_000);

  it('says the service is busy, not "check your connection", when a submit meets a server fault', async () => {
    const inv = await invite(app.api, made.assessment);
    const { page } = await startInvitation(app, inv.token);
    await page.route('**/v1/attempts/*/submit', (route) =>
      route.fulfill({
        status: 503,
        headers: { 'retry-after': '1' },
        contentType: 'application/problem+json',
        body: JSON.stringify({ status: 503, code: 'unavailable', detail: 'Try again shortly.' }),
      }),
    );
    await page.getByRole('button', { name: 'Review and submit' }).click();

    await page.getByRole('button', { name: 'Submit' }).click();

    await expect
      .poll(() => page.locator('#submit-status').innerText())
      .toBe(
        'The answers could not be submitted yet: the assessment service is busy. Your saved answers are kept: press Submit again in a moment.',
      );
    expect(await page.getByRole('button', { name: 'Submit' }).isEnabled()).toBe(true);
  }, 60_000);

  it('takes an answer off the review screen\'s "Not saved yet" list once the server saves it', async () => {
    const { context, page } = await reviewWithOneAnswerOffline();
    const offline = await page.locator('main').innerText();

    await context.setOffline(false);

    expect(offline).toContain('Not saved yet (1)');
    await expect
      .poll(() => page.locator('main').innerText(), { timeout: 20_000 })
      .not.toContain('Not saved yet');
    expect(await page.locator('main').innerText()).toContain(`1 of ${N} answered`);
  }, 90_000);

  it('keeps the keyboard focus on its "Go to question" button while the review lists follow the saves', async () => {
    // Found in review: every save rebuilt both lists, and the focused button went with them.
    const { context, page } = await reviewWithOneAnswerOffline();
    const target = page.locator('#review-unanswered button').last();
    const name = await target.innerText();
    await target.focus();

    await context.setOffline(false);
    await expect
      .poll(() => page.locator('main').innerText(), { timeout: 20_000 })
      .not.toContain('Not saved yet');

    expect(await page.evaluate('document.activeElement?.textContent')).toBe(name);
  }, 90_000);

  it('at time-up with an answer still offline, says it was not saved instead of only "your saved answers were submitted"', async () => {
    const inv = await invite(app.api, made.sixMinutes);
    const { context, page } = await app.open();
    await page.clock.install({ time: new Date() });
    await page.goto(takeUrl(app.api, inv.token));
    await page.getByRole('button', { name: 'Start' }).click();
    await page.getByRole('heading', { name: `Question 1 of ${N}` }).waitFor();
    await answerCurrentQuestion(page);
    await page.getByRole('button', { name: 'Next', exact: true }).click();
    await page.getByRole('heading', { name: `Question 2 of ${N}` }).waitFor();
    const session = await attemptSession(page);
    await context.setOffline(true);
    await chooseAnswer(page);
    await expect.poll(() => page.locator('.save-status').innerText()).toMatch(/^Not saved/);
    const view = await app.api.request('GET', `/v1/attempts/${session.attemptId}`, {
      token: session.attemptToken,
    });
    clock.now = () => new Date(Date.parse(view.body.deadline) + 60_000);

    // Two seconds past the deadline, within its grace period (10 s): the page waits for the
    // answer until the grace ends (30 s past, there is no grace left, and the final screen can
    // come before the time-up notice is seen).
    await page.clock.fastForward('06:02');
    await page.getByText('Time is up. Your saved answers are being submitted…').waitFor();
    await page.clock.fastForward('00:30');
    await page.getByRole('heading', { name: 'Time is up' }).waitFor();
    const final = await page.locator('main').innerText();

    expect(final).toContain(
      '1 answer chosen on this page could not be saved before the time ran out, so it was not submitted.',
    );
    expect(await page.locator('#offline').isVisible()).toBe(false);
  }, 120_000);

  it("says time ran out at the server's deadline, not at the page's clock when the final screen came", async () => {
    // Found from outside: the final screen named the page's clock at the moment it was drawn,
    // after the drain and the submit; a computer that slept meanwhile showed 20 minutes later.
    const { page, deadline } = await startOnPageClock(app, made.sixMinutes);
    const release = await holdSubmits(page);
    clock.now = () => new Date(deadline + 2000);

    await page.clock.fastForward('06:02');
    await page.getByText('Time is up. Your saved answers are being submitted…').waitFor();
    await page.clock.fastForward('20:00');
    release();
    await page.getByRole('heading', { name: 'Time is up' }).waitFor();

    expect(await page.locator('main').innerText()).toContain(
      `Time ran out at ${shownTime(deadline)}. Your saved answers have been submitted.`,
    );
  }, 120_000);

  it("does not end the attempt on a slow answer to the time-up check: the server's time in it decides", async () => {
    // The page's estimate of the server's time is off by half of the slowest request's time;
    // an answer that took two minutes put it a minute ahead, and the page submitted early.
    const { page, session, deadline } = await startOnPageClock(app, made.sixMinutes);
    clock.now = () => new Date(deadline - 30_000);
    let slow = true;
    await page.route(`**/v1/attempts/${session.attemptId}`, async (route) => {
      if (!slow || route.request().method() !== 'GET') return route.continue();
      slow = false;
      const answer = await route.fetch();
      await page.clock.fastForward('02:00');
      await route.fulfill({ response: answer });
    });
    const submits: string[] = [];
    page.on('request', (r) => {
      if (r.url().endsWith('/submit')) submits.push(r.url());
    });

    await page.clock.fastForward('06:00');
    await expect.poll(() => slow).toBe(false);
    await expect
      .poll(() => page.locator('#countdown').innerText(), { timeout: 10_000 })
      .toMatch(/^0:(2\d|30)$/);

    expect(submits).toEqual([]);
    expect(await page.locator('#time-up').count()).toBe(0);
    const now = await app.api.request('GET', `/v1/attempts/${session.attemptId}`, {
      token: session.attemptToken,
    });
    expect(now.body.status).toBe('active');
  }, 120_000);

  /**
   * A new attempt started in a page whose computer clock the test can set (`window.shiftMs`;
   * performance.now() is left alone), its countdown showing the full 30 minutes.
   */
  async function startWithSettableClock() {
    const inv = await invite(app.api, made.assessment);
    const { page } = await app.open();
    await page.addInitScript(
      'const real = Date.now; window.shiftMs = 0; Date.now = () => real() + window.shiftMs;',
    );
    await page.goto(takeUrl(app.api, inv.token));
    await page.getByRole('button', { name: 'Start' }).click();
    await page.getByRole('heading', { name: `Question 1 of ${N}` }).waitFor();
    await expect.poll(() => page.locator('#countdown').innerText()).toMatch(/^(29|30):\d\d$/);
    return page;
  }

  it("follows the server again when the computer's clock is set back two hours during the attempt", async () => {
    const page = await startWithSettableClock();

    await page.evaluate('window.shiftMs = -2 * 3600 * 1000');

    // Briefly off at most: then the server's clock again, not 2 h 30 min.
    await expect
      .poll(() => page.locator('#countdown').innerText(), { timeout: 10_000 })
      .toMatch(/^(29|30):\d\d$/);
    await page.waitForTimeout(1500);
    expect(await page.locator('#countdown').innerText()).toMatch(/^(29|30):\d\d$/);
  }, 90_000);

  it('announces no warning from a computer clock set forward: it asks the server first', async () => {
    // Found in review: a clock set 26 minutes forward with 30 left announced "Five minutes
    // left" in the same tick that asked the server for its time, and the real warning, 25
    // minutes later, would then never come.
    const page = await startWithSettableClock();

    await page.evaluate('window.shiftMs = 26 * 60 * 1000');
    await page.waitForTimeout(2000);

    expect(await page.locator('#countdown').innerText()).toMatch(/^(29|30):\d\d$/);
    expect(await page.locator('#alert').innerText()).not.toContain('Five minutes left.');
  }, 90_000);

  it('does not save "1,000" as 1: asks the candidate to write it without the ambiguity', async () => {
    const inv = await invite(app.api, made.assessment);
    const { page } = await startInvitation(app, inv.token);
    await goToType(page, 'numeric');
    const saves: string[] = [];
    page.on('request', (r) => {
      if (r.method() === 'PUT') saves.push(r.postData() ?? '');
    });
    const input = page.getByLabel('Your answer (a number)');

    await input.fill('1,000');
    await input.press('Enter');
    const refused = await page.locator('.field-error').innerText();
    await input.fill('1000');
    await input.press('Enter');
    await expect.poll(() => page.locator('.save-status').innerText()).toMatch(/^Saved at /);

    expect(refused).toMatch(/^Not saved: 1,000 could be a whole number with a thousands separator/);
    expect(saves).toEqual(['{"answer":1000}']);
  }, 60_000);

  it('warns before the page closes while a typed answer is still within its pause before saving', async () => {
    const inv = await invite(app.api, made.assessment);
    const { page } = await startInvitation(app, inv.token);
    await goToType(page, 'numeric');
    const input = page.getByLabel('Your answer (a number)');
    await input.click();
    await input.pressSequentially('256');
    const dialogs: string[] = [];
    page.on('dialog', async (d) => {
      dialogs.push(d.type());
      await d.dismiss();
    });

    await page.close({ runBeforeUnload: true });

    await expect.poll(() => dialogs).toEqual(['beforeunload']);
    expect(page.isClosed()).toBe(false);
    await expect.poll(() => page.locator('.save-status').innerText()).toMatch(/^Saved at /);
  }, 60_000);

  /** A new attempt, shown at its text question; the answer's field. */
  async function atTextAnswer() {
    const inv = await invite(app.api, made.assessment);
    const { page } = await startInvitation(app, inv.token);
    await goToType(page, 'text');
    return { page, input: page.getByLabel('Your answer', { exact: true }) };
  }

  it('saves a pasted text answer holding a character no one can see, instead of refusing it for a NUL the candidate cannot find', async () => {
    // Found from outside: "auth\0orization" pasted into a text answer said "Not saved: error.
    // ... Contains a NUL character (U+0000) at character 5: remove it." over a field that
    // showed "authorization".
    const { page, input } = await atTextAnswer();

    await input.fill('auth\u0000oriza\u001btion');
    await input.press('Enter');

    await expect.poll(() => page.locator('.save-status').innerText()).toMatch(/^Saved at /);
    expect(await input.inputValue()).toBe('authorization');
  }, 60_000);

  it('keeps an answer whose save is on the wire when the page is reloaded (the browser does not cancel it)', async () => {
    // Found from outside: on a slow connection, a reload while "Saving…" lost the answer: the
    // browser cancelled the request with the page, and the reloaded page showed it unanswered.
    const inv = await invite(app.api, made.assessment);
    const { page } = await startInvitation(app, inv.token);
    const { release, arrived } = await holdRequests(page, '**/v1/attempts/*/answers/*');
    await chooseAnswer(page);
    await arrived;

    await page.reload();
    await page.getByRole('heading', { name: `Question 1 of ${N}` }).waitFor();
    release();

    const session = await attemptSession(page);
    await expect
      .poll(
        async () =>
          (
            await app.api.request('GET', `/v1/attempts/${session.attemptId}`, {
              token: session.attemptToken,
            })
          ).body.answers,
        { timeout: 10_000 },
      )
      .toHaveProperty('q1');
  }, 60_000);

  it('says a typed answer is not saved yet while it waits for the pause, not "Not answered yet" or "Saved at"', async () => {
    // Found from outside: typing "authoriz" showed "Not answered yet." under it, and editing a
    // saved answer showed "Saved at …" over a field that no longer held it.
    const { page } = await startOnPageClock(app, made.assessment);
    await goToType(page, 'text');
    const input = page.getByLabel('Your answer', { exact: true });
    const status = page.locator('.save-status');
    const waiting = 'Not saved yet: it is saved when you pause typing.';

    await input.fill('authoriz');
    expect(await status.innerText()).toBe(waiting);
    await page.clock.fastForward('00:01');
    await expect.poll(() => status.innerText()).toMatch(/^Saved at /);

    await input.fill('authorization');
    expect(await status.innerText()).toBe(waiting);
    await input.fill('authoriz');
    expect(await status.innerText()).toMatch(/^Saved at /);
  }, 60_000);

  it('puts a saved text answer back, and says why, when the candidate empties its field (an answer cannot be removed)', async () => {
    const { page, input } = await atTextAnswer();
    await input.fill('authorization');
    await input.press('Enter');
    await expect.poll(() => page.locator('.save-status').innerText()).toMatch(/^Saved at /);

    await input.fill('');
    await input.press('Enter');

    expect(await input.inputValue()).toBe('authorization');
    expect(await page.locator('.field-error').innerText()).toBe(
      'A saved answer cannot be removed, only changed: your saved answer is shown again.',
    );
  }, 60_000);
});
