import type { DynamoDBStreamEvent } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { claimMail } from '../../functions/data/outbox.ts';
import { createStreamPoller } from '../../functions/data/stream-poller.ts';
import { clock } from '../../functions/domain/clock.ts';
import { handler as mailJob } from '../../functions/jobs/mail.ts';
import { handler as mailEvents } from '../../functions/jobs/mail-events.ts';
import { remindDue } from '../../functions/services/mail.ts';
import { type MailCapture, startMailCapture } from '../../infra/local/mail-capture.ts';
import { sampleBank } from './fixtures.ts';
import { sesEvent } from './ses-events.ts';
import { useTestApi } from './support.ts';

const api = useTestApi({ streams: true });
let capture: MailCapture;
let employer: string;
/** The mail job fed by one poller for the whole file: each record is seen once, in order. */
let poller: ReturnType<typeof createStreamPoller>;
const drain = () => poller.drain();

interface Captured {
  id: string;
  subject: string;
  text: string;
  html: string;
  from: { address: string; name: string }[];
  to: { address: string; name: string }[];
  headers: Record<string, string>;
}

/** Every captured email to `address`, oldest first. */
async function mailTo(address: string): Promise<Captured[]> {
  const all = (await (await fetch(`${capture.apiUrl}/email`)).json()) as Captured[];
  return all.filter((m) => m.to.some((t) => t.address === address));
}

const linkIn = (m: Captured) => /\/take#(\S+)/.exec(m.text)?.[1];

const realNow = clock.now;
afterEach(() => {
  clock.now = realNow;
});

let seq = 0;
/** An address no other test uses. */
const address = (who: string) => `${who}-${++seq}-${Date.now()}@example.test`;

async function newAssessment(extra: Record<string, unknown> = {}) {
  const res = await api.request('POST', '/v1/assessments', {
    token: employer,
    body: {
      title: 'Backend screen',
      timeLimitMinutes: 30,
      sections: [{ area: 'security', count: 3 }],
      instructions: 'Have a pen and paper ready.',
      ...extra,
    },
  });
  expect(res.status).toBe(201);
  return res.body.assessmentId as string;
}

async function invite(
  assessmentId: string,
  candidates: Record<string, unknown>[],
  expiresAt = new Date(Date.now() + 3 * 86_400_000).toISOString(),
) {
  const res = await api.request('POST', `/v1/assessments/${assessmentId}/invitations`, {
    token: employer,
    body: { send: true, candidates, expiresAt },
  });
  expect(res.status, res.text).toBe(201);
  return res.body.invitations as { invitationId: string; token: string; status: string }[];
}

async function invitationsOf(assessmentId: string) {
  const res = await api.request('GET', `/v1/assessments/${assessmentId}/invitations`, {
    token: employer,
  });
  expect(res.status).toBe(200);
  return res.body.items as {
    status: string;
    delivery: { status: string; message: string; at: string; reason?: string };
    reminderDueAt?: string;
    remindedAt?: string;
  }[];
}

beforeAll(async () => {
  capture = await startMailCapture();
  process.env.SMTP_URL = capture.smtpUrl;
  process.env.MAIL_FROM = 'assessments@assay.test';
  process.env.SITE_URL = 'https://assess.example.test';
  poller = createStreamPoller((e) => mailJob(e));
  employer = await api.token('employer', 'acme');
  const author = await api.token('author', 'acme');
  expect(
    (await api.request('POST', '/v1/banks', { token: author, body: sampleBank('ml') })).status,
  ).toBe(201);
  const profile = await api.request('PUT', '/v1/organisation', {
    token: employer,
    body: {
      name: 'Acme Robotics',
      accessibilityContact: 'access@acme.example',
      replyTo: 'hiring@acme.example',
    },
  });
  expect(profile.status).toBe(200);
}, 60_000);

afterAll(async () => {
  await capture?.stop();
  delete process.env.SMTP_URL;
  delete process.env.MAIL_FROM;
  delete process.env.SITE_URL;
});

