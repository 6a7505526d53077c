/**
 * Requests generated from an OpenAPI document, for every operation: a valid one (schema samples
 * from openapi-sampler, with the real ids and tokens the caller knows by name), and invalid ones
 * that each change one thing: no credential, a credential of the wrong role, a parameter or
 * header outside its schema, a body member removed, mistyped or added, a wrong content type, a
 * malformed or oversized body. Deterministic: the same document gives the same requests.
 *
 * Why this and not a fuzzer library: no npm library generates OpenAPI 3.1 requests with real ids
 * and per-role tokens (see docs/contract.md); openapi-sampler builds the valid values, and the
 * mutations below are each a one-line rule.
 */
import { sample } from 'openapi-sampler';
import {
  type Json,
  mediaType,
  type Operation,
  type Parameter,
  type SchemaValidator,
} from './document.ts';

/** What the server should do with a request, by the document. */
export type Expectation =
  /** Valid by the document (the server may still refuse it for a rule of state). */
  | { kind: 'valid' }
  /**
   * Exactly this status (401 without a credential, 403 with the wrong role, 413, 415, 400 for
   * a duplicate key); `member`: the body member a 400 must name.
   */
  | { kind: 'status'; status: number; member?: string }
  /**
   * One part changed from the valid request; the document decides whether it is still valid.
   * `member`: the body member changed, as the server's error paths write it (sections[0].count;
   * '' for the whole body), which a 400 must name.
   */
  | {
      kind: 'variation';
      where: 'path' | 'query' | 'header' | 'body';
      name: string;
      member?: string;
    };

export interface GeneratedRequest {
  operation: Operation;
  label: string;
  method: string;
  /** Path with its parameters filled in, and the query string. */
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** Parsed values, for the checker to hold against the document. */
  parts: {
    path: Record<string, string>;
    query: Record<string, string>;
    header: Record<string, string>;
    body?: unknown;
    contentType?: string;
  };
  expect: Expectation;
}

/** The caller's real world: ids and tokens by name. */
export interface World {
  /** Real values by parameter or body member name (assessmentId, invitationToken...). */
  values: Record<string, string>;
  /** A credential for a security scheme and role ('' for any role); undefined if none. */
  credential(scheme: string, role: string): string | undefined;
  /** A credential of the same scheme that lacks `role` (for the 403), if the scheme has roles. */
  wrongRole(scheme: string, role: string): string | undefined;
}

const SAMPLER = { skipReadOnly: true, enablePatterns: true, quiet: true } as const;

export function sampleOf(doc: Json, schema: Json): unknown {
  return sample(forSampling(doc, schema), SAMPLER, doc);
}

/**
 * openapi-sampler ignores `not` and samples every property, so an object whose `oneOf` branches
 * only add rules (a fixed section: `count`, none of the adaptive members) would be sampled
 * against its own rules. Here each such object takes its first branch: the branch's members
 * and requirements merged in, the members its `not` forbids left out. References are followed
 * (to a bounded depth: the document's schemas do not recur deeper).
 */
function forSampling(doc: Json, schema: Json, depth = 0): Json {
  if (depth > 12 || !schema || typeof schema !== 'object') return schema;
  if (Array.isArray(schema)) return schema.map((x) => forSampling(doc, x, depth + 1));
  let s = schema;
  if (typeof s.$ref === 'string' && s.$ref.startsWith('#/components/schemas/'))
    s = doc.components.schemas[s.$ref.slice('#/components/schemas/'.length)];
  const out: Json = Object.fromEntries(
    Object.entries<Json>(s).map(([k, v]) => [k, forSampling(doc, v, depth + 1)]),
  );
  const branch = out.oneOf?.[0];
  if (out.properties && branch && !branch.type && !branch.$ref) {
    const forbidden = new Set<string>(
      [...(branch.not?.anyOf ?? []), ...(branch.not ? [branch.not] : [])].flatMap(
        (n: Json) => n.required ?? [],
      ),
    );
    out.properties = Object.fromEntries(
      Object.entries<Json>({ ...out.properties, ...branch.properties }).filter(
        ([k]) => !forbidden.has(k),
      ),
    );
    out.required = [...new Set([...(out.required ?? []), ...(branch.required ?? [])])];
    delete out.oneOf;
  }
  return out;
}

