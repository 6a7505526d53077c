/**
 * The authors' command line (`npx assay`, entry bin/assay.mjs -> assay.ts). Every failure a
 * person can cause or meet (a wrong option, a missing file, a refused token, a server that is not
 * running) ends with one line on stderr and a non-zero exit code, never a stack trace:
 *
 *   0  done           1  problems found, or the request failed      2  usage error
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { stringify } from 'yaml';
import type { Bank } from '../domain/bank.ts';
import type { BankImport } from '../domain/bank-import.ts';
import { BankId } from '../domain/bank-schema.ts';
import { ValidationError } from '../domain/errors.ts';
import { toGift } from '../domain/gift.ts';
import { toMoodleXml } from '../domain/moodle-xml.ts';
import { AREA_IDS } from '../domain/taxonomy.ts';
import { bankFiles, bankIdOfFile, formatOfFile, readBankImport } from './bank-files.ts';
import { coverageReport } from './report.ts';

/** A failure already phrased for the person at the terminal: printed as is, no stack trace. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
    /** Further lines (a server's per-field errors), printed under the message. */
    readonly details: readonly string[] = [],
  ) {
    super(message);
  }
}

/** A usage mistake: exit code 2, with a pointer to the command's help. */
const usageError = (command: string | undefined, message: string) =>
  new CliError(`${message} (see: assay ${command ? `${command} ` : ''}--help)`, 2);

type Options = NonNullable<ParseArgsConfig['options']>;
type Values = Record<string, string | boolean | undefined>;

interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
  env: NodeJS.ProcessEnv;
  /** Whether stderr is a terminal (the progress bar is drawn only there). */
  tty: boolean;
}

interface Command {
  summary: string;
  usage: string;
  /** `--option  what it does` lines of the command's help. */
  help: readonly string[];
  options: Options;
  run(args: string[], values: Values, io: Io): Promise<number>;
}

const AREA = {
  area: { type: 'string' },
} as const satisfies Options;
const SKIP = {
  'skip-unsupported': { type: 'boolean' },
} as const satisfies Options;
const SKIP_HELP =
  '  --skip-unsupported  leave out the GIFT/XML questions Assay cannot represent (essays...) and list them';
const MOVE = {
  'move-questions': { type: 'boolean' },
} as const satisfies Options;
const MOVE_HELP =
  '  --move-questions    a question whose id the file writes and another bank holds with other\n' +
  "                      content moves to this file's bank (without it: refused, nothing stored)";
const REMOTE = {
  api: { type: 'string' },
  token: { type: 'string' },
} as const satisfies Options;
/** Words as help lines of at most 100 characters, each indented to the options' text. */
const helpLines = (words: readonly string[]) =>
  words
    .reduce<string[]>((lines, w) => {
      const last = lines.at(-1);
      if (last !== undefined && last.length + w.length + 1 <= 100 - 22)
        lines[lines.length - 1] = `${last} ${w}`;
      else lines.push(w);
      return lines;
    }, [])
    .map((l) => `${' '.repeat(22)}${l}`)
    .join('\n');
const AREA_HELP =
  '  --area ID           area of GIFT/XML questions that name none (and of Moodle categories that\n' +
  `${helpLines(['are', 'no', 'area):', ...AREA_IDS.map((id, i) => (i < AREA_IDS.length - 1 ? `${id},` : id))])}`;
const BANK = {
  bank: { type: 'string' },
} as const satisfies Options;
const BANK_HELP =
  '  --bank ID           the bank a GIFT or Moodle XML file is imported into (?bank=); default: named\n' +
  '                      after the file (week-3.gift is week-3). A YAML or JSON bank names its own\n' +
  '                      (bank.id): --bank must then be that id';

/** The areas as a usage message lists them. */
const areaList = () => `use one of: ${AREA_IDS.join(', ')}`;

/**
 * `--area` checked before anything runs: an id that is no area is a usage error naming them all
 * (it was a problem per question, or, with YAML banks, not read at all).
 */
