import { describe, expect, it } from 'vitest';
import { QUESTION_TYPES } from '../../../functions/domain/question-types/registry.ts';

// The renderers build DOM: web/tsconfig.json typechecks them (with the DOM's types), and
// `RENDERERS` is typed by the registry's type ids there. This program has no DOM types, so the
// module is imported by a path the compiler does not follow; nothing in it touches the DOM
// before a question is rendered.
const modulePath = '../../../web/candidate/questions.ts';
const { RENDERERS, rendererOf, UNSUPPORTED } = (await import(modulePath)) as {
  RENDERERS: Record<string, unknown>;
  rendererOf(type: string): unknown;
  UNSUPPORTED: unknown;
};

describe('the candidate app’s question renderers', () => {
  it('have one renderer for every question type of the registry', () => {
    const withoutRenderer = QUESTION_TYPES.filter((t) => rendererOf(t) === UNSUPPORTED);

    expect(withoutRenderer).toEqual([]);
  });

  it('render no type the registry does not have', () => {
    const unknown = Object.keys(RENDERERS).filter(
      (t) => !(QUESTION_TYPES as readonly string[]).includes(t),
    );

    expect(unknown).toEqual([]);
  });

  it('show a type they do not know (or an inherited property name) as not answerable', () => {
    expect(rendererOf('essay')).toBe(UNSUPPORTED);
    expect(rendererOf('constructor')).toBe(UNSUPPORTED);
    expect(rendererOf('__proto__')).toBe(UNSUPPORTED);
  });
});
