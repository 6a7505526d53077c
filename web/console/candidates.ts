/**
 * Candidates from what an employer pastes or uploads: one per line, as "Name, email", "Name
 * <email>", a tab-separated row copied from a spreadsheet, or a CSV file whose header names
 * its columns (name, email, locale, extraTimePercent, externalId, in any order). Papa Parse
 * reads the rows (quoting, and the delimiter, guessed among comma, tab, semicolon and pipe);
 * this module decides what each cell is and says, line by line, what is wrong.
 */
import Papa from 'papaparse';
import { byteOrderMark } from '../../functions/domain/byte-order-mark.ts';

/** The languages of the candidate app and its emails (`locale` in the API). */
export const LOCALES = ['en', 'ru'] as const;
export type CandidateLocale = (typeof LOCALES)[number];

export interface CandidateRow {
  name?: string;
  email?: string;
  locale?: CandidateLocale;
  extraTimePercent?: number;
  externalId?: string;
}

export interface RowProblem {
  /** 1-based line of the input. */
  line: number;
  message: string;
}

export interface ParsedCandidates {
  candidates: (CandidateRow & { line: number })[];
  problems: RowProblem[];
}

export const MAX_CANDIDATES = 500;

const EMAIL = /^[^\s@<>,;"]+@[^\s@<>,;"]+\.[^\s@<>,;"]+$/;
const NAME_AND_EMAIL = /^\s*"?([^"<]*?)"?\s*<([^>]+)>\s*$/;
const isLocale = (s: string): s is CandidateLocale => (LOCALES as readonly string[]).includes(s);

type Column = keyof CandidateRow;

const HEADERS: Readonly<Record<string, Column>> = {
  name: 'name',
  'full name': 'name',
  candidate: 'name',
  email: 'email',
  'e-mail': 'email',
  'email address': 'email',
  locale: 'locale',
  language: 'locale',
  lang: 'locale',
  extratimepercent: 'extraTimePercent',
  'extra time': 'extraTimePercent',
  'extra time %': 'extraTimePercent',
  externalid: 'externalId',
  'external id': 'externalId',
  id: 'externalId',
};

/** A heading as compared: case, spaces, hyphens and underscores ignored ("E-mail Address"). */
const headingKey = (cell: string) =>
  cell
    .trim()
    .toLowerCase()
    .replace(/[\s_-]/g, '');
const BY_KEY: ReadonlyMap<string, Column> = new Map(
  Object.entries(HEADERS).map(([heading, column]) => [headingKey(heading), column]),
);
const columnOf = (cell: string): Column | undefined => BY_KEY.get(headingKey(cell));

/**
 * A header row: a cell names the name or email column and no cell is an address. Its other
 * headings are columns the console reads, or (`unknown`) headings it does not know, each a
 * problem of line 1 rather than a reason to take the header row for a candidate.
 */
function headerOf(
  cells: readonly string[],
): { columns: (Column | undefined)[]; unknown: string[] } | undefined {
  const columns = cells.map(columnOf);
  if (cells.some((c) => c.includes('@'))) return undefined;
  if (!columns.includes('name') && !columns.includes('email')) return undefined;
  const unknown = cells.filter((c, i) => c.trim() !== '' && !columns[i]).map((c) => c.trim());
  return { columns, unknown };
}

/** A language code in a pasted row: `de`, `en-GB`, `ru_RU`. */
const LANGUAGE_CODE = /^([a-z]{2})(?:[-_][a-z]{2})?$/i;

/**
 * A row without a header: the email is the cell that looks like one, the name the first other,
 * a language code the candidate's language. A row copied from a spreadsheet among lines with
 * commas keeps its tabs inside one cell: they separate cells here too. Once there is a name, a
 * code of another language is said to be one (not taken as an id), and in a row with no address
 * the cell after the name is the address someone mistyped (not an id: the candidate would
 * silently get no email).
 */
