/**
 * The console in Chromium against the real local gateway and DynamoDB Local: an employer
 * builds an assessment, invites two candidates, follows their statuses while one completes the
 * test through the candidate app, reads the results and the report and exports them; an author
 * imports a bank with an error, then a good one, filters the bank and opens a question's
 * statistics. axe-core runs on every screen; SCREENSHOT_DIR=docs/img captures them.
 */
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import {
  capture,
  completeViaLink,
  describeInBrowser,
  expectAccessible,
  expectReflow,
  markdownBank,
  useBrowserApp,
} from './support.ts';

const app = useBrowserApp();

type Role = 'Employer' | 'Author' | 'Both';

/** The development sign-in, as a person uses it. */
async function signIn(page: Page, org: string, role: Role) {
  await page.goto(`${app.api.base}/console`);
  await page.getByRole('heading', { name: 'Sign in (development)' }).waitFor();
  await page.getByLabel('Organisation').fill(org);
  await page.getByLabel(role, { exact: true }).check();
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page
    .getByRole('heading', { name: role === 'Author' ? 'Question bank' : 'Assessments' })
    .waitFor();
}

/** The bank the employer's assessment draws from: 5 security questions, 1 collaboration. */
async function seedBank(org: string, prefix: string) {
  const author = await app.api.token('author', org);
  const res = await app.api.request('POST', '/v1/banks', {
    token: author,
    body: markdownBank(prefix),
  });
  expect(res.status).toBe(201);
}

/** The row of a table whose header cell names this candidate. */
const rowOf = (page: Page, who: string) =>
  page.locator('tbody tr').filter({ has: page.getByRole('rowheader', { name: new RegExp(who) }) });

