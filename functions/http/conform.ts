/**
 * The output check without building schemas at run time. Every JSON response is held to its
 * route's output schema and copied with only what the schema names, as zod's `parse` of an
 * object schema strips unknown keys: what the audience may not see never leaves. The schemas
 * are the route tables' zod schemas written as JSON Schema text ahead of time
 * (`functions/http/outputs/<group>.ts`, by `npm run generate:outputs`), because building the zod
 * schemas of one response cost a cold start more than everything else Assay adds to it
 * (docs/architecture.md, "The output check"). Walking a parsed JSON Schema costs about what the
 * body costs.
 *
 * Hand-written (about 150 lines) because the libraries that check JSON Schema either compile
 * it to code (ajv: 70 KB of generated code for the attempt view, which cost a cold start more
 * than it saved) or only answer valid/invalid without stripping what the schema does not name.
 */

/** The JSON Schema keywords `conform` checks: what zod's `toJSONSchema` writes for the outputs. */
export interface OutputSchema {
  type?: string | readonly string[];
  properties?: Readonly<Record<string, OutputSchema>>;
  required?: readonly string[];
  additionalProperties?: boolean | OutputSchema;
  /** Set by the generator on zod's `strictObject`: a property it does not name is refused. */
  strict?: boolean;
  propertyNames?: OutputSchema;
  items?: OutputSchema;
  enum?: readonly unknown[];
  const?: unknown;
  anyOf?: readonly OutputSchema[];
  oneOf?: readonly OutputSchema[];
  /** Set by the generator on a oneOf whose branches each fix this property to a constant. */
  discriminator?: { propertyName: string };
  $ref?: string;
  $defs?: Readonly<Record<string, OutputSchema>>;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  /** A regular expression's source, without flags (as zod writes a `regex` check's). */
  pattern?: string;
  minItems?: number;
  maxItems?: number;
}

/** A function group's output schemas as JSON text, by `"<operationId> <status>"`. */
export type Outputs = Readonly<Record<string, string>>;

/** A body that does not fit its output schema: a bug, so the request ends in a 500. */
export class OutputMismatch extends Error {
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(`The response body does not fit its output schema at ${path || '(the body)'}: ${reason}`);
    this.name = 'OutputMismatch';
  }
}

const DEFS = '#/$defs/';

/**
 * `value` as `schema` lets it out: a copy whose objects keep only the properties the schema
 * names (in the schema's order, as zod's output has them), every value checked against its
 * type, bounds, enum and constant. A union takes its first branch that fits (zod's `union`), or
 * the branch its discriminator names (zod's `discriminatedUnion`).
 *
 * @throws OutputMismatch naming the path of the first value that does not fit
 */
export function conform(schema: OutputSchema, value: unknown): unknown {
  return walk(schema, value, schema, '');
}

function walk(s: OutputSchema, v: unknown, root: OutputSchema, path: string): unknown {
  if (s.$ref !== undefined) return walk(resolve(s.$ref, root), v, root, path);
  if (s.oneOf) return union(s.oneOf, s.discriminator?.propertyName, v, root, path);
  if (s.anyOf) return union(s.anyOf, undefined, v, root, path);
  if ('const' in s && v !== s.const)
    throw new OutputMismatch(path, `not ${JSON.stringify(s.const)}`);
  if (s.enum && !s.enum.includes(v)) throw new OutputMismatch(path, 'not one of its values');
  if (s.type === undefined) return v;
  const kind = kindOf(v);
  const types = typeof s.type === 'string' ? [s.type] : s.type;
  if (!types.includes(kind) && !(kind === 'integer' && types.includes('number')))
    throw new OutputMismatch(path, `a ${kind} where ${types.join(' or ')} belongs`);
  switch (kind) {
    case 'object':
      return object(s, v as Record<string, unknown>, root, path);
    case 'array': {
      const list = v as unknown[];
      bounds(list.length, s.minItems, s.maxItems, path, 'items');
      const items = s.items;
      return items ? list.map((x, i) => walk(items, x, root, `${path}[${i}]`)) : list;
    }
    case 'string':
      bounds((v as string).length, s.minLength, s.maxLength, path, 'characters');
      if (s.pattern !== undefined && !regex(s.pattern).test(v as string))
        throw new OutputMismatch(path, `does not match ${s.pattern}`);
      return v;
    case 'integer':
    case 'number':
      bounds(v as number, s.minimum, s.maximum, path, '');
      return v;
    default:
      return v;
  }
}

