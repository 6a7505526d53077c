import { multi } from './multi.ts';
import { numeric } from './numeric.ts';
import { order } from './order.ts';
import { single } from './single.ts';
import { sjt } from './sjt.ts';
import { text } from './text.ts';
import type { QuestionType, QuestionTypeId } from './type.ts';

/** The question types by id. A new type is one module plus one line here. */
export const QUESTION_TYPE_REGISTRY: Readonly<Record<QuestionTypeId, QuestionType<never, never>>> =
  {
    single,
    multi,
    order,
    numeric,
    text,
    sjt,
  } as unknown as Record<QuestionTypeId, QuestionType<never, never>>;

/** The type module of a question, typed loosely for generic callers. */
export function typeOf(id: QuestionTypeId): QuestionType<unknown, unknown> {
  return QUESTION_TYPE_REGISTRY[id] as unknown as QuestionType<unknown, unknown>;
}
