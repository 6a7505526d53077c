import { isUtf8 } from 'node:buffer';
import { gunzipSync } from 'node:zlib';
import middy from '@middy/core';
import httpCors from '@middy/http-cors';
import httpJsonBodyParser from '@middy/http-json-body-parser';
import httpSecurityHeaders from '@middy/http-security-headers';
import type {
  APIGatewayProxyEventV2WithJWTAuthorizer,
  APIGatewayProxyStructuredResultV2,
  Context,
} from 'aws-lambda';
import type * as z from 'zod/mini';
import { duplicateKeyMessage, scanJson } from '../domain/bank-json.ts';
import { withDeadline } from '../domain/deadline.ts';
import { firstInvalidUtf8 } from '../domain/encoding.ts';
import { DomainError, UnauthorizedError, ValidationError } from '../domain/errors.ts';
import { MAX_UPLOAD_TEXT_BYTES } from '../domain/upload-limits.ts';
import { formatPath, once, parseOrThrow } from '../domain/z.ts';
import { bearerOf } from './bearer.ts';
import type { OutputCheck } from './conform.ts';
import { CORS_EXPOSE_HEADERS, corsOrigins } from './cors.ts';
import { logger } from './logger.ts';
import { type Principal, principalFromClaims, requireRole } from './principal.ts';
import { problemErrors } from './problem-errors.ts';
import {
  type FunctionGroup,
  isStaff,
  type ResponseDef,
  type RouteDef,
  routeKey,
} from './route-types.ts';
import { DEADLINE_MARGIN_MS } from './timeouts.ts';

export type HttpEvent = APIGatewayProxyEventV2WithJWTAuthorizer;
export type HttpResult = APIGatewayProxyStructuredResultV2;

/** What a route's schema parses to, or `Absent` when the route declares none. */
type Parsed<S, Absent> = S extends z.ZodMiniType ? z.output<S> : Absent;

/**
 * What an operation receives: the request's body, query and path parameters as its route's
 * schemas parse them (a route that parses its raw body itself gets `text` instead).
 */
export interface OperationContext<R extends RouteDef = RouteDef> {
  route: RouteDef;
  body: R extends { rawBody: true } ? undefined : Parsed<R['body'], undefined>;
  query: Parsed<R['query'], Record<string, never>>;
  params: Parsed<R['params'], Record<string, never>>;
  /** Lower-cased request headers. */
  headers: Record<string, string | undefined>;
  /** Staff principal on staff routes. */
  principal?: Principal;
  /** The bearer credential on candidate and public routes (never logged). */
  bearer?: string;
  /** The raw text body for routes that accept non-JSON content (decompressed, if it came gzip). */
  text?: string;
  /**
   * The same body's bytes as they arrived (a base64 body decoded; decompressed, if it came
   * gzip), for routes that decode the text themselves (bank uploads: encodings).
   */
  bytes?: Uint8Array;
  /** The body as sent, when it came with `Content-Encoding: gzip` (raw-body routes only). */
  gzip?: Buffer;
  contentType?: string;
  requestId: string;
  event: HttpEvent;
}

/** A response with a status other than 200 or with headers; a bare object means 200 JSON. */
export class Reply<Status extends number = number, Body = undefined> {
  constructor(
    readonly status: Status,
    readonly body?: Body,
    readonly headers: Record<string, string> = {},
  ) {}
}

/**
 * A schema's type with its literal unions widened (`'active' | 'expired'` to string): the
 * compiler checks a response's fields and their kinds, and the output schema, which runs on
 * every response, checks the values (domain types carry area ids and statuses as strings).
 */
type Widened<T> = T extends string
  ? string
  : T extends number
    ? number
    : T extends boolean
      ? boolean
      : T extends readonly (infer U)[]
        ? Widened<U>[]
        : T extends object
          ? { [K in keyof T]: Widened<T[K]> }
          : T;

/** The statuses an operation may reply with: 2xx and 3xx (errors are thrown, see problem.ts). */
type Success<S> = S extends number
  ? `${S}` extends `2${string}` | `3${string}`
    ? S
    : never
  : never;

/**
 * The body as its output schema lets it out. The schema's JSON Schema text (generated, see
 * conform.ts) is walked; zod's schema, which builds what a cold start can least afford, only
 * when the text is missing. With `ASSAY_OUTPUT_CROSSCHECK=1` (every test run, see
 * vitest.config.ts) both run and must agree to the byte (`#side/output-crosscheck`, a side
 * entry that production never loads).
 */