/** Strings that some schema or other refuses: the validator picks those this one refuses. */
function refusedStrings(schema: Json): string[] {
  const s = schema ?? {};
  const out = ['*', 'not a valid value', '-1', '1.5', '%', 'x'.repeat(300), ''];
  if (typeof s.maxLength === 'number') out.unshift('x'.repeat(s.maxLength + 1));
  if (typeof s.minLength === 'number' && s.minLength > 1) out.unshift('x'.repeat(s.minLength - 1));
  return out;
}

/**
 * Values the document allows at a string's length bounds (for headers): with no maximum, long
 * ones too, so that a limit the server has and the document does not say is found (an upload's
 * Idempotency-Key was once 1-128 characters, documented as any string).
 */
function boundaryStrings(schema: Json): string[] {
  const s = schema ?? {};
  if (s.type !== 'string' || s.enum || s.format) return [];
  if (s.pattern && !/^\\S$/.test(s.pattern)) return [];
  return [
    'a'.repeat(Math.max(1, s.minLength ?? 1)),
    ...(typeof s.maxLength === 'number'
      ? ['a'.repeat(s.maxLength)]
      : ['a'.repeat(129), 'a'.repeat(1000)]),
  ];
}

/** A JSON value of a different kind than `v`. */
function mistyped(v: unknown): unknown {
  if (typeof v === 'string') return 12345;
  if (typeof v === 'number') return 'not-a-number';
  if (typeof v === 'boolean') return 'not-a-boolean';
  if (Array.isArray(v)) return 'not-a-list';
  if (v && typeof v === 'object') return ['not-an-object'];
  return 'not-null';
}

type Path = (string | number)[];

/** Every object member of `v` down to `depth` levels (into the first item of arrays). */
function members(v: unknown, depth: number, at: Path = []): Path[] {
  if (depth === 0) return [];
  if (Array.isArray(v)) return v.length ? members(v[0], depth, [...at, 0]) : [];
  if (!v || typeof v !== 'object') return [];
  return Object.entries(v).flatMap(([k, x]) => [[...at, k], ...members(x, depth - 1, [...at, k])]);
}

function edited(v: unknown, path: Path, change: (parent: Json, key: string | number) => void) {
  const copy = structuredClone(v) as Json;
  let parent = copy;
  for (const p of path.slice(0, -1)) parent = parent[p];
  change(parent, path.at(-1)!);
  return copy;
}

/** A member's path as the server's error paths write it: sections[0].count. */
const errorPath = (path: Path) =>
  path.map((k, i) => (typeof k === 'number' ? `[${k}]` : i ? `.${k}` : k)).join('');

/** Body variations: each member removed or mistyped, and an unknown member added. */
function bodyVariations(body: unknown): { name: string; value: unknown; member: string }[] {
  const out: { name: string; value: unknown; member: string }[] = [];
  if (body && typeof body === 'object' && !Array.isArray(body))
    out.push({
      name: '+unknownMember',
      value: { ...(body as object), unknownMember: true },
      member: 'unknownMember',
    });
  else out.push({ name: '(body) mistyped', value: mistyped(body), member: '' });
  for (const path of members(body, 3)) {
    const name = path.join('.');
    const member = errorPath(path);
    out.push({
      name: `-${name}`,
      member,
      value: edited(body, path, (o, k) => {
        if (Array.isArray(o)) o.splice(k as number, 1);
        else delete o[k];
      }),
    });
    out.push({
      name: `~${name}`,
      member,
      value: edited(body, path, (o, k) => {
        o[k] = mistyped(o[k]);
      }),
    });
  }
  return out;
}

/**
 * The body with a member written twice (JSON would keep the last): the first member of the
 * body, and the first member of the first object nested in it. Each is a 400 naming it.
 */
