/**
 * An outside tester's bad days in the candidate app: a link mangled in transit, answers that
 * land while the review screen is open, the deadline passing with answers still offline, and
 * a computer whose clock is changed during the attempt.
 */
import { beforeAll, expect, it } from 'vitest';
import { clock } from '../../functions/domain/clock.ts';
import {
  type Assessment,
  answerCurrentQuestion,
  attemptSession,
  chooseAnswer,
  createAssessment,
  describeInBrowser,
  goToType,
  invite,
  QUESTION_COUNT as N,
  restoreClockAfterEach,
  sixMinuteAssessment,
  startInvitation,
  takeUrl,
  useBrowserApp,
} from './support.ts';

const app = useBrowserApp();
let assessment: Assessment;
let sixMinutes: Assessment;

restoreClockAfterEach();

beforeAll(async () => {
  if (!app.browser) return;
  assessment = await createAssessment(app.api, 'badday');
  sixMinutes = await sixMinuteAssessment(app.api, 'badday6', 'Six minutes');
}, 60_000);

describeInBrowser('the candidate app on a bad day', () => {
  it('says a link whose fragment is not valid percent-encoding is not valid, instead of loading forever', async () => {
    const { page } = await app.open();

    await page.goto(`${app.api.base}/take#%E0%A4%A`);
    await page.getByRole('heading', { name: 'This assessment cannot be opened' }).waitFor();

    expect(await page.locator('main').innerText()).toContain('This invitation link is not valid');
  }, 60_000);

  /** A new attempt on the review screen with one answer (a single choice) chosen offline. */
  async function reviewWithOneAnswerOffline() {
    const inv = await invite(app.api, assessment);
    const opened = await startInvitation(app, inv.token);
    // A single choice: one click answers it (one of a matching's rows would not).
    await goToType(opened.page, 'single');
    await opened.context.setOffline(true);
    await chooseAnswer(opened.page);
    await opened.page.getByRole('button', { name: 'Review and submit' }).click();
    await opened.page.getByRole('heading', { name: 'Review your answers' }).waitFor();
    return opened;
  }

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
    const inv = await invite(app.api, sixMinutes);
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

    await page.clock.fastForward('06:30');
    await page.getByText('Time is up. Your saved answers are being submitted…').waitFor();
    await page.clock.fastForward('00:30');
    await page.getByRole('heading', { name: 'Time is up' }).waitFor();
    const final = await page.locator('main').innerText();

    expect(final).toContain(
      '1 answer chosen on this page could not be saved before the time ran out, so it was not submitted.',
    );
    expect(await page.locator('#offline').isVisible()).toBe(false);
  }, 120_000);

  /**
   * A new attempt started in a page whose computer clock the test can set (`window.shiftMs`;
   * performance.now() is left alone), its countdown showing the full 30 minutes.
   */
  async function startWithSettableClock() {
    const inv = await invite(app.api, assessment);
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
    const inv = await invite(app.api, assessment);
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
    const inv = await invite(app.api, assessment);
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

  it('puts a saved text answer back, and says why, when the candidate empties its field (an answer cannot be removed)', async () => {
    const inv = await invite(app.api, assessment);
    const { page } = await startInvitation(app, inv.token);
    await goToType(page, 'text');
    const input = page.getByLabel('Your answer', { exact: true });
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