async function checkOutput(
  route: RouteDef,
  reply: Reply<number, unknown>,
  def: ResponseDef,
  check: OutputCheck | undefined,
): Promise<unknown> {
  const key = `${route.operationId} ${reply.status}`;
  if (process.env.ASSAY_OUTPUT_CROSSCHECK === '1') {
    const { crossChecked } = await import('#side/output-crosscheck');
    return crossChecked(key, reply.body, def.schema!, check);
  }
  return (check?.(key, reply.body) ?? { body: def.schema!.parse(reply.body) }).body;
}

/**
 * The body a response may carry: what its output schema accepts (or a ready-made text, such
 * as CSV), a text for a declared content type, nothing for 204, and any JSON for a response
 * documented without a schema.
 */
type ResponseBody<D, S> = D extends { schema: infer Schema extends z.ZodMiniType }
  ? Widened<z.input<Schema>> | string
  : D extends { contentType: string }
    ? string
    : S extends 204
      ? undefined
      : unknown;

type Responses<R extends RouteDef> = R['responses'];
type Statuses<R extends RouteDef> = Success<keyof Responses<R>>;

/**
 * What an operation of route `R` returns: its 200 body, or a Reply with one of its statuses.
 * A route typed only as `RouteDef` (not a literal of a route table) is not checked.
 */
export type OperationResult<R extends RouteDef> = number extends keyof Responses<R>
  ? unknown
  :
      | (200 extends Statuses<R> ? ResponseBody<Responses<R>[200], 200> & object : never)
      | Reply<Statuses<R>, { [S in Statuses<R>]: ResponseBody<Responses<R>[S], S> }[Statuses<R>]>;

/** The operation of route `R`. */
export type Operation<R extends RouteDef = RouteDef> = (
  ctx: OperationContext<R>,
) => Promise<OperationResult<R>>;

/**
 * A function group's operations, one per route by its operationId, each typed by its route:
 * a missing or misspelt operation, or a body of the wrong shape, fails the type check.
 */
export type Operations<Routes extends readonly RouteDef[]> = {
  [R in Routes[number] as R['operationId']]: Operation<R>;
};

/** How `dispatch` calls an operation, whatever its route. */
type AnyOperation = (ctx: OperationContext) => Promise<unknown>;

const JSON_TYPE = 'application/json';

/** Character sets a body is read in as UTF-8 without changing it: UTF-8 and its subset ASCII. */
const UTF8_READABLE = new Set(['utf-8', 'utf8', 'us-ascii', 'ascii']);

/** The `charset` parameter of a Content-Type header value, lower-cased and unquoted, if any. */
const charsetOf = (header: string | undefined) =>
  header?.match(/;\s*charset\s*=\s*"?([^";\s]+)/i)?.[1]?.toLowerCase();

/** Header value of a media type without parameters, lower-cased. */
const mediaType = (header: string | undefined) =>
  header?.split(';')[0]?.trim().toLowerCase() || undefined;

/** The body's bytes: API Gateway base64-encodes bodies it takes for binary. */
function bodyBytes(event: HttpEvent): Buffer | undefined {
  if (event.body === undefined || event.body === null) return undefined;
  if (typeof event.body !== 'string') return undefined;
  return event.isBase64Encoded
    ? Buffer.from(event.body, 'base64')
    : Buffer.from(event.body, 'utf8');
}

function maxBodyBytes(route: RouteDef): number {
  // Lambda takes 6 MB per event and API Gateway base64-encodes YAML and text bodies: 4 MiB fits.
  return route.consumes?.some((c) => c !== JSON_TYPE) ? 4 * 1024 * 1024 : 1024 * 1024;
}

/** What a function answers for a route key it does not serve (API Gateway's `$default`). */
export type Fallback = (method: string, path: string) => never;

const noSuchRoute: Fallback = (_method, path) => {
  throw new DomainError('not-found', `There is no route at ${path}.`);
};

/** How a function group's handler serves its routes besides their operations. */
export interface HandlerOptions {
  /** What it answers for a route key it does not serve; by default a 404. */
  fallback?: Fallback;
  /**
   * Its routes' output schemas as JSON Schema text (`functions/http/outputs/<group>.ts`, a side
   * entry): loaded by the first response that has an output schema, so a request that answers
   * HTML or nothing never loads them.
   */
  outputs?: () => Promise<{ OUTPUTS: OutputCheck }>;
}

/**
 * A body that says nothing: empty, JSON whitespace only (space, tab, CR, LF: RFC 8259), or an
 * empty JSON object. Taken as no body on a route that takes none (clients send them with bare
 * POSTs); read without parsing, so a route that takes no body never parses one.
 */
