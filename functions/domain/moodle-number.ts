/**
 * Numbers and units as Moodle reads them in an imported numerical question, and why a GIFT
 * numerical answer is no number. Only the GIFT and
 * Moodle XML readers load this module (the side entry `#side/moodle-readers`); the numeric type
 * reaches it through its `Reader` (`xmlNumbers`), so the functions that never read Moodle XML do
 * not carry it.
 */
import type { Reader } from './moodle.ts';
import type { XmlQuestion } from './moodle-xml-text.ts';

/** A Moodle XML numerical question's units, and its numbers read with them. */
export interface XmlNumbers {
  /** Each unit's multiplier: a number in that unit divided by it is in the base unit. */
  factors: Map<string, number>;
  /** Whether units are written before the number (`<unitsleft>`). */
  left: boolean;
  /** The base unit shown beside the number, when Moodle shows one. */
  shown?: string;
  /** A number written as text, read as Moodle reads it, in the base unit. */
  read(text: string): MoodleNumber | undefined;
}

/** What Moodle's numerical answer processor reads of a number it is given as text. */
export interface MoodleNumber {
  /** In the question's base unit (multiplied by the unit's factor when a unit was named). */
  value: number;
  /** The text after (or, with units on the left, before) the number, without spaces. */
  unit: string;
  /** Whether `unit` is one of the question's units (and `value` was converted). */
  known: boolean;
  /** How a comma was read: one comma and no point is a decimal comma; else commas are dropped. */
  comma?: 'decimal' | 'thousands';
}

