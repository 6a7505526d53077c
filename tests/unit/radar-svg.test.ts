import fc from 'fast-check';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import type { Level } from '../../functions/domain/psychometrics.ts';
import {
  type ChartArea,
  escapeXml,
  radarSvg,
  wrapLabel,
} from '../../functions/domain/radar-svg.ts';
import { AREAS } from '../../functions/domain/taxonomy.ts';

const LEVELS: Level[] = ['foundational', 'intermediate', 'advanced', 'expert'];
const all: ChartArea[] = AREAS.map((a, i) => ({
  area: a.id,
  kind: a.kind,
  score: (i * 37) % 101,
  level: LEVELS[i % 4]!,
}));

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  preserveOrder: false,
  trimValues: false,
});

/** Parse strictly: a well-formedness error fails the test with the parser's message. */
function parse(svg: string): Record<string, unknown> {
  const valid = XMLValidator.validate(svg);
  if (valid !== true) throw new Error(`${valid.err.msg} at line ${valid.err.line}`);
  return parser.parse(svg) as Record<string, unknown>;
}

/** Every piece of character data under a node, decoded, in one string. */
function allText(node: unknown): string {
  if (typeof node === 'string' || typeof node === 'number') return String(node);
  if (Array.isArray(node)) return node.map(allText).join(' ');
  if (node && typeof node === 'object') {
    return Object.entries(node)
      .filter(([key]) => !key.startsWith('@'))
      .map(([, value]) => allText(value))
      .join(' ');
  }
  return '';
}

/** The decoded text of every <text> element, its tspans' joined by spaces. */
function texts(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) {
    for (const n of node) texts(n, out);
  } else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'text') {
        for (const t of Array.isArray(value) ? value : [value]) out.push(allText(t).trim());
      } else if (!key.startsWith('@')) {
        texts(value, out);
      }
    }
  }
  return out;
}

