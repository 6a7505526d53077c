import { AsyncLocalStorage } from 'node:async_hooks';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { currentDeadline } from '../domain/deadline.ts';
import { UnavailableError } from '../domain/errors.ts';
import { faultOf, isConditionFailure, isTransactionConflict } from './errors.ts';
import { DEFAULT_TABLE_NAME } from './table.ts';

const CONFLICT_RETRIES = 4;

/**
 * How the client talks to DynamoDB. A call made for an HTTP request (one with a deadline, see
 * `domain/deadline.ts`) is bounded per attempt (a socket that does not connect in 1 s, an
 * answer that does not come in `requestTimeoutMs`) and in attempts, so a slow or paused
 * database fails it in seconds whatever the function's own timeout; the request's deadline
 * cuts it shorter still. Work outside a request (table administration, seeding, jobs) waits up
 * to `backgroundRequestTimeoutMs` per attempt: creating a table takes seconds. The defaults fit
 * DynamoDB, whose calls take milliseconds (a paused table fails a call in under 5 s); the local
 * gateway widens the per-attempt time for DynamoDB Local on a busy laptop. `maxSockets` is the
 * connection pool: in Lambda one instance serves one request at a time and the busiest request
 * (invitations, 16 writes in parallel) needs 16; the local gateway runs every function in one
 * process and sizes the pool to its concurrency model (`configureDynamoClient`).
 */
export interface ClientSettings {
  maxSockets: number;
  connectionTimeoutMs: number;
  requestTimeoutMs: number;
  backgroundRequestTimeoutMs: number;
  maxAttempts: number;
}

export const DEFAULT_CLIENT_SETTINGS: Readonly<ClientSettings> = {
  maxSockets: 50,
  connectionTimeoutMs: 1000,
  requestTimeoutMs: 1500,
  backgroundRequestTimeoutMs: 30_000,
  maxAttempts: 3,
};

let settings: ClientSettings = { ...DEFAULT_CLIENT_SETTINGS };

/** Change the client's settings; the next `db()` builds a client with them (and a closed breaker). */
export function configureDynamoClient(overrides: Partial<ClientSettings>): void {
  settings = { ...settings, ...overrides };
  doc?.destroy();
  doc = undefined;
  breaker = { openUntil: 0, probing: false };
}

/**
 * How long requests are answered 503 at once, without calling DynamoDB, after a call could not
 * reach it (the circuit breaker in `withFaultsAndDeadline`).
 */
export const BREAKER_OPEN_MS = 1000;

/**
 * Faults that say DynamoDB cannot be reached at all (after the SDK's own retries), rather than
 * that one request was unlucky: these open the breaker. Throttling and conflicts are answers
 * from a database that is there; a call cut by its request's deadline may only have been slow.
 */
const UNREACHABLE = new Set([
  'connection-refused',
  'connection-reset',
  'connection-timeout',
  'request-timeout',
  'network-unreachable',
  'dns-failure',
]);

/**
 * The breaker's state for this process: until `openUntil`, calls made for a request fail at
 * once; after it, one call (`probing`) asks the database while the others still fail at once,
 * and any answer from the database closes it.
 */
let breaker = { openUntil: 0, probing: false };

const openBreaker = () => {
  breaker.openUntil = Date.now() + BREAKER_OPEN_MS;
};

/**
 * How long the one call that asks a database believed unreachable may wait for it, as the
 * readiness check does: the request it belongs to should not be the one left waiting its whole
 * deadline.
 */
const PROBE_TIMEOUT_MS = 2000;

/**
 * Set for the duration of a request's ordinary call (not the probe, not work outside a request):
 * the SDK's retries of such a call are refused while the breaker is open, as a new call is.
 *
 * Async-local rather than the middleware's own `context` (reviewed in round 12): that context is
 * one object per `send`, shared by its attempts, so it could hold `lastError`; but the per-call
 * flag must come from here, and `send`'s options (`HttpHandlerOptions`: `abortSignal`,
 * `requestTimeout`) go to the HTTP handler, not into the context. The only ways in are the
 * `__smithy_context` fields the SDK marks `@internal` (the `abortSignal` it copies there, the
 * `commandInstance`, which for a lib-dynamodb command is the inner client command, not the one
 * `alwaysAsk` marked), or a middleware added to each command's own stack (which mutates the
 * caller's command: one sent twice, or by another caller, would carry the first call's flag).
 * The store is one object per call either way; this one relies on nothing the SDK keeps private.
 */
const gatedCall = new AsyncLocalStorage<{ lastError?: unknown } | undefined>();

