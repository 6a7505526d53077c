/**
 * Every test run's check of the output check (`ASSAY_OUTPUT_CROSSCHECK=1`, set in
 * vitest.config.ts): a response body goes through both zod's output schema and the generated
 * JSON Schema text, and the two must let out the same bytes, or both refuse it. A side entry
 * (`#side/output-crosscheck`): production bundles never carry it.
 */
import type * as z from 'zod/mini';
import type { OutputCheck } from './conform.ts';

/** What zod lets out of `body`, after checking that the generated check lets out the same. */
export function crossChecked(
  key: string,
  body: unknown,
  schema: z.ZodMiniType,
  check: OutputCheck | undefined,
): unknown {
  const outcome = (check: () => unknown) => {
    try {
      return { text: JSON.stringify(check()) };
    } catch (error) {
      return { error };
    }
  };
  const byZod = outcome(() => schema.parse(body));
  const walked = outcome(() => {
    const checked = check?.(key, body);
    if (!checked) throw new Error(`${key}: no generated output schema (npm run generate:outputs)`);
    return checked.body;
  });
  if (byZod.text !== walked.text) {
    const a = byZod.text ?? String(byZod.error);
    const b = walked.text ?? String(walked.error);
    let at = 0;
    while (at < a.length && a[at] === b[at]) at++;
    const near = (t: string) => t.slice(Math.max(0, at - 80), at + 120);
    throw new Error(
      `${key}: the output check and zod disagree at character ${at} (npm run generate:outputs?): zod ...${near(a)}... ; the check ...${near(b)}...`,
    );
  }
  if (byZod.text === undefined) throw byZod.error;
  return JSON.parse(byZod.text);
}
