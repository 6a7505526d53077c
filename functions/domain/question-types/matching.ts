import type fc from 'fast-check';
import * as z from 'zod/mini';
import type { FieldIssue } from '../errors.ts';
import { fingerprint } from '../fingerprint.ts';
import { indexOfMark, splitAt, str, trim } from '../gift-syntax.ts';
import { giftBlock, giftEscape, giftPrompt, giftText } from '../gift-text.ts';
import { plainToMarkdown } from '../html-text.ts';
import { xmlEscape } from '../moodle-xml-text.ts';
import { shuffle } from '../shuffle.ts';
import { cleanText } from '../text.ts';
import { once } from '../z.ts';
import type {
  AttemptData,
  Authored,
  Content,
  GeneratorsFor,
  Option,
  QuestionType,
} from './type.ts';

export interface MatchingKey {
  /** 2..10 pairs, left-hand items in the order the candidate sees them. */
  pairs: { left: string; right: string }[];
  /** Right-hand items that match no left-hand item (Moodle's `= -> distractor`). */
  distractors?: string[];
}

type Matching = Content<MatchingKey>;

const ITEM = /* @__PURE__ */ once(() => cleanText('long', { min: 1, max: 1000 }));

/**
 * The id a candidate sees for a right-hand item: a hash of its text, so it says nothing about
 * which left-hand item it belongs to, and is the same in every attempt.
 */
export const rightId = (text: string) => `r${fingerprint(text).slice(0, 10)}`;

/**
 * The right-hand items, each once (several left-hand items may share one, as in Moodle), with
 * the distractors, in an order that says nothing about the pairs: by id (a hash).
 */
const neutralRights = (q: Matching): Option[] => {
  const byId = new Map<string, Option>();
  for (const text of [...q.answer.pairs.map((p) => p.right), ...(q.answer.distractors ?? [])]) {
    byId.set(rightId(text), { id: rightId(text), text });
  }
  return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
};

/** Left-hand items that are the same once trimmed: `pairs[i].left` issues naming the first. */
function duplicateLefts(q: Matching): FieldIssue[] {
  const first = new Map<string, number>();
  return q.answer.pairs.flatMap((p, i) => {
    const text = p.left.trim();
    const j = first.get(text);
    if (j === undefined) {
      first.set(text, i);
      return [];
    }
    return [
      {
        path: `answer.pairs[${i}].left`,
        message: `The same left-hand item as pairs[${j}]; each left-hand item must differ.`,
      },
    ];
  });
}

