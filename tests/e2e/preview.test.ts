/**
 * An employer's preview in the candidate app (`/take#preview:<attemptId>.<attemptToken>`), and a
 * countdown that follows an extension granted while the candidate works.
 */
import { beforeAll, expect, it } from 'vitest';
import {
  type Assessment,
  answerCurrentQuestion,
  createAssessment,
  describeInBrowser,
  expectAccessible,
  invite,
  QUESTION_COUNT,
  secondsLeft,
  takeUrl,
  useBrowserApp,
} from './support.ts';

const app = useBrowserApp();
let assessment: Assessment;

beforeAll(async () => {
  if (!app.browser) return;
  assessment = await createAssessment(app.api, 'preview-app');
}, 60_000);

describeInBrowser('a preview in the candidate app', () => {
  it('opens from the take link, says it is a preview, and is taken and submitted like an attempt', async () => {
    const res = await app.api.request('POST', `/v1/assessments/${assessment.id}/preview`, {
      token: assessment.employer,
    });
    expect(res.status).toBe(201);
    const { page } = await app.open();
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(`${app.api.base}${res.body.takeUrl}`);
    await page.getByRole('heading', { name: `Question 1 of ${QUESTION_COUNT}` }).waitFor();
    await expect
      .poll(() => page.locator('#preview-banner').innerText())
      .toContain('Preview: you are taking your own assessment');
    // The token travels in a header, never in a URL a server sees.
    for (const url of requests) expect(url).not.toContain(res.body.attemptToken);
    await expectAccessible(page, 'preview question');
    await answerCurrentQuestion(page);
    await page.getByRole('button', { name: 'Review and submit' }).click();
    await page.getByRole('button', { name: 'Submit' }).click();
    await page.getByRole('heading', { name: 'Your answers were submitted' }).waitFor();
    const report = await app.api.request('GET', `/v1/attempts/${res.body.attemptId}/report`, {
      token: assessment.employer,
    });
    expect(report.body).toMatchObject({ status: 'submitted', preview: true });
  }, 90_000);

  it("moves a candidate's countdown when the employer gives more time", async () => {
    const inv = await invite(app.api, assessment);
    const { page } = await app.open();
    await page.goto(takeUrl(app.api, inv.token));
    await page.getByRole('button', { name: 'Start' }).click();
    await page.getByRole('heading', { name: `Question 1 of ${QUESTION_COUNT}` }).waitFor();
    const before = await secondsLeft(page);
    expect(before).toBeLessThanOrEqual(30 * 60);
    const attemptId = (await page.evaluate(
      `JSON.parse(sessionStorage.getItem(Object.keys(sessionStorage).find((k) => k.startsWith('assay.take.')))).attemptId`,
    )) as string;
    const ext = await app.api.request('POST', `/v1/attempts/${attemptId}/extend`, {
      token: assessment.employer,
      body: { minutes: 60, reason: 'Power cut' },
    });
    expect(ext.status).toBe(200);
    // The next request (a save) brings the new deadline; the countdown follows and says so.
    await answerCurrentQuestion(page);
    await expect.poll(() => secondsLeft(page)).toBeGreaterThan(before + 59 * 60);
    await expect
      .poll(() => page.locator('#alert').innerText())
      .toContain('You have been given more time');
  }, 90_000);
});