const SAYS_NOTHING = /^[ \t\r\n]*(?:\{[ \t\r\n]*\}[ \t\r\n]*)?$/;

/**
 * A body sent to a route that takes none: a 400 naming it, rather than reading past it (a
 * client that sends `{"force": true}` with a DELETE should learn that none of it was read),
 * whatever its size (under API Gateway's 10 MB) and content type. Routes that take none are
 * those whose route has no `body`, which is what the OpenAPI document's `requestBody` is built
 * from (openapi.ts).
 */
const bodyNotTaken = (route: RouteDef) =>
  new ValidationError([
    {
      path: '(body)',
      message: `${route.method} ${route.path} takes no request body: send none.`,
    },
  ]);

async function dispatch(
  event: HttpEvent,
  operations: Readonly<Record<string, AnyOperation>>,
  routes: ReadonlyMap<string, RouteDef>,
  { fallback = noSuchRoute, outputs }: HandlerOptions,
): Promise<HttpResult> {
  const route = routes.get(event.routeKey);
  if (!route) return fallback(event.requestContext.http.method, event.rawPath);
  const operation = operations[route.operationId];
  if (!operation) throw new Error(`No operation registered for ${route.operationId}`);

  const headers = event.headers ?? {};
  const ctx: OperationContext = {
    route,
    body: undefined,
    query: {},
    params: {},
    headers,
    requestId: event.requestContext.requestId,
    event,
  };

  // Who: staff claims come verified from the JWT authorizer (or the local gateway).
  if (isStaff(route.access)) {
    ctx.principal = principalFromClaims(event.requestContext.authorizer?.jwt?.claims);
    requireRole(ctx.principal, route.access);
  } else {
    ctx.bearer = bearerOf(headers.authorization);
    if (route.access === 'candidate' && !ctx.bearer) {
      throw new UnauthorizedError(
        'This route needs the attempt token: Authorization: Bearer <attemptToken>.',
      );
    }
  }

  ctx.params = route.params ? parseOrThrow(route.params, event.pathParameters ?? {}, 'path') : {};
  ctx.query = route.query
    ? parseOrThrow(route.query, event.queryStringParameters ?? {}, 'query')
    : {};

  if (route.body && route.optionalBody && event.body === undefined && !rawBodies.get(event)) {
    ctx.body = parseOrThrow(route.body, {});
  } else if (route.body) {
    const raw = rawBodies.get(event);
    if (event.body === undefined && raw === undefined) {
      throw new DomainError('malformed-body', 'This route needs a request body.');
    }
    const consumes = route.consumes ?? [JSON_TYPE];
    const type = mediaType(raw ? raw.type : headers['content-type']);
    if (!type || !consumes.includes(type)) {
      throw new DomainError(
        'unsupported-media-type',
        `Content-Type must be ${consumes.join(' or ')}${type ? `, not ${type}` : ''}.`,
      );
    }
    ctx.contentType = type;
    // Non-JSON content types are only declared by raw-body routes (see RouteDef.rawBody).
    if (raw) {
      ctx.text = raw.text;
      ctx.bytes = raw.bytes;
      if (raw.gzip) ctx.gzip = raw.gzip;
    } else ctx.body = parseOrThrow(route.body, event.body);
  } else if (event.body !== undefined) {
    // prepareBody refuses any body here but one that says nothing (which it drops).
    throw bodyNotTaken(route);
  }

  const out = await operation(ctx);
  const reply = out instanceof Reply ? (out as Reply) : new Reply(200, out);
  const def = route.responses[reply.status];
  // Output schemas strip what the audience may not see; a body that does not fit is a bug.
  // `in`, not a read: the getter builds the zod schema, which the generated text spares.
  if (reply.body !== undefined && typeof reply.body !== 'string' && def && 'schema' in def) {
    const loaded = outputs ? (await outputs()).OUTPUTS : undefined;
    return serialize(
      route,
      new Reply(reply.status, await checkOutput(route, reply, def, loaded), reply.headers),
    );
  }
  return serialize(route, reply);
}

function serialize(route: RouteDef, reply: Reply<number, unknown>): HttpResult {
  const def = route.responses[reply.status];
  const headers: Record<string, string> = { ...reply.headers };
  if (reply.body === undefined) return { statusCode: reply.status, headers };
  if (typeof reply.body === 'string') {
    headers['content-type'] ??= def?.contentType ?? 'text/plain; charset=utf-8';
    return { statusCode: reply.status, headers, body: reply.body };
  }
  headers['content-type'] ??= JSON_TYPE;
  return { statusCode: reply.status, headers, body: JSON.stringify(reply.body) };
}

