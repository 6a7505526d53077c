/** Languages of the candidate app's texts. The first is the default. */
export const LOCALES = ['en', 'ru'] as const;
export type Locale = (typeof LOCALES)[number];

/** A stored locale if it is one the app speaks, else the default. */
export const localeOr = (value: unknown): Locale =>
  (LOCALES as readonly unknown[]).includes(value) ? (value as Locale) : LOCALES[0];
