import { describe, expect, expectTypeOf, it } from 'vitest';
import { AREA_NAMES_RU, AREAS, type AreaId } from '../../../functions/domain/taxonomy.ts';
import {
  CATALOGUE,
  durationWords,
  formatLocale,
  preferredLocale,
} from '../../../web/candidate/i18n.ts';

describe('the message catalogue', () => {
  it('has the same messages in English and Russian, none empty', () => {
    const keys = (o: object) => Object.keys(o).sort();
    expect(keys(CATALOGUE.ru)).toEqual(keys(CATALOGUE.en));
    for (const [key, value] of Object.entries(CATALOGUE.ru)) {
      if (typeof value === 'string') expect(value, key).not.toBe('');
    }
  });

  it('names every area in Russian', () => {
    expect(Object.keys(CATALOGUE.ru.areaNames).sort()).toEqual(AREAS.map((a) => a.id).sort());
  });

  it('keys the Russian names by AreaId, so that an area without one fails the typecheck', () => {
    // Keyed by string, a new area without its Russian name typechecked and showed its id.
    expectTypeOf(AREA_NAMES_RU).toEqualTypeOf<Readonly<Record<AreaId, string>>>();
  });

  it('says durations in words with the right plural forms', () => {
    const { en, ru } = CATALOGUE;
    expect(durationWords(en, 20 * 60)).toBe('20 minutes');
    expect(durationWords(en, 60)).toBe('1 minute');
    expect(durationWords(en, 90 * 60)).toBe('1 hour 30 minutes');
    expect(durationWords(en, 45)).toBe('45 seconds');
    expect(durationWords(ru, 21 * 60)).toBe('21 минута');
    expect(durationWords(ru, 22 * 60)).toBe('22 минуты');
    expect(durationWords(ru, 25 * 60)).toBe('25 минут');
    expect(durationWords(ru, 120 * 60)).toBe('2 часа');
    expect(ru.questions(5)).toBe('5 вопросов');
    expect(ru.questions(1)).toBe('1 вопрос');
  });

  it("speaks the first of the browser's languages that it has, else English", () => {
    expect(preferredLocale(['ru-RU', 'en-GB'])).toBe('ru');
    expect(preferredLocale(['de-DE', 'RU', 'en'])).toBe('ru');
    expect(preferredLocale(['en-US', 'ru'])).toBe('en');
    expect(preferredLocale(['de', 'fr'])).toBe('en');
    expect(preferredLocale([])).toBe('en');
  });

  it("formats dates in the browser's variant of the page's language", () => {
    expect(formatLocale('en', ['de-DE', 'en-GB'])).toBe('en-GB');
    expect(formatLocale('en', ['ru-RU'])).toBe('en');
    expect(formatLocale('ru', ['ru-RU', 'en-US'])).toBe('ru-RU');
  });
});