function guess(raw: readonly string[], line: number, problems: RowProblem[]): CandidateRow {
  const cells = raw.flatMap((c) => c.split('\t')).map((c) => c.trim());
  const hasAddress = cells.some((c) => c.includes('@'));
  const row: CandidateRow = {};
  for (const cell of cells) {
    if (!cell) continue;
    const both = NAME_AND_EMAIL.exec(cell);
    const code = LANGUAGE_CODE.exec(cell)?.[1]?.toLowerCase();
    if (both && !row.email) {
      if (both[1]!.trim() && !row.name) row.name = both[1]!.trim();
      row.email = both[2]!.trim();
    } else if (!row.email && cell.includes('@')) row.email = cell;
    else if (!row.locale && code && isLocale(code)) row.locale = code;
    else if (!row.name) row.name = cell;
    else if (code && !row.locale) {
      problems.push({ line, message: `language "${cell}" is not en or ru.` });
    } else if (!hasAddress && row.email === undefined) row.email = cell;
    else if (!row.externalId) row.externalId = cell;
  }
  return row;
}

function fromColumns(
  cells: readonly string[],
  columns: readonly (Column | undefined)[],
  line: number,
  problems: RowProblem[],
): CandidateRow {
  const row: CandidateRow = {};
  columns.forEach((column, i) => {
    const cell = (cells[i] ?? '').trim();
    if (!column || !cell) return;
    if (column === 'extraTimePercent') {
      const n = Number(cell.replace(/%$/, ''));
      if (Number.isInteger(n) && n >= 0 && n <= 200) row.extraTimePercent = n;
      else
        problems.push({
          line,
          message: `extra time "${cell}" is not a whole percentage from 0 to 200.`,
        });
    } else if (column === 'locale') {
      const l = cell.toLowerCase();
      if (isLocale(l)) row.locale = l;
      else problems.push({ line, message: `language "${cell}" is not en or ru.` });
    } else row[column] = cell;
  });
  return row;
}

/**
 * A CSV file's bytes as text. Excel saves "CSV (Comma delimited)" in the system's legacy code
 * page (Windows-1252 in Western Europe and the Americas) and "Unicode Text" as UTF-16 with a
 * byte order mark; reading either as UTF-8 (what `File.text()` does) turns "José" into "Jos�",
 * which would be sent and stored as the candidate's name. A byte order mark says the encoding;
 * otherwise bytes that are not UTF-8 are read as Windows-1252 (and the screen says so: a file
 * from a Russian Excel, Windows-1251, then needs saving as "CSV UTF-8"). A file that is not text
 * at all (`binary`: an Excel workbook chosen instead of its CSV) gives no text.
 */
export function csvText(bytes: Uint8Array): { text: string; encoding: string } {
  const as = (encoding: string, fatal = false) => ({
    text: new TextDecoder(encoding, { fatal }).decode(bytes),
    encoding,
  });
  const bom = byteOrderMark(bytes);
  // Browsers have no UTF-32 decoder; the screen asks for the file again as CSV UTF-8.
  if (bom?.encoding === 'utf-32le' || bom?.encoding === 'utf-32be') {
    return { text: '', encoding: bom.encoding };
  }
  if (bom) return as(bom.encoding);
  // No text file without a byte order mark holds a NUL: a workbook (.xlsx is a zip, .xls an OLE
  // file) or another binary file, whose bytes read as Windows-1252 would fill the list with junk.
  if (bytes.subarray(0, 8192).includes(0)) return { text: '', encoding: 'binary' };
  try {
    return as('utf-8', true);
  } catch {
    return as('windows-1252');
  }
}