/** Commands that always ask the database, open breaker or not (the readiness check). */
const probes = new WeakSet<object>();

/**
 * Mark `command` as one that always reaches DynamoDB, even while the breaker refuses requests'
 * calls: the readiness check must say what the database does now, and its answer closes the
 * breaker.
 */
export function alwaysAsk<C extends object>(command: C): C {
  probes.add(command);
  return command;
}

/** The settings the current client was (or the next one will be) built with. */
export function dynamoClientSettings(): Readonly<ClientSettings> {
  return settings;
}

/** What the SDK middleware observes per DynamoDB call (tests and the bench read it). */
export interface CallRecord {
  operation: string;
  ms: number;
  consumedCapacity?: unknown;
}

type CallListener = (call: CallRecord) => void;
const listeners = new Set<CallListener>();

/** Observe every DynamoDB call made through this module's client; returns the unsubscribe. */
export function onDynamoCall(listener: CallListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

let doc: DynamoDBDocumentClient | undefined;

/**
 * Client settings for `DYNAMODB_ENDPOINT` (DynamoDB Local, whose credentials are dummies), or
 * none for AWS, where the region and credentials come from the environment.
 */
export function endpointConfig() {
  const endpoint = process.env.DYNAMODB_ENDPOINT;
  if (!endpoint) return {};
  return {
    endpoint,
    region: process.env.AWS_REGION ?? 'local',
    credentials: {
      accessKeyId: process.env.AWS_ACCESS_KEY_ID ?? 'local',
      secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY ?? 'local',
    },
  };
}

/**
 * The shared document client, created on first use so that tests and the local runner can
 * set `DYNAMODB_ENDPOINT` first. Credentials for DynamoDB Local are dummies.
 */
export function db(): DynamoDBDocumentClient {
  if (doc) return doc;
  const client = new DynamoDBClient({
    ...endpointConfig(),
    maxAttempts: settings.maxAttempts,
    requestHandler: {
      connectionTimeout: settings.connectionTimeoutMs,
      requestTimeout: settings.backgroundRequestTimeoutMs,
      throwOnRequestTimeout: true,
      httpAgent: { keepAlive: true, maxSockets: settings.maxSockets },
      httpsAgent: { keepAlive: true, maxSockets: settings.maxSockets },
    },
  });
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (listeners.size === 0) return next(args);
      const started = performance.now();
      const out = await next(args);
      const output = out.output as { ConsumedCapacity?: unknown };
      const call: CallRecord = {
        operation: String(context.commandName ?? 'unknown').replace(/Command$/, ''),
        ms: performance.now() - started,
        consumedCapacity: output?.ConsumedCapacity,
      };
      for (const l of listeners) l(call);
      return out;
    },
    { step: 'initialize', name: 'assayCallObserver' },
  );
  // Writes refused only because another transaction held the item wrote nothing: send them
  // again after a short, jittered pause, for every caller alike. Still refused after that, the
  // conflict is a fault like throttling (see `faultOf`): 503, retry later.
  client.middlewareStack.add(
    (next) => async (args) => {
      for (let attempt = 0; ; attempt++) {
        try {
          return await next(args);
        } catch (err) {
          if (!isTransactionConflict(err) || attempt >= CONFLICT_RETRIES) throw err;
          await new Promise((r) => setTimeout(r, 10 * 2 ** attempt + Math.random() * 20));
        }
      }
    },
    { step: 'initialize', name: 'assayConflictRetry', priority: 'low' },
  );
  // Each attempt that cannot reach DynamoDB opens the breaker at once, while the SDK still
  // retries it: other requests need not wait for this call's retries to run out first. And a
  // request's call does not send a retry to a database the breaker holds unreachable: a call
  // in flight when DynamoDB Local was paused timed out its first attempt (5 s) and then waited
  // out its request's deadline (9 s) on the retry, holding its function's slot, so requests
  // queued behind it under load got their 503 after 10-28 s instead of at once.
  client.middlewareStack.add(
    (next) => async (args) => {
      const call = gatedCall.getStore();
      if (breaker.openUntil && call) {
        // The retry of an attempt that failed keeps that attempt's fault (the log says why).
        const fault = call.lastError === undefined ? undefined : faultOf(call.lastError);
        throw new UnavailableError(fault ?? 'database-unreachable', 1, {
          cause: call.lastError,
        });
      }
      try {
        return await next(args);
      } catch (err) {
        if (call) call.lastError = err;
        if (UNREACHABLE.has(faultOf(err) ?? '')) openBreaker();
        throw err;
      }
    },
    { step: 'deserialize', name: 'assayBreakerAttempt' },
  );
  const created = DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
  doc = withFaultsAndDeadline(created);
  return doc;
}

