/**
 * The local stand-in for API Gateway (HTTP API, payload format 2.0): plain node:http that
 * turns each request into the event API Gateway would send, verifies staff JWTs as the JWT
 * authorizer would, invokes the same handler the Lambda runs, and maps its result back the
 * way API Gateway does. It also models what AWS adds around a function (see docs/faults.md):
 * each function's concurrency with a bounded queue (429 beyond it), its timeout (Lambda kills
 * it: API Gateway's bare 500) and the HTTP API's 30 s integration timeout (its bare 503).
 */

import { isUtf8 } from 'node:buffer';
import { randomUUID } from 'node:crypto';
import {
  createServer,
  type IncomingMessage,
  maxHeaderSize,
  type Server,
  type ServerResponse,
  STATUS_CODES,
} from 'node:http';
import { resolve } from 'node:path';
import type { Duplex } from 'node:stream';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import { configureDynamoClient, dynamoClientSettings } from '../../functions/data/client.ts';
import { UnauthorizedError } from '../../functions/domain/errors.ts';
import type { HttpEvent, HttpResult } from '../../functions/http/api.ts';
import { preflightHeaders } from '../../functions/http/cors.ts';
import { bearerOf, jwtSettingsFromEnv, verifyStaffJwt } from '../../functions/http/jwt.ts';
import { problemResponse } from '../../functions/http/problem.ts';
import { type FunctionGroup, isStaff, routeKey } from '../../functions/http/route-types.ts';
import { createMatcher } from '../../functions/http/router.ts';
import { handlerEntry, ROUTES } from '../../functions/http/routes.ts';
import {
  FUNCTION_TIMEOUT_SECONDS,
  INTEGRATION_TIMEOUT_SECONDS,
} from '../../functions/http/timeouts.ts';
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

function lambdaContext(requestId: string, group: FunctionGroup, timeoutMs: number): Context {
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
    getRemainingTimeInMillis: () => timeoutMs - (Date.now() - started),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/**
 * The client hung up (or broke the stream) before its body ended: nobody is left to answer and
 * no function ran. Not a fault of ours, so no 500 and no stack trace in the log.
 */
class ClientClosed extends Error {}

/**
 * The status the access log gives a request whose client went away before it could be
 * answered (nginx's "client closed request"); only the log sees it.
 */
export const CLIENT_CLOSED_STATUS = 499;

async function readBody(req: IncomingMessage): Promise<Buffer | 'too-large'> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_BODY_BYTES) return 'too-large';
  // No length and no chunked encoding: HTTP/1.1 says there is no body (most GETs).
  if (!declared && req.headers['transfer-encoding'] === undefined) return EMPTY;
  if (req.destroyed) throw new ClientClosed('The request closed before its body was read.');
  // Listeners rather than an async iterator: a body of a few hundred bytes comes in one chunk,
  // and the iterator's promises, end-of-stream watcher and teardown cost more than reading it.
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        // Stop keeping it; the rest is read and dropped while the 413 (Connection: close) goes.
        done();
        req.resume();
        resolve('too-large');
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      done();
      resolve(Buffer.concat(chunks));
    };
    // An error on the request stream is the client's connection breaking ('aborted', a reset).
    const onError = (err: Error) => {
      done();
      reject(new ClientClosed(`The request broke before its body ended: ${err.message}`));
    };
    // The client went away before the body's end (no 'end' will come).
    const onClose = () => {
      done();
      reject(new ClientClosed('The request closed before its body ended.'));
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}

const EMPTY = Buffer.alloc(0);

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

/**
 * API Gateway's own answers, which never come from a function: bodies `{"message": ...}` as the
 * HTTP API sends them (docs/faults.md lists where each comes from).
 */
export const GATEWAY_ANSWERS = {
  /** Throttled: the stage's limit, or here the function's concurrency and queue are full. */
  throttled: (): HttpResult => ({
    statusCode: 429,
    headers: { 'content-type': 'application/json', 'retry-after': '1' },
    body: '{"message":"Too Many Requests"}',
  }),
  /** The integration did not answer within the HTTP API's 30 s. */
  integrationTimeout: (): HttpResult => ({
    statusCode: 503,
    headers: { 'content-type': 'application/json' },
    body: '{"message":"Service Unavailable"}',
  }),
  /**
   * A body over the HTTP API's payload quota (10 MB, which cannot be raised): refused before any
   * function runs, on every route, with API Gateway's JSON message (docs/contract.md, "Which 413
   * comes from where").
   */
  tooLarge: (): HttpResult => ({
    statusCode: 413,
    headers: { 'content-type': 'application/json' },
    body: '{"message":"Request Entity Too Large"}',
  }),
  /** The function failed: it threw, or Lambda ended it at its timeout. */
  functionFailed: (): HttpResult => ({
    statusCode: 500,
    headers: { 'content-type': 'application/json' },
    body: '{"message":"Internal Server Error"}',
  }),
};