function checkArea(command: string, values: Values) {
  const area = values.area;
  if (area === undefined) return;
  if (typeof area !== 'string' || !(AREA_IDS as readonly string[]).includes(area)) {
    throw usageError(command, `--area: "${String(area)}" is not an area; ${areaList()}`);
  }
}

/** `--bank`, checked as the API checks `?bank=` (before any file is read or sent). */
function checkBank(command: string, values: Values) {
  const bank = values.bank;
  if (bank === undefined) return;
  const parsed = BankId.safeParse(bank);
  if (!parsed.success) {
    throw usageError(
      command,
      `--bank: "${String(bank)}" is not a bank id: ${parsed.error.issues.map((i) => i.message.replace(/\.$/, '')).join('; ')}`,
    );
  }
}
const REMOTE_HELP = [
  '  --api URL           the API, as `npm start` or `cdk deploy` prints it (http://127.0.0.1:3000/v1),',
  '                      with or without /v1; default $ASSAY_API',
  '  --token TOKEN       an author ID token; default $ASSAY_TOKEN (`npm start` prints a demo one,',
  '                      `npm run token -- --role author` mints one)',
];

/**
 * The API's base (scheme, host, port and any path before `/v1`) from what a person pastes:
 * `http://127.0.0.1:3000`, `http://127.0.0.1:3000/`, `http://127.0.0.1:3000/v1` or `.../v1/`.
 */
export function apiBase(value: string, command?: string): string {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw usageError(command, `--api: "${value}" is not a URL, e.g. http://127.0.0.1:3000/v1`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw usageError(command, `--api: "${value}" is not an http(s) URL`);
  }
  if (url.search || url.hash) {
    throw usageError(
      undefined,
      `--api: "${value}" has a query or fragment; give the API's URL only`,
    );
  }
  const path = url.pathname.replace(/\/+$/, '').replace(/\/v1$/, '');
  return `${url.origin}${path}`;
}

interface Remote {
  base: string;
  token: string;
}

function remoteOf(command: string, values: Values, env: NodeJS.ProcessEnv): Remote {
  const api = (values.api as string | undefined) ?? env.ASSAY_API;
  const token = (values.token as string | undefined) ?? env.ASSAY_TOKEN;
  if (!api) throw usageError(command, '--api URL is required (or set ASSAY_API)');
  if (!token) throw usageError(command, '--token TOKEN is required (or set ASSAY_TOKEN)');
  return { base: apiBase(api, command), token };
}

/** Why a connection failed, in words, from undici's `fetch failed` cause. */
function connectionProblem(err: unknown): string | undefined {
  if (!(err instanceof TypeError) || err.message !== 'fetch failed') return undefined;
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  const code =
    cause?.code ?? (cause as { errors?: { code?: string }[] } | undefined)?.errors?.[0]?.code;
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'no such host';
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return 'the connection timed out';
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
      return 'the connection was closed';
    default:
      // A TLS failure's message is OpenSSL's, several lines of internals: say what it means.
      if (/SSL|TLS|CERT/i.test(`${code ?? ''} ${cause?.message ?? ''}`))
        return /wrong version number|packet length too long|EPROTO/i.test(
          `${code ?? ''} ${cause?.message ?? ''}`,
        )
          ? 'no TLS there: is the URL http:// rather than https://?'
          : `its TLS certificate is not accepted: ${code ?? 'TLS error'}`;
      return (cause?.message ?? code ?? 'the request could not be sent').split('\n')[0]!;
  }
}