describe('invitations by email', () => {
  it('emails each candidate their own link, in their language, with what they need to know', async () => {
    const assessmentId = await newAssessment();
    const ada = address('ada');
    const ivan = address('ivan');
    const [en, ru] = await invite(
      assessmentId,
      [
        { name: 'Ada Lovelace', email: ada, extraTimePercent: 25 },
        { name: 'Иван Петров', email: ivan, locale: 'ru' },
      ],
      '2030-06-01T17:00:00Z',
    );

    await drain();

    const [toAda] = await mailTo(ada);
    expect(await mailTo(ada)).toHaveLength(1);
    expect(linkIn(toAda!)).toBe(en!.token);
    expect(toAda!.text).toContain(`https://assess.example.test/take#${en!.token}`);
    expect(toAda!.subject).toBe('Acme Robotics invites you to an assessment: Backend screen');
    expect(toAda!.from[0]).toEqual({ address: 'assessments@assay.test', name: 'Acme Robotics' });
    // Addressed to the candidate by name (an email client shows it; spam filters weigh it).
    expect(toAda!.to).toEqual([{ address: ada, name: 'Ada Lovelace' }]);
    expect(toAda!.text).toContain('Time: 37.5 minutes (30 minutes plus your 25% extra time)');
    expect(toAda!.text).toContain('The link works until 1 June 2030 at 17:00 UTC.');
    expect(toAda!.text).toContain('- Have a pen and paper ready.');
    expect(toAda!.text).toContain('contact access@acme.example before you start');
    expect(toAda!.html).toContain(`href="https://assess.example.test/take#${en!.token}"`);

    const [toIvan] = await mailTo(ivan);
    expect(toIvan!.to).toEqual([{ address: ivan, name: 'Иван Петров' }]);
    expect(linkIn(toIvan!)).toBe(ru!.token);
    expect(toIvan!.subject).toBe(
      'Acme Robotics приглашает вас пройти тестирование «Backend screen»',
    );
    expect(toIvan!.text).toContain('Здравствуйте, Иван Петров!');
    expect(toIvan!.text).toContain('Время: 30 минут.');
    expect(toIvan!.text).toContain('Ссылка действует до 1 июня 2030 г. в 17:00 UTC.');

    // The listed delivery, and the link works as the candidate follows it.
    const listed = await invitationsOf(assessmentId);
    expect(listed.map((i) => i.delivery.status)).toEqual(['sent', 'sent']);
    const started = await api.request('POST', '/v1/attempts', {
      body: { invitationToken: linkIn(toIvan!) },
    });
    expect(started.status).toBe(201);
  }, 60_000);

  it('sends each email once even when the stream delivers its records again', async () => {
    const assessmentId = await newAssessment();
    const bo = address('bo');
    await invite(assessmentId, [{ name: 'Bo', email: bo }]);
    await drain();
    expect(await mailTo(bo)).toHaveLength(1);

    // A second consumer reads the whole stream from its start: every record again, twice at once.
    const records: DynamoDBStreamEvent['Records'] = [];
    await createStreamPoller(async (e) => {
      records.push(...e.Records);
      return { batchItemFailures: [] };
    }).drain();
    expect(records.length).toBeGreaterThan(0);
    const [a, b] = await Promise.all([
      mailJob({ Records: records }),
      mailJob({ Records: records }),
    ]);
    expect([...a.batchItemFailures, ...b.batchItemFailures]).toEqual([]);

    expect(await mailTo(bo)).toHaveLength(1);
  }, 60_000);

  it('sends a message again only when its sender died holding the claim past its lease', async () => {
    const assessmentId = await newAssessment();
    const cy = address('cy');
    const [inv] = await invite(assessmentId, [{ name: 'Cy', email: cy }]);
    // A sender claims the message and dies before sending or marking it.
    const crashed = await claimMail(inv!.invitationId, 1, new Date());
    expect(crashed.outcome).toBe('claimed');

    // The record's next delivery finds a fresh claim: it reports the record for a retry.
    await drain();
    expect(await mailTo(cy)).toHaveLength(0);

    // Past the lease, a delivery of the record sends it, once.
    const later = new Date(Date.now() + 6 * 60_000);
    clock.now = () => later;
    await drain();
    await drain();
    expect(await mailTo(cy)).toHaveLength(1);
    expect(linkIn((await mailTo(cy))[0]!)).toBe(inv!.token);
  }, 60_000);

  it('does not mail a link revoked before its email went out', async () => {
    const assessmentId = await newAssessment();
    const kim = address('kim');
    const [inv] = await invite(assessmentId, [{ name: 'Kim', email: kim }]);
    const revoked = await api.request('DELETE', `/v1/invitations/${inv!.invitationId}`, {
      token: employer,
    });
    expect(revoked.status).toBe(204);

    await drain();

    expect(await mailTo(kim)).toHaveLength(0);
    const [listed] = await invitationsOf(assessmentId);
    expect(listed!.status).toBe('revoked');
    expect(listed!.delivery).toMatchObject({
      status: 'failed',
      reason: 'Not sent: the invitation was revoked before its email went out.',
    });
  }, 60_000);

  it('marks an invitation undeliverable with the reason when SES reports a bounce', async () => {
    const assessmentId = await newAssessment();
    const [inv] = await invite(assessmentId, [{ name: 'Dee', email: address('dee') }]);
    await drain();
    const bounce = sesEvent('Email Bounced', inv!.invitationId, 1, {
      eventType: 'Bounce',
      bounce: {
        bounceType: 'Permanent',
        bounceSubType: 'General',
        bouncedRecipients: [
          {
            emailAddress: 'dee@example.test',
            status: '5.1.1',
            diagnosticCode: 'smtp; 550 5.1.1 user unknown',
          },
        ],
        timestamp: '2026-11-20T10:00:00.000Z',
      },
    });

    expect(await mailEvents(bounce)).toEqual({ recorded: true });
    // A delivery reported late, and the bounce again: neither changes what was recorded.
    expect(
      await mailEvents(
        sesEvent('Email Delivered', inv!.invitationId, 1, {
          eventType: 'Delivery',
          delivery: { timestamp: '2026-11-20T09:59:00.000Z' },
        }),
      ),
    ).toEqual({ recorded: false });
    expect(await mailEvents(bounce)).toEqual({ recorded: false });

    const [listed] = await invitationsOf(assessmentId);
    expect(listed!.status).toBe('undeliverable');
    expect(listed!.delivery).toEqual({
      status: 'bounced',
      message: 'invitation',
      at: '2026-11-20T10:00:00.000Z',
      reason: 'Permanent/General: smtp; 550 5.1.1 user unknown',
    });
  }, 60_000);

  it('records a delivery, then a complaint about the same message', async () => {
    const assessmentId = await newAssessment();
    const [inv] = await invite(assessmentId, [{ name: 'Eve', email: address('eve') }]);
    await drain();
    const delivered = await mailEvents(
      sesEvent('Email Delivered', inv!.invitationId, 1, {
        eventType: 'Delivery',
        delivery: { timestamp: '2026-11-20T09:59:00.000Z' },
      }),
    );
    expect(delivered).toEqual({ recorded: true });
    expect((await invitationsOf(assessmentId))[0]!.delivery.status).toBe('delivered');

    await mailEvents(
      sesEvent('Email Complaint Received', inv!.invitationId, 1, {
        eventType: 'Complaint',
        complaint: { complaintFeedbackType: 'abuse', timestamp: '2026-11-20T11:00:00.000Z' },
      }),
    );
    const [listed] = await invitationsOf(assessmentId);
    expect(listed!.status).toBe('undeliverable');
    expect(listed!.delivery.status).toBe('complained');
  }, 60_000);
});

