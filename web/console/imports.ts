/**
 * A bank import as the console follows it. Today `POST /v1/banks` answers 201 with the counts
 * once everything is stored; the asynchronous interface answers 202 with a `Location`
 * (`/v1/imports/{id}`) to poll for `status`, counts, `progress`, `errors` and `warnings`. Both
 * become one `ImportState`; a 400 is a failed import whose errors carry their locations.
 */

export interface Located {
  path: string;
  message: string;
  line?: number;
  column?: number;
}

export interface ImportCounts {
  imported?: number;
  created?: number;
  updated?: number;
  unchanged?: number;
}

export interface ImportState {
  phase: 'running' | 'done' | 'failed';
  /** 0..1 when the server says how far it is. */
  fraction?: number;
  counts: ImportCounts;
  errors: Located[];
  warnings: Located[];
  /** Questions left out with `skipUnsupported` (`{line, title, reason}`), each with its reason. */
  skipped: Located[];
  detail?: string;
}

const DONE = new Set(['succeeded', 'completed', 'done', 'imported']);
const FAILED = new Set(['failed', 'rejected', 'error']);

const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

function located(list: unknown): Located[] {
  if (!Array.isArray(list)) return [];
  return list
    .filter((e): e is Record<string, unknown> => typeof e === 'object' && e !== null)
    .map((e) => ({
      path: String(e.path ?? ''),
      message: String(e.message ?? ''),
      ...(num(e.line) !== undefined ? { line: num(e.line)! } : {}),
      ...(num(e.column) !== undefined ? { column: num(e.column)! } : {}),
    }));
}

/** `skipped` entries (`{line, questionIndex, title, reason}`) as located messages. */
function skippedOf(list: unknown): Located[] {
  if (!Array.isArray(list)) return [];
  return list
    .filter((e): e is Record<string, unknown> => typeof e === 'object' && e !== null)
    .map((e) => ({
      path: '',
      message: `${typeof e.title === 'string' && e.title ? `${e.title}: ` : ''}${String(e.reason ?? e.message ?? '')}`,
      ...(num(e.line) !== undefined ? { line: num(e.line)! } : {}),
      ...(num(e.column) !== undefined ? { column: num(e.column)! } : {}),
    }));
}

function countsOf(body: Record<string, unknown>): ImportCounts {
  const src = (typeof body.counts === 'object' && body.counts ? body.counts : body) as Record<
    string,
    unknown
  >;
  const out: ImportCounts = {};
  for (const k of ['imported', 'created', 'updated', 'unchanged'] as const) {
    const n = num(src[k]);
    if (n !== undefined) out[k] = n;
  }
  return out;
}

/** `progress` as 0..1: a fraction, a percentage, or `{done, total}`. */
function fractionOf(progress: unknown): number | undefined {
  const n = num(progress);
  if (n !== undefined) return Math.min(1, Math.max(0, n > 1 ? n / 100 : n));
  if (typeof progress === 'object' && progress) {
    const p = progress as Record<string, unknown>;
    const done = num(p.done) ?? num(p.processed) ?? num(p.completed);
    const total = num(p.total);
    if (done !== undefined && total) return Math.min(1, done / total);
  }
  return undefined;
}

/** The state after the upload's own response (201, 202 or a problem). */
export function fromUpload(status: number, body: unknown): ImportState {
  const b = (body ?? {}) as Record<string, unknown>;
  if (status === 201 || status === 200) {
    return {
      phase: 'done',
      fraction: 1,
      counts: countsOf(b),
      errors: [],
      warnings: located(b.warnings),
      skipped: skippedOf(b.skipped),
    };
  }
  if (status === 202) return fromPoll(b);
  return {
    phase: 'failed',
    counts: {},
    errors: located(b.errors),
    warnings: located(b.warnings),
    skipped: skippedOf(b.skipped),
    ...(typeof b.detail === 'string' ? { detail: b.detail } : {}),
  };
}

/** The state a `GET /v1/imports/{id}` body describes. */
export function fromPoll(body: unknown): ImportState {
  const b = (body ?? {}) as Record<string, unknown>;
  const status = String(b.status ?? 'running').toLowerCase();
  const errors = located(b.errors);
  const phase = DONE.has(status) ? 'done' : FAILED.has(status) ? 'failed' : 'running';
  const fraction = phase === 'done' ? 1 : fractionOf(b.progress);
  return {
    phase,
    ...(fraction !== undefined ? { fraction } : {}),
    counts: countsOf(b),
    errors,
    warnings: located(b.warnings),
    skipped: skippedOf(b.skipped),
    ...(typeof b.detail === 'string' ? { detail: b.detail } : {}),
  };
}

/** Where a problem is: "line 12, column 5" when known. */
export function where(e: Located): string {
  if (e.line === undefined) return '';
  return e.column === undefined ? `line ${e.line}` : `line ${e.line}, column ${e.column}`;
}

/** The content type and query a bank file is uploaded with, from its name. */
export function uploadFormat(fileName: string): {
  contentType: string;
  format: 'json' | 'yaml' | 'gift' | 'xml';
} {
  const ext = fileName.toLowerCase().split('.').pop() ?? '';
  if (ext === 'json') return { contentType: 'application/json', format: 'json' };
  if (ext === 'xml') return { contentType: 'application/xml', format: 'xml' };
  if (ext === 'yaml' || ext === 'yml') return { contentType: 'application/yaml', format: 'yaml' };
  return { contentType: 'text/plain', format: 'gift' };
}

/**
 * The bank a GIFT or Moodle XML file is, from its name, as `assay import` names it
 * (`Week 3 quiz.gift` -> `week-3-quiz`): uploading the file again, edited, updates its questions,
 * and another file cannot take them over. Without it every console upload was the server's one
 * default bank (`gift-import`), so a second file whose question had the same title replaced the
 * first file's question. A name with nothing to keep (`Тест.gift`) is `bank-` and a hash of it.
 */
export function bankOfFile(fileName: string): { bank: string; bankTitle: string } {
  const stem = fileName.replace(/\.[^.]*$/, '');
  const slug = stem
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64)
    .replace(/-+$/, '');
  let hash = 0x811c9dc5;
  for (const c of stem) hash = Math.imul(hash ^ c.codePointAt(0)!, 0x01000193) >>> 0;
  const bank = slug.length >= 3 ? slug : `bank-${slug ? `${slug}-` : ''}${hash.toString(16)}`;
  return { bank, bankTitle: [...fileName.trim()].slice(0, 200).join('') || bank };
}