/** A refused request as one headline, plus per-field lines for validation problems. */
function responseError(res: Response, text: string): CliError {
  let body: Record<string, unknown> | undefined;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  const detail =
    (typeof body?.detail === 'string' && body.detail) ||
    (typeof body?.message === 'string' && body.message) ||
    text.split('\n')[0]!.trim().slice(0, 200) ||
    res.statusText;
  const title = (typeof body?.title === 'string' && body.title) || res.statusText;
  if (res.status === 401) {
    // The JWT authorizer says why in www-authenticate; a function, in the problem's detail.
    const why =
      /error_description="([^"]*)"/.exec(res.headers.get('www-authenticate') ?? '')?.[1] ??
      (body?.message === 'Unauthorized' ? 'no valid staff token' : detail);
    return new CliError(
      `401 Unauthorized: ${why.replace(/\.$/, '')}. Check --token: an author's ID token (npm run token -- --role author mints one locally).`,
    );
  }
  if (res.status === 403) return new CliError(`403 Forbidden: ${detail}`);
  const errors = Array.isArray(body?.errors) ? (body.errors as Record<string, unknown>[]) : [];
  return new CliError(
    `${res.status} ${title}: ${headlineOf(detail, errors)}`,
    1,
    errors.map(
      (e) =>
        `  ${e.line ? `line ${e.line}` : e.path || '(body)'}${e.title ? ` (${e.title})` : ''}: ${e.message}`,
    ),
  );
}

/**
 * A problem's detail without the errors it restates: the server's detail of a refusal with
 * `errors` is a summary followed by the first of them ("1 invalid field: (body): ...", "1
 * question id of this upload already belongs to other questions: The question ..."), and the
 * errors are printed one a line below it, so the headline keeps the summary only (each refusal
 * was printed twice). A detail that restates none of them is kept whole.
 */
export function headlineOf(
  detail: string,
  errors: readonly { path?: unknown; message?: unknown }[],
) {
  const first = errors[0];
  const at =
    typeof first?.message === 'string' && first.message ? detail.indexOf(first.message) : -1;
  if (at < 0) return detail;
  let summary = detail.slice(0, at).trimEnd();
  if (typeof first!.path === 'string' && first!.path && summary.endsWith(`${first!.path}:`)) {
    summary = summary.slice(0, -first!.path.length - 1).trimEnd();
  }
  summary = summary.replace(/[:;,]$/, '').trim();
  return summary || `${errors.length} problem${errors.length === 1 ? '' : 's'}`;
}

/** One JSON request to the API; throws a CliError for anything but a 2xx JSON answer. */
async function call(remote: Remote, path: string, init: RequestInit = {}): Promise<unknown> {
  const url = `${remote.base}${path}`;
  let res: Response;
  try {
    res = await fetch(url, {
      ...init,
      headers: {
        authorization: `Bearer ${remote.token}`,
        accept: 'application/json',
        ...(init.headers as Record<string, string>),
      },
    });
  } catch (err) {
    const why = connectionProblem(err);
    if (why === undefined) throw err;
    throw new CliError(
      `cannot reach the API at ${remote.base}/v1 (${why}): is it running (npm start)?`,
    );
  }
  const text = await res.text();
  if (!res.ok) throw responseError(res, text);
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    throw new CliError(
      `${res.status} from ${url} is not JSON: is --api the Assay API (e.g. http://127.0.0.1:3000/v1)?`,
    );
  }
}

/** The bank files named (files, or folders read non-recursively); a missing one is an error. */
function filesOf(command: string, paths: string[]): string[] {
  if (paths.length === 0) throw usageError(command, 'name at least one bank file or folder');
  const missing = paths.filter((p) => !existsSync(p));
  if (missing.length > 0) {
    throw new CliError(`no such file or folder: ${missing.join(', ')}`);
  }
  const files = bankFiles(paths);
  if (files.length === 0) {
    throw new CliError(`no bank files (.yaml, .yml, .json, .gift, .txt) in ${paths.join(', ')}`);
  }
  return files;
}

/** `file:line:col` of a located problem or notice. */
const whereIn = (file: string, i: { line?: number; column?: number }) =>
  i.line !== undefined ? `${file}:${i.line}:${i.column ?? 1}` : file;

/** ` [id] (title)` naming a question in a message. */
const whoIs = (i: { questionId?: string; title?: string }) =>
  `${i.questionId ? ` [${i.questionId}]` : ''}${i.title && i.title !== i.questionId ? ` (${i.title})` : ''}`;