describe('reminders', () => {
  it('reminds a candidate who has not started, once, the set number of hours before expiry', async () => {
    const assessmentId = await newAssessment({ remindBeforeExpiryHours: 24 });
    const expiresAt = new Date(Date.now() + 30 * 3_600_000);
    const fay = address('fay');
    const gus = address('gus');
    const [, started] = await invite(
      assessmentId,
      [
        { name: 'Fay', email: fay },
        { name: 'Gus', email: gus },
      ],
      expiresAt.toISOString(),
    );
    await drain();
    expect(
      (await api.request('POST', '/v1/attempts', { body: { invitationToken: started!.token } }))
        .status,
    ).toBe(201);

    // Not yet: the reminder is due 24 hours before the expiry, 6 hours from now.
    expect(await remindDue(new Date())).toEqual({ queued: 0 });
    const due = new Date(expiresAt.getTime() - 23 * 3_600_000);
    expect(await remindDue(due)).toEqual({ queued: 1 });
    expect(await remindDue(due)).toEqual({ queued: 0 });
    await drain();
    expect(await remindDue(new Date(due.getTime() + 3_600_000))).toEqual({ queued: 0 });
    await drain();

    const toFay = await mailTo(fay);
    expect(toFay.map((m) => m.subject)).toEqual([
      'Acme Robotics invites you to an assessment: Backend screen',
      'Reminder: Backend screen for Acme Robotics closes soon',
    ]);
    // The reminder carries the same, still valid link.
    expect(linkIn(toFay[1]!)).toBe(linkIn(toFay[0]!));
    expect(await mailTo(gus)).toHaveLength(1);
    const listed = await invitationsOf(assessmentId);
    expect(listed[0]!.delivery).toMatchObject({ status: 'sent', message: 'reminder' });
    expect(listed[0]!.remindedAt).toBe(due.toISOString());
  }, 60_000);

  it('sends no reminder when the assessment turns them off after the invitations went out', async () => {
    const assessmentId = await newAssessment({ remindBeforeExpiryHours: 24 });
    const expiresAt = new Date(Date.now() + 30 * 3_600_000);
    const hal = address('hal');
    await invite(assessmentId, [{ name: 'Hal', email: hal }], expiresAt.toISOString());
    await drain();

    const off = await api.request('PATCH', `/v1/assessments/${assessmentId}`, {
      token: employer,
      body: { remindBeforeExpiryHours: 0 },
    });
    expect(off.status).toBe(200);
    await drain();

    expect((await invitationsOf(assessmentId))[0]!.reminderDueAt).toBeUndefined();
    expect(await remindDue(new Date(expiresAt.getTime() - 3_600_000))).toEqual({ queued: 0 });
    expect(await mailTo(hal)).toHaveLength(1);
  }, 60_000);
});

