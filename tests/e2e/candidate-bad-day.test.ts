/**
 * An outside tester's bad days in the candidate app: a link mangled in transit, answers that
 * land while the review screen is open, the deadline passing with answers still offline, and
 * a computer whose clock is changed during the attempt.
 */
import type { Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import {
  type Assessment,
  createAssessment,
  describeInBrowser,
  invite,
  QUESTION_COUNT as N,
  startInvitation,
  useBrowserApp,
} from './support.ts';

const app = useBrowserApp();
let assessment: Assessment;

beforeAll(async () => {
  if (!app.browser) return;
  assessment = await createAssessment(app.api, 'badday');
}, 60_000);

/** Pick an answer on the question shown without waiting for it to be saved. */
async function choose(page: Page) {
  const type = await page.locator('section.question').getAttribute('data-type');
  if (type === 'order') await page.getByRole('button', { name: 'Keep this order' }).click();
  else if (type === 'matching')
    await page.locator('.matching select').first().selectOption({ index: 1 });
  else if (type === 'numeric' || type === 'text') {
    await page.locator('.typed input').fill('1');
    await page.keyboard.press('Enter');
  } else await page.locator('.choices input').first().click();
}

describeInBrowser('the candidate app on a bad day', () => {
  it('says a link whose fragment is not valid percent-encoding is not valid, instead of loading forever', async () => {
    const { page } = await app.open();

    await page.goto(`${app.api.base}/take#%E0%A4%A`);
    await page.getByRole('heading', { name: 'This assessment cannot be opened' }).waitFor();

    expect(await page.locator('main').innerText()).toContain('This invitation link is not valid');
  }, 60_000);

  it('takes an answer off the review screen\'s "Not saved yet" list once the server saves it', async () => {
    const inv = await invite(app.api, assessment);
    const { context, page } = await startInvitation(app, inv.token);
    await context.setOffline(true);
    await choose(page);
    await page.getByRole('button', { name: 'Review and submit' }).click();
    await page.getByRole('heading', { name: 'Review your answers' }).waitFor();
    const offline = await page.locator('main').innerText();

    await context.setOffline(false);

    expect(offline).toContain('Not saved yet (1)');
    await expect
      .poll(() => page.locator('main').innerText(), { timeout: 20_000 })
      .not.toContain('Not saved yet');
    expect(await page.locator('main').innerText()).toContain(`1 of ${N} answered`);
  }, 90_000);
});