/**
 * A transaction or batch (up to 100 items) may take longer than one item before its answer
 * comes, especially from DynamoDB Local on a busy laptop; waiting too little there only sends
 * the same work again to a database still doing the first copy.
 */
function perAttemptTimeout(command: unknown): number {
  const input = (command as { input?: Record<string, unknown> }).input ?? {};
  const heavy = 'TransactItems' in input || 'RequestItems' in input;
  return heavy ? settings.requestTimeoutMs * 3 : settings.requestTimeoutMs;
}

type Send = (
  command: unknown,
  options?: { abortSignal?: AbortSignal; requestTimeout?: number },
) => Promise<unknown>;

/**
 * Every call carries the request's deadline (and the caller's own signal, if it passes one)
 * and, within a request, the short per-attempt timeout; every failure that is a fault rather
 * than an answer becomes one `UnavailableError`, so the layers above see a single kind of "try
 * again later" (503 with Retry-After in HTTP).
 *
 * A circuit breaker keeps a database that cannot be reached from holding every request until
 * its deadline: once a call fails to reach it (connection refused, reset or timed out), a
 * request's calls fail at once (`database-unreachable`) for `BREAKER_OPEN_MS`; then one call
 * asks again while the rest keep failing at once, until the database answers anything. Without
 * it, a paused DynamoDB Local under load answered 503 after 11-23 s and its queued requests
 * were throttled after 20 s, as every invocation waited out its own timeouts. Work outside a
 * request (jobs, seeding, table administration) and the readiness check always ask.
 */
function withFaultsAndDeadline(client: DynamoDBDocumentClient): DynamoDBDocumentClient {
  const send = client.send.bind(client) as Send;
  const wrapped: Send = async (command, options) => {
    const deadline = currentDeadline();
    let probing = false;
    if (deadline && breaker.openUntil && !probes.has(command as object)) {
      if (Date.now() < breaker.openUntil || breaker.probing) {
        throw new UnavailableError('database-unreachable', 1);
      }
      breaker.probing = probing = true;
    }
    const signals = [deadline, options?.abortSignal].filter((x): x is AbortSignal => !!x);
    if (probing) signals.push(AbortSignal.timeout(PROBE_TIMEOUT_MS));
    const abortSignal = signals.length > 1 ? AbortSignal.any(signals) : signals[0];
    const started = performance.now();
    try {
      const out = await gatedCall.run(
        deadline && !probing && !probes.has(command as object) ? {} : undefined,
        () =>
          send(command, {
            ...(deadline ? { requestTimeout: perAttemptTimeout(command) } : {}),
            ...options,
            ...(abortSignal ? { abortSignal } : {}),
          }),
      );
      breaker.openUntil = 0;
      return out;
    } catch (err) {
      // A retry the breaker refused (see the attempt middleware): the database is still held
      // unreachable, and nothing here answered to say otherwise.
      if (err instanceof UnavailableError) throw err;
      const fault = faultOf(err);
      // A call its request's deadline cut after more than a whole attempt's time had no answer
      // for that long: the SDK's own timeout (and retry) came first, and the database is as
      // good as unreachable (a paused DynamoDB Local reaches requests this way, not by timeouts).
      // A probe that got no answer leaves the database believed unreachable for another while.
      const hung =
        fault === 'deadline' &&
        (probing || performance.now() - started >= perAttemptTimeout(command));
      if (hung || (fault && UNREACHABLE.has(fault))) openBreaker();
      // Any other answer (a failed condition, throttling) came from a database that is there.
      else if (fault !== 'deadline') breaker.openUntil = 0;
      if (fault) throw new UnavailableError(fault, 1, { cause: err });
      throw err;
    } finally {
      if (probing) breaker.probing = false;
    }
  };
  (client as unknown as { send: Send }).send = wrapped;
  return client;
}

/** The table name: `TABLE_NAME` (set by CDK and the local runner), read per call for tests. */
export function tableName(): string {
  return process.env.TABLE_NAME ?? DEFAULT_TABLE_NAME;
}

/**
 * Send a conditional write: true when it was applied, false when its condition did not hold
 * (the caller reads what won). Any other failure is thrown.
 */
export async function applied(write: () => Promise<unknown>): Promise<boolean> {
  try {
    await write();
    return true;
  } catch (err) {
    if (isConditionFailure(err)) return false;
    throw err;
  }
}
