import { describe, expect, it } from 'vitest';
import { validateBank } from '../../functions/domain/bank.ts';
import { gradeResponse, validateQuestion } from '../../functions/domain/question.ts';
import {
  isReservedName,
  nullRecord,
  own,
  RESERVED_NAMES,
} from '../../functions/domain/reserved.ts';
import { principalFromClaims } from '../../functions/http/principal.ts';

const sjt = (ids: string[], weights: Record<string, number>) => ({
  id: 'sjt-q',
  area: 'collaboration',
  type: 'sjt',
  difficulty: 2,
  prompt: 'A teammate disagrees with your design in review. What do you do?',
  options: ids.map((id) => ({ id, text: `Option ${id}` })),
  answer: { weights },
  explanation: 'Talking it through with evidence resolves most design disagreements.',
  tags: ['review'],
});

describe('reserved names', () => {
  it('are every member of Object.prototype, __proto__ included', () => {
    for (const name of Object.getOwnPropertyNames(Object.prototype)) {
      expect(isReservedName(name)).toBe(true);
    }
    expect(RESERVED_NAMES.has('__proto__')).toBe(true);
    expect(RESERVED_NAMES.has('constructor')).toBe(true);
    expect(isReservedName('construct')).toBe(false);
  });

  it('are refused as question ids, option ids and tags, naming the field', () => {
    const q = validateQuestion({
      ...sjt(['a', 'constructor'], { a: 1, constructor: 0 }),
      id: 'constructor',
      tags: ['constructor'],
    });
    expect(q.question).toBeUndefined();
    const paths = q.issues.map((i) => i.path);
    expect(paths).toContain('id');
    expect(paths).toContain('options[1].id');
    expect(paths).toContain('tags[0]');
    expect(q.issues.find((i) => i.path === 'id')?.message).toBe(
      'Question ids cannot be "constructor": it is a name every JavaScript object already has.',
    );
  });

  it('are refused as a bank id', () => {
    expect(() =>
      validateBank({
        bank: { id: 'constructor', title: 'T' },
        questions: [sjt(['a', 'b'], { a: 1, b: 0 })],
      }),
    ).toThrow(/Bank ids cannot be "constructor"/);
  });

  it('cannot make an sjt option look weighted: an unweighted option is reported, never graded NaN', () => {
    // Before: `'constructor' in weights` was true for every object, so this passed validation
    // and a candidate choosing it was graded Object's constructor function: NaN.
    const q = validateQuestion(sjt(['a', 'constructor'], { a: 1 }));
    expect(q.question).toBeUndefined();
    expect(q.issues.map((i) => i.message)).toContain(
      'Option ids cannot be "constructor": it is a name every JavaScript object already has.',
    );
    expect(q.issues.map((i) => i.message)).toContain(
      'Option "constructor" has no weight; weight every option.',
    );
  });

  it('grades an sjt answer by own weights only', () => {
    const valid = validateQuestion(sjt(['a', 'b'], { a: 1, b: 0.5 })).question!;
    expect(gradeResponse(valid, 'b')).toBe(0.5);
    expect(gradeResponse(valid, 'constructor')).toBe(0);
    expect(gradeResponse(valid, 'toString')).toBe(0);
  });

  it('are refused as the organisation of a staff token', () => {
    expect(() =>
      principalFromClaims({ sub: 'u', 'custom:org': 'constructor', 'cognito:groups': 'authors' }),
    ).toThrow(/custom:org/);
  });

  it('never reach a prototype through a null-prototype record', () => {
    const r = nullRecord<number>([['a', 1]]);
    expect(own(r, 'constructor')).toBeUndefined();
    expect(own(r, '__proto__')).toBeUndefined();
    expect(own(r, 'a')).toBe(1);
    expect(own({ a: 1 } as Record<string, number>, 'toString')).toBeUndefined();
  });
});