/** Parse pasted text or a CSV file's content. */
export function parseCandidates(text: string): ParsedCandidates {
  const result = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), {
    skipEmptyLines: 'greedy',
    delimitersToGuess: [',', '\t', ';', '|'],
  });
  const problems: RowProblem[] = [];
  const candidates: ParsedCandidates['candidates'] = [];
  // Papa Parse gives rows, not lines: count the lines each row spans (quoted line breaks).
  const lines = rowLines(text);
  let columns: (Column | undefined)[] | undefined;
  const seen = new Map<string, number>();
  result.data.forEach((cells, index) => {
    const line = lines[index] ?? index + 1;
    if (index === 0) {
      const header = headerOf(cells);
      columns = header?.columns;
      for (const heading of header?.unknown ?? [])
        problems.push({
          line,
          message: `the column "${heading}" is not one the console reads (name, email, locale, extraTimePercent, externalId): remove it, or empty its heading to leave it out.`,
        });
      if (columns) return;
    }
    const row = columns
      ? fromColumns(cells, columns, line, problems)
      : guess(cells, line, problems);
    if (row.name && row.name.length > 200) {
      problems.push({ line, message: 'the name is longer than 200 characters.' });
    }
    // The API takes names and ids on one line; a quoted CSV cell may hold a line break.
    for (const [key, what] of [
      ['name', 'name'],
      ['externalId', 'external id'],
    ] as const) {
      if (/[\r\n]/.test(row[key] ?? '')) {
        problems.push({ line, message: `the ${what} is on more than one line.` });
      }
    }
    if (row.email !== undefined) {
      if (row.email.length > 254) {
        problems.push({ line, message: 'the email address is longer than 254 characters.' });
      } else if (!EMAIL.test(row.email)) {
        problems.push({ line, message: `"${row.email}" is not an email address.` });
      } else {
        const key = row.email.toLowerCase();
        const first = seen.get(key);
        if (first !== undefined) {
          problems.push({ line, message: `${row.email} is already on line ${first}.` });
        } else seen.set(key, line);
      }
    }
    if (!row.name && !row.email) {
      problems.push({ line, message: 'neither a name nor an email address.' });
      return;
    }
    candidates.push({ ...row, line });
  });
  if (candidates.length > MAX_CANDIDATES) {
    problems.push({
      line: candidates[MAX_CANDIDATES]!.line,
      message: `at most ${MAX_CANDIDATES} candidates at a time; invite the rest separately.`,
    });
  }
  return { candidates, problems };
}

/** The 1-based line on which each non-empty row starts (a quoted cell may span lines). */
function rowLines(text: string): number[] {
  const out: number[] = [];
  let line = 1;
  let rowStart = 1;
  let quoted = false;
  let blank = true;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    if (ch === '\n') {
      line++;
      if (quoted) continue;
      if (!blank) out.push(rowStart);
      rowStart = line;
      blank = true;
    } else if (blank && ch.trim() !== '' && !',;|'.includes(ch)) blank = false;
  }
  if (!blank) out.push(rowStart);
  return out;
}

/** The candidates as the API takes them: each in its own language, else in the default one. */
export function withLanguage(
  candidates: readonly (CandidateRow & { line?: number })[],
  fallback: CandidateLocale,
): CandidateRow[] {
  return candidates.map(({ line: _line, ...c }) => ({ ...c, locale: c.locale ?? fallback }));
}

/** How many candidates read each language (with the default applied), in `LOCALES` order. */
export function languagesOf(
  candidates: readonly CandidateRow[],
  fallback: CandidateLocale,
): [CandidateLocale, number][] {
  const counts = new Map<CandidateLocale, number>();
  for (const c of candidates) {
    const l = c.locale ?? fallback;
    counts.set(l, (counts.get(l) ?? 0) + 1);
  }
  return LOCALES.filter((l) => counts.has(l)).map((l) => [l, counts.get(l)!]);
}

/** What `alreadyInvited` reads of an invitation (the API's Invitation view). */
export interface InvitationSeen {
  status: string;
  createdAt: string;
  candidate: { email?: string };
}

/**
 * The candidates whose address already has an open invitation to the assessment (one not yet
 * used, or being taken: `pending` or `started`), each with the latest such invitation. Addresses
 * compare without regard to case. An expired, revoked, undeliverable or completed invitation is
 * not open: inviting that address again is what the employer means to do.
 */
export function alreadyInvited<C extends CandidateRow, I extends InvitationSeen>(
  candidates: readonly C[],
  invitations: readonly I[],
): { candidate: C; invitation: I }[] {
  const open = new Map<string, I>();
  for (const inv of invitations) {
    const email = inv.candidate.email?.trim().toLowerCase();
    if (!email || (inv.status !== 'pending' && inv.status !== 'started')) continue;
    const seen = open.get(email);
    if (!seen || seen.createdAt < inv.createdAt) open.set(email, inv);
  }
  const out: { candidate: C; invitation: I }[] = [];
  for (const candidate of candidates) {
    const invitation = open.get(candidate.email?.trim().toLowerCase() ?? '');
    if (invitation) out.push({ candidate, invitation });
  }
  return out;
}