describeInBrowser('the console for employers', () => {
  it('creates an assessment, invites two candidates, follows their statuses while one completes it, reads results and the report, exports CSV and revokes the other', async () => {
    const org = 'console-employer';
    await seedBank(org, 'cemp');
    const { page } = await app.open();
    await page.goto(`${app.api.base}/console`);
    await page.getByRole('heading', { name: 'Sign in (development)' }).waitFor();
    await expectAccessible(page, 'sign-in');
    await capture(page, 'console-sign-in');
    await signIn(page, org, 'Employer');
    await expectAccessible(page, 'empty assessments list');

    // Create from a blueprint: pool sizes per area, a time estimate.
    await page.getByRole('link', { name: 'New assessment' }).click();
    await page.getByRole('heading', { name: 'New assessment' }).waitFor();
    await page.getByLabel('Title').fill('Platform engineer screen');
    await page.getByLabel('Time limit (minutes)').fill('20');
    const first = page.getByRole('group', { name: 'Section 1' });
    const second = page.getByRole('group', { name: 'Section 2' });
    await first.getByLabel('Area').selectOption('security');
    await first.getByLabel('Questions').fill('9');
    await expect
      .poll(() => first.locator('.pool').innerText())
      .toBe('5 questions available in this area. Ask for 5 at most.');
    await first.getByLabel('Questions').fill('5');
    await second.getByLabel('Area').selectOption('collaboration');
    await second.getByLabel('Questions').fill('1');
    await expect
      .poll(() => page.locator('#blueprint-summary').innerText())
      .toMatch(/^6 questions in all\./);
    await expectAccessible(page, 'create');
    await capture(page, 'console-create');
    await page.getByRole('button', { name: 'Create assessment' }).click();
    await page.getByRole('heading', { name: 'Platform engineer screen' }).waitFor();
    expect(await page.locator('main dl').innerText()).toContain('Security: 5 of 5');

    // Invite two by pasting: one as "Name, email", one as "Name <email>" reading Russian.
    await page.getByRole('link', { name: 'Invite candidates' }).click();
    await page.getByRole('heading', { name: 'Invite candidates' }).waitFor();
    await page
      .getByLabel('Candidates', { exact: true })
      .fill('Ada Lovelace, ada@example.com\nGrace Hopper <grace@example.com>, ru\nnot an email@');
    await expect
      .poll(() => page.locator('.invite-preview').innerText())
      .toContain('Line 3: "not an email@" is not an email address.');
    await expectAccessible(page, 'invite with a bad line');
    await page
      .getByLabel('Candidates', { exact: true })
      .fill('Ada Lovelace, ada@example.com\nGrace Hopper <grace@example.com>, ru');
    await expect
      .poll(() => page.locator('.invite-preview').innerText())
      .toBe('2 candidates to invite.');
    await capture(page, 'console-invite');
    await page.getByRole('button', { name: 'Invite', exact: true }).click();
    await page.getByRole('heading', { name: '2 candidates invited' }).waitFor();
    const adaLink = await page.getByRole('textbox', { name: 'Link for Ada Lovelace' }).inputValue();
    expect(adaLink).toMatch(new RegExp(`^${app.api.base}/take#.+`));
    await expectAccessible(page, 'invited links');
    await capture(page, 'console-invited');

    // Statuses, live: pending, then started and completed as the candidate goes on.
    await page.getByRole('link', { name: 'See their statuses' }).click();
    await page.getByRole('heading', { name: 'Invitations' }).waitFor();
    await expect.poll(() => page.locator('.counts').innerText()).toBe('Pending: 2');
    await expectAccessible(page, 'invitations');
    const { page: candidate } = await app.open();
    await completeViaLink(candidate, adaLink);
    await expect
      .poll(() => rowOf(page, 'Ada Lovelace').locator('.status').innerText(), { timeout: 20_000 })
      .toBe('Completed');
    expect(await page.locator('.counts').innerText()).toBe('Pending: 1 · Completed: 1');
    await capture(page, 'console-assessment');

    // Results: sortable by score, percentile and area; the report; CSV.
    await page.getByRole('link', { name: 'Results' }).click();
    await page.getByRole('heading', { name: 'Results' }).waitFor();
    const scoreHeader = page.getByRole('columnheader', { name: /Score/ });
    expect(await scoreHeader.getAttribute('aria-sort')).toBe('descending');
    await page.getByRole('button', { name: 'Security' }).click();
    expect(
      await page.getByRole('columnheader', { name: /Security/ }).getAttribute('aria-sort'),
    ).toBe('descending');
    expect(await scoreHeader.getAttribute('aria-sort')).toBeNull();
    await page.getByRole('button', { name: 'Percentile' }).click();
    await expectAccessible(page, 'results');
    await capture(page, 'console-results');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    const csv = await readFile((await download.path())!, 'utf8');
    expect(download.suggestedFilename()).toMatch(/^results-[0-9A-Z]{26}\.csv$/);
    expect(csv.split('\r\n')[0]).toMatch(/^rank,attemptId,name,email,/);
    expect(csv).toContain('Ada Lovelace,ada@example.com');
    await page.getByRole('link', { name: 'Report of Ada Lovelace' }).click();
    await page.getByRole('heading', { name: 'Report: Ada Lovelace' }).waitFor();
    await page.getByRole('img', { name: /scores by area/ }).waitFor();
    expect(await page.getByRole('table').first().innerText()).toContain('Security');
    await expectAccessible(page, 'report');
    await capture(page, 'console-report');

    // Revoke the other invitation.
    await page.getByRole('link', { name: '← Platform engineer screen' }).click();
    await page.getByRole('link', { name: 'Invitations' }).click();
    await page.getByRole('button', { name: 'Revoke the invitation of Grace Hopper' }).click();
    await page.getByRole('dialog', { name: 'Revoke the invitation of Grace Hopper?' }).waitFor();
    await expectAccessible(page, 'revoke dialog');
    await page.getByRole('button', { name: 'Revoke', exact: true }).click();
    await expect
      .poll(() => rowOf(page, 'Grace Hopper').locator('.status').innerText())
      .toBe('Revoked');
  }, 240_000);

  it('shows resend, extend, archive, clone, preview and delete only when the server has their routes', async () => {
    const org = 'console-actions';
    await seedBank(org, 'cact');
    const employer = await app.api.token('employer', org);
    const created = await app.api.request('POST', '/v1/assessments', {
      token: employer,
      body: { title: 'Actions', timeLimitMinutes: 10, sections: [{ area: 'security', count: 2 }] },
    });
    await app.api.request('POST', `/v1/assessments/${created.body.assessmentId}/invitations`, {
      token: employer,
      body: {
        candidates: [{ name: 'Linus' }],
        expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
      },
    });
    const optional = ['Preview as a candidate', 'Clone', 'Archive', 'Delete', 'New link for Linus'];

    // A server from before those routes (its document without them): no such buttons.
    const { page } = await app.open();
    await page.route('**/v1/openapi.json', async (route) => {
      const doc = await (await route.fetch()).json();
      delete doc.paths['/v1/invitations/{invitationId}/resend'];
      delete doc.paths['/v1/attempts/{attemptId}/extend'];
      delete doc.paths['/v1/assessments/{assessmentId}/archive'];
      delete doc.paths['/v1/assessments/{assessmentId}/clone'];
      delete doc.paths['/v1/assessments/{assessmentId}/preview'];
      delete doc.paths['/v1/assessments/{assessmentId}'].delete;
      await route.fulfill({ json: doc });
    });
    await signIn(page, org, 'Employer');
    await page.getByRole('link', { name: 'Actions' }).click();
    await page.getByRole('heading', { name: 'Invitations' }).waitFor();
    await rowOf(page, 'Linus').waitFor();
    for (const name of optional) {
      expect(await page.getByRole('button', { name, exact: true }).count(), name).toBe(0);
    }
    expect(await page.getByRole('button', { name: 'Revoke the invitation of Linus' }).count()).toBe(
      1,
    );

    // The same console against this server, which has those routes: the buttons appear.
    const { page: later } = await app.open();
    await signIn(later, org, 'Employer');
    await later.getByRole('link', { name: 'Actions' }).click();
    await rowOf(later, 'Linus').waitFor();
    for (const name of optional) {
      expect(await later.getByRole('button', { name, exact: true }).count(), name).toBe(1);
    }
  }, 120_000);

  it('is usable 390 CSS pixels wide: no horizontal scrolling on the list, create, assessment and report screens', async () => {
    const org = 'console-narrow';
    await seedBank(org, 'cnar');
    const { page } = await app.open({ viewport: { width: 390, height: 800 } });
    await signIn(page, org, 'Employer');
    await expectReflow(page, 'assessments list');
    await page.getByRole('link', { name: 'New assessment' }).click();
    await page.getByRole('heading', { name: 'New assessment' }).waitFor();
    await expectReflow(page, 'create');
    await page.getByLabel('Title').fill('Narrow');
    await page
      .getByRole('group', { name: 'Section 1' })
      .getByLabel('Area')
      .selectOption('security');
    await page.getByRole('group', { name: 'Section 1' }).getByLabel('Questions').fill('5');
    const second = page.getByRole('group', { name: 'Section 2' });
    await second.getByLabel('Questions').fill('1');
    // The shipped bank is not in this test's table: problem-solving has no questions.
    await page.getByRole('button', { name: 'Create assessment' }).click();
    await page.getByRole('heading', { name: 'Fix these first' }).waitFor();
    expect(await page.locator('.error-summary').innerText()).toMatch(/problem-solving/);
    await expectReflow(page, 'create with errors');
    await second.getByLabel('Area').selectOption('collaboration');
    await page.getByRole('button', { name: 'Create assessment' }).click();
    await page.getByRole('heading', { name: 'Narrow' }).waitFor();
    await page.getByRole('link', { name: 'Invite candidates' }).click();
    await page.getByLabel('Candidates', { exact: true }).fill('Ada Lovelace, ada@example.com');
    await page.getByRole('button', { name: 'Invite', exact: true }).click();
    await page.getByRole('heading', { name: '1 candidate invited' }).waitFor();
    await expectReflow(page, 'invited');
    const link = await page.getByRole('textbox', { name: 'Link for Ada Lovelace' }).inputValue();
    await page.getByRole('link', { name: 'See their statuses' }).click();
    await page.getByRole('heading', { name: 'Invitations' }).waitFor();
    await expectReflow(page, 'assessment');
    const { page: candidate } = await app.open();
    await completeViaLink(candidate, link);
    await page.getByRole('link', { name: 'Results' }).click();
    await page.getByRole('link', { name: 'Report of Ada Lovelace' }).click();
    await page.getByRole('heading', { name: 'Report: Ada Lovelace' }).waitFor();
    await expectReflow(page, 'report');
    await capture(page, 'console-report-390px');
  }, 180_000);
});