/** The JSON Schema type of a value; a number that is not finite has none (JSON cannot say it). */
function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  switch (typeof v) {
    case 'number':
      return Number.isFinite(v)
        ? Number.isInteger(v)
          ? 'integer'
          : 'number'
        : 'non-finite number';
    case 'string':
    case 'boolean':
    case 'object':
      return typeof v;
    default:
      return `${typeof v} value`;
  }
}

function bounds(
  n: number,
  min: number | undefined,
  max: number | undefined,
  path: string,
  unit: string,
): void {
  const of = unit ? ` ${unit}` : '';
  if (min !== undefined && n < min) throw new OutputMismatch(path, `${n}${of}, under ${min}`);
  if (max !== undefined && n > max) throw new OutputMismatch(path, `${n}${of}, over ${max}`);
}

const regexes = new Map<string, RegExp>();

function regex(source: string): RegExp {
  let r = regexes.get(source);
  if (!r) {
    r = new RegExp(source);
    regexes.set(source, r);
  }
  return r;
}

function resolve(ref: string, root: OutputSchema): OutputSchema {
  const target =
    ref === '#' ? root : ref.startsWith(DEFS) ? root.$defs?.[ref.slice(DEFS.length)] : undefined;
  if (!target)
    throw new OutputMismatch('', `the schema refers to ${ref}, which it does not define`);
  return target;
}

function union(
  branches: readonly OutputSchema[],
  discriminator: string | undefined,
  v: unknown,
  root: OutputSchema,
  path: string,
): unknown {
  if (discriminator !== undefined) {
    const tag = kindOf(v) === 'object' ? (v as Record<string, unknown>)[discriminator] : undefined;
    const branch = branches.find((b) => b.properties?.[discriminator]?.const === tag);
    if (!branch)
      throw new OutputMismatch(path, `no form has ${discriminator} ${JSON.stringify(tag)}`);
    return walk(branch, v, root, path);
  }
  // Each attempt builds its own copy, so a branch that does not fit leaves nothing behind.
  for (const branch of branches) {
    try {
      return walk(branch, v, root, path);
    } catch (e) {
      if (!(e instanceof OutputMismatch)) throw e;
    }
  }
  throw new OutputMismatch(path, 'it fits none of its forms');
}

function object(
  s: OutputSchema,
  input: Record<string, unknown>,
  root: OutputSchema,
  path: string,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const props = s.properties ?? {};
  for (const key of Object.keys(props)) {
    const x = input[key];
    if (x === undefined) {
      if (s.required?.includes(key)) throw new OutputMismatch(`${path}.${key}`, 'missing');
      continue;
    }
    out[key] = walk(props[key]!, x, root, `${path}.${key}`);
  }
  const rest = s.additionalProperties;
  if (s.strict) {
    const extra = Object.keys(input).find(
      (k) => !Object.hasOwn(props, k) && input[k] !== undefined,
    );
    if (extra !== undefined)
      throw new OutputMismatch(`${path}.${extra}`, 'not a property it may have');
  }
  if (rest === false) return out;
  for (const key of Object.keys(input)) {
    if (Object.hasOwn(props, key) || input[key] === undefined) continue;
    if (s.propertyNames) walk(s.propertyNames, key, root, `${path}.${key}`);
    out[key] =
      rest === undefined || rest === true
        ? input[key]
        : walk(rest, input[key], root, `${path}.${key}`);
  }
  return out;
}

const parsed = new Map<string, OutputSchema>();

/**
 * The body that leaves, per its output schema in `outputs` (parsed on first use), or
 * `undefined` when `outputs` has none for this response.
 */
export function conformOutput(
  outputs: Outputs | undefined,
  key: string,
  body: unknown,
): { body: unknown } | undefined {
  const text = outputs?.[key];
  if (text === undefined) return undefined;
  let schema = parsed.get(text);
  if (!schema) {
    schema = JSON.parse(text) as OutputSchema;
    parsed.set(text, schema);
  }
  return { body: conform(schema, body) };
}
