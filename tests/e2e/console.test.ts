/**
 * The console in Chromium against the real local gateway, DynamoDB Local, the mail job reading
 * the table's stream as `npm start` runs it, and a mail capture (maildev) of its own: an
 * employer sets up the organisation, builds an assessment, invites two candidates by email, a
 * candidate follows the link from the captured email and completes the test, the employer reads
 * the results and the report; new links, bounces, edits, archive, clone and delete against the
 * real routes; the actions a server lacks stay hidden; an author imports a bank and reads item
 * statistics. axe-core runs on every screen; SCREENSHOT_DIR=docs/img captures them.
 */
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createStreamPoller } from '../../functions/data/stream-poller.ts';
import { clock } from '../../functions/domain/clock.ts';
import { handler as mailJob } from '../../functions/jobs/mail.ts';
import { handler as mailEvents } from '../../functions/jobs/mail-events.ts';
import { type MailCapture, startMailCapture } from '../../infra/local/mail-capture.ts';
import { sesEvent } from '../integration/ses-events.ts';
import {
  capture,
  completeViaLink,
  describeInBrowser,
  expectAccessible,
  expectReflow,
  hasChromium,
  markdownBank,
  useBrowserApp,
} from './support.ts';

const app = useBrowserApp({ streams: true });

let mail: MailCapture | undefined;
let mailTimer: NodeJS.Timeout | undefined;
let draining: Promise<unknown> = Promise.resolve();

beforeAll(async () => {
  if (!hasChromium) return;
  mail = await startMailCapture();
  process.env.SMTP_URL = mail.smtpUrl;
  process.env.MAIL_FROM = 'assessments@assay.test';
  // Links in emails point at this test's gateway, as npm start points them at its own.
  process.env.SITE_URL = app.api.base;
  // The mail job fed by the table's stream, polled as the local job runner does.
  const poller = createStreamPoller((e) => mailJob(e));
  let busy = false;
  mailTimer = setInterval(() => {
    if (busy) return;
    busy = true;
    draining = poller.drain().finally(() => {
      busy = false;
    });
  }, 500);
}, 30_000);

afterAll(async () => {
  clearInterval(mailTimer);
  await draining.catch(() => undefined);
  await mail?.stop();
  for (const k of ['SMTP_URL', 'MAIL_FROM', 'SITE_URL']) delete process.env[k];
}, 30_000);

interface Captured {
  subject: string;
  text: string;
  to: { address: string }[];
}

/** The emails captured for `address`, oldest first, once there are at least `n`. */
async function mailTo(address: string, n = 1): Promise<Captured[]> {
  let found: Captured[] = [];
  await expect
    .poll(
      async () => {
        const all = (await (await fetch(`${mail!.apiUrl}/email`)).json()) as Captured[];
        found = all.filter((m) => m.to.some((t) => t.address === address));
        return found.length;
      },
      { timeout: 20_000 },
    )
    .toBeGreaterThanOrEqual(n);
  return found;
}