describeInBrowser('the console for authors', () => {
  it('imports a bank with an error (located), then a good one, filters the bank and opens a question’s statistics', async () => {
    const org = 'console-author';
    const { page } = await app.open();
    await signIn(page, org, 'Author');
    await expect.poll(() => page.locator('.counts').innerText()).toBe('No questions match.');
    await expectAccessible(page, 'empty bank');

    await page.getByRole('link', { name: 'Import a bank' }).click();
    await page.getByRole('heading', { name: 'Import a bank' }).waitFor();
    await expectAccessible(page, 'import');
    const bad = [
      'bank:',
      '  id: broken-bank',
      '  title: Broken bank',
      'questions:',
      '  - id: broken-1',
      '    area: security',
      '    type: single',
      '    difficulty: 1',
      '    prompt: Which one?',
      '    options:',
      '      - { id: a, text: Alpha }',
      '      - { id: b, text: Bravo }',
      '    answer: z',
      '    explanation: Because.',
      '',
    ].join('\n');
    await page
      .getByLabel('Bank file')
      .setInputFiles({ name: 'broken.yaml', mimeType: 'text/yaml', buffer: Buffer.from(bad) });
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByRole('heading', { name: /problems? to fix$/ }).waitFor();
    const problems = await page.locator('.import-outcome .problems').innerText();
    expect(problems).toMatch(/^line 13, column \d+: questions\[0\]\.answer — /m);
    expect(problems.indexOf('line 5,')).toBeLessThan(problems.indexOf('line 13,'));
    expect(await page.locator('#import-phase').innerText()).toBe(
      'broken.yaml was not imported: nothing was stored.',
    );
    await expectAccessible(page, 'import with errors');
    await capture(page, 'console-import-errors');

    const good = JSON.stringify(markdownBank('cauth'));
    await page.getByLabel('Bank file').setInputFiles({
      name: 'good.json',
      mimeType: 'application/json',
      buffer: Buffer.from(good),
    });
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByRole('heading', { name: 'Imported' }).waitFor();
    expect(await page.locator('.import-outcome').innerText()).toContain(
      '6 questions: 6 new, 0 updated, 0 unchanged.',
    );
    expect(await page.locator('#import-progress').getAttribute('value')).toBe('1');
    await expectAccessible(page, 'imported');
    await capture(page, 'console-imported');

    // The list, filtered by the API (area) and by text over what is loaded.
    await page.getByRole('link', { name: 'See the questions' }).click();
    await expect.poll(() => page.locator('.counts').innerText()).toBe('6 questions.');
    await page.getByLabel('Area').selectOption('collaboration');
    await page.getByRole('button', { name: 'Filter' }).click();
    await expect.poll(() => page.locator('.counts').innerText()).toBe('1 question.');
    await page.getByLabel('Area').selectOption('');
    await page.getByLabel('Containing').fill('TLS');
    await page.getByRole('button', { name: 'Filter' }).click();
    await expect
      .poll(() => page.locator('.counts').innerText())
      .toBe('1 of 6 questions loaded contain those words.');
    await expectAccessible(page, 'bank list');
    await page.getByLabel('Containing').fill('');
    await page.getByRole('button', { name: 'Filter' }).click();
    await expect.poll(() => page.locator('.counts').innerText()).toBe('6 questions.');
    await capture(page, 'console-bank');

    await page.getByRole('link', { name: 'cauth-single' }).click();
    await page.getByRole('heading', { name: 'cauth-single' }).waitFor();
    await page.getByRole('heading', { name: 'Item statistics' }).waitFor();
    const stats = page.getByRole('region', { name: 'Item statistics' });
    expect(await stats.locator('tbody tr').first().innerText()).toMatch(/^1\s+0\s+—\s+—\s+—$/);
    expect(await page.locator('.prompt').innerHTML()).toContain('&lt;pod&gt;');
    await expectAccessible(page, 'question and statistics');
    await capture(page, 'console-question');
  }, 180_000);
});
