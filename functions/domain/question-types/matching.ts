import * as z from 'zod/mini';
import type { FieldIssue } from '../errors.ts';
import { hasText, indexOfMark, plain, splitAt, str, trim } from '../gift-syntax.ts';
import { giftQuestion, giftText } from '../gift-text.ts';
import { fingerprint, shuffle } from '../shuffle.ts';
import { cleanText } from '../text.ts';
import type { AttemptData, Content, Option, QuestionType } from './type.ts';

export interface MatchingKey {
  /** 2..10 pairs, left-hand items in the order the candidate sees them. */
  pairs: { left: string; right: string }[];
}

type Matching = Content<MatchingKey>;

const ITEM = cleanText('long', { min: 1, max: 1000 });

/**
 * The id a candidate sees for a right-hand item: a hash of its text, so it says nothing about
 * which left-hand item it belongs to, and is the same in every attempt.
 */
export const rightId = (text: string) => `r${fingerprint(text).slice(0, 10)}`;

/** The right-hand items in an order that says nothing about the pairs: by id (a hash). */
const neutralRights = (q: Matching): Option[] =>
  q.answer.pairs
    .map((p) => ({ id: rightId(p.right), text: p.right }))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

/** Items that are the same once trimmed: `pairs[i].<side>` issues naming the first. */
function duplicates(q: Matching, side: 'left' | 'right'): FieldIssue[] {
  const first = new Map<string, number>();
  return q.answer.pairs.flatMap((p, i) => {
    const text = p[side].trim();
    const j = first.get(text);
    if (j === undefined) {
      first.set(text, i);
      return [];
    }
    return [
      {
        path: `answer.pairs[${i}].${side}`,
        message: `The same ${side}-hand item as pairs[${j}]; each ${side}-hand item must differ.`,
      },
    ];
  });
}

/**
 * Pairs of a left-hand and a right-hand item. The candidate sees the left-hand items in order
 * and the right-hand items shuffled, and picks a right-hand item for each left-hand one
 * (`null` for none yet); each correct pair earns an equal share of the score.
 */
export const matching: QuestionType<
  'matching',
  MatchingKey,
  (string | null)[],
  { left: string[]; right: Option[] }
> = {
  id: 'matching',
  withOptions: false,
  key: z.strictObject({
    pairs: z
      .array(z.strictObject({ left: ITEM, right: ITEM }))
      .check(z.minLength(2, 'Give 2-10 pairs.'), z.maxLength(10, 'Give 2-10 pairs.')),
  }),
  rules: (q) => {
    const ids = new Set(q.answer.pairs.map((p) => rightId(p.right)));
    return [
      ...duplicates(q, 'left'),
      ...duplicates(q, 'right'),
      // 40 bits of a hash of distinct texts collide about never; if they do, say so plainly.
      ...(ids.size < new Set(q.answer.pairs.map((p) => p.right)).size
        ? [{ path: 'answer.pairs', message: 'Two right-hand items get the same id; reword one.' }]
        : []),
    ];
  },
  answer: z.array(z.nullable(z.string())).check(z.maxLength(10)),
  expected: 'a list with a right-hand item id (or null) for each left-hand item, in order',
  response: (q) => {
    const ids = q.answer.pairs.map((p) => rightId(p.right));
    const n = ids.length;
    return z.array(z.nullable(z.string())).check(
      z.refine((v) => v.length === n, {
        message: `Give one entry for each of the ${n} left-hand items, in order.`,
      }),
      z.refine((v) => v.every((x) => x === null || ids.includes(x)), {
        message: `Every entry is null or a right-hand item id. Options: ${[...ids].sort().join(', ')}.`,
      }),
    );
  },
  // One entry per left-hand item: a right-hand id (r and 10 hex digits, quoted) or null.
  answerBytes: (q) => 2 + 13 * q.answer.pairs.length + (q.answer.pairs.length - 1),
  start: (q, random) => ({ order: shuffle(neutralRights(q), random).map((o) => o.id) }),
  view: {
    left: z.array(z.string()),
    right: z.array(z.strictObject({ id: z.string(), text: z.string() })),
  },
  show: (q, attempt: AttemptData) => {
    const rights = neutralRights(q);
    const byId = new Map(rights.map((o) => [o.id, o]));
    const order = attempt.order;
    const shown =
      order && order.length === rights.length && order.every((id) => byId.has(id))
        ? order.map((id) => byId.get(id)!)
        : rights;
    return { left: q.answer.pairs.map((p) => p.left), right: shown };
  },
  hidden: () => [],
  effortSeconds: 3,
  grade: (q, picks) =>
    q.answer.pairs.filter((p, i) => picks[i] === rightId(p.right)).length / q.answer.pairs.length,
  describe: (q, picks) => {
    const textOf = new Map(q.answer.pairs.map((p) => [rightId(p.right), p.right]));
    return q.answer.pairs
      .map((p, i) => {
        const pick = picks[i];
        return `${p.left} → ${pick == null ? '(no match)' : (textOf.get(pick) ?? pick)}`;
      })
      .join('; ');
  },
  gift: {
    // `{ =left -> right =left -> right }`: Moodle's matching question.
    read: {
      claims: (b) => !hasText(b.after) && b.form === 'matching',
      read: (r, b) => {
        const parts = splitAt(b.body, '=');
        if (trim(parts[0]!.body).length) {
          return r.fail(
            'Text before the first "=" pair of a matching question.',
            r.posAt(parts[0]!.body),
          );
        }
        const pairs = parts.slice(1).map((p, i) => {
          const pos = r.posAt(b.body, p.at);
          const path = `answer.pairs[${i}]`;
          r.at(path, pos);
          r.at(`${path}.left`, pos);
          r.at(`${path}.right`, pos);
          const text = str(p.body);
          const arrow = text.indexOf('->');
          if (arrow < 0) {
            r.fail('A matching pair is "=left -> right"; this one has no "->".', pos, path);
            return { left: '', right: '' };
          }
          if (indexOfMark(p.body, '#') >= 0) {
            r.fail('A matching pair takes no feedback ("#").', pos, path);
          }
          const left = str(plain(p.body.slice(0, arrow)));
          if (left === '') {
            r.fail(
              'A right-hand item without a left-hand one (a distractor) cannot be represented.',
              pos,
              path,
            );
          }
          return { left, right: str(plain(p.body.slice(arrow + 2))) };
        });
        r.at('answer', b.pos);
        return { answer: { pairs } };
      },
    },
    // GIFT splits a pair at its first "->", which cannot be escaped.
    write: (q) =>
      q.answer.pairs.some((p) => p.left.includes('->'))
        ? {
            skip: 'A left-hand item contains "->", which GIFT reads as the end of the item and cannot escape.',
          }
        : giftQuestion(
            q,
            q.answer.pairs.map((p) => `=${giftText(p.left)} -> ${giftText(p.right)}`),
          ),
  },
  arbitrary: (fast, gen) =>
    fast
      .uniqueArray(fast.tuple(gen.text(1, 200), gen.text(1, 200)), {
        minLength: 2,
        maxLength: 10,
        selector: ([left]) => left.trim(),
      })
      .filter((pairs) => new Set(pairs.map(([, right]) => right.trim())).size === pairs.length)
      .map((pairs) => ({ answer: { pairs: pairs.map(([left, right]) => ({ left, right })) } })),
  answers: (fast, q) => {
    const ids = q.answer.pairs.map((p) => rightId(p.right));
    const n = ids.length;
    return fast.array(fast.option(fast.constantFrom(...ids), { nil: null }), {
      minLength: n,
      maxLength: n,
    });
  },
};