/**
 * Clients often send `Content-Type: application/json` with no body (a bare POST to submit);
 * the JSON parser would reject that, so an empty body is treated as no body at all.
 */
/** The text and media type of bodies that the operation parses itself (bank uploads). */
const rawBodies = new WeakMap<
  HttpEvent,
  { text: string; bytes: Buffer; type: string | undefined; gzip?: Buffer }
>();

/** Bytes of the body as the client sent it (before base64, before decompression). */
const wireBytes = (event: HttpEvent) =>
  event.isBase64Encoded
    ? Buffer.byteLength(event.body ?? '', 'base64')
    : Buffer.byteLength(event.body ?? '');

/**
 * A raw body sent with `Content-Encoding: gzip`, decompressed with a bound on its output: a
 * compression bomb stops at the limit (413 naming it) instead of filling the function's memory.
 */
function gunzipped(event: HttpEvent): { text: string; bytes: Buffer; gzip: Buffer } {
  const bytes = Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'latin1');
  try {
    const out = gunzipSync(bytes, { maxOutputLength: MAX_UPLOAD_TEXT_BYTES });
    return { text: out.toString('utf8'), bytes: out, gzip: bytes };
  } catch (err) {
    if (err instanceof RangeError || (err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new DomainError(
        'payload-too-large',
        `The body decompresses to more than ${MAX_UPLOAD_TEXT_BYTES} bytes (${MAX_UPLOAD_TEXT_BYTES / 1024 / 1024} MiB), the limit for an upload's text. Split the bank into parts (POST /v1/imports).`,
      );
    }
    throw new DomainError(
      'malformed-body',
      'The body says Content-Encoding: gzip but is not gzip data.',
    );
  }
}

/**
 * How deep a JSON request body may nest, as for an uploaded bank (`PARSE_LIMITS.depth` in
 * domain/bank.ts): no route's body needs more than a few levels, and the JSON parser's reviver
 * (which refuses `__proto__`) recurses, so a body thousands of levels deep would otherwise
 * overflow the stack and be reported as invalid JSON.
 */
export const JSON_BODY_MAX_DEPTH = 64;

/**
 * The refusal of a JSON body whose bytes are not UTF-8, naming the member that holds the first
 * bad byte: where the first sequence that is not well-formed UTF-8 begins (the same reading the
 * uploads' decoder gives, functions/domain/encoding.ts).
 */
function notUtf8(bytes: Buffer, text: string): ValidationError {
  const bad = firstInvalidUtf8(bytes);
  const { pathAt } = scanJson(
    text,
    0,
    JSON_BODY_MAX_DEPTH,
    bytes.subarray(0, bad).toString('utf8').length,
  );
  const hex = bytes[bad]!.toString(16).toUpperCase().padStart(2, '0');
  return new ValidationError([
    {
      path: pathAt?.length ? formatPath(pathAt) : '(body)',
      message: `Is not UTF-8: byte ${bad} of the body (0x${hex}) does not begin a well-formed UTF-8 character (text in another encoding, or a surrogate encoded on its own). JSON request bodies are UTF-8: send the text as UTF-8.`,
    },
  ]);
}

/**
 * Runs before the JSON body parser. An empty body is no body (clients often send
 * `Content-Type: application/json` with a bare POST). A route that locates errors by line and
 * column parses its body itself, so its text is set aside and hidden from the generic parser.
 */