/** The candidate link an email carries. */
const linkIn = (m: Captured) => /(\S+\/take#\S+)/.exec(m.text)?.[1];
const tokenOf = (link: string) => link.slice(link.indexOf('#') + 1);

let seq = 0;
/** An address no other test uses (the capture is shared by the file). */
const address = (who: string) => `${who}-${++seq}-${Date.now()}@example.test`;

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

/** The bank the employer's assessments draw from: 5 security questions, 1 collaboration, each hinted 60 s. */
async function seedBank(org: string, prefix: string) {
  const author = await app.api.token('author', org);
  const bank = markdownBank(prefix);
  const res = await app.api.request('POST', '/v1/banks', {
    token: author,
    body: { ...bank, questions: bank.questions.map((q) => ({ ...q, timeHintSeconds: 60 })) },
  });
  expect(res.status).toBe(201);
}

/** An assessment and invitations made through the API, for the tests that start later on. */
async function assessmentWith(
  org: string,
  title: string,
  candidates: Record<string, unknown>[],
  send = false,
  sections: unknown[] = [{ area: 'security', count: 2 }],
) {
  const employer = await app.api.token('employer', org);
  const created = await app.api.request('POST', '/v1/assessments', {
    token: employer,
    body: { title, timeLimitMinutes: 10, sections },
  });
  expect(created.status).toBe(201);
  const invited = candidates.length
    ? await app.api.request('POST', `/v1/assessments/${created.body.assessmentId}/invitations`, {
        token: employer,
        body: {
          candidates,
          expiresAt: new Date(Date.now() + 3 * 86_400_000).toISOString(),
          ...(send ? { send: true } : {}),
        },
      })
    : undefined;
  if (invited) expect(invited.status, invited.text).toBe(201);
  return {
    employer,
    assessmentId: created.body.assessmentId as string,
    invitations: (invited?.body.invitations ?? []) as { invitationId: string; token: string }[],
  };
}

const start = (token: string) =>
  app.api.request('POST', '/v1/attempts', { body: { invitationToken: token } });
const inspect = (token: string) =>
  app.api.request('POST', '/v1/invitations/inspect', { body: { invitationToken: token } });

/** The row of a table whose header cell names this candidate. */
const rowOf = (page: Page, who: string) =>
  page.locator('tbody tr').filter({ has: page.getByRole('rowheader', { name: new RegExp(who) }) });

/** An answer of the right shape for a question as the candidate sees it (right or wrong). */
function anyAnswer(q: { type: string; options?: { id: string }[] }): unknown {
  if (q.type === 'numeric') return 1;
  if (q.type === 'text') return 'a guess';
  if (q.type === 'multi') return [q.options![0]!.id];
  if (q.type === 'order') return q.options!.map((o) => o.id);
  return q.options![0]!.id;
}

const buttonCount = (page: Page, name: string) =>
  page.getByRole('button', { name, exact: true }).count();

describeInBrowser('the console for employers', () => {
  it('sets up the organisation, creates an assessment, invites two candidates by email; one follows the emailed link and completes it; results, report, CSV and revoking the other', async () => {
    const org = 'console-employer';
    await seedBank(org, 'cemp');
    const ada = address('ada');
    const grace = address('grace');
    const { page } = await app.open();
    await page.goto(`${app.api.base}/console`);
    await page.getByRole('heading', { name: 'Sign in (development)' }).waitFor();
    await expectAccessible(page, 'sign-in');
    await capture(page, 'console-sign-in');
    await signIn(page, org, 'Employer');
    await expectAccessible(page, 'empty assessments list');

    // What candidates will see of the organisation.
    await page.getByRole('link', { name: 'Organisation' }).click();
    await page.getByRole('heading', { name: 'Organisation settings' }).waitFor();
    expect(await page.locator('main').innerText()).toContain('This deployment sends email');
    await page.getByLabel('Display name').fill('Acme Robotics');
    await page.getByLabel('Accessibility contact (optional)').fill('access@acme.example');
    await page.getByLabel('Reply-to address (optional)').fill('not an address');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByRole('heading', { name: 'Fix these first' }).waitFor();
    expect(await page.getByLabel('Reply-to address (optional)').getAttribute('aria-invalid')).toBe(
      'true',
    );
    await expectAccessible(page, 'organisation with an error');
    await page.getByLabel('Reply-to address (optional)').fill('hiring@acme.example');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Settings saved.').waitFor();
    expect(await page.evaluate('document.activeElement?.textContent')).toBe('Save settings');
    await expectAccessible(page, 'organisation');
    await capture(page, 'console-organisation');
    const stored = await app.api.request('GET', '/v1/organisation', {
      token: await app.api.token('employer', org),
    });
    expect(stored.body).toMatchObject({
      name: 'Acme Robotics',
      accessibilityContact: 'access@acme.example',
      replyTo: 'hiring@acme.example',
    });

    // Create from a blueprint: pool sizes per area, a time estimate from the areas' hints.
    await page.getByRole('link', { name: 'Assessments' }).click();
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
    // A count the form would refuse is named, not added up into a total.
    await second.getByLabel('Questions').fill('2.5');
    await expect
      .poll(() => page.locator('#blueprint-summary').innerText())
      .toBe('Section 2: the number of questions is a whole number from 1 to 100.');
    await second.getByLabel('Questions').fill('1');
    await expect
      .poll(() => page.locator('#blueprint-summary').innerText())
      .toBe(
        '6 questions in all. A prepared candidate needs about 6 minutes (the questions’ time hints).',
      );
    await page.getByLabel('Instructions (optional)').fill('Have a pen and paper ready.');
    await expectAccessible(page, 'create');
    await capture(page, 'console-create');
    await page.getByRole('button', { name: 'Create assessment' }).click();
    await page.getByRole('heading', { name: 'Platform engineer screen' }).waitFor();
    expect(await page.locator('main dl').innerText()).toContain(
      'Security: 5 questions drawn from 5',
    );

    // Invite two by pasting, by email: one reads Russian ("ru" on the line), one the default.
    await page.getByRole('link', { name: 'Invite candidates' }).click();
    await page.getByRole('heading', { name: 'Invite candidates' }).waitFor();
    const candidates = page.getByLabel('Candidates', { exact: true });
    await candidates.fill(`Ada Lovelace, ${ada}\nGrace Hopper <${grace}>, ru\nnot an email@`);
    await expect
      .poll(() => page.locator('.invite-preview').innerText())
      .toContain('Line 3: "not an email@" is not an email address.');
    await expectAccessible(page, 'invite with a bad line');
    await candidates.fill(`Ada Lovelace, ${ada}\nGrace Hopper <${grace}>, ru`);
    await expect
      .poll(() => page.locator('.invite-preview').innerText())
      .toBe('2 candidates to invite: 1 in English, 1 in Russian.');
    expect(await page.getByLabel('Language', { exact: true }).inputValue()).toBe('en');
    expect(await page.getByLabel(/^Email each candidate their link/).isChecked()).toBe(true);
    // A past last day is refused on its field (the form is novalidate: min is not checked for us).
    const lastDay = page.getByLabel('Links expire at the end of');
    const weekOn = await lastDay.inputValue();
    await lastDay.fill('2020-01-01');
    await page.getByRole('button', { name: 'Invite', exact: true }).click();
    await expect.poll(() => page.locator('#expires-error').innerText()).toMatch(/^Choose a day/);
    expect(await page.evaluate('document.activeElement?.id')).toBe('expires');
    await lastDay.fill(weekOn);
    // What only the server refuses is listed by line and column, in words (not the API's
    // candidates[0].name), and focus goes to the list.
    await candidates.fill(`Ada\u0007 Lovelace, ${ada}`);
    await page.getByRole('button', { name: 'Invite', exact: true }).click();
    await expect
      .poll(() => page.evaluate("document.activeElement?.closest('.error-summary')?.innerText"))
      .toContain('Line 1, name: Contains the control character U+0007');
    const refused = await page.locator('.error-summary').innerText();
    expect(refused).toMatch(/^Nobody was invited: fix these and invite again/);
    expect(refused).not.toContain('candidates[0]');
    await candidates.fill(`Ada Lovelace, ${ada}\nGrace Hopper <${grace}>, ru`);
    await capture(page, 'console-invite');
    await page.getByRole('button', { name: 'Invite', exact: true }).click();
    await page.getByRole('heading', { name: '2 candidates invited' }).waitFor();
    const invited = await page.locator('.links').innerText();
    expect(invited).toContain(`Emailed to ${ada}, in English`);
    expect(invited).toContain(`Emailed to ${grace}, in Russian`);
    await expectAccessible(page, 'invited');
    await capture(page, 'console-invited');

    // Statuses and deliveries, live: the mail job sends, the list follows without a reload.
    await page.getByRole('link', { name: 'See their statuses' }).click();
    await page.getByRole('heading', { name: 'Invitations' }).waitFor();
    await expect.poll(() => page.locator('.counts').innerText()).toBe('Pending: 2');
    for (const who of ['Ada Lovelace', 'Grace Hopper']) {
      await expect
        .poll(() => rowOf(page, who).locator('.delivery').innerText(), { timeout: 20_000 })
        .toBe('Sent');
    }
    expect(await rowOf(page, 'Grace Hopper').getByRole('rowheader').innerText()).toContain(
      'Russian',
    );
    await expectAccessible(page, 'invitations');

    // The candidate follows the link from the captured email.
    const [toAda] = await mailTo(ada);
    expect(toAda!.subject).toBe(
      'Acme Robotics invites you to an assessment: Platform engineer screen',
    );
    expect(toAda!.text).toContain('- Have a pen and paper ready.');
    expect(toAda!.text).toContain('access@acme.example');
    const [toGrace] = await mailTo(grace);
    expect(toGrace!.subject).toBe(
      'Acme Robotics приглашает вас пройти тестирование «Platform engineer screen»',
    );
    const adaLink = linkIn(toAda!)!;
    expect(adaLink.startsWith(`${app.api.base}/take#`)).toBe(true);
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
    // The byte order mark makes Excel read it as UTF-8 (names outside ASCII stay readable).
    expect(csv.split('\r\n')[0]).toMatch(/^\uFEFFrank,attemptId,name,email,/);
    expect(csv).toContain(`Ada Lovelace,${ada}`);
    await page.getByRole('link', { name: 'Report of Ada Lovelace' }).click();
    await page.getByRole('heading', { name: 'Report: Ada Lovelace' }).waitFor();
    await page.getByRole('img', { name: /scores by area/ }).waitFor();
    expect(await page.getByRole('table').first().innerText()).toContain('Security');
    await expectAccessible(page, 'report');
    await capture(page, 'console-report');

    // Revoke the other invitation: its emailed link stops working.
    await page.getByRole('link', { name: '← Platform engineer screen' }).click();
    await page.getByRole('link', { name: 'Invitations' }).click();
    await page.getByRole('button', { name: 'Revoke the invitation of Grace Hopper' }).click();
    await page.getByRole('dialog', { name: 'Revoke the invitation of Grace Hopper?' }).waitFor();
    await expectAccessible(page, 'revoke dialog');
    await page.getByRole('button', { name: 'Revoke', exact: true }).click();
    await expect
      .poll(() => rowOf(page, 'Grace Hopper').locator('.status').innerText())
      .toBe('Revoked');
    // The Revoke button went with its row's status: focus is on what happened, not lost.
    expect(
      await page.evaluate(
        "document.activeElement?.closest('main') ? document.activeElement.textContent : 'outside main'",
      ),
    ).toBe('The invitation of Grace Hopper was revoked.');
    expect((await inspect(tokenOf(linkIn(toGrace!)!))).status).toBe(410);
  }, 300_000);

  it('sends a new link by email (the old one stops at once), asks an expired one for a new last day, shows a link without an email once, and shows a bounce as undeliverable, live', async () => {
    const org = 'console-mail';
    await seedBank(org, 'cmail');
    const bo = address('bo');
    const dee = address('dee');
    const { invitations } = await assessmentWith(
      org,
      'Mail screen',
      [
        { name: 'Bo', email: bo },
        { name: 'Dee', email: dee },
      ],
      true,
    );
    const { page } = await app.open();
    await signIn(page, org, 'Employer');
    await page.getByRole('link', { name: 'Mail screen' }).click();
    await expect
      .poll(() => rowOf(page, 'Bo').locator('.delivery').innerText(), { timeout: 20_000 })
      .toBe('Sent');
    const [first] = await mailTo(bo);

    // A new link for Bo: confirmed, emailed, and not shown (the email carries it).
    await page.getByRole('button', { name: 'New link for Bo' }).click();
    const dialog = page.getByRole('dialog', { name: 'A new link for Bo?' });
    await dialog.waitFor();
    expect(await dialog.innerText()).toContain(`the new one is emailed to ${bo}`);
    await expectAccessible(page, 'new link dialog');
    await dialog.getByRole('button', { name: 'New link' }).click();
    await expect
      .poll(() => page.locator('.panel .message').innerText())
      .toBe(`A new link was emailed to Bo (${bo}); the old one no longer works.`);
    expect(await page.getByRole('textbox', { name: 'Link for Bo' }).count()).toBe(0);
    await expect
      .poll(() => rowOf(page, 'Bo').locator('.delivery').innerText(), { timeout: 20_000 })
      .toBe('Sent\nnew link');
    const [, second] = await mailTo(bo, 2);
    expect(second!.subject).toBe('Your new link: Mail screen for console-mail');
    expect((await start(tokenOf(linkIn(first!)!))).status).toBe(401);
    expect((await start(tokenOf(linkIn(second!)!))).status).toBe(201);
    await expect
      .poll(() => rowOf(page, 'Bo').locator('.status').innerText(), { timeout: 20_000 })
      .toBe('Started');

    // SES reports Dee's email bounced: the list says so by itself, with the reason.
    await expect
      .poll(() => rowOf(page, 'Dee').locator('.delivery').innerText(), { timeout: 20_000 })
      .toBe('Sent');
    const bounce = sesEvent('Email Bounced', invitations[1]!.invitationId, 1, {
      eventType: 'Bounce',
      bounce: {
        bounceType: 'Permanent',
        bounceSubType: 'General',
        bouncedRecipients: [{ emailAddress: dee, diagnosticCode: 'smtp; 550 5.1.1 user unknown' }],
        timestamp: new Date().toISOString(),
      },
    });
    expect(await mailEvents(bounce)).toEqual({ recorded: true });
    await expect
      .poll(() => rowOf(page, 'Dee').locator('.status').innerText(), { timeout: 20_000 })
      .toBe('Undeliverable');
    expect(await rowOf(page, 'Dee').locator('.delivery').innerText()).toBe(
      'Bounced\nPermanent/General: smtp; 550 5.1.1 user unknown',
    );
    expect(await page.locator('.counts').innerText()).toBe('Started: 1 · Undeliverable: 1');
    expect(await buttonCount(page, 'Revoke the invitation of Dee')).toBe(1);
    await expectAccessible(page, 'undeliverable');
    await capture(page, 'console-delivery');

    // An expired invitation: the new link needs a new last day, chosen in the dialog.
    const later = await assessmentWith(
      org,
      'Expired screen',
      [{ name: 'Eve', email: address('eve') }],
      true,
    );
    const realNow = clock.now;
    const inFourDays = new Date(Date.now() + 4 * 86_400_000);
    clock.now = () => inFourDays;
    try {
      await page.getByRole('link', { name: '← All assessments' }).click();
      await page.getByRole('link', { name: 'Expired screen' }).click();
      await expect.poll(() => rowOf(page, 'Eve').locator('.status').innerText()).toBe('Expired');
      await page.getByRole('button', { name: 'New link for Eve' }).click();
      const renew = page.getByRole('dialog', { name: 'A new link for Eve?' });
      expect(await renew.innerText()).toContain('The invitation has expired');
      const day = renew.getByLabel('Links expire at the end of');
      const inAWeek = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
      expect(await day.inputValue()).toBe(inAWeek);
      await expectAccessible(page, 'new link for an expired invitation');
      await renew.getByRole('button', { name: 'New link' }).click();
      await expect
        .poll(() => rowOf(page, 'Eve').locator('.status').innerText(), { timeout: 20_000 })
        .toBe('Pending');
      const renewed = await app.api.request(
        'GET',
        `/v1/assessments/${later.assessmentId}/invitations`,
        { token: later.employer },
      );
      // The end of that day where the employer is (the browser's time zone).
      const endOfDay = await page.evaluate((d) => new Date(`${d}T23:59:00`).toISOString(), inAWeek);
      expect(renewed.body.items[0].expiresAt).toBe(endOfDay);
    } finally {
      clock.now = realNow;
    }

    // Without an email address the new link is shown here, once; the old one stops at once.
    const plain = await assessmentWith(org, 'Link screen', [{ name: 'Linus' }]);
    await page.getByRole('link', { name: '← All assessments' }).click();
    await page.getByRole('link', { name: 'Link screen' }).click();
    await page.getByRole('button', { name: 'New link for Linus' }).click();
    const ask = page.getByRole('dialog', { name: 'A new link for Linus?' });
    expect(await ask.innerText()).toContain('The new one is shown here, once');
    await ask.getByRole('button', { name: 'New link' }).click();
    const shown = await page.getByRole('textbox', { name: 'Link for Linus' }).inputValue();
    expect(shown.startsWith(`${app.api.base}/take#`)).toBe(true);
    expect(await page.locator('.panel .message').innerText()).toContain(
      'A new link for Linus, shown only now; the old one no longer works:',
    );
    await expectAccessible(page, 'new link shown');
    await capture(page, 'console-new-link');
    expect((await inspect(plain.invitations[0]!.token)).status).toBe(401);
    expect((await inspect(tokenOf(shown))).status).toBe(200);
  }, 180_000);

  it('edits, archives, clones and deletes an assessment as far as its state allows', async () => {
    const org = 'console-lifecycle';
    await seedBank(org, 'clife');
    const { assessmentId, employer } = await assessmentWith(org, 'Lifecycle', []);
    const read = async () =>
      (await app.api.request('GET', `/v1/assessments/${assessmentId}`, { token: employer })).body;
    const { page } = await app.open();
    await signIn(page, org, 'Employer');
    await page.getByRole('link', { name: 'Lifecycle' }).click();
    await page.getByRole('heading', { name: 'Lifecycle' }).waitFor();
    expect(await buttonCount(page, 'Delete')).toBe(1);

    // While no attempt has started, everything may change, sections included.
    await page.getByRole('link', { name: 'Edit', exact: true }).click();
    await page.getByRole('heading', { name: 'Edit Lifecycle' }).waitFor();
    await page.getByLabel('Title').fill('Lifecycle screen');
    await page.getByLabel('Time limit (minutes)').fill('25');
    await page.getByRole('button', { name: 'Add a section' }).click();
    const added = page.getByRole('group', { name: 'Section 2' });
    await added.getByLabel('Area').selectOption('collaboration');
    await added.getByLabel('Questions').fill('1');
    await page.getByLabel('Instructions (optional)').fill('Bring your notes.');
    await page.getByLabel('Passing score (optional)').fill('60');
    await page.getByLabel('Show candidates their result when they finish').check();
    await page.getByLabel(/^Remind candidates who have not started/).fill('48');
    await expectAccessible(page, 'edit');
    await capture(page, 'console-edit');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('heading', { name: 'Lifecycle screen' }).waitFor();
    const facts = await page.locator('main dl').innerText();
    expect(facts).toContain('25 minutes');
    expect(facts).toContain('Collaboration: 1 question drawn from 1');
    expect(facts).toContain('48 hours before a link expires');
    expect(await read()).toMatchObject({
      title: 'Lifecycle screen',
      timeLimitMinutes: 25,
      questionCount: 3,
      instructions: 'Bring your notes.',
      passingScore: 60,
      showResultToCandidate: true,
      remindBeforeExpiryHours: 48,
      contentEditable: true,
    });

    // An attempt starts while the edit form is open: the new time limit is refused, all or nothing.
    await page.getByRole('link', { name: 'Edit', exact: true }).click();
    await page.getByRole('heading', { name: 'Edit Lifecycle screen' }).waitFor();
    await page.getByLabel('Title').fill('Not applied');
    await page.getByLabel('Time limit (minutes)').fill('35');
    const kim = await app.api.request('POST', `/v1/assessments/${assessmentId}/invitations`, {
      token: employer,
      body: {
        candidates: [{ name: 'Kim' }],
        expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
      },
    });
    expect((await start(kim.body.invitations[0].token)).status).toBe(201);
    await page.getByRole('button', { name: 'Save changes' }).click();
    // Nothing on the form is wrong: the summary says it was not saved, not "Fix these first".
    await page.getByRole('heading', { name: 'Not saved' }).waitFor();
    expect(await page.locator('.error-summary').innerText()).toMatch(
      /An attempt started at \S+: the time limit, sections and grace period/,
    );
    expect(await read()).toMatchObject({ title: 'Lifecycle screen', timeLimitMinutes: 25 });

    // From then on time limit and sections are fixed, and it can no longer be deleted.
    await page.getByRole('link', { name: '← Lifecycle screen' }).click();
    await rowOf(page, 'Kim').waitFor();
    expect(await buttonCount(page, 'Delete')).toBe(0);
    await page.getByRole('link', { name: 'Edit', exact: true }).click();
    await page.getByRole('heading', { name: 'Edit Lifecycle screen' }).waitFor();
    expect(await page.getByLabel('Time limit (minutes)').count()).toBe(0);
    expect(await page.locator('#content-locked').innerText()).toMatch(
      /^An attempt started on .+, so the time limit and sections can no longer change: clone the assessment to change them\.$/,
    );
    await page.getByLabel('Title').fill('Lifecycle screen, final');
    await page.getByLabel('Passing score (optional)').fill('');
    await expectAccessible(page, 'edit after the first start');
    await capture(page, 'console-edit-locked');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('heading', { name: 'Lifecycle screen, final' }).waitFor();
    const after = await read();
    expect(after.passingScore).toBeUndefined();
    expect(after).toMatchObject({ timeLimitMinutes: 25, contentEditable: false });

    // Archive: no new invitations until it is taken out again.
    await page.getByRole('button', { name: 'Archive', exact: true }).click();
    await page.getByRole('dialog', { name: 'Archive this assessment?' }).waitFor();
    await page.getByRole('dialog').getByRole('button', { name: 'Archive' }).click();
    await page.getByText(/^Archived on /).waitFor();
    expect(await page.getByRole('link', { name: 'Invite candidates' }).count()).toBe(0);
    await expectAccessible(page, 'archived');
    expect((await read()).archivedAt).toBeDefined();
    // Its invite screen, reached by address, says so instead of offering a form the API refuses.
    await page.goto(`${app.api.base}/console#/assessments/${assessmentId}/invite`);
    await page
      .getByText(/^This assessment was archived on .+, so it takes no new invitations/)
      .waitFor();
    expect(await page.getByLabel('Candidates', { exact: true }).count()).toBe(0);
    await page.getByRole('link', { name: '← Lifecycle screen, final' }).click();
    await page.getByText(/^Archived on /).waitFor();
    await page.getByRole('link', { name: '← All assessments' }).click();
    expect(await rowOf(page, 'Lifecycle screen, final').innerText()).toContain('Archived');
    await page.getByRole('link', { name: 'Lifecycle screen, final' }).click();
    await page.getByRole('button', { name: 'Unarchive' }).click();
    await page.getByRole('link', { name: 'Invite candidates' }).waitFor();
    expect((await read()).archivedAt).toBeUndefined();

    // Clone: the copy opens, has no attempt, so it may be deleted (after a confirmation).
    await page.getByRole('button', { name: 'Clone' }).click();
    await page.getByRole('heading', { name: 'Lifecycle screen, final (copy)' }).waitFor();
    const copyId = /#\/assessments\/([0-9A-Z]{26})$/.exec(page.url())![1]!;
    expect(copyId).not.toBe(assessmentId);
    await page.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('dialog', { name: 'Delete this assessment?' }).waitFor();
    await expectAccessible(page, 'delete dialog');
    await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('heading', { name: 'Assessments' }).waitFor();
    await rowOf(page, 'Lifecycle screen, final').waitFor();
    expect(await rowOf(page, 'Lifecycle screen, final \\(copy\\)').count()).toBe(0);
    expect(
      (await app.api.request('GET', `/v1/assessments/${copyId}`, { token: employer })).status,
    ).toBe(404);
  }, 180_000);

  it('warns before inviting an address that already has an open invitation: invite it again anyway, or leave it out', async () => {
    const org = 'console-reinvite';
    await seedBank(org, 'crei');
    const ada = address('ada');
    const grace = address('grace');
    const alan = address('alan');
    const { employer, assessmentId, invitations } = await assessmentWith(org, 'Reinvite', [
      { name: 'Ada', email: ada },
      { name: 'Grace', email: grace },
    ]);
    // Grace's invitation is revoked: no longer open, so inviting her again needs no warning.
    const revoked = await app.api.request(
      'DELETE',
      `/v1/invitations/${invitations[1]!.invitationId}`,
      {
        token: employer,
      },
    );
    expect(revoked.status).toBeLessThan(300);
    const count = async () =>
      (
        await app.api.request('GET', `/v1/assessments/${assessmentId}/invitations?limit=200`, {
          token: employer,
        })
      ).body.items.length as number;

    const { page } = await app.open();
    await signIn(page, org, 'Employer');
    const invite = async (lines: string) => {
      // From the assessment's page, as a person goes (the invite screen anew each time).
      await page.goto(`${app.api.base}/console#/assessments/${assessmentId}`);
      await page.getByRole('link', { name: 'Invite candidates' }).click();
      await page.getByRole('heading', { name: 'Invite candidates' }).waitFor();
      await page.getByLabel('Candidates', { exact: true }).fill(lines);
      await page.getByRole('button', { name: 'Invite', exact: true }).click();
    };

    // Ada (in upper case) again, with Alan and Grace: the warning names Ada only.
    await invite(`Ada, ${ada.toUpperCase()}\nAlan, ${alan}\nGrace, ${grace}`);
    const warning = page.getByRole('alert');
    await warning.getByRole('heading', { name: '1 address was already invited' }).waitFor();
    expect(await warning.getByRole('listitem').allTextContents()).toEqual([
      expect.stringMatching(
        new RegExp(`^Ada <${ada.toUpperCase()}>: invited .*, not started yet$`),
      ),
    ]);
    expect(await count()).toBe(2); // nothing sent yet
    await expectAccessible(page, 'already invited');
    await warning
      .getByRole('button', { name: 'Leave them out and invite the other 2 candidates' })
      .click();
    await page.getByRole('heading', { name: '2 candidates invited' }).waitFor();
    expect(await count()).toBe(4);

    // Only Ada: the warning's one choice is to invite her again anyway.
    await invite(`Ada, ${ada}`);
    await warning.getByRole('heading', { name: '1 address was already invited' }).waitFor();
    expect(await warning.getByRole('button', { name: /Leave them out/ }).count()).toBe(0);
    await warning.getByRole('button', { name: 'Invite this address again' }).click();
    await page.getByRole('heading', { name: '1 candidate invited' }).waitFor();
    expect(await count()).toBe(5);

    // Alan now has an open invitation too; no warning for an address never invited.
    const fresh = address('fresh');
    await invite(`Fresh, ${fresh}`);
    await page.getByRole('heading', { name: '1 candidate invited' }).waitFor();
    expect(await count()).toBe(6);
  });

  it('offers Try again only when it can help: a missing assessment, report or question leads back to its list; a busy service offers Try again', async () => {
    const org = 'console-missing';
    const missing = '01ARZ3NDEKTSV4RRFFQ69G5FAV';
    const { page } = await app.open();
    await signIn(page, org, 'Both');
    const alert = page.getByRole('alert');
    const tryAgain = page.getByRole('button', { name: 'Try again' });

    for (const [hash, back, heading] of [
      [`#/assessments/${missing}`, '← All assessments', 'Assessments'],
      [`#/assessments/${missing}/invite`, '← All assessments', 'Assessments'],
      [`#/attempts/${missing}`, '← All assessments', 'Assessments'],
      ['#/bank/no-such-question', '← Question bank', 'Question bank'],
    ] as const) {
      await page.goto(`${app.api.base}/console${hash}`);
      await expect.poll(() => alert.textContent(), { timeout: 10_000 }).toMatch(/not found/);
      expect(await tryAgain.count(), hash).toBe(0);
      await page.getByRole('link', { name: back }).click();
      await page.getByRole('heading', { name: heading, exact: true }).waitFor();
    }

    // An address that is no screen at all: the way back, not a dead end.
    await page.goto(`${app.api.base}/console#/no-such-screen`);
    await page.getByRole('heading', { name: 'Page not found' }).waitFor();
    await page.getByRole('link', { name: '← All assessments' }).click();
    await page.getByRole('heading', { name: 'Assessments', exact: true }).waitFor();

    // The service busy: Try again, which asks again (and then says what the server says).
    let busy = true;
    await page.route(`**/v1/assessments/${missing}`, (route) =>
      busy
        ? route.fulfill({
            status: 503,
            headers: { 'content-type': 'application/problem+json', 'retry-after': '1' },
            body: JSON.stringify({ type: 'about:blank', title: 'Busy', status: 503 }),
          })
        : route.fallback(),
    );
    await page.goto(`${app.api.base}/console#/assessments/${missing}`);
    await expect.poll(() => alert.textContent(), { timeout: 10_000 }).toMatch(/busy/);
    expect(await page.getByRole('link', { name: '← All assessments' }).count()).toBe(0);
    busy = false;
    await tryAgain.click();
    await expect.poll(() => alert.textContent(), { timeout: 10_000 }).toMatch(/not found/);
    expect(await tryAgain.count()).toBe(0);
  });

  it('offers only the actions the server has: all of them today, none of the optional ones against a reduced document; send only where mail is sent', async () => {
    const org = 'console-actions';
    await seedBank(org, 'cact');
    const { invitations } = await assessmentWith(org, 'Actions', [
      { name: 'Linus' },
      { name: 'Margaret' },
    ]);
    expect((await start(invitations[1]!.token)).status).toBe(201);
    const lifecycle = ['Edit', 'Clone', 'Archive', 'Delete'];

    // Today's server: the mail and lifecycle actions, extend and preview.
    const { page } = await app.open();
    await signIn(page, org, 'Employer');
    expect(await page.getByRole('link', { name: 'Organisation' }).count()).toBe(1);
    await page.getByRole('link', { name: 'Actions' }).click();
    await rowOf(page, 'Margaret').waitFor();
    expect(await page.getByRole('link', { name: 'Edit', exact: true }).count()).toBe(1);
    for (const name of ['Clone', 'Archive']) expect(await buttonCount(page, name), name).toBe(1);
    expect(await buttonCount(page, 'Delete')).toBe(0); // an attempt has started
    expect(await buttonCount(page, 'New link for Linus')).toBe(1);
    expect(await buttonCount(page, 'Preview as a candidate')).toBe(1);
    expect(await buttonCount(page, 'More time for Margaret')).toBe(1);

    // The same console against a server without those routes (nor send): none is offered.
    const { page: older } = await app.open();
    await older.route('**/v1/openapi.json', async (route) => {
      const doc = await (await route.fetch()).json();
      delete doc.paths['/v1/invitations/{invitationId}/resend'];
      delete doc.paths['/v1/assessments/{assessmentId}/archive'];
      delete doc.paths['/v1/assessments/{assessmentId}/clone'];
      delete doc.paths['/v1/attempts/{attemptId}/extend'];
      delete doc.paths['/v1/assessments/{assessmentId}/preview'];
      delete doc.paths['/v1/organisation'];
      delete doc.paths['/v1/assessments/{assessmentId}'].delete;
      delete doc.paths['/v1/assessments/{assessmentId}'].patch;
      const body = doc.paths['/v1/assessments/{assessmentId}/invitations'].post.requestBody;
      delete body.content['application/json'].schema.properties.send;
      await route.fulfill({ json: doc });
    });
    await signIn(older, org, 'Employer');
    expect(await older.getByRole('link', { name: 'Organisation' }).count()).toBe(0);
    await older.getByRole('link', { name: 'Actions' }).click();
    await rowOf(older, 'Linus').waitFor();
    expect(await older.getByRole('link', { name: 'Edit', exact: true }).count()).toBe(0);
    for (const name of [
      ...lifecycle,
      'New link for Linus',
      'Preview as a candidate',
      'More time for Margaret',
    ]) {
      expect(await buttonCount(older, name), name).toBe(0);
    }
    expect(await buttonCount(older, 'Revoke the invitation of Linus')).toBe(1);
    await older.getByRole('link', { name: 'Invite candidates' }).click();
    await older.getByRole('heading', { name: 'Invite candidates' }).waitFor();
    expect(await older.getByLabel(/^Email each candidate/).count()).toBe(0);

    // A deployment that sends no mail: no checkbox, and the screens say so.
    const from = process.env.MAIL_FROM;
    delete process.env.MAIL_FROM;
    try {
      await page.getByRole('link', { name: 'Invite candidates' }).click();
      await page.getByRole('heading', { name: 'Invite candidates' }).waitFor();
      expect(await page.getByLabel(/^Email each candidate/).count()).toBe(0);
      await page.getByText('This deployment sends no email').waitFor();
      await page.getByRole('link', { name: 'Organisation' }).click();
      await page.getByText('This deployment sends no email').waitFor();
    } finally {
      process.env.MAIL_FROM = from;
    }
  }, 180_000);

  it('shows a hiring manager, per question of the report, the answer given, the correct answer and its explanation, and an unanswered question as unanswered', async () => {
    const org = 'console-report-answers';
    await seedBank(org, 'crep');
    const { employer, invitations } = await assessmentWith(org, 'Answers screen', [
      { name: 'Ada Lovelace' },
    ]);
    const started = await start(invitations[0]!.token);
    expect(started.status).toBe(201);
    const { attemptId, attemptToken, questions } = started.body;
    const first = questions[0];
    const answer = anyAnswer(first);
    const saved = await app.api.request(
      'PUT',
      `/v1/attempts/${attemptId}/answers/${first.questionId}`,
      { headers: { authorization: `Bearer ${attemptToken}` }, body: { answer } },
    );
    expect(saved.status, saved.text).toBe(200);
    const submitted = await app.api.request('POST', `/v1/attempts/${attemptId}/submit`, {
      headers: { authorization: `Bearer ${attemptToken}` },
    });
    expect(submitted.status).toBe(200);
    const report = await app.api.request('GET', `/v1/attempts/${attemptId}/report`, {
      token: employer,
    });
    const [given, skipped] = report.body.questions as {
      answer: string;
      correctAnswer: string;
      explanation: string;
    }[];

    const { page } = await app.open();
    await signIn(page, org, 'Employer');
    await page.goto(`${app.api.base}/console#/attempts/${attemptId}`);
    await page.getByRole('heading', { name: 'Report: Ada Lovelace' }).waitFor();

    const rows = page.getByRole('region', { name: 'Questions' }).locator('tbody tr');
    const answered = await rows.nth(0).innerText();
    expect(answered).toContain(`Answer given: ${given!.answer}`);
    expect(answered).toContain(`Correct answer: ${given!.correctAnswer}`);
    expect(answered).toContain(given!.explanation);
    const unanswered = await rows.nth(1).innerText();
    expect(unanswered).toContain('Answer given: No answer was saved.');
    expect(unanswered).toContain(`Correct answer: ${skipped!.correctAnswer}`);
    await expectAccessible(page, 'report with answers');
  }, 120_000);

  it("shows an adaptive area's summary line and the item the candidate was shown and did not answer, as the printable report does", async () => {
    // Found from outside: the console showed neither the adaptive line nor the item on the
    // candidate's screen when they submitted.
    const org = 'console-report-adaptive';
    await seedBank(org, 'cadp');
    const { employer, invitations, assessmentId } = await assessmentWith(
      org,
      'Adaptive screen',
      [{ name: 'Ada Lovelace' }],
      false,
      [{ area: 'security', mode: 'adaptive', minItems: 2, maxItems: 4, targetStandardError: 0.2 }],
    );
    const started = await start(invitations[0]!.token);
    expect(started.status, started.text).toBe(201);
    const { attemptId, attemptToken, questions } = started.body;
    const auth = { authorization: `Bearer ${attemptToken}` };
    const saved = await app.api.request(
      'PUT',
      `/v1/attempts/${attemptId}/answers/${questions[0].questionId}`,
      { headers: auth, body: { answer: anyAnswer(questions[0]) } },
    );
    expect(saved.status, saved.text).toBe(200);
    await app.api.request('POST', `/v1/attempts/${attemptId}/submit`, { headers: auth });
    const report = await app.api.request('GET', `/v1/attempts/${attemptId}/report`, {
      token: employer,
    });
    const summary = report.body.areas[0].adaptiveSummary as string;
    const shown = report.body.questions.at(-1);

    const { page } = await app.open();
    await signIn(page, org, 'Employer');
    // The assessment's page says what the adaptive section does, and that its target of 0.2
    // is out of reach: 4 uncalibrated questions give 1/sqrt(2) = 0.708 at best.
    await page.goto(`${app.api.base}/console#/assessments/${assessmentId}`);
    await page.getByRole('heading', { name: 'Adaptive screen' }).waitFor();
    expect(await page.getByText(/^Security: adaptive/).innerText()).toMatch(
      /^Security: adaptive, 2 to 4 questions chosen from \d+, until the standard error is at most 0\.2 — difficulty: Mixed\n/,
    );
    expect(await page.locator('.unreachable-target').innerText()).toBe(
      'The target cannot be reached: with the questions of this pool as calibrated when it was frozen, the standard error falls to 0.708 at best in 4 questions, above 0.2. Every candidate will answer 4. To let the section stop early, set a target of 0.708 or more or allow more questions; once the questions have been calibrated from candidates’ answers, an assessment created then may reach it.',
    );
    await expectAccessible(page, 'an adaptive section out of reach');

    await page.goto(`${app.api.base}/console#/attempts/${attemptId}`);
    await page.getByRole('heading', { name: 'Report: Ada Lovelace' }).waitFor();

    expect(summary).toMatch(/^Adaptive section: 1 question chosen one by one/);
    expect(summary).toContain('The candidate was shown one more question and did not answer it');
    expect(await page.locator('.adaptive-summary').innerText()).toBe(summary);
    const rows = page.getByRole('region', { name: 'Questions' }).locator('tbody tr');
    expect(await rows.count()).toBe(2);
    const last = await rows.nth(1).innerText();
    expect(shown.shownNotAnswered).toBe(true);
    expect(last).toContain(shown.questionId);
    expect(last).toContain(
      'Answer given: Shown in the adaptive section, not answered when the attempt ended; not graded.',
    );
    await expectAccessible(page, 'report of an adaptive section');
  }, 120_000);

  it('gives a running attempt more time from its row: a blank or overlong reason stays in the dialog, a real one moves the deadline', async () => {
    const org = 'console-extend';
    await seedBank(org, 'cext');
    const { employer, invitations } = await assessmentWith(org, 'Extend screen', [
      { name: 'Margaret' },
    ]);
    const started = await start(invitations[0]!.token);
    expect(started.status).toBe(201);
    const before = Date.parse(started.body.deadline);
    const { page } = await app.open();
    await signIn(page, org, 'Employer');
    await page.getByRole('link', { name: 'Extend screen' }).click();
    await rowOf(page, 'Margaret').waitFor();

    await page.getByRole('button', { name: 'More time for Margaret' }).click();
    const dialog = page.getByRole('dialog', { name: 'More time for Margaret' });
    await dialog.getByLabel('Minutes to add').fill('15');
    await dialog.getByLabel(/^Reason/).fill('   ');
    await dialog.getByRole('button', { name: 'OK' }).click();
    expect(await dialog.isVisible()).toBe(true);
    expect(await dialog.locator('input[name=reason]:invalid').count()).toBe(1);
    // What the browser says of it is the console's words, not "Please match the requested
    // format."; the minutes say their range and what they change.
    expect(
      await dialog
        .locator('input[name=reason]')
        .evaluate((e) => (e as unknown as { validationMessage: string }).validationMessage),
    ).toBe('Reason (kept in the audit trail): write some words; spaces alone are not enough.');
    await expect
      .poll(() => dialog.getByLabel('Minutes to add').getAttribute('aria-describedby'))
      .toBeTruthy();
    expect(await dialog.locator('.hint').innerText()).toBe(
      'From 1 to 600, added to the time the candidate has now. Their page shows the new time with their next saved answer, or when the old time runs out.',
    );
    await dialog.getByLabel(/^Reason/).fill('r'.repeat(600));
    expect((await dialog.getByLabel(/^Reason/).inputValue()).length).toBe(500);
    await dialog.getByLabel(/^Reason/).fill('Fire alarm in the building');
    await expectAccessible(page, 'more time dialog');
    await dialog.getByRole('button', { name: 'OK' }).click();
    await page.getByText('Margaret has 15 more minutes.').waitFor();

    const report = await app.api.request('GET', `/v1/attempts/${started.body.attemptId}/report`, {
      token: employer,
    });
    expect(Date.parse(report.body.deadline) - before).toBe(15 * 60_000);
    expect(report.body.extensions).toEqual([
      expect.objectContaining({ minutes: 15, reason: 'Fire alarm in the building' }),
    ]);
    // The console's report says so, as the printable one does.
    await page.goto(`${app.api.base}/console#/attempts/${started.body.attemptId}`);
    await page.getByRole('heading', { name: 'Report: Margaret' }).waitFor();
    expect(await page.locator('main dl.facts').innerText()).toMatch(
      /More time given\n15 minutes on .+ by .+: Fire alarm in the building/,
    );
  }, 120_000);

  it('is usable 390 CSS pixels wide: no horizontal scrolling on the list, create, edit, organisation, assessment and report screens', async () => {
    const org = 'console-narrow';
    await seedBank(org, 'cnar');
    const { page } = await app.open({ viewport: { width: 390, height: 800 } });
    await signIn(page, org, 'Employer');
    await expectReflow(page, 'assessments list');
    await page.getByRole('link', { name: 'Organisation' }).click();
    await page.getByRole('heading', { name: 'Organisation settings' }).waitFor();
    await expectReflow(page, 'organisation');
    await page.getByRole('link', { name: 'Assessments' }).click();
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
    // The summary names the field the server's message is about, as a person finds it.
    expect(await page.locator('.error-summary').innerText()).toMatch(
      /^Section 2, Area: Problem-solving: needs/m,
    );
    await expectReflow(page, 'create with errors');
    await second.getByLabel('Area').selectOption('collaboration');
    await page.getByRole('button', { name: 'Create assessment' }).click();
    await page.getByRole('heading', { name: 'Narrow' }).waitFor();
    await page.getByRole('link', { name: 'Edit', exact: true }).click();
    await page.getByRole('heading', { name: 'Edit Narrow' }).waitFor();
    await expectReflow(page, 'edit');
    await page.getByRole('link', { name: '← Narrow' }).click();
    await page.getByRole('link', { name: 'Invite candidates' }).click();
    const ada = address('ada-narrow');
    await page.getByLabel('Candidates', { exact: true }).fill(`Ada Lovelace, ${ada}`);
    await page.getByRole('button', { name: 'Invite', exact: true }).click();
    await page.getByRole('heading', { name: '1 candidate invited' }).waitFor();
    await expectReflow(page, 'invited');
    await page.getByRole('link', { name: 'See their statuses' }).click();
    await page.getByRole('heading', { name: 'Invitations' }).waitFor();
    await expect
      .poll(() => rowOf(page, 'Ada Lovelace').locator('.delivery').innerText(), {
        timeout: 20_000,
      })
      .toBe('Sent');
    await expectReflow(page, 'assessment');
    const [email] = await mailTo(ada);
    const { page: candidate } = await app.open();
    await completeViaLink(candidate, linkIn(email!)!);
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

    // A file in Latin-1: its bytes reach the API, which names the byte and the encoding.
    await page.goto(`${app.api.base}/console#/bank/import`);
    await page.getByRole('heading', { name: 'Import a bank' }).waitFor();
    await page.getByLabel('Area').selectOption('security');
    await page.getByLabel('Bank file').setInputFiles({
      name: 'latin1.gift',
      mimeType: 'text/plain',
      buffer: Buffer.from('::cafe:: Caf\u00e9 or th\u00e9? {=caf\u00e9 ~th\u00e9}\n', 'latin1'),
    });
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByRole('heading', { name: /problems? to fix$/ }).waitFor();
    expect(await page.locator('.import-outcome .problems').innerText()).toContain(
      'the byte 0xE9 is "é" in Latin-1',
    );

    // A Moodle file with an essay: the refusal says what to tick, and ticking it imports the
    // rest and lists the essay as left out.
    const moodle = [
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<quiz>',
      '  <question type="multichoice">',
      '    <name><text>Queue pick</text></name>',
      '    <questiontext format="html"><text>Which is a queue?</text></questiontext>',
      '    <single>true</single>',
      '    <answer fraction="100"><text>SQS</text></answer>',
      '    <answer fraction="0"><text>S3</text></answer>',
      '  </question>',
      '  <question type="essay">',
      '    <name><text>An essay</text></name>',
      '    <questiontext format="html"><text>Write an essay</text></questiontext>',
      '  </question>',
      '</quiz>',
    ].join('\n');
    const xml = { name: 'moodle.xml', mimeType: 'application/xml', buffer: Buffer.from(moodle) };
    await page.goto(`${app.api.base}/console#/bank/import`);
    await page.getByRole('heading', { name: 'Import a bank' }).waitFor();
    await page.getByLabel('Area').selectOption('security');
    await page.getByLabel('Bank file').setInputFiles(xml);
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByRole('heading', { name: '1 problem to fix' }).waitFor();
    expect(await page.locator('.import-outcome .error-summary').innerText()).toContain(
      'tick "Leave out the questions Assay cannot import" above and import again',
    );
    await page.getByLabel(/^Leave out the questions Assay cannot import/).check();
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByRole('heading', { name: 'Imported' }).waitFor();
    expect(await page.locator('.import-outcome').innerText()).toMatch(
      /1 question left out \(Assay cannot import it\)\nline 10: An essay: a Moodle essay question/,
    );
    // The imported question: its key reads "SQS correct", and no explanation says so.
    await page.goto(`${app.api.base}/console#/bank/queue-pick`);
    await page.getByRole('heading', { name: 'queue-pick' }).waitFor();
    expect(await page.locator('li.key').innerText()).toBe('SQS correct');
    expect(
      await page
        .getByRole('heading', { name: 'Explanation' })
        .locator('xpath=following-sibling::*[1]')
        .innerText(),
    ).toBe('None: candidates see no explanation for this question.');

    // A question copied into another file with its id: refused, naming the bank that holds it;
    // the refusal says what to tick, and ticking it moves the question.
    const copiedQuestion = {
      ...markdownBank('cauth').questions.find((q) => q.id === 'cauth-single')!,
      prompt: 'Which probe takes a pod out of the Service endpoints while it warms its cache?',
    };
    const copied = {
      name: 'copied.json',
      mimeType: 'application/json',
      buffer: Buffer.from(
        JSON.stringify({ bank: { id: 'copied', title: 'Copied' }, questions: [copiedQuestion] }),
      ),
    };
    await page.goto(`${app.api.base}/console#/bank/import`);
    await page.getByRole('heading', { name: 'Import a bank' }).waitFor();
    await page.getByLabel('Bank file').setInputFiles(copied);
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByRole('heading', { name: '1 problem to fix' }).waitFor();
    const refusal = await page.locator('.import-outcome .error-summary').innerText();
    expect(refusal).toContain(
      '"cauth-single" (questions[0]) is already a question of another bank',
    );
    expect(refusal).toContain(
      'tick "Move questions that another bank holds" above and import again',
    );
    await page.getByLabel(/^Move questions that another bank holds/).check();
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByRole('heading', { name: 'Imported' }).waitFor();
    expect(await page.locator('.import-outcome').innerText()).toContain(
      '1 question: 0 new, 1 updated, 0 unchanged.',
    );

    // Two GIFT files whose questions share a title: the second is refused, and the refusal says
    // how to make a file a new version of the first's bank here (the console names a bank after
    // its file); named so, it updates the question.
    const gift = (name: string, text: string) => ({
      name,
      mimeType: 'text/plain',
      buffer: Buffer.from(`::Week Q7:: ${text}\n`),
    });
    for (const [file, heading] of [
      [gift('quiz one.gift', 'Which port does HTTPS use by default? {=443 ~80 ~22}'), 'Imported'],
      [
        gift('quiz two.gift', 'Which of these is a hashing algorithm? {=SHA-256 ~AES ~RSA}'),
        '1 problem to fix',
      ],
    ] as const) {
      await page.goto(`${app.api.base}/console#/bank/import`);
      await page.getByRole('heading', { name: 'Import a bank' }).waitFor();
      await page.getByLabel('Area').selectOption('security');
      await page.getByLabel('Bank file').setInputFiles(file);
      await page.getByRole('button', { name: 'Import', exact: true }).click();
      await page.getByRole('heading', { name: heading }).waitFor();
    }
    expect(await page.locator('.import-outcome .error-summary').innerText()).toContain(
      'if this file is a new version of bank "quiz-one", name it quiz-one.gift (or quiz-one.xml) and import it again.',
    );
    await page
      .getByLabel('Bank file')
      .setInputFiles(
        gift('quiz-one.gift', 'Which of these is a hashing algorithm? {=SHA-256 ~AES ~RSA}'),
      );
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByRole('heading', { name: 'Imported' }).waitFor();
    expect(await page.locator('.import-outcome').innerText()).toContain(
      '1 question: 0 new, 1 updated, 0 unchanged.',
    );

    // More than a page (100): Show more keeps the keyboard where the new rows start.
    const single = markdownBank('cmore').questions.find((q) => q.type === 'single')!;
    const many = Array.from({ length: 100 }, (_, i) => ({ ...single, id: `cmore-${i + 100}` }));
    const seeded = await app.api.request('POST', '/v1/banks', {
      token: await app.api.token('author', org),
      body: { bank: { id: 'cmore-bank', title: 'Many' }, questions: many },
    });
    expect(seeded.status).toBe(201);
    await page.goto(`${app.api.base}/console#/bank`);
    await page.getByRole('button', { name: 'Show more' }).waitFor();
    // A page may be short by the copies an update keeps for a minute (docs/imports.md): the
    // moved question's above. The first new row is the one after those shown.
    const shown = await page.locator('table tbody tr').count();
    expect(shown).toBeGreaterThanOrEqual(99);
    await page.getByRole('button', { name: 'Show more' }).click();
    await expect
      .poll(() => page.evaluate("document.activeElement?.closest('tr')?.rowIndex"))
      .toBe(shown + 1);
  }, 180_000);
});
