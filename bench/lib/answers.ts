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