describe('resend', () => {
  it('issues a new link that works, kills the old one at once, and emails it', async () => {
    const assessmentId = await newAssessment();
    const ida = address('ida');
    const [inv] = await invite(assessmentId, [{ name: 'Ida', email: ida }]);
    await drain();

    // A wrong secret before the resend: the plain 401, no reason.
    const [id, secret] = inv!.token.split('.') as [string, string];
    const wrong = `${secret.startsWith('A') ? 'B' : 'A'}${secret.slice(1)}`;
    const typo = await api.request('POST', '/v1/invitations/inspect', {
      body: { invitationToken: `${id}.${wrong}` },
    });
    expect(typo.status).toBe(401);
    expect(typo.body.reason).toBeUndefined();

    const res = await api.request('POST', `/v1/invitations/${inv!.invitationId}/resend`, {
      token: employer,
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ emailed: true, status: 'pending' });
    expect(res.body.token).not.toBe(inv!.token);

    // The first email's link: 401 saying it was replaced (not "check the whole link was copied").
    const old = await api.request('POST', '/v1/attempts', {
      body: { invitationToken: inv!.token },
    });
    expect(old.status).toBe(401);
    expect(old.body.reason).toBe('replaced');
    expect(old.body.detail).toMatch(/replaced by a newer one .*most recent email/);
    const oldInspected = await api.request('POST', '/v1/invitations/inspect', {
      body: { invitationToken: inv!.token },
    });
    expect(oldInspected.status).toBe(401);
    expect(oldInspected.body.reason).toBe('replaced');

    await drain();
    const mails = await mailTo(ida);
    expect(mails.map((m) => m.subject)).toEqual([
      'Acme Robotics invites you to an assessment: Backend screen',
      'Your new link: Backend screen for Acme Robotics',
    ]);
    expect(linkIn(mails[1]!)).toBe(res.body.token);
    expect(
      (await api.request('POST', '/v1/attempts', { body: { invitationToken: res.body.token } }))
        .status,
    ).toBe(201);

    const again = await api.request('POST', `/v1/invitations/${inv!.invitationId}/resend`, {
      token: employer,
    });
    expect(again.status).toBe(409);
    expect(again.body.detail).toContain('has been used');
  }, 60_000);

  it('hands out one live link when two resends race', async () => {
    const assessmentId = await newAssessment();
    const [inv] = await invite(assessmentId, [{ name: 'Jo' }]);
    const both = await Promise.all(
      [1, 2].map(() =>
        api.request('POST', `/v1/invitations/${inv!.invitationId}/resend`, { token: employer }),
      ),
    );
    const ok = both.filter((r) => r.status === 200);
    expect(ok.length).toBeGreaterThanOrEqual(1);
    // Whatever the interleaving, exactly one token opens the invitation: the last one written,
    // which is a resend's. Which of two answered resends wrote last is not the order they were
    // sent in (the second can land first), so the test does not guess it.
    const issued = ok.map((r) => r.body.token as string);
    const tokens = [inv!.token, ...issued];
    const starts = [];
    for (const t of tokens) {
      starts.push(
        (await api.request('POST', '/v1/attempts', { body: { invitationToken: t } })).status,
      );
    }
    expect(starts.filter((s) => s === 201)).toHaveLength(1);
    expect(starts.filter((s) => s === 401)).toHaveLength(tokens.length - 1);
    expect(issued).toContain(tokens[starts.indexOf(201)]);
    expect(ok[0]!.body.emailed).toBe(false);
  }, 60_000);

  it('asks for a new expiry to resend an expired invitation', async () => {
    const assessmentId = await newAssessment();
    const [inv] = await invite(assessmentId, [{ name: 'Kai', email: address('kai') }]);
    const later = new Date(Date.now() + 4 * 86_400_000);
    clock.now = () => later;
    const refused = await api.request('POST', `/v1/invitations/${inv!.invitationId}/resend`, {
      token: employer,
      body: {},
    });
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toContain('send a new expiresAt');

    const renewed = await api.request('POST', `/v1/invitations/${inv!.invitationId}/resend`, {
      token: employer,
      body: { expiresAt: new Date(later.getTime() + 86_400_000).toISOString() },
    });
    expect(renewed.status).toBe(200);
    expect(renewed.body.status).toBe('pending');
  }, 60_000);
});

