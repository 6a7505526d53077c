/**
 * The output schemas as JSON Schema, for the output check that runs on every response
 * (`functions/http/conform.ts`). Each route's zod output schema stays the declaration (types,
 * the OpenAPI document); this writes what it lets out as JSON Schema text into
 * `functions/http/outputs/<group>.ts` (a side entry, `#side/outputs-<group>`, loaded by the
 * first response that has a schema), so that a cold start parses a string instead of
 * building the schemas (docs/architecture.md, "The output check"). `npm run generate:outputs`
 * writes the files; `tests/unit/output-schemas.test.ts` fails when one is stale.
 */
import * as z from 'zod/mini';
import type { FunctionGroup, RouteDef } from '../functions/http/route-types.ts';
import { ROUTES } from '../functions/http/routes.ts';

type Json = Record<string, unknown>;

/** The keywords `conform` checks, and those it may ignore (annotations). */
const CHECKED = new Set([
  'type',
  'properties',
  'required',
  'additionalProperties',
  'propertyNames',
  'items',
  'enum',
  'const',
  'anyOf',
  'oneOf',
  'discriminator',
  'strict',
  '$ref',
  '$defs',
  'minimum',
  'maximum',
  'minLength',
  'maxLength',
  'pattern',
  'minItems',
  'maxItems',
]);
/** Keywords whose values are data, not schemas. */
const LEAVES = new Set(['enum', 'const', 'discriminator', 'strict', 'required', 'type', 'pattern']);
const ANNOTATIONS = new Set(['$schema', 'id', 'title', 'description', 'examples', 'readOnly']);

const SAFE = Number.MAX_SAFE_INTEGER;

/** The groups, in the order of their files. */
export const GROUPS: readonly FunctionGroup[] = [
  'public',
  'authoring',
  'employer',
  'employer-attempts',
  'candidate',
];

/**
 * A zod output schema as the JSON Schema `conform` walks: refused when zod cannot say it in
 * JSON Schema (a transform, say) or when it uses a keyword `conform` does not check, so a
 * schema the check would read wrongly never reaches it. A union whose branches each fix one
 * property to a constant (zod's discriminated union) is marked with that property.
 */
export function outputSchema(schema: z.ZodMiniType, where: string): Json {
  const json = z.toJSONSchema(schema, {
    io: 'output',
    unrepresentable: 'throw',
    // A sub-schema used twice (an area, an answer) is written once, under $defs.
    reused: 'ref',
    // JSON Schema says "no other properties" alike for zod's stripping `object` and its
    // refusing `strictObject`: the check needs to know which (a strict one is a 500 when it
    // gets more, as with zod).
    override: ({ zodSchema, jsonSchema }) => {
      const def = zodSchema._zod.def as {
        type: string;
        catchall?: { _zod: { def: { type: string } } };
      };
      if (def.type === 'object' && def.catchall?._zod.def.type === 'never')
        jsonSchema.strict = true;
    },
  }) as Json;
  const visit = (node: unknown, path: string): void => {
    if (Array.isArray(node)) {
      node.forEach((n, i) => {
        visit(n, `${path}/${i}`);
      });
      return;
    }
    if (!node || typeof node !== 'object') return;
    const n = node as Json;
    for (const key of Object.keys(n)) {
      // Annotations say nothing the check needs: left out, the text is half as long.
      if (ANNOTATIONS.has(key)) delete n[key];
      else if (!CHECKED.has(key))
        throw new Error(`${where}: ${path}: the output check does not handle "${key}"`);
    }
    // z.int()'s bounds are the safe integers, which `conform` holds every integer to.
    if (n.type === 'integer' && n.minimum === -SAFE && n.maximum === SAFE) {
      delete n.minimum;
      delete n.maximum;
    }
    if (Array.isArray(n.oneOf)) {
      const branches = n.oneOf as Json[];
      const first = (branches[0]?.properties ?? {}) as Record<string, Json>;
      const tag = Object.keys(first).find((k) =>
        branches.every(
          (b) =>
            (b.properties as Record<string, Json> | undefined)?.[k]?.const !== undefined &&
            (b.required as string[] | undefined)?.includes(k),
        ),
      );
      if (!tag) throw new Error(`${where}: ${path}: a oneOf without a discriminating property`);
      n.discriminator = { propertyName: tag };
    }
    for (const [key, value] of Object.entries(n)) {
      if (key === 'properties' || key === '$defs') {
        for (const [name, sub] of Object.entries(value as Json))
          visit(sub, `${path}/${key}/${name}`);
      } else if (!LEAVES.has(key)) visit(value, `${path}/${key}`);
    }
  };
  visit(json, '#');
  return json;
}

/** Each response of `routes` that has an output schema, by `conform`'s key. */
function responsesOf(routes: readonly RouteDef[]): [string, z.ZodMiniType][] {
  const out: [string, z.ZodMiniType][] = [];
  for (const route of routes) {
    for (const [status, def] of Object.entries(route.responses)) {
      if (def.schema) out.push([`${route.operationId} ${status}`, def.schema]);
    }
  }
  return out;
}

/** A JSON text as a single-quoted literal (JSON's own quotes stay unescaped). */
const quoted = (text: string) => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/**
 * The source of `functions/http/outputs/<group>.ts`: the named schemas every response shares
 * (`$defs`, once per group), then each distinct response schema once.
 */
export function outputModule(group: FunctionGroup): string {
  // One document for the whole group, so that a sub-schema two responses share is written once.
  const responses = responsesOf(ROUTES.filter((r) => r.group === group));
  const all = outputSchema(z.object(Object.fromEntries(responses)), group);
  const defs = (all.$defs ?? {}) as Json;
  const props = (all.properties ?? {}) as Record<string, Json>;
  const texts: string[] = [];
  const entries: string[] = [];
  for (const [key] of responses) {
    const text = JSON.stringify(props[key]);
    let i = texts.indexOf(text);
    if (i < 0) i = texts.push(text) - 1;
    entries.push(`    ${JSON.stringify(key)}: S${i},`);
  }
  return [
    `// Generated by \`npm run generate:outputs\` (scripts/output-schemas.ts) from the output`,
    `// schemas of functions/http/routes/${group}.ts: do not edit. tests/unit/output-check.test.ts`,
    `// fails when this file is stale.`,
    `import { outputCheck } from '../conform.ts';`,
    '',
    `const DEFS = ${quoted(JSON.stringify(defs))};`,
    ...texts.map((t, i) => `const S${i} = ${quoted(t)};`),
    '',
    `export const OUTPUTS = outputCheck({`,
    '  defs: DEFS,',
    '  responses: {',
    ...entries,
    '  },',
    '});',
    '',
  ].join('\n');
}
