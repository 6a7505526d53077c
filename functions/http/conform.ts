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

/**
 * A function group's output schemas as JSON text: the named schemas they share (`$defs`) and
 * each response's, by `"<operationId> <status>"`.
 */
export interface Outputs {
  readonly defs: string;
  readonly responses: Readonly<Record<string, string>>;
}

type Defs = Readonly<Record<string, OutputSchema>>;

/** A body that does not fit its output schema: a bug, so the request ends in a 500. */
export class OutputMismatch extends Error {
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(`Response body at ${path || '(root)'}: ${reason}`);
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
export function conform(
  schema: OutputSchema,
  value: unknown,
  defs: Defs = schema.$defs ?? {},
): unknown {
  return walk(schema, value, defs, '');
}

function walk(s: OutputSchema, v: unknown, defs: Defs, path: string): unknown {
  if (s.$ref !== undefined) {
    const target = s.$ref.startsWith(DEFS) ? defs[s.$ref.slice(DEFS.length)] : undefined;
    if (!target) throw new OutputMismatch(path, `no schema ${s.$ref}`);
    return walk(target, v, defs, path);
  }
  if (s.oneOf) return union(s.oneOf, s.discriminator?.propertyName, v, defs, path);
  if (s.anyOf) return union(s.anyOf, undefined, v, defs, path);
  if (('const' in s && v !== s.const) || (s.enum && !s.enum.includes(v)))
    throw new OutputMismatch(path, 'not one of its values');
  if (s.type === undefined) return v;
  const kind = kindOf(v);
  const types = typeof s.type === 'string' ? [s.type] : s.type;
  // An integer is a safe one, as zod's z.int() holds it (the generator leaves out the bounds
  // that say so); a number that is not finite has no JSON type.
  const fits =
    types.includes(kind) ||
    (kind === 'number' && types.includes(Number.isSafeInteger(v) ? 'integer' : 'number'));
  if (!fits) throw new OutputMismatch(path, `a ${kind} where ${types.join(' or ')} belongs`);
  switch (kind) {
    case 'object':
      return object(s, v as Record<string, unknown>, defs, path);
    case 'array': {
      const list = v as unknown[];
      bounds(list.length, s.minItems, s.maxItems, path);
      const items = s.items;
      return items ? list.map((x, i) => walk(items, x, defs, `${path}[${i}]`)) : list;
    }
    case 'string':
      bounds((v as string).length, s.minLength, s.maxLength, path);
      if (s.pattern !== undefined && !new RegExp(s.pattern).test(v as string))
        throw new OutputMismatch(path, `does not match ${s.pattern}`);
      return v;
    case 'number':
      bounds(v as number, s.minimum, s.maximum, path);
      return v;
    default:
      return v;
  }
}

/** The JSON type of a value, all numbers alike ("number", "NaN" when not finite). */
function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
  return typeof v;
}

function bounds(n: number, min: number | undefined, max: number | undefined, path: string): void {
  if ((min !== undefined && n < min) || (max !== undefined && n > max))
    throw new OutputMismatch(path, `${n} is out of its bounds`);
}

function union(
  branches: readonly OutputSchema[],
  discriminator: string | undefined,
  v: unknown,
  defs: Defs,
  path: string,
): unknown {
  if (discriminator !== undefined) {
    const tag = kindOf(v) === 'object' ? (v as Record<string, unknown>)[discriminator] : undefined;
    const branch = branches.find((b) => b.properties?.[discriminator]?.const === tag);
    if (!branch)
      throw new OutputMismatch(path, `no form has ${discriminator} ${JSON.stringify(tag)}`);
    return walk(branch, v, defs, path);
  }
  // Each attempt builds its own copy, so a branch that does not fit leaves nothing behind.
  for (const branch of branches) {
    try {
      return walk(branch, v, defs, path);
    } catch (e) {
      if (!(e instanceof OutputMismatch)) throw e;
    }
  }
  throw new OutputMismatch(path, 'it fits none of its forms');
}

function object(
  s: OutputSchema,
  input: Record<string, unknown>,
  defs: Defs,
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
    out[key] = walk(props[key]!, x, defs, `${path}.${key}`);
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
    if (s.propertyNames) walk(s.propertyNames, key, defs, `${path}.${key}`);
    out[key] =
      rest === undefined || rest === true
        ? input[key]
        : walk(rest, input[key], defs, `${path}.${key}`);
  }
  return out;
}

/** A function group's output check: the body that leaves, or `undefined` for no schema. */
export type OutputCheck = (key: string, body: unknown) => { body: unknown } | undefined;

/**
 * The check of a group's responses by `"<operationId> <status>"`, each text parsed on first use
 * (`functions/http/outputs/<group>.ts` exports it, so that the walk and the texts load together,
 * beside the bundle, with the first response that has a schema).
 */
export function outputCheck(outputs: Outputs): OutputCheck {
  const parsed = new Map<string, unknown>();
  const parse = <T>(text: string): T => {
    let schema = parsed.get(text);
    if (!schema) {
      schema = JSON.parse(text);
      parsed.set(text, schema);
    }
    return schema as T;
  };
  return (key, body) => {
    const text = outputs.responses[key];
    return text === undefined
      ? undefined
      : { body: conform(parse<OutputSchema>(text), body, parse<Defs>(outputs.defs)) };
  };
}
