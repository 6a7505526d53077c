/**
 * The local stand-in for API Gateway (HTTP API, payload format 2.0): plain node:http that
 * turns each request into the event API Gateway would send, verifies staff JWTs as the JWT
 * authorizer would, invokes the same handler the Lambda runs, and maps its result back the
 * way API Gateway does.
 */

import { isUtf8 } from 'node:buffer';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import { UnauthorizedError } from '../../functions/domain/errors.ts';
import type { HttpEvent, HttpResult } from '../../functions/http/api.ts';
import { preflightHeaders } from '../../functions/http/cors.ts';
import { bearerOf, jwtSettingsFromEnv, verifyStaffJwt } from '../../functions/http/jwt.ts';
import { problemResponse } from '../../functions/http/problem.ts';
import { type FunctionGroup, isStaff, routeKey } from '../../functions/http/route-types.ts';
import { createMatcher } from '../../functions/http/router.ts';
import { handlerEntry, ROUTES } from '../../functions/http/routes.ts';
import { serveLocalRoutes } from './dev-sign-in.ts';
import { serveWebApp } from './static.ts';

export const MAX_BODY_BYTES = 10 * 1024 * 1024;

type LambdaHandler = (event: HttpEvent, context: Context) => Promise<HttpResult | unknown>;

const TEXT_TYPES =
  /^(text\/|application\/(json|problem\+json|yaml|x-yaml|xml|javascript|x-www-form-urlencoded))/i;

const handlers = new Map<FunctionGroup, Promise<LambdaHandler>>();

function loadHandler(group: FunctionGroup): Promise<LambdaHandler> {
  let h = handlers.get(group);
  if (!h) {
    const url = pathToFileURL(resolve(import.meta.dirname, '../..', handlerEntry(group))).href;
    h = import(url).then((m: { handler: LambdaHandler }) => m.handler);
    handlers.set(group, h);
  }
  return h;
}

/** Claims as the HTTP API JWT authorizer passes them: strings, arrays as `[a b]`. */
function flattenClaims(payload: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(payload)) {
    out[k] = Array.isArray(v)
      ? `[${v.join(' ')}]`
      : typeof v === 'object'
        ? JSON.stringify(v)
        : String(v);
  }
  return out;
}

