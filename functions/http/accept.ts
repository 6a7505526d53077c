/**
 * Content negotiation on the Accept header (RFC 9110, section 12.5.1), for the few routes that
 * answer in more than one media type. Written here rather than taken from `negotiator`: that
 * package is CommonJS and brings its charset, encoding and language negotiators along (about 6
 * KB in a bundle that has a size goal), where this needs one comparison of q-values.
 */

/**
 * One media range of an Accept header (`type/subtype`, `type/*` or the full wildcard) and its
 * q-value.
 */
interface MediaRange {
  type: string;
  subtype: string;
  q: number;
}

function rangesOf(accept: string): MediaRange[] {
  const out: MediaRange[] = [];
  for (const part of accept.split(',')) {
    const [range = '', ...params] = part.split(';');
    const [type, subtype] = range.trim().toLowerCase().split('/');
    if (!type || !subtype) continue;
    let q = 1;
    for (const p of params) {
      const [name, value] = p.split('=').map((x) => x.trim().toLowerCase());
      if (name === 'q') {
        const n = Number(value);
        q = Number.isFinite(n) && n >= 0 && n <= 1 ? n : 0;
      }
    }
    out.push({ type, subtype, q });
  }
  return out;
}

/**
 * The q-value the most specific range matching `mediaType` gives it (0 when none matches), and
 * how specific that range is (2 the type itself, 1 `type/*`, 0 the full wildcard).
 */
function qualityOf(
  mediaType: string,
  ranges: readonly MediaRange[],
): { q: number; specificity: number } {
  const [type, subtype] = mediaType.split('/');
  let best: { specificity: number; q: number } | undefined;
  for (const r of ranges) {
    const specificity =
      r.type === type && r.subtype === subtype
        ? 2
        : r.type === type && r.subtype === '*'
          ? 1
          : r.type === '*' && r.subtype === '*'
            ? 0
            : -1;
    if (specificity >= 0 && (!best || specificity > best.specificity))
      best = { specificity, q: r.q };
  }
  return best ?? { q: 0, specificity: -1 };
}

/**
 * Of `offered` (the route's media types, its default first), the one the Accept header prefers:
 * the highest q-value; on a tie, the one a more specific range named (CSV for `text/csv` beside
 * the full wildcard); then the earlier. No header, or one that accepts none of them, gets the default.
 */
export function preferredMediaType<T extends string>(
  accept: string | undefined,
  offered: readonly [T, ...T[]],
): T {
  if (!accept?.trim()) return offered[0];
  const ranges = rangesOf(accept);
  let chosen = offered[0];
  let best = { q: 0, specificity: -1 };
  for (const m of offered) {
    const it = qualityOf(m, ranges);
    if (it.q > best.q || (it.q === best.q && it.q > 0 && it.specificity > best.specificity)) {
      chosen = m;
      best = it;
    }
  }
  return chosen;
}
