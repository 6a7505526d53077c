/**
 * Answering in the browser: the matching, missing-word and numeric-with-unit controls, and
 * answer revisions end to end (a save whose response is lost; a second tab that changed the
 * answer).
 */
import type { Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import {
  type Assessment,
  createAssessment,
  describeInBrowser,
  expectAccessible,
  goToType,
  invite,
  QUESTION_COUNT as N,
  serverView as serverViewOf,
  startInvitation,
  takeUrl,
  useBrowserApp,
} from './support.ts';

const app = useBrowserApp();
let assessment: Assessment;

beforeAll(async () => {
  if (!app.browser) return;
  assessment = await createAssessment(app.api, 'answers');
}, 60_000);

// Generous: the suite runs beside the others on a busy 2-core machine.
const T = 60_000;

const status = (page: Page) => page.locator('.save-status');
const saved = (page: Page) =>
  expect.poll(() => status(page).innerText(), { timeout: 15_000 }).toMatch(/^Saved at /);
/** The prompt's text as a screen reader reads it: one line, the blank's hidden words included. */
const promptText = async (page: Page) =>
  ((await page.locator('.prompt').textContent()) ?? '').replace(/\s+/g, ' ').trim();
const questionId = (page: Page) =>
  page.locator('.save-status').getAttribute('data-status-for') as Promise<string>;

/** The attempt as the server has it, read with the token this tab holds. */
const serverView = (page: Page) => serverViewOf(app.api, page);

/** The select of the matching item whose label contains `item`. */
const matchFor = (page: Page, item: string) => page.getByRole('combobox', { name: item });

/** The value (a right-hand item id) of the option of `select` whose text contains `text`. */
const optionValue = async (page: Page, item: string, text: string) =>
  (await matchFor(page, item).locator('option', { hasText: text }).getAttribute('value'))!;

describeInBrowser('answering every kind of question', () => {
  it(
    'shows a matching question as a lettered list and one labelled select per item, saves each change, lists a partial match as not answered and restores the matches after a reload',
    async () => {
      const inv = await invite(app.api, assessment);
      const { page } = await startInvitation(app, inv.token);
      const n = await goToType(page, 'matching');
      const qid = await questionId(page);
      const instruction = await page.locator('.instruction').innerText();
      const choices = await page.locator('.match-choices').innerText();
      const choiceCode = await page.locator('.match-choices code').allInnerTexts();
      const labelCode = await page.locator('.match-rows label code').allInnerTexts();
      const optionTexts = await page.locator('.matching option').allInnerTexts();
      const selects = await page.locator('.matching select').count();
      const placeholder = await matchFor(page, 'SQL injection').inputValue();
      await expectAccessible(page, 'matching, unanswered');
      await page.getByRole('button', { name: 'Русский' }).click();
      const russian = {
        instruction: await page.locator('.instruction').innerText(),
        heading: await page.locator('.match-heading').innerText(),
        first: await matchFor(page, 'SQL injection').locator('option').first().innerText(),
      };
      await page.getByRole('button', { name: 'English' }).click();
      const parameterised = await optionValue(page, 'SQL injection', 'Parameterised queries');
      const encoding = await optionValue(page, 'Cross-site scripting', 'Output encoding');
      const sameSite = await optionValue(page, 'request forgery', 'SameSite cookies');

      await matchFor(page, 'SQL injection').selectOption(parameterised);
      await saved(page);
      const partial = await serverView(page);
      const navPartial = await page
        .locator(`.nav-item[data-question="${qid}"]`)
        .getAttribute('aria-label');
      await matchFor(page, 'Cross-site scripting').selectOption(encoding);
      await matchFor(page, 'request forgery').selectOption(sameSite);
      await saved(page);
      const navFull = await page
        .locator(`.nav-item[data-question="${qid}"]`)
        .getAttribute('aria-label');
      await page.reload();
      await page.getByRole('heading', { name: `Question ${n} of ${N}` }).waitFor();

      expect(instruction).toBe('For each numbered item, choose its match from the lettered list.');
      expect(russian).toEqual({
        instruction:
          'Для каждого пронумерованного пункта выберите соответствие из списка с буквами.',
        heading: 'Варианты',
        first: 'Выберите соответствие',
      });
      expect(selects).toBe(3);
      expect(placeholder).toBe('');
      expect(choices).toMatch(/^[ABC]\s+\S/m);
      expect(choiceCode).toEqual(['SameSite']);
      expect(labelCode).toEqual(['<script>']);
      expect(optionTexts).toContain('Choose a match');
      expect(optionTexts.join('\n')).not.toContain('`');
      expect(optionTexts.some((t) => /^[ABC]: SameSite cookies$/.test(t))).toBe(true);
      expect(partial.answers[qid]).toEqual([parameterised, null, null]);
      expect(partial.revisions[qid]!.revision).toBe(1);
      expect(navPartial).toBe(`Question ${n}: not answered`);
      expect(navFull).toBe(`Question ${n}: answered`);
      expect(await matchFor(page, 'SQL injection').inputValue()).toBe(parameterised);
      expect(await matchFor(page, 'Cross-site scripting').inputValue()).toBe(encoding);
      expect(await matchFor(page, 'request forgery').inputValue()).toBe(sameSite);
      expect((await serverView(page)).answers[qid]).toEqual([parameterised, encoding, sameSite]);
      expect(await status(page).innerText()).toMatch(/^Saved at /);
    },
    T,
  );

  it(
    'shows a missing-word prompt with its blank in place, fills it with the choice tapped on a touch screen, and speaks Russian',
    async () => {
      const inv = await invite(app.api, assessment);
      const { page } = await startInvitation(app, inv.token, {
        hasTouch: true,
        viewport: { width: 390, height: 844 },
      });
      await goToType(page, 'missing-word');
      const prompt = page.locator('.prompt');
      const before = await promptText(page);
      const blanks = await prompt.locator('.blank').count();
      const promptCode = await prompt.locator('code').allInnerTexts();
      const optionCode = await page.locator('.choices label code').allInnerTexts();
      const radios = await page.getByRole('radio').count();

      await page.locator('.choices label', { hasText: 'cipher' }).tap();
      await saved(page);
      const cipher = await promptText(page);
      await page.locator('.choices label', { hasText: 'hash' }).tap();
      await saved(page);
      const hash = await promptText(page);
      await expectAccessible(page, 'missing word, answered');
      const value = await page.getByRole('radio', { name: 'hash' }).getAttribute('value');
      const qid = await questionId(page);
      await page.getByRole('button', { name: 'Русский' }).click();
      const russian = await page.locator('.instruction').innerText();

      expect(before).toBe(
        'Store passwords with a slow, salted (blank) such as argon2id, never encrypted.',
      );
      expect(blanks).toBe(1);
      expect(promptCode).toEqual(['argon2id']);
      expect(optionCode).toEqual(['base64']);
      expect(radios).toBe(3);
      expect(cipher).toBe(
        'Store passwords with a slow, salted cipher such as argon2id, never encrypted.',
      );
      expect(hash).toBe(
        'Store passwords with a slow, salted hash such as argon2id, never encrypted.',
      );
      expect(await page.getByRole('radio', { name: 'hash' }).isChecked()).toBe(true);
      expect((await serverView(page)).answers[qid]).toBe(value);
      expect(russian).toBe('Выберите слово или фразу, которые заполняют пропуск.');
      expect(await promptText(page)).toContain('salted hash such');
    },
    T,
  );

  it(
    'shows a numeric question’s unit beside its labelled input, as part of the input’s description',
    async () => {
      const inv = await invite(app.api, assessment);
      const { page } = await startInvitation(app, inv.token);
      await goToType(page, 'numeric');
      const input = page.getByLabel('Your answer (a number)');
      const described = (await input.getAttribute('aria-describedby'))!.split(' ');
      const unit = await page.locator(`[id="${described[0]}"]`).innerText();
      const row = await page.locator('.input-row').innerText();

      await input.fill('256');
      await input.press('Enter');
      await saved(page);

      expect(unit).toBe('bits');
      expect(row.trim()).toBe('bits');
    },
    T,
  );

  it(
    'counts a save whose response was lost as saved: the retry is answered as the save that landed (200, revision 1)',
    async () => {
      const inv = await invite(app.api, assessment);
      const { page } = await startInvitation(app, inv.token);
      await goToType(page, 'missing-word');
      const qid = await questionId(page);
      const ifMatch: string[] = [];
      const answered: number[] = [];
      page.on('request', (r) => {
        if (r.method() === 'PUT') ifMatch.push(r.headers()['if-match'] ?? '');
      });
      page.on('response', (r) => {
        if (r.request().method() === 'PUT') answered.push(r.status());
      });
      let stored = 0;
      await page.route('**/v1/attempts/*/answers/*', async (route) => {
        if (stored) return route.continue();
        // The server stores the answer; the browser never hears of it.
        stored = (await route.fetch()).status();
        await route.abort('connectionreset');
      });

      await page.getByRole('radio', { name: 'cipher' }).check();
      await expect.poll(() => status(page).innerText()).toBe('Not saved — retrying.');
      await saved(page);
      const view = await serverView(page);

      expect(stored).toBe(200);
      expect(ifMatch).toEqual(['"0"', '"0"']);
      // The retry contract (docs/faults.md): the same answer sent again with the same If-Match
      // after it landed answers 200 as the lost response would have.
      expect(answered).toEqual([200]);
      expect(await page.getByRole('radio', { name: 'cipher' }).isChecked()).toBe(true);
      expect(await promptText(page)).toContain('salted cipher such');
      expect(view.answers[qid]).toBe(
        await page.getByRole('radio', { name: 'cipher' }).getAttribute('value'),
      );
      expect(view.revisions[qid]!.revision).toBe(1);
    },
    T,
  );

  it(
    'shows the answer another tab saved in place of a choice made here, says it was changed elsewhere, and never shows the unsaved choice as selected',
    async () => {
      const inv = await invite(app.api, assessment);
      const { context, page: first } = await startInvitation(app, inv.token);
      await goToType(first, 'matching');
      const sqlFirst = await optionValue(first, 'SQL injection', 'Parameterised queries');
      const sqlOther = await optionValue(first, 'SQL injection', 'Output encoding');
      const xss = await optionValue(first, 'Cross-site scripting', 'SameSite cookies');
      await matchFor(first, 'SQL injection').selectOption(sqlFirst);
      await saved(first);
      await goToType(first, 'missing-word');
      await first.getByRole('radio', { name: 'hash' }).check();
      await saved(first);
      const qWord = await questionId(first);
      const cipher = await first.getByRole('radio', { name: 'cipher' }).getAttribute('value');

      // The browser's "Duplicate tab": a second tab with this tab's sessionStorage, so the same
      // attempt token (no new start, nothing rotated).
      const storage = await first.evaluate(() => JSON.stringify(Object.entries(sessionStorage)));
      const second = await context.newPage();
      await second.addInitScript((entries: string) => {
        if (sessionStorage.length === 0)
          for (const [k, v] of JSON.parse(entries) as [string, string][])
            sessionStorage.setItem(k, v);
      }, storage);
      await second.goto(takeUrl(app.api, inv.token));
      await second.getByRole('heading', { name: /^Question \d+ of \d+$/ }).waitFor();
      await goToType(second, 'missing-word');
      await second.getByRole('radio', { name: 'cipher' }).check();
      await saved(second);
      await goToType(second, 'matching');
      await matchFor(second, 'SQL injection').selectOption(sqlOther);
      await saved(second);
      const qMatch = await questionId(second);

      // Back in the first tab, whose page still shows its own earlier answers.
      const sent: string[] = [];
      first.on('request', (r) => {
        if (r.method() === 'PUT') sent.push(r.headers()['if-match'] ?? '');
      });
      // click, not check: the refused choice must not stay checked, which check() would insist on.
      await first.getByRole('radio', { name: 'base64 encoding' }).click();
      await expect
        .poll(() => status(first).innerText())
        .toBe('This answer was changed in another window; the saved answer is shown.');
      const word = {
        cipher: await first.getByRole('radio', { name: 'cipher' }).isChecked(),
        base64: await first.getByRole('radio', { name: 'base64 encoding' }).isChecked(),
        hash: await first.getByRole('radio', { name: 'hash' }).isChecked(),
        prompt: await promptText(first),
      };
      await expectAccessible(first, 'answer changed in another window');
      await goToType(first, 'matching');
      await matchFor(first, 'Cross-site scripting').selectOption(xss);
      await expect
        .poll(() => status(first).innerText())
        .toBe('This answer was changed in another window; the saved answer is shown.');
      const match = {
        sql: await matchFor(first, 'SQL injection').inputValue(),
        xss: await matchFor(first, 'Cross-site scripting').inputValue(),
      };
      const server = await serverView(first);
      // Once the saved answer is shown, a new choice is saved over it.
      await matchFor(first, 'Cross-site scripting').selectOption(xss);
      await saved(first);

      expect(sent.slice(0, 2)).toEqual(['"1"', '"1"']);
      expect(word).toEqual({
        cipher: true,
        base64: false,
        hash: false,
        prompt: 'Store passwords with a slow, salted cipher such as argon2id, never encrypted.',
      });
      expect(match).toEqual({ sql: sqlOther, xss: '' });
      expect(server.answers[qMatch]).toEqual([sqlOther, null, null]);
      expect(server.revisions[qMatch]!.revision).toBe(2);
      expect(server.answers[qWord]).toBe(cipher);
      expect(sent[2]).toBe('"2"');
      expect((await serverView(first)).answers[qMatch]).toEqual([sqlOther, xss, null]);
    },
    T,
  );
});
