/** Writes `functions/http/outputs/<group>.ts` for every function group (scripts/output-schemas.ts). */
import { writeFileSync } from 'node:fs';
import { GROUPS, outputModule } from './output-schemas.ts';

for (const group of GROUPS) {
  const file = `functions/http/outputs/${group}.ts`;
  writeFileSync(file, outputModule(group));
  console.log(`wrote ${file}`);
}
