/**
 * The number a candidate typed into a numeric answer. A point or a comma marks decimals
 * ("3.5", "3,5"). Thousands separators are read where nothing else could be meant
 * ("1,000,000", "1,800.5", "12 000"), but "1,000" alone is one thousand in English and
 * one in Russian: the candidate is asked to write it again rather than the page saving a
 * meaning they may not have had.
 */
export type ReadNumber = { value: number } | { error: 'invalid' | 'ambiguous' };

const SPACE_GROUPS = /^[-+]?[1-9]\d{0,2}([ \u00a0\u202f]\d{3})+([.,]\d+)?$/;
const COMMA_GROUPS = /^[-+]?[1-9]\d{0,2}((,\d{3}){2,}(\.\d+)?|(,\d{3})+\.\d+)$/;
const ONE_COMMA_GROUP = /^[-+]?[1-9]\d{0,2},\d{3}$/;
const PLAIN = /^[-+]?(\d+([.,]\d*)?|[.,]\d+)([eE][-+]?\d+)?$/;

export function readNumber(raw: string): ReadNumber {
  let text = raw.trim();
  if (SPACE_GROUPS.test(text)) text = text.replace(/[ \u00a0\u202f]/g, '');
  if (COMMA_GROUPS.test(text)) text = text.replaceAll(',', '');
  else if (ONE_COMMA_GROUP.test(text)) return { error: 'ambiguous' };
  if (!PLAIN.test(text)) return { error: 'invalid' };
  const value = Number(text.replace(',', '.'));
  return Number.isFinite(value) ? { value } : { error: 'invalid' };
}