describe('radarSvg', () => {
  it('renders well-formed SVG with size, viewBox, title and description', () => {
    const doc = parse(radarSvg(all, { title: 'Skill profile of a candidate' }));
    const svg = doc.svg as Record<string, unknown>;
    expect(svg['@xmlns']).toBe('http://www.w3.org/2000/svg');
    expect(Number(svg['@width'])).toBeGreaterThan(300);
    expect(Number(svg['@height'])).toBeGreaterThan(300);
    const box = String(svg['@viewBox']).split(' ').map(Number);
    expect(box).toHaveLength(4);
    expect(box[2]).toBe(Number(svg['@width']));
    expect(box[3]).toBe(Number(svg['@height']));
    expect(svg['@role']).toBe('img');
    expect(allText(svg.title)).toBe('Skill profile of a candidate');
    expect(allText(svg.desc)).toContain('Security (technical)');
    expect(String(svg['@font-family'])).toContain('system-ui');
  });

  it('labels every area by its human name and shows every score', () => {
    const svg = radarSvg(all);
    const shown = texts(parse(svg)).join(' | ');
    for (const a of AREAS) {
      // Long names wrap onto two lines of one label: each word is shown.
      for (const word of a.name.split(' ')) expect(shown).toContain(word);
    }
    const values = texts(parse(svg));
    for (const a of all) expect(values).toContain(String(a.score));
  });

  it('describes every area and score in the accessible description', () => {
    const desc = allText((parse(radarSvg(all)).svg as Record<string, unknown>).desc);
    for (const a of AREAS) expect(desc).toContain(a.name);
    expect(desc).toContain('Microservices (technical) 0, foundational');
  });

  it('colours technical and soft areas apart and explains them in a legend', () => {
    const svg = radarSvg(all);
    expect(svg).toContain('Technical skills');
    expect(svg).toContain('Soft skills');
    expect(svg).toMatch(/<text [^>]*fill="#1d4ed8"><tspan [^>]*>Security</);
    expect(svg).toMatch(/<text [^>]*fill="#c2410c"><tspan [^>]*>Collaboration</);
  });

  it('draws rings at 25, 50, 75 and 100 and a semi-transparent score shape', () => {
    const shown = texts(parse(radarSvg(all)));
    for (const ring of ['25', '50', '75', '100']) expect(shown).toContain(ring);
    expect(radarSvg(all)).toMatch(/<polygon [^>]*fill-opacity="0\.\d+"/);
  });

  it('escapes the title and unknown area ids', () => {
    const title = `Ada "Countess" Lovelace's <b>profile</b> & co\u0001`;
    const areas: ChartArea[] = [
      ...all.slice(0, 2),
      { area: '<script>alert(1)</script>', kind: 'technical', score: 50, level: 'expert' },
    ];
    const svg = radarSvg(areas, { title });
    expect(svg).not.toContain('<script>');
    expect(svg).not.toContain('<b>');
    const doc = parse(svg);
    expect(allText((doc.svg as Record<string, unknown>).title)).toBe(
      `Ada "Countess" Lovelace's <b>profile</b> & co`,
    );
    expect(texts(doc).join(' ')).toContain('<script>alert(1)</script>');
  });

  it('escapes any title into well-formed XML that decodes back to it', () => {
    // What any title is shown as: one line, without the characters XML 1.0 cannot carry.
    const expected = (text: string) =>
      Array.from(text)
        .filter((ch) => {
          const cp = ch.codePointAt(0)!;
          if (cp < 0x20) return cp === 0x09 || cp === 0x0a || cp === 0x0d;
          return !(cp >= 0xd800 && cp <= 0xdfff) && cp !== 0xfffe && cp !== 0xffff;
        })
        .join('')
        .replace(/\s+/g, ' ')
        .trim() || 'Skill profile';
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary', maxLength: 60 }),
          fc.stringMatching(/^[<>&"' a-z;#]{0,30}$/),
        ),
        (text) => {
          const doc = parse(radarSvg(all.slice(0, 3), { title: text }));
          expect(allText((doc.svg as Record<string, unknown>).title)).toBe(expected(text));
        },
      ),
      { numRuns: 50 },
    );
  });

  it('shortens a long title to one line but keeps it whole in <title>', () => {
    const title = `${'Backend engineer, platform team '.repeat(5)}😀😀😀`;
    const doc = parse(radarSvg(all, { title: title.repeat(2) }));
    const svg = doc.svg as Record<string, unknown>;
    expect(allText(svg.title)).toBe(title.repeat(2).trim());
    const heading = texts(doc)[0]!;
    expect(heading.endsWith('…')).toBe(true);
    expect(Array.from(heading)).toHaveLength(80);
  });

  it('escapes the five XML special characters', () => {
    expect(escapeXml(`<a href="x">Tom & Jerry's</a>`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&apos;s&lt;/a&gt;',
    );
  });

  it('falls back to horizontal bars for one and two areas', () => {
    for (const areas of [all.slice(0, 1), all.slice(9, 11)]) {
      const svg = radarSvg(areas);
      const shown = texts(parse(svg)).join(' | ');
      for (const a of areas) expect(shown).toContain(AREAS.find((x) => x.id === a.area)!.name);
      expect(svg).not.toContain('<polygon');
      expect(svg.match(/<rect [^>]*rx=/g)).toHaveLength(areas.length);
    }
  });

  it('renders an empty profile with a message instead of failing', () => {
    const shown = texts(parse(radarSvg([]))).join(' ');
    expect(shown).toContain('No areas were assessed.');
  });

  it('clamps scores outside 0-100 and treats a missing score as 0', () => {
    const areas: ChartArea[] = [
      { ...all[0]!, score: 140 },
      { ...all[1]!, score: -5 },
      { ...all[2]!, score: Number.NaN },
    ];
    const shown = texts(parse(radarSvg(areas)));
    expect(shown).toContain('100');
    expect(shown).not.toContain('140');
    expect(shown).not.toContain('-5');
    expect(shown).not.toContain('NaN');
  });
});

describe('wrapLabel', () => {
  it('keeps short names on one line and breaks long ones at spaces', () => {
    expect(wrapLabel('Security')).toEqual(['Security']);
    expect(wrapLabel('AI/ML integration')).toEqual(['AI/ML integration']);
    expect(wrapLabel('API-first development')).toEqual(['API-first', 'development']);
  });
});
