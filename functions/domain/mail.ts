/**
 * What a candidate's email says: the invitation, the reminder and the new link after a resend,
 * in English or Russian. Pure: the mail job gathers the facts, this module words them.
 */
import type { Locale } from './locales.ts';
import { AREA_NAMES_RU, type AreaId, findArea } from './taxonomy.ts';

/** Why a message is sent. */
export type MailKind = 'invitation' | 'reminder' | 'resend';

/**
 * Where a message stands. `queued` and `sending` are the outbox's own; `sent` means the mail
 * service accepted it; `delivered`, `bounced` and `complained` come back from SES (locally
 * nothing comes back: `sent` is the last news); `failed` means the mail service refused it.
 */
export type MailState =
  | 'queued'
  | 'sending'
  | 'sent'
  | 'delivered'
  | 'bounced'
  | 'complained'
  | 'failed';

/** What an employer reads: `sending` is still `queued` to them. */
export type DeliveryStatus = Exclude<MailState, 'sending'>;

/** States after which nothing more is mailed to the address (no reminder). */
export const UNDELIVERABLE: ReadonlySet<MailState> = new Set(['bounced', 'complained', 'failed']);

export interface MailFacts {
  kind: MailKind;
  locale: Locale;
  organisation: { name: string; accessibilityContact?: string; replyTo?: string };
  assessment: {
    title: string;
    timeLimitMinutes: number;
    questionCount: number;
    /** The areas' ids, in blueprint order (named here, in the candidate's language). */
    areas: string[];
    instructions?: string;
  };
  candidate: { name?: string };
  extraTimePercent: number;
  expiresAt: string;
  /** The candidate's link (`<site>/take#<token>`): only ever in the body, never logged. */
  link: string;
}

export interface MailContent {
  subject: string;
  text: string;
  html: string;
}

/** The areas' names in the candidate's language, each once (two sections may share an area). */
export function areaNames(ids: readonly string[], locale: Locale): string[] {
  const name = (id: string) =>
    (locale === 'ru' && Object.hasOwn(AREA_NAMES_RU, id)
      ? AREA_NAMES_RU[id as AreaId]
      : undefined) ??
    findArea(id)?.name ??
    id;
  return [...new Set(ids)].map(name);
}

/** Minutes the candidate has: the time limit stretched by their extra time (to the half minute, down). */
export function minutesAllowed(timeLimitMinutes: number, extraTimePercent: number): number {
  return Math.floor(timeLimitMinutes * (1 + extraTimePercent / 100) * 2) / 2;
}

/*
 * Numbers and dates as `Intl` writes them in en-GB and ru-RU (`maximumFractionDigits: 1`;
 * `dateStyle: 'long', timeStyle: 'short'` in UTC), written out here because the first `Intl`
 * formatter of a process initialises ICU: about 10 ms of CPU, a fifth of the mail job's cold
 * start over its floor, for two fixed formats. tests/unit/mail.test.ts holds them to `Intl`'s
 * output over every value `minutesAllowed` can give and every month, day, hour and minute, so
 * an ICU that words them differently fails that test instead of changing the emails unseen.
 */
const SEPARATORS: Record<Locale, { group: string; decimal: string }> = {
  en: { group: ',', decimal: '.' },
  ru: { group: '\u00a0', decimal: ',' },
};

/** Minutes (a multiple of a half, as `minutesAllowed` gives them) in the locale's digits. */
export function formatMinutes(n: number, locale: Locale): string {
  const { group, decimal } = SEPARATORS[locale];
  const tenths = Math.round(n * 10);
  const digits = String(Math.floor(tenths / 10)).replace(/\B(?=(\d{3})+$)/g, group);
  return tenths % 10 ? `${digits}${decimal}${tenths % 10}` : digits;
}

const MONTHS: Record<Locale, readonly string[]> = {
  en: [
    'January',
    'February',
    'March',
    'April',
    'May',
    'June',
    'July',
    'August',
    'September',
    'October',
    'November',
    'December',
  ],
  // The genitive, as a date reads: 1 июня.
  ru: [
    'января',
    'февраля',
    'марта',
    'апреля',
    'мая',
    'июня',
    'июля',
    'августа',
    'сентября',
    'октября',
    'ноября',
    'декабря',
  ],
};