describe('organisation settings and refusals', () => {
  it('shows the organisation id as its name until a name is set, and refuses a name on two lines', async () => {
    const other = await api.token('employer', 'globex');
    const before = await api.request('GET', '/v1/organisation', { token: other });
    expect(before.body).toEqual({ org: 'globex', name: 'globex', sendsMail: true });
    const bad = await api.request('PUT', '/v1/organisation', {
      token: other,
      body: { name: 'Globex\r\nBcc: everyone@example.test', replyTo: 'not an address' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual([
      'name',
      'replyTo',
    ]);
  });

  it('refuses send where the deployment sends no mail, instead of dropping the emails', async () => {
    const assessmentId = await newAssessment();
    const from = process.env.MAIL_FROM;
    delete process.env.MAIL_FROM;
    try {
      const res = await api.request('POST', `/v1/assessments/${assessmentId}/invitations`, {
        token: employer,
        body: {
          send: true,
          candidates: [{ email: address('lee') }],
          expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
        },
      });
      expect(res.status).toBe(400);
      expect(res.body.errors[0].path).toBe('send');
      // The organisation's view says so beforehand (the console offers no send checkbox).
      const org = await api.request('GET', '/v1/organisation', { token: employer });
      expect(org.body.sendsMail).toBe(false);
    } finally {
      process.env.MAIL_FROM = from;
    }
  });
});
