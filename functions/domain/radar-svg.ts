/**
 * A self-contained SVG chart of a skill profile's area scores: a radar for three or more
 * areas, horizontal bars for fewer (a radar of one or two axes is a line, not a shape).
 * Pure string building: no DOM, no fonts to load, no scripts.
 */
import type { Level } from './psychometrics.ts';
import { type AreaKind, findArea } from './taxonomy.ts';

export interface ChartArea {
  area: string;
  kind: AreaKind;
  /** 0-100. */
  score: number;
  level: Level;
}

/** The chart's words, English unless a caller (the candidate app) gives its own. */
export interface ChartText {
  areaName(area: string): string;
  level: Readonly<Record<Level, string>>;
  technical: string;
  soft: string;
  technicalLegend: string;
  softLegend: string;
  scoreLegend: string;
  noAreas: string;
  scoresByArea: string;
}

export interface ChartOptions {
  title?: string;
  text?: Partial<ChartText>;
}

const FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif";
// Tailwind blue-700 and orange-700: both above 4.5:1 on white, and told apart by people with
// the common red-green colour deficiencies.
const COLOURS: Readonly<Record<AreaKind, string>> = { technical: '#1d4ed8', soft: '#c2410c' };
const INK = '#111827';
const MUTED = '#4b5563';
const GRID = '#d1d5db';
const SHAPE = '#4338ca';

const LEVEL_LABEL: Readonly<Record<Level, string>> = {
  foundational: 'Foundational',
  intermediate: 'Intermediate',
  advanced: 'Advanced',
  expert: 'Expert',
  'insufficient-evidence': 'Not enough evidence',
};

/**
 * Whether XML 1.0 allows this code point even escaped: not the C0 controls other than tab,
 * LF and CR, not lone surrogates, not U+FFFE and U+FFFF.
 */
function allowedInXml(cp: number): boolean {
  if (cp < 0x20) return cp === 0x09 || cp === 0x0a || cp === 0x0d;
  if (cp >= 0xd800 && cp <= 0xdfff) return false;
  return cp !== 0xfffe && cp !== 0xffff;
}