/**
 * How many invocations of each function run at once on this machine, and how many more may
 * wait for one to finish (at most `maxWaitMs`) before the gateway throttles with 429. In AWS a
 * function scales out instead, up to the account's concurrency, and the stage's throttle
 * (burst 400) binds first; one process on a laptop gains nothing from running hundreds of
 * invocations at once, so they queue, as requests wait for Lambda to scale out.
 */
export interface ConcurrencyModel {
  limit: number;
  queue: number;
  maxWaitMs: number;
}

/**
 * A request waits for a slot at most as long as its function could still finish within the
 * integration timeout: beyond that API Gateway would give up on it anyway.
 */
const maxWaitMs = (group: FunctionGroup) =>
  Math.max(1, INTEGRATION_TIMEOUT_SECONDS - FUNCTION_TIMEOUT_SECONDS[group]) * 1000;

/**
 * DynamoDB Local does its work on the same two cores: more invocations at once only make each
 * of its calls slower (and a slow call runs into its deadline), while waiting in the queue costs
 * a function none of its own time. So few run at once, and many may wait.
 */
export const LOCAL_CONCURRENCY: Readonly<Record<FunctionGroup, ConcurrencyModel>> = {
  public: { limit: 16, queue: 512, maxWaitMs: maxWaitMs('public') },
  authoring: { limit: 8, queue: 64, maxWaitMs: maxWaitMs('authoring') },
  employer: { limit: 16, queue: 512, maxWaitMs: maxWaitMs('employer') },
  'employer-attempts': { limit: 16, queue: 512, maxWaitMs: maxWaitMs('employer-attempts') },
  candidate: { limit: 16, queue: 1024, maxWaitMs: maxWaitMs('candidate') },
};

/**
 * Sockets to DynamoDB for the whole process: one per running invocation, plus room for the
 * requests that fan out (invitations write 16 at a time, imports 8 transactions).
 */
export const poolFor = (model: Readonly<Record<FunctionGroup, ConcurrencyModel>>) =>
  Object.values(model).reduce((n, m) => n + m.limit, 0) + 32;

/** Admission to a function: at most `limit` running, at most `queue` waiting, FIFO. */
export class FunctionSlots {
  private running = 0;
  private readonly waiting: { admit: () => void; timer: NodeJS.Timeout }[] = [];

  constructor(readonly model: ConcurrencyModel) {}

  /** Resolves with a release function once the invocation may run, or `throttled`. */
  acquire(): Promise<(() => void) | 'throttled'> {
    if (this.running < this.model.limit) {
      this.running++;
      return Promise.resolve(this.releaser());
    }
    if (this.waiting.length >= this.model.queue) return Promise.resolve('throttled');
    return new Promise((resolve) => {
      const entry = {
        admit: () => {
          clearTimeout(entry.timer);
          this.running++;
          resolve(this.releaser());
        },
        timer: setTimeout(() => {
          this.waiting.splice(this.waiting.indexOf(entry), 1);
          resolve('throttled');
        }, this.model.maxWaitMs),
      };
      this.waiting.push(entry);
    });
  }

  /** Invocations running and waiting now. */
  get load() {
    return { running: this.running, waiting: this.waiting.length };
  }

  private releaser() {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.running--;
      this.waiting.shift()?.admit();
    };
  }
}

/**
 * Where one request's time went in the gateway, in ms from the moment its handler was called
 * (`performance.now()` marks; a mark is absent when the request never got that far).
 */
export interface RequestTimeline {
  /** The body has been read. */
  body?: number;
  /** The API Gateway event is built (and a staff token verified). */
  event?: number;
  /** The function's concurrency model admitted the invocation. */
  admitted?: number;
  /** The function's handler was called... */
  invokeStart?: number;
  /** ...and its result was in hand: the invocation, Lambda's billed duration stand-in. */
  invokeEnd?: number;
}

/** One access-log line: the request, its status and where its time went. */
export interface RequestLine {
  method: string;
  path: string;
  status: number;
  /** From the server's request handler being called to the response handed to the socket. */
  ms: number;
  /** The function's own time (`invokeEnd - invokeStart`), when a function ran. */
  handlerMs?: number;
  /** The moment the server's request handler was called (`performance.now()`). */
  startedAt: number;
  timeline: RequestTimeline;
}