function duplicateKeys(body: unknown): { raw: string; member: string }[] {
  const isObject = (v: unknown): v is Record<string, unknown> =>
    !!v && typeof v === 'object' && !Array.isArray(v);
  if (!isObject(body)) return [];
  const twice = (o: Record<string, unknown>) => {
    const [k, v] = Object.entries(o)[0]!;
    return `{${JSON.stringify(k)}:${JSON.stringify(v)},${JSON.stringify(o).slice(1)}`;
  };
  const out: { raw: string; member: string }[] = [];
  if (Object.keys(body).length) out.push({ raw: twice(body), member: Object.keys(body)[0]! });
  for (const path of members(body, 3)) {
    let inner: unknown = body;
    for (const k of path) inner = (inner as Json)[k];
    if (!isObject(inner) || !Object.keys(inner).length) continue;
    const member = errorPath([...path, Object.keys(inner)[0]!]);
    const whole = JSON.stringify(body);
    const raw = whole.replace(JSON.stringify(inner), twice(inner));
    if (raw !== whole) out.push({ raw, member });
    break;
  }
  return out;
}

/** Fill real values into a sampled body, by member name, at any depth. */
function withWorld(v: unknown, world: World): unknown {
  if (Array.isArray(v)) return v.map((x) => withWorld(x, world));
  if (!v || typeof v !== 'object') return v;
  return Object.fromEntries(
    Object.entries(v).map(([k, x]) => [
      k,
      typeof x === 'string' && world.values[k] !== undefined
        ? world.values[k]
        : withWorld(x, world),
    ]),
  );
}

/**
 * The requests for one operation: its valid request last (it may change state, e.g. submit),
 * after the invalid ones. `maxBodyVariations` bounds the body mutations (spread evenly).
 */
