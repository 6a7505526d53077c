/**
 * Map a stack trace logged by a deployed function back to the sources:
 *
 *   npm run stack-trace -- <index.mjs.map> < trace.txt
 *
 * The map is the one beside the function's bundle: in `cdk.out/asset.<hash>/` after
 * `npm run synth` of the same commit, or in the function's deployment package
 * (`aws lambda get-function --function-name <name> --query Code.Location`).
 */
import { readFileSync } from 'node:fs';
import { mapStackTrace } from './bundling.ts';

const [mapFile] = process.argv.slice(2);
if (!mapFile) {
  console.error('usage: npm run stack-trace -- <index.mjs.map> < trace.txt');
  process.exit(2);
}
process.stdout.write(
  mapStackTrace(readFileSync(0, 'utf8'), JSON.parse(readFileSync(mapFile, 'utf8'))),
);