const LEADING_NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?/;
const TRAILING_NUMBER = /[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?$/;

/**
 * A number written as text, read as Moodle reads an imported numerical answer, tolerance or
 * unit multiplier when it saves the question (qtype_numerical::apply_unit, which runs
 * qtype_numerical_answer_processor::apply_units): spaces dropped (`1 000`), `x10^8`, `×10^8`,
 * `*10**8` read as `e8`, commas dropped when there is a point or more than one comma
 * (`1,000,000`, `1,000.5`) and one comma alone read as a decimal point (`1,5`, and `1,000`
 * too), then the longest number at the start (the end, with units on the left); what follows is
 * the unit, and a unit of the question converts the number (`200 cm` is 2 m with cm = 100).
 * Undefined when no number is there.
 */
export function moodleNumber(
  text: string,
  units: ReadonlyMap<string, number> = new Map(),
  unitsLeft = false,
): MoodleNumber | undefined {
  let s = text.replaceAll(' ', '').replace(/(?:e|E|(?:x|\*|×)10(?:\^|\*\*))([+-]?\d+)/g, 'e$1');
  const commas = s.split(',').length - 1;
  let comma: MoodleNumber['comma'];
  if (commas && (s.includes('.') || commas > 1)) {
    comma = 'thousands';
    s = s.replaceAll(',', '');
  } else if (commas === 1) {
    comma = 'decimal';
    s = s.replace(',', '.');
  }
  const m = (unitsLeft ? TRAILING_NUMBER : LEADING_NUMBER).exec(s);
  if (!m) return undefined;
  const unit = unitsLeft ? s.slice(0, s.length - m[0].length) : s.slice(m[0].length);
  const factor = units.get(unit);
  // As Moodle computes it: the number times (1 / the unit's multiplier).
  const value = factor === undefined ? Number(m[0]) : Number(m[0]) * (1 / factor);
  return { value, unit, known: factor !== undefined, ...(comma ? { comma } : {}) };
}

/**
 * A Moodle XML numerical question's units as Assay can keep them: Moodle's base unit (the first
 * with multiplier 1) shown beside the number, and the factors that convert an answer written
 * in another unit. Units Moodle grades (a missing or wrong unit costs marks) are refused: the
 * Assay candidate types the number alone. Moodle drops a unit without a name or multiplier and
 * a second unit of the same name when it saves the question; so does this.
 */
export function xmlNumbers(r: Reader, q: XmlQuestion): XmlNumbers | undefined {
  const factors = new Map<string, number>();
  for (const u of q.units) {
    if (u.name === '' || u.multiplier === '' || u.multiplier === '0' || factors.has(u.name))
      continue;
    const m = moodleNumber(u.multiplier);
    const factor = m?.unit === '' ? m.value : Number.NaN;
    if (!Number.isFinite(factor) || factor === 0) {
      return r.fail(
        `The unit "${u.name}" has the multiplier "${u.multiplier}", which is not a number.`,
        u.pos,
        'answer',
      );
    }
    factors.set(u.name, factor);
  }
  const left = (q.unitSettings.left ?? '0') !== '0';
  const read = (text: string) => moodleNumber(text, factors, left);
  if (factors.size === 0) return { factors, left, read };
  const grading = q.unitSettings.grading ?? '0';
  if (Number(grading) !== 0) {
    const penalty = Number(q.unitSettings.penalty ?? '0.1');
    return r.unsupported(
      `the unit is graded in Moodle (<unitgradingtype>${grading}</unitgradingtype>: a missing or wrong unit costs ${Number.isFinite(penalty) ? `${Math.round(penalty * 1e5) / 1e3}%` : `"${q.unitSettings.penalty}"`}), but the Assay candidate types the number alone; make the units optional (<unitgradingtype>0</unitgradingtype>)`,
      q.pos,
    );
  }
  const names = [...factors.keys()];
  const base = names.find((n) => Math.abs(factors.get(n)! - 1) < 1e-14);
  if (base === undefined) {
    return r.unsupported(
      `none of its units (${names.join(', ')}) has multiplier 1, the unit Moodle's answers are in, so Assay cannot tell the candidate which unit to answer in`,
      q.pos,
    );
  }
  const others = names.filter((n) => n !== base);
  if (others.length) {
    r.warn(
      `Moodle also takes answers in ${others.map((n) => `${n} (1 ${base} = ${factors.get(n)} ${n})`).join(', ')}; the Assay candidate types the number in ${base}, shown beside the answer.`,
      q.pos,
    );
  }
  // <showunits>3</showunits>: Moodle shows no unit, only the number is asked for.
  const shown = (q.unitSettings.show ?? '0') === '3' ? undefined : base;
  return { factors, left, read, ...(shown ? { shown } : {}) };
}

/** A number followed by a unit: `2 m`, `5ms`, `3.5 %`. */
const NUMBER_AND_UNIT = /^\s*([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)\s*([^\d\s.,:].*)$/;

/**
 * Why a GIFT numerical answer is no number. Moodle's GIFT import takes only what PHP's
 * is_numeric takes: any other answer becomes "*" (any number scores its weight) and a range
 * is cut at the first character that is no digit, so a decimal comma or a unit is refused
 * here, saying what to write, rather than read with a meaning the author did not intend.
 */
export function notAGiftNumber(s: string): string {
  if (/\d,\d/.test(s)) {
    const pointed = s.replace(/(\d),(\d)/g, '$1.$2');
    const thousands = /\d,\d{3}(?!\d)/.test(s)
      ? ` (or ${s.replace(/(\d),(\d{3})(?!\d)/g, '$1$2')}, if the comma separates thousands)`
      : '';
    return `"${s}" has a decimal comma: a GIFT number takes a decimal point, so write ${pointed}${thousands}. Moodle's GIFT import does not read a comma either: it would make this answer "*" (any number right), or cut a range at the comma.`;
  }
  const unit = s
    .split(/:|\.\./)
    .map((part) => NUMBER_AND_UNIT.exec(part))
    .find((m) => m !== null);
  if (unit) {
    return `"${s}" has a unit ("${unit[2]!.trim()}"): a GIFT numerical answer is a number with no unit, so write ${unit[1]} and put the unit in the question text. Moodle's GIFT import would make this answer "*" (any number right). Moodle XML carries units (<units>), which Assay reads.`;
  }
  return `"${s}" is not a number, "value:tolerance" or "low..high".`;
}
