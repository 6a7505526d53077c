import { describe, expect, it } from 'vitest';
import { reminderAt } from '../../functions/domain/assessment.ts';
import { composeMail, type MailFacts, minutesAllowed } from '../../functions/domain/mail.ts';
import { deliveryNewsOf } from '../../functions/domain/mail-events.ts';
import { type ReminderSubject, reminderDecision } from '../../functions/domain/reminders.ts';

const facts = (over: Partial<MailFacts> = {}): MailFacts => ({
  kind: 'invitation',
  locale: 'en',
  organisation: { name: 'Acme' },
  assessment: { title: 'Backend', timeLimitMinutes: 30, questionCount: 10, areas: ['Security'] },
  candidate: { name: 'Ada' },
  extraTimePercent: 0,
  expiresAt: '2030-01-02T03:04:00Z',
  link: 'https://assess.example/take#TOKEN',
  ...over,
});

describe('the invitation email', () => {
  it('escapes everything an employer or candidate typed in its HTML', () => {
    const mail = composeMail(
      facts({
        assessment: {
          title: '<script>alert(1)</script>',
          timeLimitMinutes: 30,
          questionCount: 1,
          areas: ['Security'],
          instructions: '<img src=x onerror=alert(1)>',
        },
        candidate: { name: '"><b>Ada</b>' },
      }),
    );
    expect(mail.html).not.toMatch(/<script|<img|<b>/);
    expect(mail.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('states the time with the extra time, to the half minute and never more than allowed', () => {
    expect(minutesAllowed(30, 25)).toBe(37.5);
    expect(minutesAllowed(45, 10)).toBe(49.5);
    expect(minutesAllowed(7, 33)).toBe(9); // 9.31 minutes: the email says 9
    expect(composeMail(facts({ extraTimePercent: 50 })).text).toContain(
      'Time: 45 minutes (30 minutes plus your 50% extra time).',
    );
  });

  it('speaks Russian with Russian plurals', () => {
    const ru = (m: number) =>
      composeMail(
        facts({
          locale: 'ru',
          assessment: { title: 'T', timeLimitMinutes: m, questionCount: 1, areas: ['A'] },
        }),
      ).text;
    expect(ru(1)).toContain('Время: 1 минута.');
    expect(ru(22)).toContain('Время: 22 минуты.');
    expect(ru(11)).toContain('Время: 11 минут.');
    expect(composeMail(facts({ locale: 'ru', extraTimePercent: 5 })).text).toContain(
      'Время: 31,5 минуты',
    );
  });

  it('tells a candidate where to ask for adjustments, whatever the organisation set', () => {
    expect(composeMail(facts()).text).toContain('ask Acme before you start');
    expect(
      composeMail(facts({ organisation: { name: 'Acme', replyTo: 'hr@acme.example' } })).text,
    ).toContain('reply to this email before you start');
  });
});

describe('SES events', () => {
  const tags = { 'assay-invitation': ['01M8MPKFGTWAZV0NBEXECV7RXT'], 'assay-message': ['2'] };
  it('are read into the news of one message', () => {
    expect(
      deliveryNewsOf({
        time: '2030-01-01T00:00:00Z',
        detail: { eventType: 'Reject', reject: { reason: 'Bad content' }, mail: { tags } },
      }),
    ).toEqual({
      invitationId: '01M8MPKFGTWAZV0NBEXECV7RXT',
      seq: 2,
      state: 'failed',
      reason: 'Rejected by SES: Bad content',
      at: '2030-01-01T00:00:00Z',
    });
  });

  it('leave out what is not about an Assay message or changes nothing', () => {
    expect(deliveryNewsOf({ detail: { eventType: 'Bounce', mail: { tags: {} } } })).toBeUndefined();
    expect(deliveryNewsOf({ detail: { eventType: 'Open', mail: { tags } } })).toBeUndefined();
    expect(
      deliveryNewsOf({
        detail: { eventType: 'Delivery', mail: { tags: { ...tags, 'assay-message': ['x'] } } },
      }),
    ).toBeUndefined();
  });
});

describe('reminders', () => {
  const now = new Date('2030-01-10T12:00:00Z');
  const inv = (over: Partial<ReminderSubject> = {}): ReminderSubject => ({
    status: 'pending',
    createdAt: '2030-01-01T00:00:00Z',
    expiresAt: '2030-01-11T06:00:00Z',
    candidate: { email: 'a@example.test' },
    mailState: 'sent',
    ...over,
  });

  it('are due the set hours before expiry, for invitations created before that', () => {
    expect(reminderAt(inv(), 24)?.toISOString()).toBe('2030-01-10T06:00:00.000Z');
    expect(reminderAt(inv({ createdAt: '2030-01-10T07:00:00Z' }), 24)).toBeUndefined();
    expect(reminderAt(inv(), 0)).toBeUndefined();
  });

  it('are sent once the time comes, moved when not yet due, and dropped for good reasons', () => {
    expect(reminderDecision(inv(), {}, now)).toEqual({ do: 'send' });
    expect(reminderDecision(inv(), { remindBeforeExpiryHours: 2 }, now)).toEqual({
      do: 'move',
      at: new Date('2030-01-11T04:00:00Z'),
    });
    expect(reminderDecision(inv({ mailState: 'queued' }), {}, now)).toEqual({ do: 'wait' });
    for (const [why, subject, assessment] of [
      ['started', inv({ status: 'started' }), {}],
      ['reminded', inv({ remindedAt: '2030-01-10T06:00:00Z' }), {}],
      ['bounced', inv({ mailState: 'bounced' }), {}],
      ['expired', inv({ expiresAt: '2030-01-10T11:00:00Z' }), {}],
      ['archived', inv(), { archivedAt: '2030-01-09T00:00:00Z' }],
      ['turned off', inv(), { remindBeforeExpiryHours: 0 }],
    ] as const) {
      expect(reminderDecision(subject, assessment, now), why).toEqual({ do: 'drop' });
    }
  });
});
