/**
 * `npm run token -- --role employer --org acme [--sub alice] [--ttl 3600]`: prints a local
 * staff JWT that the local gateway accepts. `--role` may be repeated.
 */
import { parseArgs } from 'node:util';
import type { Role } from '../../functions/http/route-types.ts';
import { mintToken } from './local-auth.ts';

const { values } = parseArgs({
  options: {
    role: { type: 'string', multiple: true, default: ['employer'] },
    org: { type: 'string', default: 'demo' },
    sub: { type: 'string' },
    ttl: { type: 'string', default: String(12 * 3600) },
  },
});

const roles = values.role.map((r) => r.replace(/s$/, ''));
const bad = roles.filter((r) => r !== 'author' && r !== 'employer');
if (bad.length) {
  console.error(`Unknown role ${bad.join(', ')}: use --role author or --role employer.`);
  process.exit(2);
}
console.log(
  await mintToken({
    roles: roles as Role[],
    org: values.org,
    ...(values.sub ? { subject: values.sub } : {}),
    ttlSeconds: Number(values.ttl),
  }),
);
