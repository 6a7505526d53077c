/**
 * Reading an OpenAPI 3.1 document for the contract test: its operations, and validators of its
 * schemas (ajv, JSON Schema 2020-12, which is what OpenAPI 3.1 schemas are).
 */
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import formats from 'ajv-formats';

// ajv-formats is CommonJS: its function is the module itself, typed as its `default`.
const addFormats = ((formats as unknown as { default?: unknown }).default ?? formats) as (
  ajv: Ajv2020,
) => void;

// biome-ignore lint/suspicious/noExplicitAny: an OpenAPI document is arbitrary JSON
export type Json = any;

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  schema: Json;
}

export interface Operation {
  operationId: string;
  method: string;
  path: string;
  op: Json;
  parameters: Parameter[];
  /** The security requirement: scheme and roles, or none for a public route. */
  security: { scheme: string; roles: string[] } | undefined;
}

export const METHODS = ['get', 'put', 'post', 'patch', 'delete'] as const;

/** Every operation of the document, in document order. */
export function operationsOf(doc: Json): Operation[] {
  const out: Operation[] = [];
  for (const [path, item] of Object.entries<Json>(doc.paths ?? {})) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const req = (op.security ?? doc.security ?? [])[0] as Record<string, string[]> | undefined;
      const scheme = req && Object.keys(req)[0];
      out.push({
        operationId: op.operationId,
        method: method.toUpperCase(),
        path,
        op,
        parameters: [...(item.parameters ?? []), ...(op.parameters ?? [])],
        security: scheme ? { scheme, roles: req[scheme] ?? [] } : undefined,
      });
    }
  }
  return out;
}

/** A media type without parameters, lower-cased. */
export const mediaType = (header: string | null | undefined) =>
  header?.split(';')[0]?.trim().toLowerCase() ?? '';

/**
 * Validators of the document's schemas. Each schema is compiled beside the document's
 * components, so that `#/components/schemas/...` references resolve; compiled once per schema.
 */
export class SchemaValidator {
  private readonly ajv: Ajv2020;
  private readonly cache = new WeakMap<object, ValidateFunction>();
  /** Equal schemas (every `{$ref: Problem}`) share one compiled function. */
  private readonly byText = new Map<string, ValidateFunction>();

  constructor(doc: Json) {
    // strict off: OpenAPI adds keywords (readOnly, discriminator...) that plain JSON Schema lacks.
    // inlineRefs off: every reference to a component calls its one compiled function instead
    // of compiling a copy into each of the hundreds of response schemas that name it.
    this.ajv = new Ajv2020({
      strict: false,
      allErrors: true,
      validateFormats: true,
      inlineRefs: false,
    });
    addFormats(this.ajv);
    // The components once, under their own id: every schema refers into them, so each
    // component is compiled once however many operations use it.
    this.ajv.addSchema(toShared({ components: doc.components }), SHARED);
  }

  /** Undefined when `value` fits `schema`, else ajv's errors as one readable line. */
  errors(schema: Json, value: unknown): string | undefined {
    let validate = this.cache.get(schema);
    if (!validate) {
      const text = JSON.stringify(schema);
      validate = this.byText.get(text) ?? this.ajv.compile(toShared(schema));
      this.byText.set(text, validate);
      this.cache.set(schema, validate);
    }
    if (validate(value)) return undefined;
    return (validate.errors ?? [])
      .slice(0, 4)
      .map((e) => `${e.instancePath || '(root)'} ${e.message}`)
      .join('; ');
  }

  valid(schema: Json, value: unknown): boolean {
    return this.errors(schema, value) === undefined;
  }
}

const SHARED = 'https://contract.test/components.json';

/** A copy of a schema whose `#/components/...` references point into the shared components. */
function toShared(schema: Json): Json {
  if (Array.isArray(schema)) return schema.map(toShared);
  if (!schema || typeof schema !== 'object') return schema;
  return Object.fromEntries(
    Object.entries(schema).map(([k, v]) => [
      k,
      k === '$ref' && typeof v === 'string' && v.startsWith('#/components/')
        ? `${SHARED}${v}`
        : toShared(v),
    ]),
  );
}

/** Follows a local `$ref` of the document. */
export function deref(doc: Json, schema: Json): Json {
  let s = schema;
  for (let i = 0; s?.$ref && i < 10; i++) {
    const parts = (s.$ref as string).replace(/^#\//, '').split('/');
    s = parts.reduce((o: Json, p) => o?.[p.replace(/~1/g, '/').replace(/~0/g, '~')], doc);
  }
  return s;
}