/**
 * Every bank in the named files, or a CliError after printing `file:line:col: field: message`
 * lines. Warnings (`file:line:col: warning: ...`) and skipped questions are printed and do not
 * fail.
 */
function loadAll(
  command: string,
  paths: string[],
  values: Values,
  io: Io,
): { file: string; bank: Bank; upload: BankImport }[] {
  const out: { file: string; bank: Bank; upload: BankImport }[] = [];
  let problems = 0;
  for (const file of filesOf(command, paths)) {
    try {
      const upload = readBankImport(file, {
        ...(values.area ? { area: values.area as string } : {}),
        ...(values.bank ? { bank: values.bank as string } : {}),
        ...(values['skip-unsupported'] ? { skipUnsupported: true } : {}),
      });
      for (const w of upload.warnings) {
        io.err(`${whereIn(file, w)}: warning${whoIs(w)}: ${w.message}\n`);
      }
      for (const s of upload.skipped) {
        io.err(`${whereIn(file, s)}: skipped${s.title ? ` (${s.title})` : ''}: ${s.reason}\n`);
      }
      out.push({ file, bank: upload.bank, upload });
    } catch (err) {
      if (!(err instanceof ValidationError)) {
        const code = (err as { code?: string }).code;
        if (code === 'EACCES' || code === 'EISDIR' || code === 'ENOENT') {
          throw new CliError(
            `cannot read ${file}: ${code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a folder' : 'no such file'}`,
          );
        }
        throw err;
      }
      for (const i of err.issues) {
        problems++;
        io.err(`${whereIn(file, i)}: ${i.path || '(document)'}${whoIs(i)}: ${i.message}\n`);
      }
    }
  }
  if (problems) throw new CliError(`${problems} problem${problems === 1 ? '' : 's'} found.`);
  return out;
}

function render(bank: Bank, format: string, io: Io): string {
  if (format === 'json') return `${JSON.stringify(bank, null, 2)}\n`;
  if (format === 'yaml') return stringify(bank, { lineWidth: 100 });
  const { text, skipped, warnings } = format === 'xml' ? toMoodleXml(bank) : toGift(bank);
  for (const s of skipped) io.err(`skipped ${s.id} (${s.type}): ${s.reason}\n`);
  for (const w of warnings) io.err(`warning ${w.id}: ${w.message}\n`);
  return text;
}

const FORMATS = ['json', 'yaml', 'gift', 'xml'];

/** `3 warnings, 1 skipped` for a summary line, or nothing. */
function noticesOf(uploads: BankImport[]): string {
  const w = uploads.reduce((n, u) => n + u.warnings.length, 0);
  const s = uploads.reduce((n, u) => n + u.skipped.length, 0);
  const parts = [
    ...(w ? [`${w} warning${w === 1 ? '' : 's'}`] : []),
    ...(s ? [`${s} skipped`] : []),
  ];
  return parts.length ? ` (${parts.join(', ')})` : '';
}

