/**
 * The authors' command line.
 *
 *   assay validate <files|dirs>                          check banks offline, exit 1 on problems
 *   assay import <files|dirs> --api URL --token T        upload banks through the HTTP API
 *   assay export [--format json|yaml|gift] <files|dirs>  convert banks (GIFT for the types it can express)
 *   assay export --api URL --token T [--format ...]      export your organisation's published questions
 *   assay report <files|dirs>                            coverage table: area x difficulty x type
 *   assay seed-public --table NAME [--dir questions]     load the shipped bank into a deployed table (AWS credentials)
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import type { Bank } from '../domain/bank.ts';
import { ValidationError } from '../domain/errors.ts';
import { toGift } from '../domain/gift.ts';
import { bankFiles, readBankFile } from './bank-files.ts';
import { coverageReport } from './report.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    api: { type: 'string' },
    token: { type: 'string', default: process.env.ASSAY_TOKEN },
    format: { type: 'string', default: 'yaml' },
    area: { type: 'string' },
    table: { type: 'string' },
    dir: { type: 'string', default: 'questions' },
    'chunk-size': { type: 'string', default: '1000' },
    help: { type: 'boolean', short: 'h' },
  },
});

const [command, ...args] = positionals;
const usage = readFileSync(new URL(import.meta.url), 'utf8')
  .split('*/')[0]!
  .replace(/^\/\*\*|^ \* ?/gm, '');

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

/** Every bank in the named files, or exit 1 after printing `file:line:col: field: message` lines. */
function loadAll(paths: string[]): { file: string; bank: Bank }[] {
  if (paths.length === 0) fail('Name at least one bank file or folder.');
  const out: { file: string; bank: Bank }[] = [];
  let problems = 0;
  for (const file of bankFiles(paths)) {
    try {
      out.push({ file, bank: readBankFile(file, values.area ? { area: values.area } : {}) });
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      for (const i of err.issues) {
        problems++;
        const where = i.line !== undefined ? `${file}:${i.line}:${i.column ?? 1}` : file;
        const who = i.questionId ? ` [${i.questionId}]` : '';
        console.error(`${where}: ${i.path || '(document)'}${who}: ${i.message}`);
      }
    }
  }
  if (problems) {
    console.error(`\n${problems} problem${problems === 1 ? '' : 's'} found.`);
    process.exit(1);
  }
  return out;
}

function progress(done: number, total: number) {
  const width = 30;
  const filled = Math.round((done / total) * width);
  process.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`);
  if (done === total) process.stderr.write('\n');
}

async function api(path: string, init: RequestInit = {}) {
  if (!values.api || !values.token)
    fail('--api URL and --token TOKEN (or ASSAY_TOKEN) are required.');
  const res = await fetch(`${values.api.replace(/\/$/, '')}${path}`, {
    ...init,
    headers: {
      authorization: `Bearer ${values.token}`,
      ...(init.headers as Record<string, string>),
    },
  });
  const text = await res.text();
  const body = text ? JSON.parse(text) : undefined;
  if (!res.ok) {
    const lines = [`${res.status} ${body?.title ?? res.statusText}: ${body?.detail ?? text}`];
    for (const e of body?.errors ?? [])
      lines.push(`  ${e.path}${e.line ? ` (line ${e.line})` : ''}: ${e.message}`);
    throw new Error(lines.join('\n'));
  }
  return body;
}

function render(bank: Bank, format: string): string {
  if (format === 'json') return `${JSON.stringify(bank, null, 2)}\n`;
  if (format === 'yaml') return stringify(bank, { lineWidth: 100 });
  if (format === 'gift') {
    const { text, skipped } = toGift(bank);
    for (const s of skipped) console.error(`skipped ${s.id} (${s.type}): ${s.reason}`);
    return text;
  }
  return fail(`Unknown format ${format}: use json, yaml or gift.`);
}

switch (command) {
  case 'validate': {
    const banks = loadAll(args);
    const n = banks.reduce((s, b) => s + b.bank.questions.length, 0);
    console.log(
      `${banks.length} bank file${banks.length === 1 ? '' : 's'}, ${n} questions: all valid.`,
    );
    break;
  }
  case 'import': {
    const size = Number(values['chunk-size']);
    for (const { file, bank } of loadAll(args)) {
      // Validated whole above; uploaded in chunks so a large bank shows progress. Each chunk is
      // all-or-nothing on the server, and re-running skips what is already stored.
      const totals = { created: 0, updated: 0, unchanged: 0 };
      console.error(`${file}: ${bank.questions.length} questions`);
      for (let i = 0; i < bank.questions.length; i += size) {
        const chunk = { bank: bank.bank, questions: bank.questions.slice(i, i + size) };
        const r = await api('/v1/banks', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(chunk),
        });
        totals.created += r.created;
        totals.updated += r.updated;
        totals.unchanged += r.unchanged;
        progress(Math.min(i + size, bank.questions.length), bank.questions.length);
      }
      console.log(
        `${file}: ${totals.created} created, ${totals.updated} updated, ${totals.unchanged} unchanged.`,
      );
    }
    break;
  }
  case 'export': {
    if (values.api) {
      const questions = [];
      let cursor: string | null = null;
      do {
        const page: { items: Record<string, unknown>[]; nextCursor: string | null } = await api(
          `/v1/questions?limit=200${cursor ? `&cursor=${cursor}` : ''}`,
        );
        for (const {
          version: _v,
          status: _s,
          source: _o,
          createdAt: _c,
          updatedAt: _u,
          versions: _vs,
          ...q
        } of page.items)
          questions.push(q);
        cursor = page.nextCursor;
      } while (cursor);
      process.stdout.write(
        render(
          { bank: { id: 'export', title: 'Exported questions' }, questions } as unknown as Bank,
          values.format,
        ),
      );
    } else {
      for (const { bank } of loadAll(args)) process.stdout.write(render(bank, values.format));
    }
    break;
  }
  case 'report': {
    process.stdout.write(
      coverageReport(loadAll(args.length ? args : ['questions']).map((b) => b.bank)),
    );
    break;
  }
  case 'seed-public': {
    if (!values.table) fail('--table NAME is required (the TableName output of cdk deploy).');
    process.env.TABLE_NAME = values.table;
    const { seedPublicBank } = await import('../../infra/local/seed.ts');
    const r = await seedPublicBank(values.dir);
    console.log(
      `${r.questions} questions from ${r.files} files: ${r.created} created, ${r.updated} updated, the rest unchanged.`,
    );
    break;
  }
  default:
    console.log(usage);
    if (command && !values.help) process.exit(2);
}
