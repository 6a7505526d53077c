/**
 * The contract of a question type. Every capability is a member of {@link QuestionType}, so a
 * type module that lacks one fails `npm run typecheck`, and a new capability (say, Moodle XML)
 * is a new member here that the compiler then asks every type module for.
 */
// Type-only imports: fast-check stays a devDependency (generators receive it from the tests),
// and the GIFT reader's types come from the GIFT module without a runtime cycle.
import type fc from 'fast-check';
import type * as z from 'zod/mini';
import type { FieldIssue } from '../errors.ts';
import type { GiftReader } from '../gift-syntax.ts';
import type { MoodleXmlReader, MoodleXmlWritten } from '../moodle-xml-text.ts';
import type { QuestionTypeId } from './registry.ts';

export type { QuestionTypeId } from './registry.ts';

export interface Option {
  id: string;
  text: string;
}

/** A validated question as authors write it (one version's content). */
export interface QuestionContent {
  id: string;
  area: string;
  type: QuestionTypeId;
  difficulty: 1 | 2 | 3;
  /** The author's name for the question (a Moodle question name); never shown to candidates. */
  title?: string;
  prompt: string;
  options?: Option[];
  answer: unknown;
  /** Why the key is right; empty when the author gave none (an import warns about it). */
  explanation: string;
  tags: string[];
  timeHintSeconds?: number;
  discrimination?: number;
  difficultyParam?: number;
}

/** A question whose key has been validated by its type's `key` schema. */
export type Content<Key> = Omit<QuestionContent, 'answer'> & { answer: Key };

/**
 * What an attempt stores with each drawn question when it starts, decided by the type's
 * `start` hook: the order in which this candidate sees the question's shuffled items (option
 * ids, or a type's own item ids). A pure function of the attempt id and the question.
 */
export interface AttemptData {
  order?: string[];
}

/** The part of a question its type decides: options, key and, for some types, the prompt. */
export interface Authored<Key> {
  options?: Option[];
  answer: Key;
  prompt?: string;
}

/** Text and number generators a property test hands to the type generators. */
export interface Generators {
  /** A text of min..max characters (after trimming) that stresses the format under test. */
  text(min: number, max: number): fc.Arbitrary<string>;
  /** A number Assay can store (see domain/numbers.ts). */
  number(): fc.Arbitrary<number>;
}

/** GIFT text of a question after its `::id::` title, or why GIFT cannot express it. */
export type GiftWritten =
  | {
      text: string;
      /** Option ids the GIFT reader gives this text by itself (default a, b, c, ...). */
      readBackIds?: readonly string[];
      /** How the key compares a response: the assay comment says `compare=assay` or `compare=moodle`. */
      compare?: 'assay' | 'moodle';
      /** A matching question's right-hand items are written as plain text: `rights=plain`. */
      rightsPlain?: boolean;
    }
  | { skip: string };

/** The type's mapping to Moodle GIFT: how its answer blocks are read and written. */
export interface GiftMapping<Key> {
  /** Reads the GIFT answer blocks of this type; `undefined` when GIFT has no syntax for it. */
  read: GiftReader<Key> | undefined;
  write(q: Content<Key>): GiftWritten;
}

/** The type's mapping to Moodle XML (`<question type="...">`): how it is read and written. */
export interface MoodleMapping<Key> {
  /** Reads the Moodle XML questions of this type; `undefined` when Moodle has no equivalent. */
  read: MoodleXmlReader<Key> | undefined;
  write(q: Content<Key>): MoodleXmlWritten;
}

/**
 * Everything about one question type. The rest of the code looks types up in the registry
 * (`registry.ts`) and never names a type.
 *
 * - `Key`: the author's `answer`. `Answer`: a candidate's answer. `View`: the fields a
 *   candidate sees beyond `questionId`, `area`, `type` and `prompt`.
 *
 * Function members are declared as methods on purpose: the registry holds modules of
 * different `Key`s in one list, and generic callers pass them only values that the type's
 * own schemas have accepted (`key` at upload, `response` before grading).
 */