/** `1 June 2030 at 17:00 UTC`, `1 июня 2030 г. в 17:00 UTC`. */
export function formatDate(iso: string, locale: Locale): string {
  const d = new Date(iso);
  const day = `${d.getUTCDate()} ${MONTHS[locale][d.getUTCMonth()]} ${d.getUTCFullYear()}`;
  const time = `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
  return locale === 'ru' ? `${day} г. в ${time} UTC` : `${day} at ${time} UTC`;
}

/** Russian plural forms: one, few, many (1 минута, 2 минуты, 5 минут; 2,5 минуты). */
function ruPlural(n: number, [one, few, many]: readonly [string, string, string]): string {
  if (!Number.isInteger(n)) return few;
  const m10 = n % 10;
  const m100 = n % 100;
  if (m10 === 1 && m100 !== 11) return one;
  if (m10 >= 2 && m10 <= 4 && (m100 < 12 || m100 > 14)) return few;
  return many;
}

interface Words {
  subject: (f: MailFacts) => string;
  greeting: (name?: string) => string;
  lead: (f: MailFacts) => string;
  start: string;
  linkNote: string;
  time: (minutes: number, f: MailFacts) => string;
  questions: (f: MailFacts) => string;
  until: (date: string) => string;
  prepareHeading: string;
  prepare: (minutes: number) => string[];
  accessibilityHeading: string;
  accessibility: (f: MailFacts) => string;
  footer: (f: MailFacts) => string;
}

const EN: Words = {
  subject: (f) =>
    f.kind === 'reminder'
      ? `Reminder: ${f.assessment.title} for ${f.organisation.name} closes soon`
      : f.kind === 'resend'
        ? `Your new link: ${f.assessment.title} for ${f.organisation.name}`
        : `${f.organisation.name} invites you to an assessment: ${f.assessment.title}`,
  greeting: (name) => (name ? `Hello ${name},` : 'Hello,'),
  lead: (f) =>
    f.kind === 'reminder'
      ? `This is a reminder that your assessment "${f.assessment.title}" for ${f.organisation.name} is waiting for you, and your link expires soon.`
      : f.kind === 'resend'
        ? `${f.organisation.name} has sent you a new link for the assessment "${f.assessment.title}". Any link you received before no longer works.`
        : `${f.organisation.name} invites you to take the assessment "${f.assessment.title}".`,
  start: 'Start the assessment',
  linkNote: 'The link is personal: do not share it. Open it when you are ready to begin.',
  time: (minutes, f) =>
    `Time: ${formatMinutes(minutes, 'en')} minutes${f.extraTimePercent > 0 ? ` (${f.assessment.timeLimitMinutes} minutes plus your ${f.extraTimePercent}% extra time)` : ''}. Once you start, the clock keeps running, even if you close the page.`,
  questions: (f) =>
    `Questions: ${f.assessment.questionCount}, on ${areaNames(f.assessment.areas, 'en').join(', ')}.`,
  until: (date) => `The link works until ${date}.`,
  prepareHeading: 'What to prepare',
  prepare: (minutes) => [
    `${formatMinutes(minutes, 'en')} uninterrupted minutes in a quiet place.`,
    'A computer with an up-to-date browser and a stable internet connection. Your answers are saved as you go.',
  ],
  accessibilityHeading: 'Accessibility',
  accessibility: (f) =>
    f.organisation.accessibilityContact
      ? `If you need adjustments (more time, a screen reader, another format), contact ${f.organisation.accessibilityContact} before you start.`
      : f.organisation.replyTo
        ? 'If you need adjustments (more time, a screen reader, another format), reply to this email before you start.'
        : `If you need adjustments (more time, a screen reader, another format), ask ${f.organisation.name} before you start.`,
  footer: (f) =>
    `You receive this email because ${f.organisation.name} invited you to an assessment. If you did not expect it, you can ignore it.`,
};

const RU: Words = {
  subject: (f) =>
    f.kind === 'reminder'
      ? `Напоминание: скоро закроется тестирование «${f.assessment.title}» (${f.organisation.name})`
      : f.kind === 'resend'
        ? `Новая ссылка на тестирование «${f.assessment.title}» (${f.organisation.name})`
        : `${f.organisation.name} приглашает вас пройти тестирование «${f.assessment.title}»`,
  greeting: (name) => (name ? `Здравствуйте, ${name}!` : 'Здравствуйте!'),
  lead: (f) =>
    f.kind === 'reminder'
      ? `Напоминаем: тестирование «${f.assessment.title}» от ${f.organisation.name} ждёт вас, а срок действия ссылки скоро истечёт.`
      : f.kind === 'resend'
        ? `${f.organisation.name} отправляет вам новую ссылку на тестирование «${f.assessment.title}». Прежние ссылки больше не действуют.`
        : `${f.organisation.name} приглашает вас пройти тестирование «${f.assessment.title}».`,
  start: 'Начать тестирование',
  linkNote: 'Ссылка личная, не передавайте её другим. Откройте её, когда будете готовы начать.',
  time: (minutes, f) =>
    `Время: ${formatMinutes(minutes, 'ru')} ${ruPlural(minutes, ['минута', 'минуты', 'минут'])}${f.extraTimePercent > 0 ? ` (${f.assessment.timeLimitMinutes} ${ruPlural(f.assessment.timeLimitMinutes, ['минута', 'минуты', 'минут'])} и ещё ${f.extraTimePercent}% дополнительного времени для вас)` : ''}. После начала время идёт, даже если закрыть страницу.`,
  questions: (f) =>
    `Вопросов: ${f.assessment.questionCount}; темы: ${areaNames(f.assessment.areas, 'ru').join(', ')}.`,
  until: (date) => `Ссылка действует до ${date}.`,
  prepareHeading: 'Как подготовиться',
  prepare: (minutes) => [
    `${formatMinutes(minutes, 'ru')} ${ruPlural(minutes, ['минута', 'минуты', 'минут'])} без перерывов в тихом месте.`,
    'Компьютер с современным браузером и стабильным интернетом. Ответы сохраняются автоматически.',
  ],
  accessibilityHeading: 'Доступность',
  accessibility: (f) =>
    f.organisation.accessibilityContact
      ? `Если вам нужны особые условия (больше времени, экранный диктор, другой формат), до начала напишите: ${f.organisation.accessibilityContact}.`
      : f.organisation.replyTo
        ? 'Если вам нужны особые условия (больше времени, экранный диктор, другой формат), до начала ответьте на это письмо.'
        : `Если вам нужны особые условия (больше времени, экранный диктор, другой формат), до начала сообщите об этом ${f.organisation.name}.`,
  footer: (f) =>
    `Вы получили это письмо, потому что вас пригласили на тестирование от имени ${f.organisation.name}. Если вы его не ждали, просто не отвечайте на него.`,
};

const WORDS: Record<Locale, Words> = { en: EN, ru: RU };

const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

/**
 * The employer's instructions as items of the list: one per line they wrote (a list marker they
 * typed is dropped, the list has its own). Kept as one item, the HTML part ran every line into
 * one paragraph, since HTML shows a line break as a space.
 */
function instructionItems(instructions: string | undefined): string[] {
  return (instructions ?? '')
    .split(/\r?\n/)
    .map((line) => line.trim().replace(/^(?:[-*•]|\d{1,2}[.)])\s+/, ''))
    .filter((line) => line !== '');
}

/** The email for these facts: subject, plain text and the same in simple, escaped HTML. */
export function composeMail(f: MailFacts): MailContent {
  const w = WORDS[f.locale];
  const minutes = minutesAllowed(f.assessment.timeLimitMinutes, f.extraTimePercent);
  const prepare = [...w.prepare(minutes), ...instructionItems(f.assessment.instructions)];
  const facts = [w.time(minutes, f), w.questions(f), w.until(formatDate(f.expiresAt, f.locale))];
  const text = [
    w.greeting(f.candidate.name),
    '',
    w.lead(f),
    '',
    `${w.start}: ${f.link}`,
    w.linkNote,
    '',
    ...facts,
    '',
    `${w.prepareHeading}:`,
    ...prepare.map((p) => `- ${p}`),
    '',
    `${w.accessibilityHeading}: ${w.accessibility(f)}`,
    '',
    '--',
    w.footer(f),
    '',
  ].join('\n');
  const p = (s: string) => `<p>${escapeHtml(s)}</p>`;
  const html = `<!doctype html>
<html lang="${f.locale}"><head><meta charset="utf-8"><title>${escapeHtml(w.subject(f))}</title></head>
<body style="font-family: system-ui, sans-serif; line-height: 1.5; color: #1a1a1a; max-width: 40rem">
${p(w.greeting(f.candidate.name))}
${p(w.lead(f))}
<p><a href="${escapeHtml(f.link)}" style="display: inline-block; padding: 0.6em 1.2em; background: #1d4ed8; color: #fff; border-radius: 0.3em; text-decoration: none">${escapeHtml(w.start)}</a></p>
<p style="font-size: 0.9em">${escapeHtml(w.linkNote)}<br>${escapeHtml(f.link)}</p>
${facts.map(p).join('\n')}
<h2 style="font-size: 1.1em">${escapeHtml(w.prepareHeading)}</h2>
<ul>${prepare.map((x) => `<li>${escapeHtml(x)}</li>`).join('')}</ul>
<h2 style="font-size: 1.1em">${escapeHtml(w.accessibilityHeading)}</h2>
${p(w.accessibility(f))}
<hr><p style="font-size: 0.85em; color: #555">${escapeHtml(w.footer(f))}</p>
</body></html>
`;
  return { subject: w.subject(f), text, html };
}
