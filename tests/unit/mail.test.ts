import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { reminderAt } from '../../functions/domain/assessment.ts';
import {
  composeMail,
  formatDate,
  formatMinutes,
  type MailFacts,
  minutesAllowed,
} from '../../functions/domain/mail.ts';
import { deliveryNewsOf } from '../../functions/domain/mail-events.ts';
import { type ReminderSubject, reminderDecision } from '../../functions/domain/reminders.ts';
import { AREAS } from '../../functions/domain/taxonomy.ts';
import { CATALOGUE as CANDIDATE_APP } from '../../web/candidate/i18n.ts';

const facts = (over: Partial<MailFacts> = {}): MailFacts => ({
  kind: 'invitation',
  locale: 'en',
  organisation: { name: 'Acme' },
  assessment: { title: 'Backend', timeLimitMinutes: 30, questionCount: 10, areas: ['security'] },
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
          areas: ['security'],
          instructions: '<img src=x onerror=alert(1)>',
        },
        candidate: { name: '"><b>Ada</b>' },
      }),
    );
    expect(mail.html).not.toMatch(/<script|<img|<b>/);
    expect(mail.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('lists the instructions line by line, in the HTML too (where a line break is a space)', () => {
    const instructions = 'Bring ID\n\n- A quiet room\r\n2. Chrome or Firefox';
    const mail = composeMail(facts({ assessment: { ...facts().assessment, instructions } }));
    expect(mail.html).toContain('<li>Bring ID</li><li>A quiet room</li><li>Chrome or Firefox</li>');
    expect(mail.text).toContain('- Bring ID\n- A quiet room\n- Chrome or Firefox\n');
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
          assessment: { title: 'T', timeLimitMinutes: m, questionCount: 1, areas: ['security'] },
        }),
      ).text;
    expect(ru(1)).toContain('Время: 1 минута.');
    expect(ru(22)).toContain('Время: 22 минуты.');
    expect(ru(11)).toContain('Время: 11 минут.');
    expect(composeMail(facts({ locale: 'ru', extraTimePercent: 5 })).text).toContain(
      'Время: 31,5 минуты',
    );
  });

  it('names the areas in the candidate’s language, as the candidate app does, each once', () => {
    const assessment = {
      title: 'T',
      timeLimitMinutes: 30,
      questionCount: 3,
      areas: ['security', 'microservices', 'security', 'collaboration'],
    };

    const ru = composeMail(facts({ locale: 'ru', assessment })).text;
    const en = composeMail(facts({ assessment })).text;

    expect(ru).toContain('Вопросов: 3; темы: Безопасность, Микросервисы, Командная работа.');
    expect(en).toContain('Questions: 3, on Security, Microservices, Collaboration.');
    for (const area of AREAS) {
      const one = { ...assessment, areas: [area.id] };
      expect(composeMail(facts({ locale: 'ru', assessment: one })).text).toContain(
        `темы: ${CANDIDATE_APP.ru.areaNames[area.id as keyof typeof CANDIDATE_APP.ru.areaNames]}.`,
      );
      expect(composeMail(facts({ assessment: one })).text).toContain(`on ${area.name}.`);
    }
  });

  it('writes the minutes as Intl does in each language, for every time a candidate can have', () => {
    // Every time limit (1-600 minutes) with every extra time (0-200%).
    const minutes = new Set<number>();
    for (let limit = 1; limit <= 600; limit++) {
      for (let extra = 0; extra <= 200; extra++) minutes.add(minutesAllowed(limit, extra));
    }
    for (const [locale, tag] of [
      ['en', 'en-GB'],
      ['ru', 'ru-RU'],
    ] as const) {
      const intl = new Intl.NumberFormat(tag, { maximumFractionDigits: 1 });
      for (const m of minutes) expect(formatMinutes(m, locale)).toBe(intl.format(m));
    }
    expect(formatMinutes(1234.5, 'en')).toBe('1,234.5');
    expect(formatMinutes(1234.5, 'ru')).toBe('1\u00a0234,5');
  });

  it('writes the expiry as Intl does in each language, for every month, day, hour and minute', () => {
    const intl = (tag: string) =>
      new Intl.DateTimeFormat(tag, { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' });
    const expected = { en: intl('en-GB'), ru: intl('ru-RU') };
    const same = (iso: string) => {
      for (const locale of ['en', 'ru'] as const) {
        expect(formatDate(iso, locale)).toBe(`${expected[locale].format(new Date(iso))} UTC`);
      }
    };
    // Every day of a leap year, each at another hour and minute, then every hour and minute.
    for (let day = 0; day < 366; day++) {
      same(new Date(Date.UTC(2028, 0, 1 + day, day % 24, (day * 7) % 60)).toISOString());
    }
    for (let minute = 0; minute < 24 * 60; minute++) {
      same(new Date(Date.UTC(2030, 5, 1, 0, minute)).toISOString());
    }
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2200, 0, 1) }), (ms) =>
        same(new Date(ms).toISOString()),
      ),
      { numRuns: 2000 },
    );
    expect(formatDate('2030-06-01T17:00:00Z', 'en')).toBe('1 June 2030 at 17:00 UTC');
    expect(formatDate('2030-06-01T17:00:00Z', 'ru')).toBe('1 июня 2030 г. в 17:00 UTC');
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
