/**
 * `npm run token -- --role employer --org acme [--sub alice] [--ttl 3600] [--use access]`:
 * prints a local staff JWT that the local gateway accepts. `--role` may be repeated.
 *
 * On a terminal it says what it minted (on stderr); captured, stdout is the token alone:
 * `TOKEN=$(npm run -s token -- --role author)` (npm's `-s` drops the `> assay token` banner npm
 * itself prints on stdout). Mistakes are one line on stderr with exit code 2.
 */
import { parseArgs } from 'node:util';
import type { Role } from '../../functions/http/route-types.ts';
import { mintToken } from './local-auth.ts';

const USAGE =
  'usage: npm run token -- [--role author|employer]... [--org ID] [--sub SUBJECT] [--ttl SECONDS] [--use id|access]';

function fail(message: string): never {
  process.stderr.write(`token: ${message}\n${USAGE}\n`);
  process.exit(2);
}

function options() {
  try {
    return parseArgs({
      strict: true,
      options: {
        role: { type: 'string', multiple: true, default: ['employer'] },
        org: { type: 'string', default: 'demo' },
        sub: { type: 'string' },
        ttl: { type: 'string', default: String(12 * 3600) },
        use: { type: 'string', default: 'id' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (err) {
    const message = (err as Error).message.split('\n')[0]!;
    return fail(
      /ambiguous/.test(message)
        ? `${message} Write a negative value as --ttl=-60.`
        : message.replace(/\. To specify a positional.*$/, '.'),
    );
  }
}

const values = options();
if (values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
const roles = values.role.map((r) => r.replace(/s$/, ''));
const bad = roles.filter((r) => r !== 'author' && r !== 'employer');
if (bad.length) fail(`unknown role ${bad.join(', ')}: use --role author or --role employer.`);
const ttlSeconds = Number(values.ttl);
if (!Number.isInteger(ttlSeconds)) fail(`--ttl: "${values.ttl}" is not a whole number of seconds.`);
if (values.use !== 'id' && values.use !== 'access') {
  fail(`--use: "${values.use}" is not id or access.`);
}

const token = await mintToken({
  roles: roles as Role[],
  org: values.org,
  ...(values.sub ? { subject: values.sub } : {}),
  ttlSeconds,
  use: values.use,
});
if (process.stdout.isTTY) {
  const hours = Math.round((ttlSeconds / 3600) * 10) / 10;
  process.stderr.write(
    `Local ${values.use === 'access' ? 'access' : 'ID'} token for ${roles.join(' and ')} of organisation ${values.org}, valid ${hours} h:\n`,
  );
}
process.stdout.write(`${token}\n`);
