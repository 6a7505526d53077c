import type { Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { clock } from '../../functions/domain/clock.ts';
import {
  type Assessment,
  answerCurrentQuestion as answer,
  capture,
  chooseAnswer,
  createAssessment,
  describeInBrowser,
  expectAccessible,
  expectReflow,
  holdSubmits,
  invite,
  QUESTION_COUNT as N,
  restoreClockAfterEach,
  sixMinuteAssessment,
  startOnPageClock,
  takeUrl,
  useBrowserApp,
} from './support.ts';

const app = useBrowserApp();
let withResults: Assessment;
let sixMinutes: Assessment;

restoreClockAfterEach();

beforeAll(async () => {
  if (!app.browser) return;
  withResults = await createAssessment(app.api, 'screens');
  sixMinutes = await sixMinuteAssessment(app.api, 'timeup', 'Six-minute screen');
}, 60_000);

async function open(token: string, viewport?: { width: number; height: number }) {
  const { page } = await app.open(viewport ? { viewport } : {});
  await page.goto(takeUrl(app.api, token));
  await page.getByRole('button', { name: /^(Start|Начать|Continue|Продолжить)$/ }).waitFor();
  return page;
}

async function start(page: Page) {
  await page.getByRole('button', { name: 'Start' }).click();
  await page.getByRole('heading', { name: `Question 1 of ${N}` }).waitFor();
}

describeInBrowser('every screen of the candidate app', () => {
  it('passes axe-core (no serious or critical violation) on the intro, each question type, review and final screens', async () => {
    const inv = await invite(app.api, withResults);
    const page = await open(inv.token);
    await expectAccessible(page, 'intro');
    await capture(page, 'intro');
    await start(page);
    for (let i = 1; i <= N; i++) {
      const type = await answer(page);
      await expectAccessible(page, `question (${type})`);
      await capture(page, `question-${type}`);
      await page.getByRole('button', { name: 'Next', exact: true }).click();
    }
    await page.getByRole('heading', { name: 'Review your answers' }).waitFor();
    await expectAccessible(page, 'review');
    await capture(page, 'review');
    await page.getByRole('button', { name: 'Submit' }).click();
    await page.getByRole('heading', { name: 'Your answers were submitted' }).waitFor();
    await expectAccessible(page, 'final');
    await capture(page, 'final');
  }, 120_000);

  it('passes axe-core on the Russian intro and question, the other-window notice, an unanswered review and the error screen', async () => {
    const ru = await invite(app.api, withResults, { locale: 'ru' });
    const page = await open(ru.token);
    await expectAccessible(page, 'Russian intro');
    await capture(page, 'intro-ru');
    await page.getByRole('button', { name: 'Начать' }).click();
    await page.getByRole('heading', { name: `Вопрос 1 из ${N}` }).waitFor();
    await expectAccessible(page, 'Russian question');
    await capture(page, 'question-ru');

    const other = await open(ru.token);
    await other.getByRole('button', { name: 'Продолжить' }).click();
    await other.getByRole('heading', { name: `Вопрос 1 из ${N}` }).waitFor();
    await other.getByRole('button', { name: 'Проверить и отправить' }).click();
    await other.getByRole('heading', { name: 'Проверьте ответы' }).waitFor();
    await expectAccessible(other, 'Russian review with unanswered questions');
    await capture(other, 'review-unanswered-ru');
    await page.getByRole('button', { name: 'Далее' }).click();
    await page
      .locator('.choices input, .typed input, .order-list button, .matching select')
      .first()
      .waitFor();
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('button', { name: 'Question 1: not answered' }).click();
    await chooseAnswer(page);
    await page
      .getByRole('heading', { name: 'This assessment continues in another window' })
      .waitFor();
    await expectAccessible(page, 'other-window notice');
    await capture(page, 'other-window');

    const { page: broken } = await app.open();
    await broken.goto(`${app.api.base}/take#not-a-token`);
    await broken.getByRole('heading', { name: 'This assessment cannot be opened' }).waitFor();
    await expectAccessible(broken, 'error');
    expect(await broken.locator('main').innerText()).toContain('This invitation link is not valid');
  }, 120_000);

  it('reflows at 320 and 390 CSS pixels wide (400% and about 330% zoom) without horizontal scrolling', async () => {
    const inv = await invite(app.api, withResults);
    const page = await open(inv.token, { width: 320, height: 640 });
    await expectReflow(page, 'intro');
    await start(page);
    for (let i = 1; i <= N; i++) {
      // The matching question's selects and lettered list are the widest: shown at 390 px.
      const next = await page.locator('section.question').getAttribute('data-type');
      const width = next !== 'matching' && i % 2 ? 320 : 390;
      await page.setViewportSize({ width, height: 700 });
      const type = await answer(page);
      await expectReflow(page, `question (${type}) at ${width} px`);
      if (i === 1) await expectAccessible(page, `question (${type}) at ${width} px`);
      if (type === 'matching') await capture(page, 'question-390px');
      await page.getByRole('button', { name: 'Next', exact: true }).click();
    }
    await page.getByRole('button', { name: 'Submit' }).click();
    await page.getByRole('heading', { name: 'Your answers were submitted' }).waitFor();
    await expectReflow(page, 'final');
  }, 120_000);

  it('announces 5 and 1 minutes left; at zero locks every input, says time is up, submits the saved answers and shows what happens next', async () => {
    const { page, deadline } = await startOnPageClock(app, sixMinutes);
    const type = await answer(page);
    const alert = page.locator('#alert');

    await page.clock.fastForward('01:02');
    await expect.poll(() => alert.innerText()).toBe('Five minutes left.');
    const countdown = await page.locator('#countdown').innerText();
    await page.clock.fastForward('04:00');
    await expect.poll(() => alert.innerText()).toBe('One minute left.');
    const release = await holdSubmits(page);
    // The server's clock moves with the page's: just past the deadline, within the grace.
    clock.now = () => new Date(deadline + 2000);
    await page.clock.fastForward('01:00');
    await page.getByText('Time is up. Your saved answers are being submitted…').waitFor();
    const enabled = await page.locator('input:enabled, main button:enabled').count();
    const submit = await page.locator('button:enabled', { hasText: /submit/i }).count();
    await capture(page, 'time-up');
    release();
    await page.getByRole('heading', { name: 'Time is up' }).waitFor();
    const final = await page.locator('main').innerText();

    expect(countdown).toMatch(/^4:5\d$/);
    expect(enabled).toBe(0);
    expect(submit).toBe(0);
    expect(final).toMatch(
      /^Time is up\n+Time ran out at \d\d:\d\d:\d\d\. Your saved answers have been submitted\./,
    );
    expect(final).toContain('What happens next');
    expect(final).toContain('org-timeup will review your answers');
    await expectAccessible(page, 'time-up final');
    await capture(page, 'final-no-result');
    const report = await app.api.request('GET', `/v1/assessments/${sixMinutes.id}/results`, {
      token: sixMinutes.employer,
    });
    expect(report.body.items).toHaveLength(1);
    expect(report.body.items[0].status).toBe('submitted');
    expect(type).toEqual(expect.any(String));
  }, 120_000);
});
