import type { Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import {
  QUESTION_TYPES,
  type QuestionTypeId,
} from '../../functions/domain/question-types/registry.ts';
import { CATALOGUE } from '../../web/candidate/i18n.ts';
import {
  type Assessment,
  attemptSession,
  createAssessment,
  describeInBrowser,
  goToType,
  holdRequests,
  invite,
  QUESTION_COUNT as N,
  openInvitation,
  SECTIONS,
  startInvitation,
  takeUrl,
  useBrowserApp,
} from './support.ts';

const app = useBrowserApp();
let assessment: Assessment;

beforeAll(async () => {
  if (!app.browser) return;
  assessment = await createAssessment(app.api, 'flow');
}, 60_000);

const security = SECTIONS.find((s) => s.area === 'security')!.count;

// Generous: the suite runs beside the others on a busy 2-core machine.
const T = 60_000;

const openIntro = (token: string, button = 'Start') => openInvitation(app, token, button);
const startAttempt = (token: string) => startInvitation(app, token);

const status = (page: Page) => page.locator('.save-status');

async function invitationStatus(invitationId: string) {
  const res = await app.api.request('GET', `/v1/assessments/${assessment.id}/invitations`, {
    token: assessment.employer,
  });
  return res.body.items.find((i: { invitationId: string }) => i.invitationId === invitationId)
    .status as string;
}

describeInBrowser('the candidate app', () => {
  it(
    'shows the intro without starting the attempt; only Start starts it and the clock',
    async () => {
      const inv = await invite(app.api, assessment, { extraTimePercent: 50 });
      const { page } = await app.open();
      const starts: string[] = [];
      page.on('request', (r) => {
        if (r.method() === 'POST' && new URL(r.url()).pathname === '/v1/attempts')
          starts.push(r.url());
      });

      await page.goto(takeUrl(app.api, inv.token));
      await page.getByRole('button', { name: 'Start' }).waitFor();
      const intro = await page.locator('main').innerText();
      const before = await invitationStatus(inv.invitationId);
      await page.getByRole('button', { name: 'Start' }).click();
      await page.getByRole('heading', { name: `Question 1 of ${N}` }).waitFor();

      expect(before).toBe('pending');
      expect(intro).toContain(
        '45 minutes — includes 50% extra time (the standard limit is 30 minutes)',
      );
      expect(intro).toContain(CATALOGUE.en.questions(N));
      expect(intro).toContain(`Security: ${CATALOGUE.en.questions(security)}`);
      expect(intro).toMatch(/records when it is hidden/);
      expect(starts).toHaveLength(1);
      expect(await invitationStatus(inv.invitationId)).toBe('started');
      await expect.poll(() => page.locator('#countdown').innerText()).toMatch(/^4[45]:\d\d$/);
      expect(await page.locator('#clock-label').innerText()).toBe(
        'Time left (with 50% extra time)',
      );
      expect(await page.title()).toBe('Backend screen');
      expect(await page.locator('link[rel=icon]').getAttribute('href')).toBe('/take/favicon.svg');
    },
    T,
  );

  it(
    'renders markdown: code in <pre>/<code> in prompts, options and order items, no raw backtick, HTML shown as text',
    async () => {
      const inv = await invite(app.api, assessment);
      const { page } = await startAttempt(inv.token);

      await goToType(page, 'single');
      const pre = (await page.locator('.prompt pre code').innerText()).trim();
      const optionCode = await page.locator('.choices label code').allInnerTexts();
      const prompt = await page.locator('.prompt').innerText();
      const pod = await page.locator('.prompt code', { hasText: 'kubectl' }).innerText();
      await goToType(page, 'order');
      const orderCode = await page.locator('.order-list code').allInnerTexts();
      await goToType(page, 'multi');
      const listItems = await page.locator('.prompt li').allInnerTexts();
      const strong = await page.locator('.prompt strong').innerText();

      expect(pre).toBe('const token = await alpha();\nawait bravo(token);');
      expect(optionCode).toEqual(['alpha()']);
      expect(pod).toBe('kubectl logs <pod>');
      expect(prompt).not.toContain('`');
      expect(orderCode.sort()).toEqual(['ClientHello', 'Finished', 'ServerHello']);
      expect(listItems).toEqual(['deny by default', 'least privilege']);
      expect(strong).toBe('safe');
      expect(await page.locator('main').innerText()).not.toContain('`');
      expect(await page.locator('main script, main [onerror], main pod').count()).toBe(0);
    },
    T,
  );

  it(
    'shows an answer as saving until the server answers, then saved with the time; a failing save says "not saved — retrying" and retries',
    async () => {
      const inv = await invite(app.api, assessment);
      const { page } = await startAttempt(inv.token);
      await goToType(page, 'single');
      const { release } = await holdRequests(page, '**/v1/attempts/*/answers/*');

      await page.locator('.choices input').nth(1).check();
      await expect.poll(() => status(page).innerText()).toBe('Saving…');
      release();
      await expect.poll(() => status(page).innerText()).toMatch(/^Saved at \d\d:\d\d:\d\d\.$/);
      await page.unroute('**/v1/attempts/*/answers/*');

      let failures = 0;
      await page.route('**/v1/attempts/*/answers/*', async (route) => {
        if (failures++ < 2) {
          await route.fulfill({
            status: 503,
            headers: { 'content-type': 'application/problem+json', 'retry-after': '1' },
            body: '{"status":503,"detail":"busy"}',
          });
        } else await route.continue();
      });
      await page.locator('.choices input').nth(2).check();
      await expect.poll(() => status(page).innerText()).toBe('Not saved — retrying.');
      expect(await page.locator('.choices input').nth(2).isChecked()).toBe(true);
      await expect.poll(() => status(page).innerText(), { timeout: 15_000 }).toMatch(/^Saved at /);

      const saved = await app.api.request('GET', `/v1/attempts/${await attemptId(page)}`, {
        token: await attemptToken(page),
      });
      const single = saved.body.questions.find((q: { type: string }) => q.type === 'single');
      expect(failures).toBe(3);
      expect(saved.body.answers[single.questionId]).toBe(
        await page.locator('.choices input').nth(2).getAttribute('value'),
      );
    },
    T,
  );

  it(
    'queues answers while offline and sends them in order when back online',
    async () => {
      const inv = await invite(app.api, assessment);
      const { context, page } = await startAttempt(inv.token);
      const sent: string[] = [];
      page.on('request', (r) => {
        if (r.method() === 'PUT') sent.push(decodeURIComponent(r.url().split('/').pop()!));
      });

      await context.setOffline(true);
      await goToType(page, 'sjt');
      const sjt = await currentQuestionId(page);
      await page.locator('.choices input').first().check();
      await expect.poll(() => status(page).innerText()).toMatch(/^Not saved — you are offline/);
      await goToType(page, 'numeric');
      const numeric = await currentQuestionId(page);
      await page.getByLabel('Your answer (a number)').fill('256');
      await page.getByLabel('Your answer (a number)').press('Enter');
      await expect.poll(() => status(page).innerText()).toMatch(/^Not saved — you are offline/);
      const banner = await page.locator('#offline').innerText();
      const navLabel = await page
        .locator(`.nav-item[data-question="${sjt}"]`)
        .getAttribute('aria-label');
      await context.setOffline(false);
      await expect.poll(() => status(page).innerText()).toMatch(/^Saved at /);

      expect(banner).toMatch(/You are offline/);
      expect(navLabel).toMatch(/answered, not saved yet/);
      expect(sent.filter((q) => q === sjt || q === numeric)).toEqual([sjt, numeric]);
      const view = await app.api.request('GET', `/v1/attempts/${await attemptId(page)}`, {
        token: await attemptToken(page),
      });
      expect(view.body.answers[numeric]).toBe(256);
      expect(view.body.answers[sjt]).toEqual(expect.any(String));

      await context.setOffline(true);
      await page.getByLabel('Your answer (a number)').fill('512');
      await page.getByLabel('Your answer (a number)').press('Enter');
      let warned = '';
      page.once('dialog', async (dialog) => {
        warned = dialog.type();
        await dialog.dismiss();
      });
      await page.close({ runBeforeUnload: true });
      await expect.poll(() => warned).toBe('beforeunload');
    },
    T,
  );

  it(
    'orders by dragging an item by its handle, and counts the shown order only once kept',
    async () => {
      const inv = await invite(app.api, assessment);
      const { page } = await startAttempt(inv.token);
      await goToType(page, 'order');
      const items = () =>
        page
          .locator('.order-list li')
          .evaluateAll((lis) =>
            lis.map((li) => (li as unknown as { dataset: { id: string } }).dataset.id),
          );
      const before = await items();
      const unanswered = await status(page).innerText();

      const from = await page.locator('.order-list .handle').first().boundingBox();
      const to = await page.locator('.order-list li').nth(2).boundingBox();
      await page.mouse.move(from!.x + from!.width / 2, from!.y + from!.height / 2);
      await page.mouse.down();
      await page.mouse.move(from!.x + 5, to!.y + to!.height * 0.75, { steps: 8 });
      await page.mouse.up();
      await expect.poll(() => status(page).innerText()).toMatch(/^Saved at /);
      const after = await items();
      const view = await app.api.request('GET', `/v1/attempts/${await attemptId(page)}`, {
        token: await attemptToken(page),
      });
      const order = view.body.questions.find((q: { type: string }) => q.type === 'order');

      expect(unanswered).toBe('Not answered yet.');
      expect(after).toEqual([before[1], before[2], before[0], before[3]]);
      expect(view.body.answers[order.questionId]).toEqual(after);
      expect(await page.getByRole('button', { name: 'Keep this order' }).isVisible()).toBe(false);
      expect(await page.locator('.order-list .pos').allInnerTexts()).toEqual([
        '1.',
        '2.',
        '3.',
        '4.',
      ]);
    },
    T,
  );

  it(
    'resumes after a reload on the same question with the saved answers, without a new start',
    async () => {
      const inv = await invite(app.api, assessment);
      const { page } = await startAttempt(inv.token);
      const n = await goToType(page, 'text');
      await page.getByLabel('Your answer', { exact: true }).fill('Authorization');
      await page.getByLabel('Your answer', { exact: true }).blur();
      await expect.poll(() => status(page).innerText()).toMatch(/^Saved at /);
      await page.getByRole('button', { name: 'Flag for review' }).click();
      const starts: string[] = [];
      page.on('request', (r) => {
        if (r.method() === 'POST') starts.push(new URL(r.url()).pathname);
      });

      await page.reload();
      await page.getByRole('heading', { name: `Question ${n} of ${N}` }).waitFor();

      expect(await page.getByLabel('Your answer', { exact: true }).inputValue()).toBe(
        'Authorization',
      );
      // The attempt view carries each answer's revision and save time (answer revisions).
      expect(await status(page).innerText()).toMatch(/^Saved at \d\d:\d\d:\d\d\.$/);
      expect(
        await page.getByRole('button', { name: 'Flag for review' }).getAttribute('aria-pressed'),
      ).toBe('true');
      expect(starts.filter((p) => p === '/v1/attempts')).toEqual([]);
    },
    T,
  );

  it(
    'hands the attempt to a second window; the first says so, shows no unsaved choice, and can continue here',
    async () => {
      const inv = await invite(app.api, assessment);
      const first = await startAttempt(inv.token);
      await goToType(first.page, 'single');
      await first.page.locator('.choices input').first().check();
      await expect.poll(() => status(first.page).innerText()).toMatch(/^Saved at /);

      const second = await openIntro(inv.token, 'Continue');
      const introText = await second.page.locator('main').innerText();
      await second.page.getByRole('button', { name: 'Continue' }).click();
      await second.page
        .getByRole('heading', { name: new RegExp(`^Question \\d of ${N}$`) })
        .waitFor();
      // click, not check: the refused choice must not stay checked, which check() would insist on.
      await first.page.locator('.choices input').nth(1).click();
      await first.page
        .getByRole('heading', { name: 'This assessment continues in another window' })
        .waitFor();

      expect(introText).toMatch(/You started this assessment at/);
      expect(await first.page.locator('input:checked').count()).toBe(0);
      expect(await first.page.locator('input').count()).toBe(0);
      const view = await app.api.request('GET', `/v1/attempts/${await attemptId(second.page)}`, {
        token: await attemptToken(second.page),
      });
      const single = view.body.questions.find((q: { type: string }) => q.type === 'single');
      const firstChoice = view.body.answers[single.questionId];

      await first.page.getByRole('button', { name: 'Continue here' }).click();
      await goToType(first.page, 'single');
      const checked = await first.page.locator('.choices input:checked').getAttribute('value');
      await goToType(second.page, 'sjt');
      await second.page.locator('.choices input').first().click();
      await second.page
        .getByRole('heading', { name: 'This assessment continues in another window' })
        .waitFor();

      expect(checked).toBe(firstChoice);
    },
    T,
  );

  it('is completed with the keyboard alone, every question type included, and shows the result', async () => {
    const inv = await invite(app.api, assessment);
    const { page } = await openIntro(inv.token);
    const key = (k: string) => page.keyboard.press(k);
    /** Tab until the focused element matches; keyboard only. */
    const tabTo = async (matches: string, max = 40) => {
      for (let i = 0; i < max; i++) {
        await key('Tab');
        const focused = await page.evaluate(
          `document.activeElement?.matches(${JSON.stringify(matches)}) ?? false`,
        );
        if (focused) return;
      }
      throw new Error(`Tab never reached ${matches}`);
    };

    await tabTo('#start');
    await key('Enter');
    await page.getByRole('heading', { name: `Question 1 of ${N}` }).waitFor();
    const radio = async () => {
      await tabTo('.choices input');
      await key('ArrowDown'); // moves to and selects the next radio
    };
    const type = async (selector: string, text: string) => {
      await tabTo(selector);
      await page.keyboard.type(text);
      await key('Enter');
    };
    /** How each type of the registry is answered by keyboard (one missing does not compile). */
    const answerBy: Record<QuestionTypeId, () => Promise<void>> = {
      single: radio,
      sjt: radio,
      'missing-word': radio,
      multi: async () => {
        await tabTo('.choices input');
        await key('Space');
      },
      order: async () => {
        await tabTo('.order-list button:not([disabled])');
        await key('Enter');
      },
      numeric: () => type('.typed input', '256'),
      text: () => type('.typed input', 'authorization'),
      matching: async () => {
        // One select per item: the first reached by Tab, the others each one Tab further.
        const count = await page.locator('.matching select').count();
        await tabTo('.matching select');
        for (let s = 0; s < count; s++) {
          if (s > 0) await key('Tab');
          await key('ArrowDown'); // a closed select takes the next choice
        }
      },
    };
    const seen: string[] = [];
    for (let i = 1; i <= N; i++) {
      const t = (await page
        .locator('section.question')
        .getAttribute('data-type')) as QuestionTypeId;
      seen.push(t);
      await answerBy[t]();
      await expect.poll(() => status(page).innerText()).toMatch(/^Saved at /);
      await tabTo('.pager .primary');
      await key('Enter');
      if (i < N) await page.getByRole('heading', { name: `Question ${i + 1} of ${N}` }).waitFor();
    }
    await page.getByRole('heading', { name: 'Review your answers' }).waitFor();
    const review = await page.locator('main').innerText();
    await tabTo('#submit');
    await key('Enter');
    await page.getByRole('heading', { name: 'Your answers were submitted' }).waitFor();
    const final = await page.locator('main').innerText();

    expect(seen.sort()).toEqual([...QUESTION_TYPES].sort());
    expect(review).toContain(`${N} of ${N} answered`);
    expect(review).toContain('Every question has an answer.');
    expect(final).toMatch(/Submitted at \d\d:\d\d:\d\d\./);
    expect(final).toContain('Your profile by area');
    expect(final).toMatch(/Security\s+\d/);
    expect(final).toMatch(/Collaboration\s+\d/);
    expect(final).not.toMatch(/\bsecurity\b|insufficient-evidence/);
    expect(await page.locator('figure.chart svg[role=img]').count()).toBe(1);
  }, 90_000);

  it(
    "records when the page is hidden and when text is pasted, and the employer's report shows them with counts and times",
    async () => {
      const inv = await invite(app.api, assessment);
      const { page } = await startAttempt(inv.token);
      await goToType(page, 'text');
      const setVisibility = (state: string) =>
        page.evaluate(`
          Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => '${state}' });
          document.dispatchEvent(new Event('visibilitychange'));
        `);

      await setVisibility('hidden');
      await setVisibility('visible');
      await page.evaluate(`{
        const data = new DataTransfer();
        data.setData('text', 'twelve chars');
        document.querySelector('.typed input').dispatchEvent(
          new ClipboardEvent('paste', { clipboardData: data, bubbles: true }),
        );
      }`);
      await page.getByRole('button', { name: 'Review and submit' }).click();
      await page.getByRole('button', { name: 'Submit' }).click();
      await page.getByRole('heading', { name: 'Your answers were submitted' }).waitFor();
      const attempt = await reportedAttempt(inv.invitationId);
      const report = await app.api.request('GET', `/v1/attempts/${attempt}/report`, {
        token: assessment.employer,
      });
      const signal = (type: string) =>
        report.body.integrity.signals.find((s: { type: string }) => s.type === type);

      expect(signal('page-hidden')).toMatchObject({ count: 1, times: [expect.any(String)] });
      expect(signal('paste')).toMatchObject({
        count: 1,
        detail: 'Text was pasted once into the answer of 1 question, 12 characters in all.',
      });
    },
    T,
  );

  it(
    'speaks Russian when the invitation says so, switches to English and keeps the choice',
    async () => {
      const inv = await invite(app.api, assessment, { locale: 'ru' });
      const { page } = await openRussian(inv.token);

      const intro = await page.locator('main').innerText();
      const lang = await page.getAttribute('html', 'lang');
      await page.getByRole('button', { name: 'English' }).click();
      const english = await page.locator('main').innerText();
      await page.reload();
      await page.getByRole('button', { name: 'Start' }).waitFor();

      expect(lang).toBe('ru');
      expect(intro).toContain('Начать');
      expect(intro).toContain('Время');
      expect(intro).toContain('30 минут');
      expect(intro).toContain(CATALOGUE.ru.questions(N));
      expect(intro).toContain(`Безопасность: ${CATALOGUE.ru.questions(security)}`);
      expect(intro).toMatch(/Ссылка действует до\s+\d+ [а-я]+ \d{4}/);
      expect(english).toContain('Read this first');
      expect(await page.getAttribute('html', 'lang')).toBe('en');
    },
    T,
  );
});

async function openRussian(token: string) {
  const { context, page } = await app.open({ locale: 'ru-RU' });
  await page.goto(takeUrl(app.api, token));
  await page.getByRole('button', { name: 'Начать' }).waitFor();
  return { context, page };
}

async function reportedAttempt(invitationId: string): Promise<string> {
  const res = await app.api.request('GET', `/v1/assessments/${assessment.id}/invitations`, {
    token: assessment.employer,
  });
  return res.body.items.find((i: { invitationId: string }) => i.invitationId === invitationId)
    .attemptId;
}

const attemptId = async (page: Page) => (await attemptSession(page)).attemptId;
const attemptToken = async (page: Page) => (await attemptSession(page)).attemptToken;
const currentQuestionId = (page: Page) =>
  page.locator('.save-status').getAttribute('data-status-for') as Promise<string>;