/** Markdown's backslash escapes undone: `2\*3` is `2*3`. */
const unescapeMarkdown = (s: string) => s.replace(/\\([!-/:-@[-`{-~])/g, '$1');

/**
 * The right-hand items as an export writes them. Moodle shows them as plain text, so they are
 * written as plain text (`2\*3`, an imported `2*3`, as `2*3`) when every one of them reads back
 * as it is (`rights=plain` in the assay comment tells the reader); one that uses markdown
 * (`**80**`, `` `GET` ``) has no plain text that reads back to it, and then all are written as
 * they are stored, as before.
 */
function exportedRights(q: Matching): { plain: boolean; text: (right: string) => string } {
  const rights = [...q.answer.pairs.map((p) => p.right), ...(q.answer.distractors ?? [])];
  const plain =
    rights.some((m) => unescapeMarkdown(m) !== m) &&
    rights.every((m) => plainToMarkdown(unescapeMarkdown(m)) === m);
  return { plain, text: plain ? unescapeMarkdown : (m) => m };
}

/** Moodle's `{=left -> right = -> distractor}` for a matching key. */
function giftPairs(q: Matching, right: (text: string) => string): string[] {
  return [
    ...q.answer.pairs.map((p) => `=${giftText(p.left)} -> ${giftEscape(right(p.right))}`),
    ...(q.answer.distractors ?? []).map((d) => `= -> ${giftEscape(right(d))}`),
  ];
}

/** The key's schema: built on first use (uploads, the OpenAPI document), never by an attempt. */
const matchingKey = /* @__PURE__ */ once(() =>
  z.strictObject({
    pairs: z
      .array(z.strictObject({ left: ITEM(), right: ITEM() }))
      .check(z.minLength(2, 'Give 2-10 pairs.'), z.maxLength(10, 'Give 2-10 pairs.')),
    distractors: z.optional(z.array(ITEM()).check(z.minLength(1), z.maxLength(10))),
  }),
);

/** A candidate's answer to this type (built on first use: see domain/z.ts). */
const answerSchema = /* @__PURE__ */ once(() =>
  z.array(z.nullable(z.string())).check(z.maxLength(10)),
);
const viewShape = /* @__PURE__ */ once(() => ({
  left: z.array(z.string()),
  right: z.array(z.strictObject({ id: z.string(), text: z.string() })),
}));

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
  get key() {
    return matchingKey();
  },
  rules: (q) => {
    const rights = [...q.answer.pairs.map((p) => p.right), ...(q.answer.distractors ?? [])];
    const ids = new Set(rights.map(rightId));
    return [
      ...duplicateLefts(q),
      // 40 bits of a hash of distinct texts collide about never; if they do, say so plainly.
      ...(ids.size < new Set(rights).size
        ? [{ path: 'answer.pairs', message: 'Two right-hand items get the same id; reword one.' }]
        : []),
    ];
  },
  get answer() {
    return answerSchema();
  },
  expected: 'a list with a right-hand item id (or null) for each left-hand item, in order',
  response: (q) => {
    const ids = neutralRights(q).map((o) => o.id);
    const n = q.answer.pairs.length;
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
  answerKind: 'text',
  start: (q, random) => ({ order: shuffle(neutralRights(q), random).map((o) => o.id) }),
  get view() {
    return viewShape();
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
  describeKey: (q) =>
    q.answer.pairs.map((p) => `${p.left} → ${p.right}`).join('; ') +
    (q.answer.distractors?.length ? ` (never a match: ${q.answer.distractors.join('; ')})` : ''),
  describe: (q, picks) => {
    const textOf = new Map(neutralRights(q).map((o) => [o.id, o.text]));
    return q.answer.pairs
      .map((p, i) => {
        const pick = picks[i];
        return `${p.left} → ${pick == null ? '(no match)' : (textOf.get(pick) ?? pick)}`;
      })
      .join('; ');
  },
  gift: {
    // `{ =left -> right =left -> right = -> distractor }`: Moodle's matching question.
    read: {
      claims: (b) => b.form === 'matching',
      read: (r, b) => {
        const parts = splitAt(b.body, '=');
        if (trim(parts[0]!.body).length) {
          return r.fail(
            'Text before the first "=" pair of a matching question: every pair is "=left -> right".',
            r.posAt(parts[0]!.body),
          );
        }
        const pairs: MatchingKey['pairs'] = [];
        const distractors: string[] = [];
        const plain = r.rightsPlain();
        parts.slice(1).forEach((p) => {
          const pos = r.posAt(b.body, p.at);
          const text = str(p.body);
          const arrow = text.indexOf('->');
          if (arrow < 0) {
            r.fail('A matching pair is "=left -> right"; this one has no "->".', pos, 'answer');
            return;
          }
          if (indexOfMark(p.body, '#') >= 0) {
            r.fail(
              'A matching pair takes no feedback ("#"): Moodle would keep "#..." as part of the item. Write \\# for a literal #.',
              pos,
              'answer',
            );
          }
          // Moodle reads the left-hand item in the pair's format (its own marker, `=[markdown]`,
          // else the question's), the right-hand one as plain text (markdown that shows it as
          // written, unless the pair is markdown itself).
          const leftText = p.body.slice(0, arrow);
          const left = trim(leftText).length ? r.rich(leftText, 'answer', pos) : '';
          const written = str(trim(p.body.slice(arrow + 2)));
          const markdown = r.formatOf(leftText) === 'markdown';
          const right = markdown && !plain ? written : plainToMarkdown(written);
          if (left === '') {
            r.at(`answer.distractors[${distractors.length}]`, pos);
            distractors.push(right);
            return;
          }
          const path = `answer.pairs[${pairs.length}]`;
          r.at(path, pos);
          r.at(`${path}.left`, pos);
          r.at(`${path}.right`, pos);
          pairs.push({ left, right });
        });
        r.at('answer', b.pos);
        return { answer: { pairs, ...(distractors.length ? { distractors } : {}) } };
      },
    },
    // GIFT splits a pair at its first "->", which cannot be escaped.
    write: (q) =>
      q.answer.pairs.some((p) => p.left.includes('->'))
        ? {
            skip: 'A left-hand item contains "->", which GIFT reads as the end of the item and cannot escape.',
          }
        : (() => {
            const rights = exportedRights(q);
            return {
              text: `${giftPrompt(q.prompt)}${giftBlock(q, giftPairs(q, rights.text))}`,
              ...(rights.plain ? { rightsPlain: true } : {}),
            };
          })(),
  },
  moodle: {
    read: {
      claims: (q) => q.qtype === 'matching' || q.qtype === 'match',
      read: (r, q) => {
        const pairs: MatchingKey['pairs'] = [];
        const distractors: string[] = [];
        const plain = r.rightsPlain();
        for (const s of q.subquestions) {
          // Moodle shows a right-hand item as plain text; a markdown pair's (its format, else
          // the question's) are markdown already, unless Assay's export wrote them as plain
          // text (rights=plain).
          const right = s.markdown && !plain ? s.right : plainToMarkdown(s.right);
          if (s.left === '') {
            r.at(`answer.distractors[${distractors.length}]`, s.pos);
            distractors.push(right);
          } else {
            r.at(`answer.pairs[${pairs.length}]`, s.pos);
            pairs.push({ left: s.left, right });
          }
        }
        r.at('answer', q.pos);
        return { answer: { pairs, ...(distractors.length ? { distractors } : {}) } };
      },
    },
    write: (q) => {
      const rights = exportedRights(q);
      return {
        qtype: 'matching',
        ...(rights.plain ? { rightsPlain: true } : {}),
        body: [
          '<shuffleanswers>true</shuffleanswers>',
          ...q.answer.pairs.map(
            (p) =>
              `<subquestion format="markdown"><text>${xmlEscape(p.left)}</text><answer><text>${xmlEscape(rights.text(p.right))}</text></answer></subquestion>`,
          ),
          ...(q.answer.distractors ?? []).map(
            (d) =>
              `<subquestion format="markdown"><text></text><answer><text>${xmlEscape(rights.text(d))}</text></answer></subquestion>`,
          ),
        ],
      };
    },
  },
};

/** Property-test generators (test-only: no Lambda bundle carries them; generators.ts lists them). */
export const matchingGenerators: GeneratorsFor<typeof matching> = {
  arbitrary: (fast, gen) =>
    fast
      .tuple(
        fast.uniqueArray(fast.tuple(gen.text(1, 200), gen.text(1, 200)), {
          minLength: 2,
          maxLength: 10,
          selector: ([left]) => left.trim(),
        }),
        fast.array(gen.text(1, 200), { maxLength: 3 }),
        // Several left-hand items may share a right-hand one (as in Moodle).
        fast.boolean(),
      )
      .map(([pairs, distractors, share]) => ({
        answer: {
          pairs: pairs.map(([left, right], i) => ({
            left,
            right: share && i === 1 ? pairs[0]![1] : right,
          })),
          ...(distractors.length ? { distractors } : {}),
        },
      }))
      .filter((a) => {
        const rights = [...a.answer.pairs.map((p) => p.right), ...(a.answer.distractors ?? [])];
        return new Set(rights.map(rightId)).size === new Set(rights).size;
      }) as fc.Arbitrary<Authored<MatchingKey>>,
  answers: (fast, q) => {
    const ids = neutralRights(q).map((o) => o.id);
    const n = q.answer.pairs.length;
    return fast.array(fast.option(fast.constantFrom(...ids), { nil: null }), {
      minLength: n,
      maxLength: n,
    });
  },
};