function lambdaContext(requestId: string, group: string): Context {
  const started = Date.now();
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: `assay-${group}`,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:assay-${group}`,
    memoryLimitInMB: '1024',
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/assay-${group}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => 29_000 - (Date.now() - started),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

async function readBody(req: IncomingMessage): Promise<Buffer | 'too-large'> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_BODY_BYTES) return 'too-large';
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return 'too-large';
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function send(res: ServerResponse, result: HttpResult) {
  const headers: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(result.headers ?? {})) headers[k.toLowerCase()] = String(v);
  if (result.cookies?.length) headers['set-cookie'] = result.cookies;
  const body =
    result.body === undefined
      ? undefined
      : result.isBase64Encoded
        ? Buffer.from(result.body, 'base64')
        : Buffer.from(result.body);
  res.writeHead(result.statusCode ?? 200, headers);
  res.end(body);
}

/**
 * API Gateway's rules for payload format 2.0 results: an object with `statusCode` is a
 * response; anything else is JSON-serialised into a 200 `application/json` body.
 */
export function toHttpResult(out: unknown): HttpResult {
  if (out && typeof out === 'object' && 'statusCode' in out) return out as HttpResult;
  if (typeof out === 'string') {
    return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: out };
  }
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(out ?? null),
  };
}

export interface GatewayOptions {
  /** Called after every request, for the runner's access log. */
  onRequest?: (line: { method: string; path: string; status: number; ms: number }) => void;
}

export interface EventInput {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body?: Buffer;
  sourceIp?: string;
}

/** The request as API Gateway's payload-format-2.0 event, plus the function group to call. */
export async function buildEvent(
  input: EventInput,
): Promise<{ event: HttpEvent; group: FunctionGroup; staff: boolean }> {
  const url = new URL(input.url, 'http://localhost');
  const method = input.method.toUpperCase();
  const headers: Record<string, string> = {};
  let cookies: string[] | undefined;
  for (const [k, v] of Object.entries(input.headers)) {
    if (v === undefined) continue;
    const key = k.toLowerCase();
    const value = Array.isArray(v) ? v.join(',') : v;
    if (key === 'cookie') cookies = value.split(/;\s*/).filter(Boolean);
    else headers[key] = value;
  }
  const query: Record<string, string> = {};
  for (const [k, v] of url.searchParams) query[k] = query[k] === undefined ? v : `${query[k]},${v}`;

  const match = matcher.match(method, url.pathname);
  const requestId = randomUUID();
  const now = Date.now();
  const body = input.body && input.body.length > 0 ? input.body : undefined;
  // A text body that is not UTF-8 (a Latin-1 file sent as text/plain) travels base64-encoded,
  // so its bytes reach the function intact and it can name the file's encoding.
  const isText = TEXT_TYPES.test(headers['content-type'] ?? '') && (!body || isUtf8(body));
  const event = {
    version: '2.0',
    routeKey: match ? routeKey(match.route) : '$default',
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    ...(cookies ? { cookies } : {}),
    headers,
    ...(Object.keys(query).length ? { queryStringParameters: query } : {}),
    ...(match && Object.keys(match.pathParameters).length
      ? { pathParameters: match.pathParameters }
      : {}),
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: (headers.host ?? 'localhost').split('.')[0]!,
      http: {
        method,
        path: url.pathname,
        protocol: 'HTTP/1.1',
        sourceIp: input.sourceIp ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId,
      routeKey: match ? routeKey(match.route) : '$default',
      stage: '$default',
      time: new Date(now).toISOString(),
      timeEpoch: now,
    },
    ...(body ? { body: isText ? body.toString('utf8') : body.toString('base64') } : {}),
    isBase64Encoded: Boolean(body && !isText),
  } as unknown as HttpEvent;

  const staff = Boolean(match && isStaff(match.route.access));
  if (staff) {
    // The JWT authorizer: no valid token, no invocation.
    const token = bearerOf(headers.authorization);
    const settings = jwtSettingsFromEnv();
    if (!token || !settings) throw new UnauthorizedError('A staff bearer token (JWT) is required.');
    const claims = await verifyStaffJwt(token, settings);
    (event.requestContext as { authorizer?: unknown }).authorizer = {
      jwt: { claims: flattenClaims(claims), scopes: null },
    };
  }
  return { event, group: match ? match.route.group : 'public', staff };
}

const matcher = createMatcher(ROUTES);

/** Invoke the function a request routes to, as API Gateway would. */
export async function invoke(input: EventInput): Promise<HttpResult> {
  try {
    const { event, group } = await buildEvent(input);
    const handler = await loadHandler(group);
    return toHttpResult(await handler(event, lambdaContext(event.requestContext.requestId, group)));
  } catch (err) {
    if (err instanceof UnauthorizedError) {
      // The JWT authorizer's own answer, body and header as API Gateway sends them (the function
      // never runs): docs/operations.md lists which errors come from the gateway.
      const why = err.message.replace(/^Invalid staff token: /, '').replace(/\.$/, '');
      return {
        statusCode: 401,
        headers: {
          'content-type': 'application/json',
          'www-authenticate': bearerOf(input.headers.authorization as string | undefined)
            ? `Bearer scope="" error="invalid_token" error_description="${why.replace(/"/g, "'")}"`
            : 'Bearer',
        },
        body: '{"message":"Unauthorized"}',
      };
    }
    throw err;
  }
}

export function createGateway(opts: GatewayOptions = {}): Server {
  return createServer(async (req, res) => {
    const started = performance.now();
    const method = req.method ?? 'GET';
    const path = (req.url ?? '/').split('?')[0]!;
    let status = 500;
    try {
      const preflight =
        method === 'OPTIONS' && req.headers['access-control-request-method']
          ? preflightHeaders(req.headers.origin)
          : undefined;
      if (preflight) {
        // API Gateway answers CORS preflights itself for configured origins (see cors.ts).
        status = 204;
        res.writeHead(204, preflight);
        res.end();
        return;
      }
      // Local-only routes (the console's development sign-in and config), then the web apps
      // (web/dist), as CloudFront serves them in AWS.
      if ((await serveLocalRoutes(req, res)) || (await serveWebApp(method, path, res))) {
        status = res.statusCode;
        return;
      }
      const body = await readBody(req);
      if (body === 'too-large') {
        const result = problemResponse({
          type: 'urn:assay:problem:payload-too-large',
          code: 'payload-too-large',
          title: 'Payload too large',
          status: 413,
          detail: `Request bodies are limited to ${MAX_BODY_BYTES} bytes.`,
        });
        status = 413;
        res.setHeader('connection', 'close');
        send(res, result);
        return;
      }
      const result = await invoke({
        method,
        url: req.url ?? '/',
        headers: req.headers,
        body,
        sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
      });
      status = result.statusCode ?? 200;
      send(res, result);
    } catch (err) {
      console.error('gateway error', err);
      send(res, {
        statusCode: 500,
        headers: { 'content-type': 'application/json' },
        body: '{"message":"Internal Server Error"}',
      });
    } finally {
      opts.onRequest?.({ method, path, status, ms: performance.now() - started });
    }
  });
}