export interface GatewayOptions {
  /** Called after every request, for the runner's access log and the bench. */
  onRequest?: (line: RequestLine) => void;
  /** Replace the concurrency model of some functions (tests force throttling with it). */
  concurrency?: Partial<Record<FunctionGroup, ConcurrencyModel>>;
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
  // Null-prototype records, as API Gateway's JSON event parses into own keys only: a header or
  // query key `__proto__`, `constructor` or `toString` is an ordinary key, never a prototype's.
  const headers: Record<string, string> = Object.create(null);
  let cookies: string[] | undefined;
  for (const [k, v] of Object.entries(input.headers)) {
    if (v === undefined) continue;
    const key = k.toLowerCase();
    const value = Array.isArray(v) ? v.join(',') : v;
    if (key === 'cookie') cookies = value.split(/;\s*/).filter(Boolean);
    else headers[key] = value;
  }
  const query: Record<string, string> = Object.create(null);
  for (const [k, v] of url.searchParams) query[k] = query[k] === undefined ? v : `${query[k]},${v}`;

  const match = matcher.match(method, url.pathname);
  const requestId = randomUUID();
  const now = Date.now();
  const body = input.body && input.body.length > 0 ? input.body : undefined;
  // As API Gateway does, a compressed body (Content-Encoding) is binary whatever its type; a
  // text body that is not UTF-8 (a Latin-1 file sent as text/plain) travels base64-encoded too,
  // so its bytes reach the function intact and it can name the file's encoding.
  const encoded = (headers['content-encoding'] ?? 'identity').trim().toLowerCase() !== 'identity';
  const isText =
    !encoded && TEXT_TYPES.test(headers['content-type'] ?? '') && (!body || isUtf8(body));
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

/**
 * Run one invocation as Lambda would: with its function's timeout in the context, and ended at
 * that timeout (Lambda stops the function; API Gateway answers 500). Locally the abandoned
 * promise cannot be stopped, but its request's deadline has aborted, so it stops at its next
 * DynamoDB call.
 */
async function runFunction(
  group: FunctionGroup,
  event: HttpEvent,
  timeline: InvokeTimeline,
): Promise<HttpResult> {
  const handler = await loadHandler(group);
  const timeoutMs = FUNCTION_TIMEOUT_SECONDS[group] * 1000;
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<HttpResult>((resolve) => {
    timer = setTimeout(() => {
      console.error(`gateway: function ${group} timed out after ${timeoutMs} ms`);
      resolve(GATEWAY_ANSWERS.functionFailed());
    }, timeoutMs);
  });
  try {
    timeline.invokeStart = performance.now();
    return await Promise.race([
      handler(event, lambdaContext(event.requestContext.requestId, group, timeoutMs)).then(
        (out) => {
          timeline.invokeEnd = performance.now();
          return toHttpResult(out);
        },
      ),
      timedOut,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** The marks `invoke` sets, as `performance.now()` times. */
export interface InvokeTimeline {
  event?: number;
  admitted?: number;
  invokeStart?: number;
  invokeEnd?: number;
}

/**
 * Invoke the function a request routes to, as API Gateway would: the JWT authorizer first,
 * then admission to the function (429 when its concurrency and queue are full), then the
 * invocation, answered with 503 if it takes longer than the integration timeout.
 */
export async function invoke(
  input: EventInput,
  slots: ReadonlyMap<FunctionGroup, FunctionSlots> = defaultSlots(),
  timeline: InvokeTimeline = {},
): Promise<HttpResult> {
  const arrived = Date.now();
  let built: Awaited<ReturnType<typeof buildEvent>>;
  try {
    built = await buildEvent(input);
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
  timeline.event = performance.now();
  const { event, group } = built;
  const release = await slots.get(group)!.acquire();
  if (release === 'throttled') return GATEWAY_ANSWERS.throttled();
  timeline.admitted = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const integrationTimeout = new Promise<HttpResult>((resolve) => {
    timer = setTimeout(
      () => resolve(GATEWAY_ANSWERS.integrationTimeout()),
      INTEGRATION_TIMEOUT_SECONDS * 1000 - (Date.now() - arrived),
    );
  });
  const invocation = runFunction(group, event, timeline).finally(release);
  try {
    return await Promise.race([invocation, integrationTimeout]);
  } finally {
    clearTimeout(timer);
  }
}

let sharedSlots: Map<FunctionGroup, FunctionSlots> | undefined;
const defaultSlots = () => (sharedSlots ??= slotsFor(LOCAL_CONCURRENCY));

function slotsFor(
  model: Readonly<Record<FunctionGroup, ConcurrencyModel>>,
): Map<FunctionGroup, FunctionSlots> {
  return new Map(
    (Object.keys(model) as FunctionGroup[]).map((g) => [g, new FunctionSlots(model[g])]),
  );
}

/**
 * DynamoDB Local on a busy laptop answers in tens of milliseconds, but in seconds at the worst
 * moments (3.6 s at the 99th percentile under the load test with a load average of 21, single
 * writes over 3 s when two busy loops were added); DynamoDB answers in milliseconds. A call
 * waits this long per attempt here: a shorter wait only sends the same work again to a database
 * that is still doing it.
 */
const LOCAL_REQUEST_TIMEOUT_MS = 5000;

/**
 * Fit the one DynamoDB client of this process to the local model. Every invocation runs here
 * and shares it: its pool must hold a socket for each invocation that may run at once, or calls
 * would wait for sockets while their deadline runs. Done when this module loads, before anything
 * has built the client (a larger model given to `createGateway` rebuilds it).
 */
function fitClient(model: Readonly<Record<FunctionGroup, ConcurrencyModel>>) {
  const current = dynamoClientSettings();
  if (current.maxSockets < poolFor(model) || current.requestTimeoutMs < LOCAL_REQUEST_TIMEOUT_MS) {
    configureDynamoClient({
      maxSockets: Math.max(current.maxSockets, poolFor(model)),
      requestTimeoutMs: Math.max(current.requestTimeoutMs, LOCAL_REQUEST_TIMEOUT_MS),
    });
  }
}
fitClient(LOCAL_CONCURRENCY);

/**
 * The listen backlog to give the gateway's server: a burst of hundreds of new connections (a
 * load test, a class of candidates starting at once) overflows Node's default of 511 while the
 * event loop is busy, and the kernel then drops connections. The kernel caps it at somaxconn.
 */
export const LISTEN_BACKLOG = 4096;

/**
 * The longest header line in what Node's parser had read when it gave up on a request's
 * headers: its name, or "the request line" (a long URL), and its length so far.
 */
function longestHeader(raw: Buffer | undefined): { name: string; bytes: number } | undefined {
  if (!raw?.length) return undefined;
  const lines = raw.toString('latin1').split('\r\n');
  let best: { name: string; bytes: number } | undefined;
  for (const [i, line] of lines.entries()) {
    if (best && line.length <= best.bytes) continue;
    const name = lineName(line, i === 0);
    if (name) best = { name, bytes: line.length };
  }
  return best;
}

/** What a line of a request's head is: its request line, or a header by its name. */
function lineName(line: string, first: boolean): string | undefined {
  const colon = line.indexOf(':');
  return first && / HTTP\/|^[A-Z]+ \//.test(line)
    ? 'the request line (method and URL)'
    : colon > 0
      ? `the header ${line.slice(0, Math.min(colon, 64))}`
      : undefined;
}

/**
 * The line of what Node's parser had read where it stopped (`bytesParsed` into `raw`): the line
 * a 400 is about. Not the longest line: "Bad Header" after a request line was reported as
 * "near the request line".
 */
function brokenLine(raw: Buffer | undefined, at: number | undefined): string | undefined {
  if (!raw?.length || at === undefined) return undefined;
  const text = raw.toString('latin1');
  const end = Math.min(Math.max(at, 0), text.length);
  const nl = text.lastIndexOf('\r\n', end - 1);
  const start = nl < 0 ? 0 : nl + 2;
  const eol = text.indexOf('\r\n', end);
  const line = text.slice(start, eol < 0 ? undefined : eol);
  // A line that begins a request (the packet's first, or after an earlier request's blank
  // line) is a request line.
  const name = lineName(line, start === 0 || text.startsWith('\r\n', start - 4));
  return name ?? `the line "${line.slice(0, 64)}"`;
}

/**
 * What the gateway answers a request that Node's HTTP parser refuses before any handler runs:
 * headers past Node's limit (16 KB in all: `431`, naming the longest header), a request that is
 * not HTTP/1.1 (`400`), headers that did not arrive in time (`408`). Node's own answer is a bare
 * status line, and its closing the socket with the rest of the request unread resets the
 * connection, so a client still sending saw no answer at all. Here the answer is a problem, the
 * write side closes after it, and what the client still sends is read and dropped (for at most
 * 5 s) so that it gets to read the answer. API Gateway's own limit (10 KB of request line and
 * headers) and its answer could not be checked from here.
 */
function answerClientError(
  err: Error & { code?: string; rawPacket?: Buffer; bytesParsed?: number },
  socket: Duplex,
) {
  if (err.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  // An earlier request on this connection (pipelined), received whole and still being
  // answered: its answer goes first, or its client reads this problem as the answer to that
  // request (and loses the real one: the connection closes after this). A request cut short
  // (its client hung up mid-body) is what this error is about: answered at once, as before.
  const inFlight = (socket as { _httpMessage?: ServerResponse })._httpMessage;
  if (inFlight && !inFlight.writableFinished && inFlight.req?.complete) {
    socket.on('error', () => socket.destroy());
    inFlight.once('finish', () => answerClientError(err, socket));
    inFlight.once('close', () => {
      if (!inFlight.writableFinished) socket.destroy();
    });
    return;
  }
  const longest = longestHeader(err.rawPacket);
  const broken = brokenLine(err.rawPacket, err.bytesParsed);
  const [status, code, detail] =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? [
          431,
          'headers-too-large',
          `The request line and headers are limited to ${maxHeaderSize} bytes in all${longest ? `; ${longest.name} alone is at least ${longest.bytes} bytes` : ''}.`,
        ]
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'request-timeout', 'The request headers did not arrive in time.']
        : [
            400,
            'malformed-request',
            `The request is not valid HTTP/1.1 (${err.code ?? 'parse error'}${broken ? ` at ${broken}` : ''}).`,
          ];
  const problem = problemResponse({
    type: `urn:assay:problem:${code}`,
    code,
    title: STATUS_CODES[status] ?? 'Bad request',
    status,
    detail,
  });
  const body = Buffer.from(problem.body ?? '');
  socket.on('error', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\ncontent-type: ${problem.headers?.['content-type']}\r\ncontent-length: ${body.length}\r\nconnection: close\r\n\r\n${body.toString('latin1')}`,
    'latin1',
  );
  socket.resume();
  setTimeout(() => socket.destroy(), 5000).unref();
}

/** How long the gateway keeps an idle client connection open (see `createGateway`). */
const KEEP_ALIVE_TIMEOUT_MS = 65_000;

export function createGateway(opts: GatewayOptions = {}): Server {
  const model = { ...LOCAL_CONCURRENCY, ...opts.concurrency };
  const slots = slotsFor(model);
  fitClient(model);
  const server = createServer(async (req, res) => {
    const started = performance.now();
    const method = req.method ?? 'GET';
    const path = (req.url ?? '/').split('?')[0]!;
    let status = 500;
    let bodyRead: number | undefined;
    const marks: InvokeTimeline = {};
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
      bodyRead = performance.now();
      if (body === 'too-large') {
        status = 413;
        res.setHeader('connection', 'close');
        send(res, GATEWAY_ANSWERS.tooLarge());
        return;
      }
      const result = await invoke(
        {
          method,
          url: req.url ?? '/',
          headers: req.headers,
          body,
          sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
        },
        slots,
        marks,
      );
      status = result.statusCode ?? 200;
      send(res, result);
    } catch (err) {
      if (err instanceof ClientClosed) {
        status = CLIENT_CLOSED_STATUS;
        return;
      }
      // The function threw instead of answering: API Gateway's bare 500 (always a bug here).
      console.error('gateway error', err);
      status = 500;
      send(res, GATEWAY_ANSWERS.functionFailed());
    } finally {
      if (opts.onRequest) {
        const ended = performance.now();
        const since = (t: number | undefined) => (t === undefined ? undefined : t - started);
        const timeline: RequestTimeline = {};
        for (const [k, t] of [
          ['body', bodyRead],
          ['event', marks.event],
          ['admitted', marks.admitted],
          ['invokeStart', marks.invokeStart],
          ['invokeEnd', marks.invokeEnd],
        ] as const) {
          const at = since(t);
          if (at !== undefined) timeline[k] = at;
        }
        opts.onRequest({
          method,
          path,
          status,
          ms: ended - started,
          ...(marks.invokeStart !== undefined && marks.invokeEnd !== undefined
            ? { handlerMs: marks.invokeEnd - marks.invokeStart }
            : {}),
          startedAt: started,
          timeline,
        });
      }
    }
  });
  // Keep idle connections well past any client's pause between requests: a server that closes
  // an idle connection just as a client reuses it resets that client's request (Node's default
  // is 5 s, which a busy machine's event-loop lag can overrun). The header deadline must
  // outlast it.
  server.on('clientError', answerClientError);
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1000;
  return server;
}
