/** Answers for the synthetic banks of lib/bank.ts; dependency-free for the load client. */

/** What a perfect candidate answers to a synthetic question of this type (full credit). */
export function perfectAnswer(type: string): string | number | string[] {
  switch (type) {
    case 'single':
      return 'b';
    case 'multi':
      return ['a', 'c'];
    case 'order':
      return ['d', 'c', 'b', 'a'];
    case 'numeric':
      return 42;
    case 'text':
      return 'Idempotency Key';
    default:
      return 'a';
  }
}

/** A question as the attempt API shows it: options named by this attempt's handles (`o1`...). */
export interface ShownQuestion {
  type: string;
  options?: { id: string; text: string }[];
}

/**
 * The perfect answer as a candidate sends it: the bank's option ids of {@link perfectAnswer}
 * named by the handles this attempt shows them under (docs/state-machines.md, question
 * handles). `bankIdOf` reads an option's bank id from its text: a synthetic bank's texts start
 * with it (`Option b: ...`).
 */
export function perfectAnswerShown(
  q: ShownQuestion,
  bankIdOf: (text: string) => string | undefined = (t) => /^Option ([a-z]):/.exec(t)?.[1],
): string | number | string[] {
  const answer = perfectAnswer(q.type);
  if (!q.options?.length) return answer;
  const handleOf = new Map(q.options.map((o) => [bankIdOf(o.text), o.id]));
  const shown = (id: string) => {
    const handle = handleOf.get(id);
    if (handle === undefined) throw new Error(`No option with bank id ${id} is shown`);
    return handle;
  };
  return Array.isArray(answer)
    ? answer.map(shown)
    : typeof answer === 'string'
      ? shown(answer)
      : answer;
}
