/**
 * The candidate app with an adaptive section, in Chromium: the intro says items adapt and that
 * there is no going back; an adaptive item is answered with Save and continue (no Previous,
 * no autosave); the navigator grows with each item the server chooses and keeps answered ones
 * out of reach; a reload shows the current item; review and submit end the section.
 */
import type { Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import {
  type Assessment,
  capture,
  describeInBrowser,
  expectAccessible,
  holdRequests,
  invite,
  serverView,
  takeUrl,
  useBrowserApp,
} from './support.ts';

const app = useBrowserApp();
let assessment: Assessment;
const T = 90_000;

const options = ['a', 'b', 'c', 'd'].map((id) => ({ id, text: `Option ${id.toUpperCase()}` }));

beforeAll(async () => {
  if (!app.browser) return;
  const org = 'org-adaptive';
  const author = await app.api.token('author', org);
  const employer = await app.api.token('employer', org);
  const questions = [
    ...Array.from({ length: 12 }, (_, i) => ({
      id: `ad-sec-${i}`,
      area: 'security',
      difficulty: (i % 3) + 1,
      type: 'single',
      prompt: `Security question number ${i}: which option is right?`,
      options,
      answer: 'b',
      explanation: 'B is right.',
      tags: [`t${i % 3}`],
    })),
    {
      id: 'ad-col-0',
      area: 'collaboration',
      difficulty: 2,
      type: 'sjt',
      prompt: 'A teammate asks for help during your focus time. What do you do?',
      options,
      answer: { weights: { a: 1, b: 0.5, c: 0.25, d: 0 } },
      explanation: 'Agree on a time.',
      tags: ['e2e'],
    },
  ];
  const up = await app.api.request('POST', '/v1/banks', {
    token: author,
    body: { bank: { id: 'adaptive-e2e', title: 'Adaptive' }, questions },
  });
  expect(up.status).toBe(201);
  const res = await app.api.request('POST', '/v1/assessments', {
    token: employer,
    body: {
      title: 'Adaptive screen',
      timeLimitMinutes: 30,
      sections: [
        { area: 'collaboration', count: 1 },
        { area: 'security', mode: 'adaptive', minItems: 3, maxItems: 5, targetStandardError: 0.2 },
      ],
      showResultToCandidate: true,
    },
  });
  expect(res.status, res.text).toBe(201);
  assessment = { id: res.body.assessmentId, employer };
}, 60_000);

const navButtons = (page: Page) => page.locator('.nav-item');

/** A new attempt shown at its first adaptive item (question 2), Option B chosen, not sent. */
async function atFirstAdaptiveItem() {
  const inv = await invite(app.api, assessment);
  const { page } = await app.open();
  await page.goto(takeUrl(app.api, inv.token));
  await page.getByRole('button', { name: 'Start' }).click();
  await page.getByRole('heading', { name: 'Question 1' }).waitFor();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('heading', { name: 'Question 2' }).waitFor();
  await page.getByLabel('Option B').check();
  return page;
}

describeInBrowser('the candidate app in an adaptive section', () => {
  it(
    'says on the intro that items adapt and there is no going back, then takes the section with Save and continue as the server chooses each item',
    async () => {
      const inv = await invite(app.api, assessment);
      const { page } = await app.open();
      await page.goto(takeUrl(app.api, inv.token));
      await page.getByRole('button', { name: 'Start' }).waitFor();
      const intro = await page.locator('main').innerText();
      expect(intro).toContain('Security: 3 to 5 questions, each chosen from your answers so far');
      expect(intro).toContain('up to 6 questions');
      expect(intro).toMatch(/that answer is final, and you cannot go back to it/);
      await expectAccessible(page, 'intro (adaptive)');

      await page.getByRole('button', { name: 'Start' }).click();
      await page.getByRole('heading', { name: 'Question 1' }).waitFor();
      // The fixed question first: answered as usual, then Next.
      await page.getByLabel('Option A').check();
      await page.locator('.save-status', { hasText: 'Saved at' }).waitFor();
      await page.getByRole('button', { name: 'Next' }).click();

      // The first adaptive item: no Previous, no flag, a note, Save and continue.
      await page.getByRole('heading', { name: 'Question 2' }).waitFor();
      expect(await page.getByRole('button', { name: 'Previous' }).count()).toBe(0);
      expect(await page.getByRole('button', { name: 'Flag for review' }).count()).toBe(0);
      expect(await page.locator('.adaptive-note').innerText()).toMatch(
        /final once saved, and you cannot go back\. At most 4 more questions/,
      );
      expect(await page.locator('.nav-more').innerText()).toBe('up to 4 more questions');
      expect(await navButtons(page).count()).toBe(2);
      await expectAccessible(page, 'adaptive question');
      await capture(page, 'question-adaptive');

      // Nothing chosen: nothing is sent.
      const saves: string[] = [];
      page.on('request', (r) => {
        if (r.method() === 'PUT') saves.push(new URL(r.url()).pathname);
      });
      await page.getByRole('button', { name: 'Save and continue' }).click();
      await page.locator('.save-status', { hasText: 'Choose or enter an answer first.' }).waitFor();
      // Choosing is not saving: the answer goes only with Save and continue.
      await page.getByLabel('Option B').check();
      await page.waitForTimeout(300);
      expect(saves).toEqual([]);

      const seen: string[] = [];
      for (let n = 2; n <= 7; n++) {
        // "Question 6 of 6" once no adaptive item can follow, "Question 3" while one can.
        const heading = page.getByRole('heading', {
          name: new RegExp(`^Question ${n}( of \\d+)?$`),
        });
        if (!(await heading.count())) break;
        const id = await page.locator('.nav-item[aria-current=step]').getAttribute('data-question');
        seen.push(id!);
        if (n > 2) await page.getByLabel(n % 2 ? 'Option B' : 'Option C').check();
        await page.getByRole('button', { name: 'Save and continue' }).click();
        // The next item (or the review, once the section ends) replaces this one.
        await page
          .getByRole('heading', { name: new RegExp(`^Question ${n + 1}( of \\d+)?$`) })
          .or(page.getByRole('heading', { name: 'Review your answers' }))
          .first()
          .waitFor();
        if (await page.getByRole('heading', { name: 'Review your answers' }).count()) break;
        // The answered item stays listed but cannot be reached again.
        expect(
          await page.locator(`.nav-item[data-question="${id}"]`).getAttribute('aria-label'),
        ).toMatch(/answered, final \(adaptive\)/);
        expect(await page.locator(`.nav-item[data-question="${id}"]`).isDisabled()).toBe(true);
      }
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen.length).toBeGreaterThanOrEqual(3);
      expect(seen.length).toBeLessThanOrEqual(5);
      expect(saves).toHaveLength(seen.length);

      await page.getByRole('heading', { name: 'Review your answers' }).waitFor();
      await page.getByRole('button', { name: 'Submit' }).click();
      await page.getByRole('heading', { name: 'Your answers were submitted' }).waitFor();

      const report = await app.api.request(
        'GET',
        `/v1/attempts/${await attemptIdOf(inv.invitationId)}/report`,
        { token: assessment.employer },
      );
      const area = report.body.areas.find((a: { area: string }) => a.area === 'security');
      expect(area.adaptive.itemsUsed).toBe(seen.length);
      expect(['max-items', 'target-standard-error']).toContain(area.adaptive.stopReason);
    },
    T,
  );

  it(
    'sends an adaptive answer whose save was held when the page was reloaded, and moves on to the next item',
    async () => {
      // Save and continue, then a reload before the server answered: the answer was lost with
      // the page, and the reloaded page showed the item unanswered.
      const page = await atFirstAdaptiveItem();
      const item = await page.locator('.nav-item[aria-current=step]').getAttribute('data-question');
      const chosen = await page.getByLabel('Option B').getAttribute('value');
      const { release, arrived } = await holdRequests(page, '**/v1/attempts/*/answers/*', 1);
      await page.getByRole('button', { name: 'Save and continue' }).click();
      await arrived;

      await page.reload();
      await page.getByRole('heading', { name: 'Question 3' }).waitFor();

      expect((await serverView(app.api, page)).answers[item!]).toBe(chosen);
      expect(await navButtons(page).count()).toBe(3);
      release();
    },
    T,
  );

  it(
    'shows the current adaptive item again after a reload, and says on review that submitting ends an unfinished section',
    async () => {
      const page = await atFirstAdaptiveItem();
      await page.getByRole('button', { name: 'Save and continue' }).click();
      await page.getByRole('heading', { name: 'Question 3' }).waitFor();
      const current = await page
        .locator('.nav-item[aria-current=step]')
        .getAttribute('data-question');

      await page.reload();
      await page.getByRole('heading', { name: 'Question 3' }).waitFor();
      expect(await page.locator('.nav-item[aria-current=step]').getAttribute('data-question')).toBe(
        current,
      );
      expect(await navButtons(page).count()).toBe(3);

      await page.getByRole('button', { name: 'Review and submit' }).click();
      await page.getByRole('heading', { name: 'Review your answers' }).waitFor();
      expect(await page.locator('.adaptive-open').innerText()).toMatch(
        /Security: this adaptive section goes on \(at most 4 more questions\)\. Submitting now ends it\./,
      );
      await expectAccessible(page, 'review (adaptive open)');
    },
    T,
  );
});

async function attemptIdOf(invitationId: string): Promise<string> {
  const res = await app.api.request('GET', `/v1/assessments/${assessment.id}/invitations`, {
    token: assessment.employer,
  });
  return res.body.items.find((i: { invitationId: string }) => i.invitationId === invitationId)
    .attemptId;
}