export function requestsFor(
  doc: Json,
  validator: SchemaValidator,
  operation: Operation,
  world: World,
  maxBodyVariations = 10,
): GeneratedRequest[] {
  const { op, security } = operation;
  const role = security?.roles[0] ?? '';
  const paramValue = (p: Parameter) =>
    world.values[p.name] ?? String(sampleOf(doc, p.schema ?? { type: 'string' }));
  const base = {
    path: {} as Record<string, string>,
    query: {} as Record<string, string>,
    header: {} as Record<string, string>,
  };
  for (const p of operation.parameters) {
    if (p.in === 'path') base.path[p.name] = paramValue(p);
    else if (p.required) base[p.in][p.name] = paramValue(p);
  }
  const content = op.requestBody?.content as Record<string, Json> | undefined;
  const jsonSchema = content?.['application/json']?.schema;
  const validBody = jsonSchema ? withWorld(sampleOf(doc, jsonSchema), world) : undefined;
  const firstType = content ? Object.keys(content)[0] : undefined;
  const credential = security ? world.credential(security.scheme, role) : undefined;

  const build = (
    label: string,
    expect: Expectation,
    change: {
      path?: Record<string, string>;
      query?: Record<string, string>;
      header?: Record<string, string>;
      body?: { value: unknown } | { raw: string; contentType: string };
      auth?: string | null;
    } = {},
  ): GeneratedRequest => {
    const path = { ...base.path, ...change.path };
    const query = { ...base.query, ...change.query };
    const header = { ...base.header, ...change.header };
    const url =
      operation.path.replace(/\{(\w+)\}/g, (_m, n: string) => encodeURIComponent(path[n] ?? '')) +
      (Object.keys(query).length ? `?${new URLSearchParams(query)}` : '');
    const headers: Record<string, string> = { ...header };
    const auth = change.auth === undefined ? credential : change.auth;
    if (auth) headers.authorization = `Bearer ${auth}`;
    let body: string | undefined;
    let parsed: unknown;
    let contentType: string | undefined;
    if (change.body && 'raw' in change.body) {
      body = change.body.raw;
      contentType = change.body.contentType;
    } else if (change.body || validBody !== undefined) {
      parsed = change.body ? change.body.value : validBody;
      body = JSON.stringify(parsed);
      contentType = 'application/json';
    } else if (firstType) {
      // A route that takes only text (none today): a sample of its text.
      body = String(sampleOf(doc, content![firstType].schema ?? { type: 'string' }));
      contentType = firstType;
    }
    if (contentType) headers['content-type'] = contentType;
    return {
      operation,
      label,
      method: operation.method,
      url,
      headers,
      ...(body !== undefined ? { body } : {}),
      parts: { path, query, header, body: parsed, contentType },
      expect,
    };
  };

  const out: GeneratedRequest[] = [];
  if (security) {
    out.push(build('no credential', { kind: 'status', status: 401 }, { auth: null }));
    out.push(
      build('a credential that is not one', { kind: 'status', status: 401 }, { auth: 'x.y.z' }),
    );
    const wrong = role ? world.wrongRole(security.scheme, role) : undefined;
    if (wrong)
      out.push(build(`a token without ${role}`, { kind: 'status', status: 403 }, { auth: wrong }));
  }
  for (const p of operation.parameters) {
    const schema = p.schema ?? {};
    const seen = new Set<string>();
    for (const bad of refusedStrings(schema)) {
      if (p.in === 'path' && bad === '') continue;
      if (seen.size >= 2 || seen.has(bad)) break;
      // Only values this document refuses: the document decides, not this list.
      if (validator.valid(schema, bad)) continue;
      seen.add(bad);
      out.push(
        build(`${p.in} ${p.name} = ${JSON.stringify(bad.slice(0, 20))}`, variation(p), {
          [p.in]: { [p.name]: bad },
        }),
      );
    }
    if (p.in === 'header') {
      for (const ok of boundaryStrings(schema))
        out.push(
          build(`header ${p.name} of ${ok.length} characters`, variation(p), {
            header: { [p.name]: ok },
          }),
        );
    }
  }
  if (content) {
    if (validBody !== undefined) {
      const all = bodyVariations(validBody);
      const step = Math.max(1, all.length / maxBodyVariations);
      for (let i = 0; i < all.length && out.length < 10_000; i += step) {
        const v = all[Math.floor(i)]!;
        out.push(
          build(
            `body ${v.name}`,
            { kind: 'variation', where: 'body', name: v.name, member: v.member },
            {
              body: { value: v.value },
            },
          ),
        );
      }
      for (const d of duplicateKeys(validBody))
        out.push(
          build(
            `a duplicate key ${d.member}`,
            { kind: 'status', status: 400, member: d.member },
            { body: { raw: d.raw, contentType: 'application/json' } },
          ),
        );
      out.push(
        build(
          'malformed JSON',
          { kind: 'status', status: 400 },
          {
            body: { raw: '{"unterminated', contentType: 'application/json' },
          },
        ),
      );
    }
    out.push(
      build(
        'a content type it does not take',
        { kind: 'status', status: 415 },
        {
          body: { raw: '<p>hello</p>', contentType: 'text/html' },
        },
      ),
    );
    // Over the route's limit (docs/contract.md): 1 MiB for JSON, 4 MiB where text is taken
    // too; under the gateway's 10 MiB.
    const type = firstType ?? 'application/json';
    const textToo = Object.keys(content).some((t) => t !== 'application/json');
    const size = (textToo ? 4 : 1) * 1024 * 1024 + 64;
    out.push(
      build(
        `a body of ${textToo ? 4 : 1} MiB and more`,
        { kind: 'status', status: 413 },
        {
          body: {
            raw: type === 'application/json' ? `"${'x'.repeat(size)}"` : 'x'.repeat(size),
            contentType: type,
          },
        },
      ),
    );
    for (const other of Object.keys(content).filter((t) => t !== 'application/json')) {
      out.push(
        build(
          `a ${other} body`,
          { kind: 'valid' },
          {
            body: {
              raw: String(sampleOf(doc, content[other].schema ?? { type: 'string' })),
              contentType: other,
            },
          },
        ),
      );
    }
  }
  if (!content && operation.method !== 'GET') {
    // An operation the document gives no requestBody refuses one (400 naming `(body)`), rather
    // than reading past it; whitespace only says nothing and is taken as no body. (Not on GET:
    // fetch sends no body with it.)
    out.push(
      build(
        'a body though it takes none',
        { kind: 'status', status: 400, member: '(body)' },
        { body: { raw: '{"force":true}', contentType: 'application/json' } },
      ),
    );
  }
  out.push(build('valid', { kind: 'valid' }));
  return out;

  function variation(p: Parameter): Expectation {
    return { kind: 'variation', where: p.in, name: p.name };
  }
}

/** The media type a generated request sent, if any. */
export const sentType = (r: GeneratedRequest) => mediaType(r.headers['content-type']);
