/**
 * An outside tester's bad days in the candidate app: a link mangled in transit, answers that
 * land while the review screen is open, the deadline passing with answers still offline, and
 * a computer whose clock is changed during the attempt.
 */
import { expect, it } from 'vitest';
import { describeInBrowser, useBrowserApp } from './support.ts';

const app = useBrowserApp();

describeInBrowser('the candidate app on a bad day', () => {
  it('says a link whose fragment is not valid percent-encoding is not valid, instead of loading forever', async () => {
    const { page } = await app.open();

    await page.goto(`${app.api.base}/take#%E0%A4%A`);
    await page.getByRole('heading', { name: 'This assessment cannot be opened' }).waitFor();

    expect(await page.locator('main').innerText()).toContain('This invitation link is not valid');
  }, 60_000);
});