function prepareBody(routes: ReadonlyMap<string, RouteDef>) {
  const prepareBodyBefore = ({ event }: { event: HttpEvent }) => {
    const bytes =
      typeof event.body === 'string' && event.body !== '' ? bodyBytes(event) : undefined;
    const text = bytes?.toString('utf8');
    const route = routes.get(event.routeKey);
    if (text !== undefined && route && !route.body) {
      // Before the size limit: on a route that takes no body, any body is input it refuses
      // (400 naming it), not one too large to read (413).
      if (!SAYS_NOTHING.test(text)) throw bodyNotTaken(route);
      event.body = undefined;
      if (event.headers) delete event.headers['content-type'];
      return;
    }
    if (text !== undefined && route && wireBytes(event) > maxBodyBytes(route)) {
      throw new DomainError(
        'payload-too-large',
        `Request bodies on this route are limited to ${maxBodyBytes(route)} bytes.`,
      );
    }
    const encoding = event.headers?.['content-encoding']?.trim().toLowerCase();
    if (text !== undefined && encoding && encoding !== 'identity') {
      if (!route?.rawBody || encoding !== 'gzip') {
        throw new DomainError(
          'unsupported-media-type',
          route?.rawBody
            ? `Content-Encoding ${encoding} is not supported; send gzip or an uncompressed body.`
            : 'This route takes uncompressed JSON (no Content-Encoding).',
        );
      }
      rawBodies.set(event, { ...gunzipped(event), type: event.headers?.['content-type'] });
      event.body = undefined;
      if (event.headers) delete event.headers['content-type'];
      return;
    }
    if (text !== undefined && !route?.rawBody) {
      // JSON is UTF-8 between systems (RFC 8259): a body declared in another character set would
      // be read as UTF-8 and mean something else, or fail to parse with a misleading message.
      const charset = charsetOf(event.headers?.['content-type']);
      if (charset && !UTF8_READABLE.has(charset)) {
        throw new DomainError(
          'unsupported-media-type',
          `JSON request bodies are UTF-8; this one is declared charset=${charset}. Send it as UTF-8, with charset=utf-8 or no charset.`,
        );
      }
      // One pass over the body's structure, brackets inside strings not counted: its depth, and
      // the keys written twice (the JSON parser keeps the last of them, so an edit's second
      // "answer" would silently replace the key; refused, as a bank upload refuses it).
      const { tooDeepAt: at, duplicates } = scanJson(text, 100, JSON_BODY_MAX_DEPTH);
      if (at >= 0) {
        throw new DomainError(
          'malformed-body',
          `The request body nests deeper than ${JSON_BODY_MAX_DEPTH} levels (at position ${at}): the JSON nesting depth limit is ${JSON_BODY_MAX_DEPTH}.`,
        );
      }
      // A body that is not UTF-8 would be read with U+FFFD where its bytes broke, and stored so
      // (the gateway hands it over base64-encoded: its bytes are intact here).
      if (bytes !== undefined && !isUtf8(bytes)) throw notUtf8(bytes, text);
      if (duplicates.length) {
        throw new ValidationError(
          duplicates.map((d) => ({
            path: formatPath(d.path),
            message: duplicateKeyMessage(
              d,
              `at positions ${d.firstOffset} and ${d.offset}`,
              'send',
            ),
          })),
        );
      }
    }
    if (text === undefined || route?.rawBody) {
      if (text !== undefined && bytes !== undefined) {
        rawBodies.set(event, { text, bytes, type: event.headers?.['content-type'] });
      }
      event.body = undefined;
      if (event.headers) delete event.headers['content-type'];
    }
  };
  return { before: prepareBodyBefore };
}

/**
 * The Lambda handler of one function group: security headers, CORS for configured origins,
 * problem+json errors, JSON body parsing, then the route's validation, auth and operation.
 * The operation runs under a deadline: DEADLINE_MARGIN_MS before the function's time runs out,
 * middy answers 503 (its early timeout) and aborts the signal that every DynamoDB call of the
 * request carries, so the work left behind stops at its next call instead of writing on.
 */
export function createHttpHandler<Routes extends readonly RouteDef[]>(
  group: FunctionGroup,
  groupRoutes: Routes,
  operations: Operations<Routes>,
  options: HandlerOptions = {},
) {
  const routes = new Map(groupRoutes.filter((r) => r.group === group).map((r) => [routeKey(r), r]));
  // The side entry is imported once; later responses reuse the module (no loader round trip).
  const dispatchOptions = { ...options, outputs: options.outputs && once(options.outputs) };
  const origins = corsOrigins();
  const chain = middy<HttpEvent, HttpResult, Error, Context>({
    timeoutEarlyInMillis: DEADLINE_MARGIN_MS,
  }).use(httpSecurityHeaders());
  // No configured origin, no CORS headers at all (an empty list must not become "null").
  if (origins.length) {
    chain.use(
      httpCors({ origins, credentials: false, exposeHeaders: CORS_EXPOSE_HEADERS.join(',') }),
    );
  }
  return chain
    .use(problemErrors({ logger }))
    .use(prepareBody(routes))
    .use(httpJsonBodyParser({ disableContentTypeError: true }))
    .handler((event, _context, { signal }) =>
      withDeadline(signal, () =>
        dispatch(
          event,
          operations as unknown as Readonly<Record<string, AnyOperation>>,
          routes,
          dispatchOptions,
        ),
      ),
    );
}