export const COMMANDS: Readonly<Record<string, Command>> = {
  validate: {
    summary: 'check bank files offline; exit 1 on problems',
    usage: 'assay validate <files|folders> [--area ID] [--skip-unsupported]',
    help: [
      'Reads YAML, JSON, GIFT (.gift, .txt) and Moodle XML (.xml) as the API does. Prints each',
      'problem as file:line:col: field: message, each warning as file:line:col: warning: ...,',
      'and a summary. Warnings (no general feedback, ...) do not fail.',
      AREA_HELP,
      SKIP_HELP,
    ],
    options: { ...AREA, ...SKIP },
    async run(args, values, io) {
      const banks = loadAll('validate', args, values, io);
      const n = banks.reduce((s, b) => s + b.bank.questions.length, 0);
      io.out(
        `${banks.length} bank file${banks.length === 1 ? '' : 's'}, ${n} question${n === 1 ? '' : 's'}: all valid${noticesOf(banks.map((b) => b.upload))}.\n`,
      );
      return 0;
    },
  },
  import: {
    summary: 'upload bank files through the HTTP API',
    usage:
      'assay import <files|folders> --api URL --token TOKEN [--bank ID] [--chunk-size N] [--area ID] [--skip-unsupported] [--move-questions]',
    help: [
      'Validates every file first, then uploads each as one import, all-or-nothing on the server:',
      'a YAML or JSON file of up to --chunk-size questions in one request, a larger one in parts of',
      'that size; a GIFT or Moodle XML file as it is (gzip), as the bank named after the file or by',
      '--bank (so that another file cannot take over its questions). Follows an import the server',
      'runs in the background (202) until it has finished, with a progress bar on a terminal;',
      're-running skips what is stored. A question you retired stays retired: the server says so,',
      'and this prints it as file:line:col: warning [id]: ... with how to restore it.',
      ...REMOTE_HELP,
      '  --chunk-size N      questions per request or part (default 5000)',
      BANK_HELP,
      AREA_HELP,
      SKIP_HELP,
      MOVE_HELP,
    ],
    options: { ...REMOTE, ...BANK, ...AREA, ...SKIP, ...MOVE, 'chunk-size': { type: 'string' } },
    async run(args, values, io) {
      const remote = remoteOf('import', values, io.env);
      const size = Number(values['chunk-size'] ?? 5000);
      if (!Number.isInteger(size) || size < 1) {
        throw usageError(
          'import',
          `--chunk-size: "${values['chunk-size']}" is not a whole number of 1 or more`,
        );
      }
      const named = values.bank as string | undefined;
      const banks = loadAll('import', args, values, io);
      // A YAML or JSON bank names its own bank: --bank naming another would be left unread.
      for (const { file, bank } of banks) {
        const format = formatOfFile(file);
        if (named !== undefined && format !== 'gift' && format !== 'xml' && bank.bank.id !== named)
          throw usageError(
            'import',
            `--bank ${named}: ${file} names its own bank, "${bank.bank.id}" (bank.id); --bank is for GIFT and Moodle XML files (or change bank.id in the file)`,
          );
      }
      for (const { file, bank } of banks) {
        const format = formatOfFile(file);
        if (format === 'gift' || format === 'xml') {
          if (io.tty) io.err(`${file}: ${bank.questions.length} questions\n`);
          // The file itself: the server decodes its bytes and reads it as this CLI just did.
          const q = new URLSearchParams({ format, bank: named ?? bankIdOfFile(file) });
          if (values.area) q.set('area', values.area as string);
          if (values['skip-unsupported']) q.set('skipUnsupported', 'true');
          const r = await progressing(io, () =>
            uploadFile(remote, file, `/v1/banks?${q}`, readFileSync(file), io),
          );
          printNotices(io, file, r);
          io.out(
            `${file}: ${r.created} created, ${r.updated} updated, ${r.unchanged} unchanged${r.skipped ? `, ${r.skipped} skipped` : ''}.\n`,
          );
          continue;
        }
        // Progress is for a person watching: on a terminal only, so a script's stderr holds
        // nothing but errors.
        if (io.tty) io.err(`${file}: ${bank.questions.length} questions\n`);
        const move = values['move-questions'] === true;
        const totals = await progressing(io, () =>
          uploadRemote(remote, file, bank, size, io, move),
        );
        printNotices(io, file, totals);
        io.out(
          `${file}: ${totals.created} created, ${totals.updated} updated, ${totals.unchanged} unchanged.\n`,
        );
      }
      return 0;
    },
  },
  export: {
    summary: "convert bank files, or export your organisation's published questions",
    usage:
      'assay export [--format yaml|json|gift|xml] <files|folders>\n       assay export --api URL --token TOKEN [--format yaml|json|gift|xml]',
    help: [
      'Writes to stdout. GIFT and Moodle XML carry the types they can express; the others are',
      'listed as skipped.',
      '  --format F          yaml (default), json, gift or xml (Moodle XML)',
      ...REMOTE_HELP,
      AREA_HELP,
    ],
    options: { ...REMOTE, ...AREA, ...SKIP, format: { type: 'string' } },
    async run(args, values, io) {
      const format = (values.format as string | undefined) ?? 'yaml';
      if (!FORMATS.includes(format)) {
        throw usageError('export', `--format: "${format}" is not one of ${FORMATS.join(', ')}`);
      }
      if (values.api === undefined && io.env.ASSAY_API === undefined) {
        for (const { bank } of loadAll('export', args, values, io))
          io.out(render(bank, format, io));
        return 0;
      }
      if (args.length > 0) {
        throw usageError('export', 'give files or --api, not both');
      }
      const remote = remoteOf('export', values, io.env);
      const questions: Record<string, unknown>[] = [];
      let cursor: string | null = null;
      do {
        const page = (await call(
          remote,
          `/v1/questions?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        )) as { items: Record<string, unknown>[]; nextCursor: string | null };
        for (const {
          version: _v,
          status: _s,
          source: _o,
          createdAt: _c,
          updatedAt: _u,
          versions: _vs,
          bankId: _b,
          ...q
        } of page.items)
          questions.push(q);
        cursor = page.nextCursor;
      } while (cursor);
      const bank = {
        bank: { id: 'export', title: 'Exported questions' },
        questions,
      } as unknown as Bank;
      io.out(render(bank, format, io));
      return 0;
    },
  },
  report: {
    summary: 'coverage table of banks: area x difficulty x type',
    usage: 'assay report [files|folders] [--area ID]',
    help: ['Markdown on stdout; the shipped bank (questions/) when no file is named.', AREA_HELP],
    options: { ...AREA, ...SKIP },
    async run(args, values, io) {
      const banks = loadAll('report', args.length ? args : ['questions'], values, io);
      io.out(coverageReport(banks.map((b) => b.bank)));
      return 0;
    },
  },
  'seed-public': {
    summary: 'load the shipped bank into a deployed table (AWS credentials)',
    usage: 'assay seed-public --table NAME [--dir questions]',
    help: [
      'Idempotent: unchanged questions are skipped. Uses the AWS credentials of your environment.',
      '  --table NAME        the TableName output of cdk deploy',
      '  --dir DIR           the bank folder (default questions)',
    ],
    options: { table: { type: 'string' }, dir: { type: 'string' } },
    async run(_args, values, io) {
      if (!values.table)
        throw usageError(
          'seed-public',
          '--table NAME is required (the TableName output of cdk deploy)',
        );
      const dir = (values.dir as string | undefined) ?? 'questions';
      if (!existsSync(dir)) throw new CliError(`no such folder: ${dir}`);
      process.env.TABLE_NAME = values.table as string;
      const { seedPublicBank } = await import('../../infra/local/seed.ts');
      let r: Awaited<ReturnType<typeof seedPublicBank>>;
      try {
        r = await seedPublicBank(dir);
      } catch (err) {
        if (err instanceof ValidationError)
          throw new CliError(`${dir}: ${err.message} (run assay validate ${dir})`);
        const name = (err as { name?: string }).name ?? 'Error';
        throw new CliError(
          `could not write to table ${values.table}: ${name}: ${(err as Error).message}`,
        );
      }
      io.out(
        `${r.questions} questions from ${r.files} files: ${r.created} created, ${r.updated} updated, the rest unchanged.\n`,
      );
      return 0;
    },
  },
};

let progressOpen = false;

function progress(io: Io, done: number, total: number) {
  if (!io.tty) return;
  const width = 30;
  const filled = Math.round((done / total) * width);
  io.err(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`);
  progressOpen = done !== total;
  if (!progressOpen) io.err('\n');
}

interface Counts {
  created: number;
  updated: number;
  unchanged: number;
  /** Questions left out (`--skip-unsupported`). */
  skipped?: number;
  /** What only the server could tell (a retired question it left retired): `code` set. */
  notices?: ServerNotice[];
}

/** A warning of the server's that the local read cannot give (it carries a `code`). */
interface ServerNotice {
  code?: string;
  message: string;
  line?: number;
  column?: number;
  questionId?: string;
  title?: string;
}

/** The server's own warnings among an import's (the file's own were printed as it was read). */
const serverNotices = (warnings: ServerNotice[] | undefined) => {
  const own = (warnings ?? []).filter((w) => w.code !== undefined);
  return own.length ? { notices: own } : {};
};

/** Print the server's warnings about a file's questions, as the file's own are printed. */
function printNotices(io: Io, file: string, counts: Counts) {
  for (const w of counts.notices ?? []) {
    io.err(`${whereIn(file, w)}: warning${whoIs(w)}: ${w.message}\n`);
  }
}

/** An import as `GET /v1/imports/{id}` (and a 202) shows it. */
interface ImportStatus extends Partial<Omit<Counts, 'skipped'>> {
  importId: string;
  status: string;
  progress: { phase: string; done: number; total: number };
  errors: { path: string; message: string; line?: number; column?: number; part?: number }[];
  errorCount: number;
  skipped?: unknown[];
  skippedCount?: number;
  warnings?: ServerNotice[];
  detail?: string;
}

/**
 * Upload a GIFT or Moodle XML file as it is, gzip-compressed, as one import (the server decodes
 * its bytes): its counts (201), or the import followed until it has finished (202).
 */
async function uploadFile(
  remote: Remote,
  file: string,
  path: string,
  bytes: Buffer,
  io: Io,
): Promise<Counts> {
  const r = (await call(remote, path, {
    method: 'POST',
    headers: {
      'content-type': 'application/octet-stream',
      'content-encoding': 'gzip',
      // One key per file and run: a request the CLI repeats is the same import on the server.
      'idempotency-key': randomUUID(),
    },
    body: gzipSync(bytes),
  })) as (Counts & { skipped?: unknown[]; warnings?: ServerNotice[] }) | ImportStatus;
  if ('status' in r) return followImport(remote, file, r.importId, io);
  return {
    created: r.created,
    updated: r.updated,
    unchanged: r.unchanged,
    ...(r.skipped?.length ? { skipped: r.skipped.length } : {}),
    ...serverNotices(r.warnings),
  };
}

/** A bank document, gzip-compressed: a large bank fits the API's 4 MiB request limit. */
const gzipJson = (doc: unknown) => gzipSync(JSON.stringify(doc));

/**
 * Upload one bank as one import (docs/imports.md): in one request when it has at most `size`
 * questions (answered 201 with the counts, or 202 and followed), else part-wise.
 */
async function uploadRemote(
  remote: Remote,
  file: string,
  bank: Bank,
  size: number,
  io: Io,
  moveQuestions = false,
): Promise<Counts> {
  // One key per file and run: a request the CLI repeats is the same import on the server.
  const key = randomUUID();
  const query = moveQuestions ? '?moveQuestions=true' : '';
  const gzip = { 'content-type': 'application/json', 'content-encoding': 'gzip' };
  if (bank.questions.length <= size) {
    const r = (await call(remote, `/v1/banks${query}`, {
      method: 'POST',
      headers: { ...gzip, 'idempotency-key': key },
      body: gzipJson(bank),
    })) as (Counts & { warnings?: ServerNotice[] }) | ImportStatus;
    if ('status' in r) return followImport(remote, file, r.importId, io);
    return {
      created: r.created,
      updated: r.updated,
      unchanged: r.unchanged,
      ...serverNotices(r.warnings),
    };
  }
  const parts = Math.ceil(bank.questions.length / size);
  const created = (await call(remote, '/v1/imports', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': key },
    body: JSON.stringify({ bank: bank.bank, parts }),
  })) as ImportStatus;
  for (let p = 0; p < parts; p++) {
    const questions = bank.questions.slice(p * size, (p + 1) * size);
    await call(remote, `/v1/imports/${created.importId}/parts/${p + 1}${query}`, {
      method: 'PUT',
      headers: gzip,
      body: gzipJson({ bank: bank.bank, questions }),
    });
    if (io.tty) io.err(`\rsent part ${p + 1} of ${parts}`);
  }
  if (io.tty) io.err('\n');
  return followImport(remote, file, created.importId, io);
}

/** Poll an import until it has finished: its counts, or its errors as a CliError. */
async function followImport(
  remote: Remote,
  file: string,
  importId: string,
  io: Io,
): Promise<Counts> {
  for (;;) {
    const s = (await call(remote, `/v1/imports/${importId}`)) as ImportStatus;
    if (s.progress.total > 0) progress(io, s.progress.done, s.progress.total);
    if (s.status === 'succeeded') {
      if (progressOpen) io.err('\n');
      progressOpen = false;
      const skipped = s.skippedCount ?? s.skipped?.length ?? 0;
      return {
        created: s.created ?? 0,
        updated: s.updated ?? 0,
        unchanged: s.unchanged ?? 0,
        ...(skipped ? { skipped } : {}),
        ...serverNotices(s.warnings),
      };
    }
    if (s.status === 'failed') {
      const where = (e: ImportStatus['errors'][number]) =>
        [e.part ? `part ${e.part}` : '', e.line ? `${e.line}:${e.column ?? 1}` : '']
          .filter(Boolean)
          .join(':');
      const lines = s.errors
        .slice(0, 20)
        .map((e) => `${file}:${where(e)}: ${e.path}: ${e.message}`);
      const more = s.errorCount > lines.length ? [`(${s.errorCount - lines.length} more)`] : [];
      throw new CliError(
        [
          `import ${importId} failed: ${s.detail ? headlineOf(s.detail, s.errors) : 'see its errors'}`,
          ...lines,
          ...more,
        ].join('\n'),
      );
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** Runs `work`, ending an open progress line first if it fails, so the error starts a line. */
async function progressing<T>(io: Io, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (progressOpen) io.err('\n');
    progressOpen = false;
    throw err;
  }
}

/** `assay --help`: the commands and where to read more. */
export function overview(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  return [
    'assay: author question banks for Assay.',
    '',
    'Usage: assay <command> [options]',
    '',
    ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
    '',
    'assay <command> --help shows its options. Exit codes: 0 done, 1 problems found or the',
    'request failed, 2 usage error.',
    '',
  ].join('\n');
}

function commandHelp(command: Command): string {
  return [
    `Usage: ${command.usage}`,
    '',
    `${command.summary[0]!.toUpperCase()}${command.summary.slice(1)}.`,
    ...command.help,
    '  -h, --help          this help',
    '',
  ].join('\n');
}

/** Options, positionals and help flag of one command; usage errors as CliError(2). */
function parse(name: string, command: Command, argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: { ...command.options, help: { type: 'boolean', short: 'h' } },
    });
  } catch (err) {
    const code = (err as { code?: string }).code;
    const message = (err as Error).message;
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      const option = /'([^']+)'/.exec(message)?.[1] ?? message;
      throw usageError(name, `unknown option ${option}`);
    }
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      const option = /'(--?[\w-]+)/.exec(message)?.[1] ?? 'an option';
      throw usageError(
        name,
        `${option} needs a value${option === '--area' ? ` (an area id; ${areaList()})` : ''}`,
      );
    }
    throw err;
  }
}

/** Runs the command line; returns the exit code. Failures a person can meet throw CliError. */
export async function main(argv: string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    io.err(overview());
    return 2;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' ? rest[0] : undefined;
    const command = topic ? COMMANDS[topic] : undefined;
    if (topic && !command) throw usageError(undefined, `unknown command "${topic}"`);
    io.out(command ? commandHelp(command) : overview());
    return 0;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) {
    throw usageError(
      undefined,
      name.startsWith('-') ? `unknown option ${name}` : `unknown command "${name}"`,
    );
  }
  const { values, positionals } = parse(name, command, rest);
  if (values.help) {
    io.out(commandHelp(command));
    return 0;
  }
  checkArea(name, values as Values);
  checkBank(name, values as Values);
  return command.run(positionals, values as Values, io);
}