/** Text for a single-line label: characters XML forbids dropped, whitespace collapsed. */
export function oneLine(text: string): string {
  return Array.from(text)
    .filter((ch) => allowedInXml(ch.codePointAt(0)!))
    .join('')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Text safe in XML character data and in quoted attribute values. */
export function escapeXml(text: string): string {
  return Array.from(text)
    .filter((ch) => allowedInXml(ch.codePointAt(0)!))
    .join('')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

const fmt = (n: number) => String(Math.round(n * 10) / 10);
const clampScore = (s: number) => (Number.isFinite(s) ? Math.min(100, Math.max(0, s)) : 0);
/** The chart's English words (the candidate app's catalogue reuses them). */
export const CHART_TEXT_EN: ChartText = {
  areaName: (area) => findArea(area)?.name ?? area,
  level: LEVEL_LABEL,
  technical: 'Technical',
  soft: 'Soft skill',
  technicalLegend: 'Technical skills',
  softLegend: 'Soft skills',
  scoreLegend: 'Score out of 100',
  noAreas: 'No areas were assessed.',
  scoresByArea: 'Scores out of 100 by area',
};
const nameOf = (t: ChartText, area: string) => oneLine(t.areaName(area));
const kindLabel = (t: ChartText, kind: AreaKind) => (kind === 'soft' ? t.soft : t.technical);

/** Width of a label in a sans-serif font, generously: layout must not under-estimate. */
const textWidth = (text: string, size: number) => text.length * size * 0.58;

/** Break a label after about `max` characters at spaces or after hyphens and slashes. */
export function wrapLabel(text: string, max = 18): string[] {
  if (text.length <= max) return [text];
  const words = text.split(/(?<=\s)|(?<=-)(?=\S{3,})/);
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    if (line && (line + word).trimEnd().length > max) {
      lines.push(line.trimEnd());
      line = word.trimStart();
    } else {
      line += word;
    }
  }
  if (line.trim()) lines.push(line.trimEnd());
  return lines;
}

interface Box {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

const grow = (b: Box, x1: number, y1: number, x2: number, y2: number) => {
  b.minX = Math.min(b.minX, x1);
  b.minY = Math.min(b.minY, y1);
  b.maxX = Math.max(b.maxX, x2);
  b.maxY = Math.max(b.maxY, y2);
};

const kindsOf = (areas: readonly ChartArea[]) =>
  (['technical', 'soft'] as const).filter((k) => areas.some((a) => a.kind === k));

function describe(t: ChartText, areas: readonly ChartArea[]): string {
  if (!areas.length) return t.noAreas;
  return `${t.scoresByArea}: ${areas
    .map(
      (a) =>
        `${nameOf(t, a.area)} (${kindLabel(t, a.kind).toLowerCase()}) ${fmt(clampScore(a.score))}, ${t.level[a.level].toLowerCase()}`,
    )
    .join('; ')}.`;
}
const LEGEND_FONT = 13;
const legendItemWidth = (label: string) => 18 + textWidth(label, LEGEND_FONT) + 22;

interface LegendItem {
  label: string;
  swatch: (x: number, y: number) => string;
}

function legendItems(t: ChartText, kinds: readonly AreaKind[], withShape: boolean): LegendItem[] {
  const items: LegendItem[] = kinds.map((kind) => ({
    label: kind === 'soft' ? t.softLegend : t.technicalLegend,
    swatch: (x, y) =>
      `<circle cx="${fmt(x + 6)}" cy="${fmt(y - 4)}" r="6" fill="${COLOURS[kind]}"/>`,
  }));
  if (withShape) {
    items.push({
      label: t.scoreLegend,
      swatch: (x, y) =>
        `<rect x="${fmt(x)}" y="${fmt(y - 10)}" width="13" height="12" fill="${SHAPE}" fill-opacity="0.16" stroke="${SHAPE}" stroke-width="2"/>`,
    });
  }
  return items;
}

function legend(x: number, y: number, items: readonly LegendItem[]): string {
  let out = '';
  let cx = x;
  for (const item of items) {
    out +=
      item.swatch(cx, y) +
      `<text x="${fmt(cx + 18)}" y="${fmt(y)}" font-size="${LEGEND_FONT}" fill="${INK}">${escapeXml(item.label)}</text>`;
    cx += legendItemWidth(item.label);
  }
  return out;
}

function frame(
  box: Box,
  title: string,
  desc: string,
  body: string,
  items: readonly LegendItem[],
): string {
  const pad = 24;
  const headerHeight = 64;
  const legendWidth = items.reduce((w, item) => w + legendItemWidth(item.label), 0) - 22;
  // The heading is cut to one readable line; <title> keeps the whole text.
  // Cut by code points: a surrogate pair cut in half is not XML.
  const chars = Array.from(title);
  const heading = chars.length > 80 ? `${chars.slice(0, 79).join('').trimEnd()}…` : title;
  const titleWidth = textWidth(heading, 18);
  const minX = Math.floor(
    Math.min(box.minX, (box.minX + box.maxX) / 2 - Math.max(titleWidth, legendWidth) / 2) - pad,
  );
  const maxX = Math.ceil(
    Math.max(box.maxX, (box.minX + box.maxX) / 2 + Math.max(titleWidth, legendWidth) / 2) + pad,
  );
  const minY = Math.floor(box.minY - headerHeight - pad);
  const maxY = Math.ceil(box.maxY + pad);
  const width = maxX - minX;
  const height = maxY - minY;
  const mid = (minX + maxX) / 2;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" ` +
    `viewBox="${minX} ${minY} ${width} ${height}" role="img" ` +
    `aria-labelledby="assay-chart-title assay-chart-desc" font-family="${FONT}">` +
    `<title id="assay-chart-title">${escapeXml(title)}</title>` +
    `<desc id="assay-chart-desc">${escapeXml(desc)}</desc>` +
    `<rect x="${minX}" y="${minY}" width="${width}" height="${height}" fill="#ffffff"/>` +
    `<text x="${fmt(mid)}" y="${fmt(minY + pad + 16)}" text-anchor="middle" font-size="18" ` +
    `font-weight="600" fill="${INK}">${escapeXml(heading)}</text>` +
    `<g>${legend(mid - legendWidth / 2, minY + pad + 44, items)}</g>` +
    body +
    `</svg>`
  );
}

function radar(t: ChartText, areas: readonly ChartArea[], title: string): string {
  const n = areas.length;
  const radius = 200;
  // Wide enough for a value of 100 just outside the outer ring to clear the axis labels.
  const labelGap = 42;
  const step = (2 * Math.PI) / n;
  const angle = (i: number) => -Math.PI / 2 + i * step;
  const point = (i: number, r: number) => ({
    x: r * Math.cos(angle(i)),
    y: r * Math.sin(angle(i)),
  });
  const box: Box = { minX: -radius, minY: -radius, maxX: radius, maxY: radius };
  let body = '';

  const rings = [25, 50, 75, 100];
  for (const value of rings) {
    const ring = areas.map((_, i) => point(i, (radius * value) / 100));
    body += `<polygon points="${ring.map((p) => `${fmt(p.x)},${fmt(p.y)}`).join(' ')}" fill="none" stroke="${GRID}" stroke-width="1"/>`;
  }

  // Axes and their labels: anchored away from the chart by the axis' direction.
  areas.forEach((a, i) => {
    const end = point(i, radius);
    body += `<line x1="0" y1="0" x2="${fmt(end.x)}" y2="${fmt(end.y)}" stroke="${GRID}" stroke-width="1"/>`;
    const cos = Math.cos(angle(i));
    const sin = Math.sin(angle(i));
    const at = point(i, radius + labelGap);
    const anchor = Math.abs(cos) < 0.26 ? 'middle' : cos > 0 ? 'start' : 'end';
    const lines = wrapLabel(nameOf(t, a.area));
    const nameSize = 14;
    const levelSize = 12;
    const lineHeight = 17;
    const blockHeight = lines.length * lineHeight + 15;
    // Top of the text block: above the point at the top, below it at the bottom, centred
    // on it at the sides; in between it moves smoothly with the angle.
    const top = at.y - blockHeight / 2 + (sin * blockHeight) / 2;
    const colour = COLOURS[a.kind];
    const x = fmt(at.x);
    let text = `<text text-anchor="${anchor}" fill="${colour}">`;
    lines.forEach((line, k) => {
      text += `<tspan x="${x}" y="${fmt(top + 13 + k * lineHeight)}" font-size="${nameSize}" font-weight="600">${escapeXml(line)}</tspan>`;
    });
    text += `<tspan x="${x}" y="${fmt(top + 13 + lines.length * lineHeight - 1)}" font-size="${levelSize}" fill="${MUTED}"${a.level === 'insufficient-evidence' ? ' font-style="italic"' : ''}>${escapeXml(t.level[a.level])}</tspan>`;
    body += `${text}</text>`;
    const width = Math.max(
      ...lines.map((l) => textWidth(l, nameSize)),
      textWidth(t.level[a.level], levelSize),
    );
    const left = anchor === 'start' ? at.x : anchor === 'end' ? at.x - width : at.x - width / 2;
    grow(box, left, top, left + width, top + blockHeight);
  });

  // The score shape, then the points and their values on top of it.
  const shape = areas.map((a, i) => point(i, (radius * clampScore(a.score)) / 100));
  body += `<polygon points="${shape.map((p) => `${fmt(p.x)},${fmt(p.y)}`).join(' ')}" fill="${SHAPE}" fill-opacity="0.16" stroke="${SHAPE}" stroke-width="2" stroke-linejoin="round"/>`;
  // Ring values go on the bisector between the last and the first axis, where no axis, point
  // or label is, and above the shape, haloed, so that its edge cannot hide them.
  const ringAngle = -Math.PI / 2 - step / 2;
  for (const value of rings) {
    // The ring's edge crosses the bisector at r cos(step / 2), not at r.
    const r = ((radius * value) / 100) * Math.cos(step / 2);
    body += `<text x="${fmt(r * Math.cos(ringAngle))}" y="${fmt(r * Math.sin(ringAngle) + 4)}" text-anchor="middle" font-size="11" fill="${MUTED}" stroke="#ffffff" stroke-width="4" stroke-linejoin="round" paint-order="stroke">${value}</text>`;
  }
  // Near the centre neighbouring values would touch: keep them at least 24 px apart and
  // clear of the 25 ring's value.
  const minValueRadius = Math.min(radius * 0.5, Math.max(radius * 0.36, 12 / Math.sin(step / 2)));
  areas.forEach((a, i) => {
    const score = clampScore(a.score);
    const p = shape[i]!;
    // Values sit just outside their point along the axis, haloed in white so that grid
    // lines and the shape's edge never cut through the digits.
    const natural = (radius * score) / 100 + 15;
    const v = point(i, Math.max(minValueRadius, natural));
    // A value pushed out from the centre gets a dotted leader back to its point.
    if (minValueRadius > natural) {
      const from = point(i, (radius * score) / 100 + 6);
      const to = point(i, minValueRadius - 9);
      body += `<line x1="${fmt(from.x)}" y1="${fmt(from.y)}" x2="${fmt(to.x)}" y2="${fmt(to.y)}" stroke="${COLOURS[a.kind]}" stroke-width="1.5" stroke-dasharray="2 3"/>`;
    }
    body += `<circle cx="${fmt(p.x)}" cy="${fmt(p.y)}" r="4.5" fill="${COLOURS[a.kind]}" stroke="#ffffff" stroke-width="1.5"><title>${escapeXml(`${nameOf(t, a.area)}: ${fmt(score)}`)}</title></circle>`;
    body += `<text x="${fmt(v.x)}" y="${fmt(v.y + 4)}" text-anchor="middle" font-size="12" font-weight="600" fill="${INK}" stroke="#ffffff" stroke-width="3" stroke-linejoin="round" paint-order="stroke">${fmt(score)}</text>`;
  });

  return frame(
    box,
    title,
    describe(t, areas),
    `<g>${body}</g>`,
    legendItems(t, kindsOf(areas), true),
  );
}

function bars(t: ChartText, areas: readonly ChartArea[], title: string): string {
  const barWidth = 360;
  const rowHeight = 44;
  const top = 24;
  if (!areas.length) {
    const message = `<text x="${fmt(barWidth / 2)}" y="20" text-anchor="middle" font-size="14" fill="${MUTED}">${escapeXml(t.noAreas)}</text>`;
    return frame(
      { minX: 0, minY: 0, maxX: barWidth, maxY: 28 },
      title,
      describe(t, areas),
      message,
      [],
    );
  }
  // The label column grows to the longest name (measured below, as rows are drawn).
  const box: Box = {
    minX: -14,
    minY: 0,
    maxX: barWidth + 48,
    maxY: top + areas.length * rowHeight + 8,
  };
  let body = '';
  for (const value of [0, 25, 50, 75, 100]) {
    const x = (barWidth * value) / 100;
    body += `<line x1="${fmt(x)}" y1="${top - 6}" x2="${fmt(x)}" y2="${fmt(box.maxY - 8)}" stroke="${GRID}" stroke-width="1"/>`;
    body += `<text x="${fmt(x)}" y="${top - 12}" text-anchor="middle" font-size="11" fill="${MUTED}">${value}</text>`;
  }
  areas.forEach((a, i) => {
    const y = top + i * rowHeight;
    const score = clampScore(a.score);
    const w = (barWidth * score) / 100;
    const colour = COLOURS[a.kind];
    body += `<text x="-14" y="${fmt(y + 17)}" text-anchor="end" font-size="14" font-weight="600" fill="${colour}">${escapeXml(nameOf(t, a.area))}</text>`;
    body += `<text x="-14" y="${fmt(y + 32)}" text-anchor="end" font-size="12" fill="${MUTED}">${escapeXml(t.level[a.level])}</text>`;
    body += `<rect x="0" y="${fmt(y + 8)}" width="${fmt(w)}" height="22" rx="3" fill="${colour}" fill-opacity="0.85"/>`;
    body += `<text x="${fmt(w + 8)}" y="${fmt(y + 24)}" font-size="12" font-weight="600" fill="${INK}">${fmt(score)}</text>`;
    const labelWidth = Math.max(textWidth(nameOf(t, a.area), 14), textWidth(t.level[a.level], 12));
    grow(box, -14 - labelWidth, y, barWidth + 48, y + rowHeight);
  });
  return frame(
    box,
    title,
    describe(t, areas),
    `<g>${body}</g>`,
    legendItems(t, kindsOf(areas), false),
  );
}

/**
 * An SVG chart of area scores (0-100): a radar with one axis per area for three or more
 * areas, horizontal bars for fewer. Axis labels carry the area's name and level, coloured
 * by kind (technical or soft) with a legend; points carry their score. The SVG has a
 * <title> and a <desc> listing every score, fixed width, height and viewBox, system fonts,
 * and every text escaped.
 */
export function radarSvg(areas: readonly ChartArea[], opts: ChartOptions = {}): string {
  const title = oneLine(opts.title ?? '') || 'Skill profile';
  const t = { ...CHART_TEXT_EN, ...opts.text };
  return areas.length >= 3 ? radar(t, areas, title) : bars(t, areas, title);
}
