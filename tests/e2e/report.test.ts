/**
 * The printable report (`GET /v1/attempts/{id}/report.html`) in Chromium: its stylesheet
 * applies under the page's own strict Content-Security-Policy, print rules take over when
 * printed (and it prints to PDF), it reflows at 390 px, loads nothing else, and axe-core finds
 * no serious or critical violation on screen or in print.
 */
import type { Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import {
  bankOptionsOf,
  createAssessment,
  describeInBrowser,
  expectAccessible,
  invite,
  useBrowserApp,
} from './support.ts';

const app = useBrowserApp();
let reportUrl: string;
let employer: string;

beforeAll(async () => {
  if (!app.browser) return;
  const { api } = app;
  const a = await createAssessment(api, 'report-page');
  employer = a.employer;
  const inv = await invite(api, a, { name: 'Grace <Hopper>' });
  const started = await api.request('POST', '/v1/attempts', {
    body: { invitationToken: inv.token },
  });
  const { attemptId, attemptToken, questions } = started.body;
  // Some right, one wrong, the rest left unanswered; and more time, with a reason.
  const answers: Record<string, unknown> = {
    single: 'a',
    multi: ['a', 'b'],
    numeric: 256,
    sjt: 'c',
  };
  type Shown = { questionId: string; type: string; options?: { id: string; text: string }[] };
  for (const q of questions as Shown[]) {
    if (!(q.type in answers)) continue;
    // The bank's option ids are named by the handle shown with the option's text.
    const handleOf = new Map(
      bankOptionsOf(q.type).map((o) => [o.id, q.options!.find((x) => x.text === o.text)!.id]),
    );
    const bank = answers[q.type];
    const answer =
      typeof bank === 'string'
        ? handleOf.get(bank)
        : Array.isArray(bank)
          ? bank.map((id) => handleOf.get(id))
          : bank;
    const res = await api.request('PUT', `/v1/attempts/${attemptId}/answers/${q.questionId}`, {
      token: attemptToken,
      body: { answer },
    });
    expect(res.status).toBe(200);
  }
  const ext = await api.request('POST', `/v1/attempts/${attemptId}/extend`, {
    token: employer,
    body: { minutes: 15, reason: 'Screen reader set-up took a while' },
  });
  expect(ext.status).toBe(200);
  expect(
    (await api.request('POST', `/v1/attempts/${attemptId}/submit`, { token: attemptToken })).status,
  ).toBe(200);
  reportUrl = `${api.base}/v1/attempts/${attemptId}/report.html`;
}, 60_000);

/** The report as a hiring manager's browser opens it: with their token on every request. */
async function openReport(viewport?: { width: number; height: number }) {
  const { context, page } = await app.open(viewport ? { viewport } : {});
  await context.setExtraHTTPHeaders({ authorization: `Bearer ${employer}` });
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  const violations: string[] = [];
  page.on('console', (m) => {
    if (/Content.Security.Policy/i.test(m.text())) violations.push(m.text());
  });
  const res = await page.goto(reportUrl);
  expect(res?.status()).toBe(200);
  await page.getByRole('heading', { level: 1 }).waitFor();
  return { page, requests, violations };
}

const style = (page: Page, selector: string, property: string) =>
  page.evaluate(
    `getComputedStyle(document.querySelector(${JSON.stringify(selector)})).getPropertyValue(${JSON.stringify(property)})`,
  ) as Promise<string>;

describeInBrowser('the printable report in Chromium', () => {
  it('applies its stylesheet under its own policy, loads nothing else, and passes axe-core', async () => {
    const { page, requests, violations } = await openReport();
    expect(await page.title()).toBe('Report: Grace <Hopper> — Backend screen');
    await expect
      .poll(() => page.getByRole('heading', { level: 1 }).innerText())
      .toBe('Grace <Hopper>');
    // The stylesheet applied (its hash is the policy's only style source).
    expect(await style(page, 'main', 'max-width')).toBe('832px');
    expect(violations).toEqual([]);
    expect(requests).toEqual([reportUrl]);
    // The chart is inline, and everything the report promises is on the page.
    expect(await page.locator('figure.chart svg').count()).toBe(1);
    const text = await page.locator('main').innerText();
    for (const words of [
      'Skill profile',
      'Strengths and gaps',
      'Integrity signals',
      'More time granted',
      'Screen reader set-up took a while',
      'Unanswered',
      'Correct answer',
      'Explanation',
      'a level needs at least 3',
    ])
      expect(text).toContain(words);
    await expectAccessible(page, 'report');
  }, 60_000);

  it('switches to its print rules when printed, and prints to PDF', async () => {
    const { page } = await openReport();
    expect(await style(page, 'body', 'font-size')).toBe('16px');
    await page.emulateMedia({ media: 'print' });
    // 10.5pt on paper; questions and cards are not split across pages.
    expect(await style(page, 'body', 'font-size')).toBe('14px');
    expect(await style(page, 'article.question', 'break-inside')).toBe('avoid');
    expect(await style(page, 'main', 'max-width')).toBe('none');
    await expectAccessible(page, 'report (print)');
    const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: false });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.length).toBeGreaterThan(10_000);
  }, 60_000);

  it('reflows at 390 CSS pixels without horizontal scrolling', async () => {
    const { page } = await openReport({ width: 390, height: 844 });
    const overflow = await page.evaluate(
      'document.documentElement.scrollWidth - document.documentElement.clientWidth',
    );
    expect(overflow).toBeLessThanOrEqual(0);
    // The chart scales down to the width instead of overflowing.
    const chartWidth = await page.evaluate(
      "document.querySelector('figure.chart svg').getBoundingClientRect().width",
    );
    expect(chartWidth).toBeLessThanOrEqual(390);
    await expectAccessible(page, 'report at 390 px');
  }, 60_000);
});