/** See `QuestionType.answerKind`. */
export type AnswerKind = 'one id' | 'ids' | 'number' | 'text';

export interface QuestionType<Id extends string, Key, Answer, View extends object> {
  readonly id: Id;
  /** Whether the question has `options` (required then, forbidden otherwise). */
  readonly withOptions: boolean;
  /** Shape of the author's `answer`; the OpenAPI branch of this type in bank uploads. */
  readonly key: z.ZodMiniType<Key>;
  /** Rules beyond the shape, with paths relative to the question (e.g. `answer`). */
  rules(q: Content<Key>): FieldIssue[];

  /** Shape of a candidate's answer to any question of this type; its OpenAPI branch. */
  readonly answer: z.ZodMiniType<Answer>;
  /** What this type's answer is, for messages: "one option id". */
  readonly expected: string;
  /** Shape of a candidate's answer to this question (option ids that exist, ...). */
  response(q: Content<Key>): z.ZodMiniType<Answer>;
  /**
   * The most bytes of JSON an answer to this question can take (`response` accepts nothing
   * longer): what storage plans an answer's room with.
   */
  answerBytes(q: Content<Key>): number;
  /**
   * What an answer is, for the room storage plans for it when an attempt starts: one of the
   * question's option ids, a list of them, a number, or anything else ('text'). Declared, so a
   * start builds no `response` schema; a property test holds it to what `response` accepts.
   */
  readonly answerKind: AnswerKind;

  /**
   * Per-attempt data when an attempt draws the question (shuffles); none if absent. `random`
   * is seeded by the attempt id, which is public: shuffle from an order that says nothing about
   * the key (`neutralOrder` in options.ts), so that recomputing the shuffle reveals nothing.
   */
  start?(q: Content<Key>, random: () => number): AttemptData;
  /** Output schemas of the candidate-visible fields; nothing else reaches a candidate. */
  readonly view: { [K in keyof View]-?: z.ZodMiniType<View[K]> };
  /** The candidate-visible fields for one attempt: nothing of the key. */
  show(q: Content<Key>, attempt: AttemptData): View;
  /** Texts of the key no candidate-facing response may contain (checked by a property test). */
  hidden(q: Content<Key>): string[];
  /**
   * Seconds an honest answer takes beyond reading the prompt (typing, arranging): the
   * integrity signals' allowance for this type.
   */
  readonly effortSeconds: number;

  /** Score in [0,1]; deterministic. */
  grade(q: Content<Key>, answer: Answer): number;
  /** A stored answer as a person reads it in a report: "b — Use a queue". */
  describe(q: Content<Key>, answer: Answer): string;
  /**
   * The key as a person reads it in the employer's report (staff only: never on a candidate
   * route): every form the key takes, Moodle's credits and patterns included, in words.
   */
  describeKey(q: Content<Key>): string;

  readonly gift: GiftMapping<Key>;
  /** Moodle XML reading and writing, with the same meaning as GIFT's. */
  readonly moodle: MoodleMapping<Key>;
}

/**
 * A type's property-test generators. Its module exports them beside the type (`<type>Generators`)
 * and `generators.ts` lists them by id, so tsc names a type without them; only tests read them,
 * so no Lambda bundle carries them (they are not members of the type, which every bundle that
 * reads questions holds whole).
 */
export interface TypeGenerators<Key, Answer> {
  /** Any valid `options`/`answer` (and prompt, if the type owns it) of this type. */
  arbitrary(fast: typeof fc, gen: Generators): fc.Arbitrary<Authored<Key>>;
  /** Any answer a candidate may save to this question (right, wrong or partial). */
  answers(fast: typeof fc, q: Content<Key>): fc.Arbitrary<Answer>;
}

/** The generators of the type `T` (its own key and answer). */
export type GeneratorsFor<T> =
  // biome-ignore lint/suspicious/noExplicitAny: any id and view; the key and answer are inferred
  T extends QuestionType<any, infer Key, infer Answer, any> ? TypeGenerators<Key, Answer> : never;
