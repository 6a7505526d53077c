/**
 * What every web app's catalogue shares: the languages, plural forms, and numbers, dates and
 * durations through `Intl` in the page's language. Each app keeps its own messages (the
 * candidate app's `web/candidate/i18n.ts`, the console's `web/console/i18n.ts`).
 */

export type Locale = 'en' | 'ru';
export const LOCALES: readonly Locale[] = ['en', 'ru'];

export const isLocale = (value: unknown): value is Locale => LOCALES.includes(value as Locale);

/**
 * The first of the browser's languages (`navigator.languages`) that the app speaks, else
 * English: what a page says before it knows whose it is (a link that is not valid).
 */
export function preferredLocale(languages: readonly string[] = []): Locale {
  for (const tag of languages) {
    const primary = tag.toLowerCase().split('-')[0];
    if (isLocale(primary)) return primary;
  }
  return 'en';
}

/** Plural forms as `Intl.PluralRules` names them; `other` is required. */
export type Forms = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };

/** `plural('en', 3, {one: '# minute', other: '# minutes'})` is "3 minutes". */
export function plural(locale: Locale, n: number, forms: Forms): string {
  const rule = new Intl.PluralRules(locale).select(n);
  return (forms[rule] ?? forms.other).replace('#', new Intl.NumberFormat(locale).format(n));
}

/** The words a catalogue gives for durations. */
export interface DurationUnits {
  seconds(n: number): string;
  minutes(n: number): string;
  hours(n: number): string;
}

/** A duration in words: "20 minutes", "1 hour 30 minutes", "45 seconds". */
export function durationWords(m: DurationUnits, totalSeconds: number): string {
  const s = Math.max(0, Math.round(totalSeconds));
  if (s < 60) return m.seconds(s);
  const minutesTotal = Math.round(s / 60);
  const h = Math.floor(minutesTotal / 60);
  const min = minutesTotal % 60;
  if (!h) return m.minutes(min);
  return min ? `${m.hours(h)} ${m.minutes(min)}` : m.hours(h);
}

/**
 * The locale for dates and numbers: the browser's own variant of the page's language (en-GB
 * shows 24-hour times, en-US 12-hour), else the page's language.
 */
export function formatLocale(locale: Locale, preferred: readonly string[] = []): string {
  const own = preferred.find((tag) => tag.toLowerCase().split('-')[0] === locale);
  if (!own) return locale;
  try {
    return Intl.DateTimeFormat.supportedLocalesOf([own])[0] ?? locale;
  } catch {
    return locale;
  }
}

const browserLocale = (locale: Locale) =>
  formatLocale(locale, typeof navigator === 'undefined' ? [] : navigator.languages);

/** Date and time in the reader's locale, in their time zone. */
export const dateTime = (locale: Locale, iso: string | number) =>
  new Intl.DateTimeFormat(browserLocale(locale), { dateStyle: 'long', timeStyle: 'short' }).format(
    new Date(iso),
  );

/** A short date and time, for tables. */
export const shortDateTime = (locale: Locale, iso: string | number) =>
  new Intl.DateTimeFormat(browserLocale(locale), {
    dateStyle: 'medium',
    timeStyle: 'short',
  }).format(new Date(iso));

/** Time of day with seconds, for "saved at". */
export const timeOfDay = (locale: Locale, iso: string | number) =>
  new Intl.DateTimeFormat(browserLocale(locale), { timeStyle: 'medium' }).format(new Date(iso));

export const formatNumber = (locale: Locale, n: number) =>
  new Intl.NumberFormat(browserLocale(locale), { maximumFractionDigits: 1 }).format(n);
