/**
 * Watching the data layer's DynamoDB calls from outside `functions/`:
 *
 * - call count, operation and time come from the data layer's own observer (`onDynamoCall`);
 * - consumed capacity needs `ReturnConsumedCapacity` on each request, which the data layer does
 *   not set. While `capacity.enabled` is on, a middleware added to the shared client's stack
 *   sets it (INDEXES: the TOTAL figure plus the table/index split) and turns DynamoDB Local's
 *   figure into what AWS would bill, using a calibration measured in the same run.
 */

import { subscribe } from 'node:diagnostics_channel';
import {
  BatchGetCommand,
  DeleteCommand,
  PutCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { type CallRecord, db, onDynamoCall, tableName } from '../../functions/data/client.ts';
import { round } from './stats.ts';

/** Operations that accept ReturnConsumedCapacity. */
const DATA_OPERATIONS = new Set([
  'GetItem',
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'Query',
  'Scan',
  'BatchGetItem',
  'BatchWriteItem',
  'TransactWriteItems',
  'TransactGetItems',
]);

/** DynamoDB's item size: attribute names plus values (strings UTF-8, numbers ~1 byte/2 digits). */
export function itemSize(item: Record<string, unknown>): number {
  let n = 0;
  for (const [k, v] of Object.entries(item)) n += Buffer.byteLength(k) + valueSize(v);
  return n;
}

function valueSize(v: unknown): number {
  if (v === null || v === undefined || typeof v === 'boolean') return 1;
  if (typeof v === 'string') return Buffer.byteLength(v);
  if (typeof v === 'number') {
    const digits = String(Math.abs(v))
      .replace(/[.-]|e.*$/g, '')
      .replace(/^0+/, '').length;
    return Math.ceil(Math.max(digits, 1) / 2) + 1;
  }
  if (v instanceof Uint8Array) return v.byteLength;
  if (v instanceof Set) return [...v].reduce((a: number, x) => a + valueSize(x), 0);
  if (Array.isArray(v)) return 3 + v.reduce((a: number, x) => a + 1 + valueSize(x), 0);
  if (typeof v === 'object') {
    let n = 3;
    for (const [k, x] of Object.entries(v)) n += 1 + Buffer.byteLength(k) + valueSize(x);
    return n;
  }
  return 1;
}

/** How DynamoDB Local's capacity figures compare with AWS's rules, measured at start. */
export interface Calibration {
  /** Local's capacity for a transactional Put divided by a plain Put of the same item. */
  localTransactWriteFactor: number;
  /** Multiplier applied to Local's TransactWriteItems figure (AWS bills 2x a plain write). */
  transactWriteCorrection: number;
  /** Local's capacity per BatchGet key that finds nothing (AWS: 0.5, 1 if consistent). */
  localBatchGetMissCost: number;
  /** Local's figure for a BatchGet of three ~1 KB items (AWS: 3 x 0.5 = 1.5, rounded per item). */
  localBatchGetThreeSmallItems: number;
  notes: string[];
}

export interface CapacityRecord {
  operation: string;
  /** What DynamoDB Local reported (TOTAL). */
  local: number;
  /** Local's figure corrected to AWS's billing rules (see Calibration). */
  aws: number;
  table: number;
  indexes: number;
  /** A conditional write refused by its condition (billed by AWS, unreported by Local). */
  failed?: boolean;
}

interface Consumed {
  CapacityUnits?: number;
  Table?: { CapacityUnits?: number };
  GlobalSecondaryIndexes?: Record<string, { CapacityUnits?: number }>;
}

const totalOf = (c: unknown): { total: number; table: number; indexes: number } => {
  const list = (Array.isArray(c) ? c : c ? [c] : []) as Consumed[];
  let total = 0;
  let table = 0;
  let indexes = 0;
  for (const x of list) {
    total += x.CapacityUnits ?? 0;
    table += x.Table?.CapacityUnits ?? 0;
    for (const i of Object.values(x.GlobalSecondaryIndexes ?? {})) indexes += i.CapacityUnits ?? 0;
  }
  return { total, table, indexes };
};

type Listener = (r: CapacityRecord) => void;

/** The part of the SDK's middleware stack the bench uses. */
type Handler = (args: { input: unknown }) => Promise<{ output: unknown }>;
interface Stack {
  identify(): string[];
  add(
    middleware: (next: Handler, context: { commandName?: string }) => Handler,
    options: { step: 'initialize'; name: string },
  ): void;
}

/** The bench's view of the data layer's DynamoDB traffic. */
export const capacity = {
  enabled: false,
  calibration: undefined as Calibration | undefined,
  listeners: new Set<Listener>(),
};

const MIDDLEWARE = 'benchConsumedCapacity';

/** AWS's figure for a BatchGet: each item rounded up to 4 KB on its own, misses not free. */
function batchGetAws(
  input: { RequestItems?: Record<string, { Keys?: unknown[]; ConsistentRead?: boolean }> },
  output: {
    Responses?: Record<string, Record<string, unknown>[]>;
    UnprocessedKeys?: Record<string, { Keys?: unknown[] }>;
  },
): number {
  let units = 0;
  for (const [table, req] of Object.entries(input.RequestItems ?? {})) {
    const per = req.ConsistentRead ? 1 : 0.5;
    const found = output.Responses?.[table] ?? [];
    const unprocessed = output.UnprocessedKeys?.[table]?.Keys?.length ?? 0;
    for (const item of found) units += Math.ceil(itemSize(item) / 4096) * per;
    units += Math.max(0, (req.Keys?.length ?? 0) - found.length - unprocessed) * per;
  }
  return units;
}

const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem']);

/**
 * What AWS bills for a single-item write refused by its condition: the item's size (from the
 * old item when the write asked for it back), at least 1 WCU. Undefined for any other error.
 */
function failedWriteUnits(operation: string, err: unknown): number | undefined {
  if (
    !WRITES.has(operation) ||
    (err as { name?: string })?.name !== 'ConditionalCheckFailedException'
  )
    return undefined;
  const old = (err as { Item?: Record<string, unknown> }).Item;
  return old ? Math.max(1, Math.ceil(itemSize(unmarshall(old as never)) / 1024)) : 1;
}

/** Add the capacity middleware to the data layer's client (once). */
export function installRecorder(): void {
  const stack = db().middlewareStack as unknown as Stack;
  if (stack.identify().some((m) => m.startsWith(MIDDLEWARE))) return;
  stack.add(
    (next, context) => async (args) => {
      const operation = String(context.commandName ?? '').replace(/Command$/, '');
      if (!capacity.enabled || !DATA_OPERATIONS.has(operation)) return next(args);
      const input = args.input as Record<string, unknown>;
      input.ReturnConsumedCapacity ??= 'INDEXES';
      let out: { output: unknown };
      try {
        out = await next(args);
      } catch (err) {
        // AWS bills a conditional write whose condition fails; DynamoDB Local reports nothing.
        const failed = failedWriteUnits(operation, err);
        if (failed !== undefined) {
          const record = {
            operation,
            local: 0,
            aws: failed,
            table: failed,
            indexes: 0,
            failed: true,
          };
          for (const l of capacity.listeners) l(record);
        }
        throw err;
      }
      const output = out.output as Record<string, unknown> & { ConsumedCapacity?: unknown };
      const { total, table, indexes } = totalOf(output.ConsumedCapacity);
      let aws = total;
      if (operation === 'TransactWriteItems')
        aws = total * (capacity.calibration?.transactWriteCorrection ?? 2);
      if (operation === 'BatchGetItem') aws = batchGetAws(input as never, output as never);
      // A Query or Scan costs at least one read unit (0.5 eventually consistent), even when it
      // finds nothing; DynamoDB Local reports 0 then.
      if (operation === 'Query' || operation === 'Scan')
        aws = Math.max(aws, input.ConsistentRead ? 1 : 0.5);
      const record = { operation, local: total, aws, table, indexes };
      for (const l of capacity.listeners) l(record);
      return out;
    },
    { step: 'initialize', name: MIDDLEWARE },
  );
}

/**
 * Measure DynamoDB Local's capacity accounting against AWS's rules in this run, on scratch
 * items of the current table (deleted afterwards).
 */
export async function calibrate(): Promise<Calibration> {
  const records: CapacityRecord[] = [];
  const listener = (r: CapacityRecord) => records.push(r);
  capacity.listeners.add(listener);
  const wasEnabled = capacity.enabled;
  capacity.enabled = true;
  const key = (n: string) => ({ PK: `BENCH#CALIBRATION#${n}`, SK: 'CAL' });
  const blob = 'x'.repeat(2500);
  try {
    await db().send(new PutCommand({ TableName: tableName(), Item: { ...key('put'), blob } }));
    await db().send(
      new TransactWriteCommand({
        TransactItems: [{ Put: { TableName: tableName(), Item: { ...key('tx'), blob } } }],
      }),
    );
    await db().send(
      new BatchGetCommand({
        RequestItems: { [tableName()]: { Keys: [key('miss-1'), key('miss-2')] } },
      }),
    );
    const small = 'y'.repeat(900);
    for (const n of ['s1', 's2', 's3'])
      await db().send(new PutCommand({ TableName: tableName(), Item: { ...key(n), small } }));
    await db().send(
      new BatchGetCommand({
        RequestItems: { [tableName()]: { Keys: [key('s1'), key('s2'), key('s3')] } },
      }),
    );
  } finally {
    capacity.enabled = wasEnabled;
    capacity.listeners.delete(listener);
  }
  for (const n of ['put', 'tx', 's1', 's2', 's3'])
    await db().send(new DeleteCommand({ TableName: tableName(), Key: key(n) }));
  const put = records.find((r) => r.operation === 'PutItem')!.local;
  const tx = records.find((r) => r.operation === 'TransactWriteItems')!.local;
  const [miss, three] = records.filter((r) => r.operation === 'BatchGetItem');
  const factor = round(tx / put, 3);
  const notes = [
    factor >= 1.9
      ? `DynamoDB Local already bills a transactional write at ${factor}x a plain one, as AWS does: no correction applied.`
      : `DynamoDB Local bills a transactional write at ${factor}x a plain one; AWS bills 2x: Local's TransactWriteItems figures are multiplied by ${round(2 / factor, 3)}.`,
    `DynamoDB Local bills ${round(miss!.local / 2, 3)} per BatchGet key that finds nothing and ${three!.local} for three ~1 KB items; AWS bills 0.5 per key (1 when consistent), each item rounded up to 4 KB on its own: BatchGetItem figures are recomputed from the returned item sizes and the number of misses.`,
  ];
  capacity.calibration = {
    localTransactWriteFactor: factor,
    transactWriteCorrection: factor >= 1.9 ? 1 : round(2 / factor, 3),
    localBatchGetMissCost: round(miss!.local / 2, 3),
    localBatchGetThreeSmallItems: three!.local,
    notes,
  };
  return capacity.calibration;
}

/** A stretch of time, in `performance.now()` milliseconds. */
export interface Span {
  start: number;
  end: number;
}

export interface Window {
  calls: CallRecord[];
  capacity: CapacityRecord[];
  /** Each HTTP exchange with DynamoDB on the wire (retries count each), see `installWireTimer`. */
  wire: Span[];
  /** Each `send` of the data layer's client, from the call to its answer (SDK and wire). */
  sends: Span[];
}

type SpanListener = (kind: 'wire' | 'send', span: Span) => void;
const spanListeners = new Set<SpanListener>();
const emit = (kind: 'wire' | 'send', span: Span) => {
  for (const l of spanListeners) l(kind, span);
};

interface NodeHttpHandler {
  config?: { httpAgent?: unknown };
}

/** The agent the data layer's client sends its requests through (once it has sent one). */
const dataLayerAgent = () =>
  (db().config as unknown as { requestHandler: NodeHttpHandler }).requestHandler.config?.httpAgent;

interface ClientRequestLike {
  agent?: unknown;
  prependOnceListener(event: 'socket', listener: () => void): unknown;
}
interface IncomingLike {
  push(chunk: unknown, encoding?: unknown): boolean;
}

const WIRE_STARTED = Symbol('benchWireStarted');
let wireTimerInstalled = false;

/**
 * Time each DynamoDB call on the wire, below the SDK and below the HTTP client's own work, from
 * Node's HTTP client: the clock starts when the request gets its socket, in the tick that
 * writes its bytes (the request's `socket` event, hooked through the
 * `http.client.request.created` diagnostics channel), and stops when the response's last byte
 * has been parsed (the parser ends the response stream with `push(null)` as the data arrives,
 * before anyone reads the body). Only requests through the data layer's agent count. Nothing
 * the SDK does (building, serialising, signing, the handler's timers, reading and parsing the
 * body) and nothing the HTTP client does before (the request object, its headers) is in it;
 * what is in it is the write itself (on loopback the kernel hands the bytes to DynamoDB Local
 * inside the write, often running it at once on a busy machine: a clock started after the write
 * saw GetItems of 0.08 ms), DynamoDB Local's own work, and the event loop's delay in noticing
 * the answer.
 *
 * Each `send` of the data layer's client is timed too (the SDK and the wire together): a
 * call's SDK time is its send time that is not wire time.
 */
export function installWireTimer(): void {
  wrapSend();
  if (wireTimerInstalled) return;
  wireTimerInstalled = true;
  subscribe('http.client.request.created', (message) => {
    const { request } = message as {
      request: ClientRequestLike & { [WIRE_STARTED]?: number };
    };
    if (spanListeners.size === 0 || request.agent === undefined) return;
    if (request.agent !== dataLayerAgent()) return;
    // The request has its socket (a kept-alive one, or a new one about to connect) and its
    // bytes are written next, in the same tick.
    request.prependOnceListener('socket', () => {
      request[WIRE_STARTED] = performance.now();
    });
  });
  subscribe('http.client.response.finish', (message) => {
    const { request, response } = message as {
      request: { [WIRE_STARTED]?: number };
      response: IncomingLike;
    };
    const start = request[WIRE_STARTED];
    if (start === undefined) return;
    request[WIRE_STARTED] = undefined;
    // Headers are parsed; the body may be in the same packet or come later: the response is
    // whole when the parser pushes its end.
    const push = response.push;
    response.push = function (this: IncomingLike, chunk, encoding) {
      if (chunk === null) {
        response.push = push;
        emit('wire', { start, end: performance.now() });
      }
      return push.call(this, chunk, encoding);
    };
  });
}

/** Time every `send` of the data layer's client (done again if the client was rebuilt). */
function wrapSend(): void {
  const client = db() as unknown as {
    send: (...args: unknown[]) => Promise<unknown>;
    benchSend?: boolean;
  };
  if (client.benchSend) return;
  client.benchSend = true;
  const send = client.send;
  client.send = async (...args) => {
    if (spanListeners.size === 0) return send.apply(client, args);
    const start = performance.now();
    try {
      return await send.apply(client, args);
    } finally {
      emit('send', { start, end: performance.now() });
    }
  };
}

/** Everything the data layer calls from now until `stop()`. */
export function watch(): { stop(): Window; take(): Window } {
  wrapSend();
  let calls: CallRecord[] = [];
  let caps: CapacityRecord[] = [];
  let wire: Span[] = [];
  let sends: Span[] = [];
  const onCap = (r: CapacityRecord) => caps.push(r);
  const onSpan: SpanListener = (kind, span) => (kind === 'wire' ? wire : sends).push(span);
  capacity.listeners.add(onCap);
  spanListeners.add(onSpan);
  const off = onDynamoCall((c) => calls.push(c));
  const take = () => {
    const w = { calls, capacity: caps, wire, sends };
    calls = [];
    caps = [];
    wire = [];
    sends = [];
    return w;
  };
  return {
    take,
    stop() {
      off();
      capacity.listeners.delete(onCap);
      spanListeners.delete(onSpan);
      return take();
    },
  };
}

/**
 * Total length of the union of `spans`: time during which at least one of them was running.
 * Calls made in parallel overlap; their summed time would count the same wait twice.
 */
export function unionMs(spans: readonly Span[]): number {
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  let total = 0;
  let open: Span | undefined;
  for (const s of sorted) {
    if (open && s.start <= open.end) open.end = Math.max(open.end, s.end);
    else {
      if (open) total += open.end - open.start;
      open = { ...s };
    }
  }
  return open ? total + open.end - open.start : total;
}

/** The window's time on the wire: the union of its exchanges (parallel calls overlap). */
export const wireMs = (w: Window) => unionMs(w.wire);

/** The window's time in the data layer's `send` (SDK and wire), as a union. */
export const sendMs = (w: Window) => unionMs(w.sends);

/** The window's exchanges on the wire, summed (parallel calls counted each). */
export const wireSumMs = (w: Window) => w.wire.reduce((a, x) => a + x.end - x.start, 0);

/** Operations that consume read units; every other one consumes write units. */
export const READ_OPERATIONS = new Set([
  'GetItem',
  'Query',
  'Scan',
  'BatchGetItem',
  'TransactGetItems',
]);

/** Read units of these calls as AWS bills them. */
export const readUnits = (records: readonly CapacityRecord[]) =>
  records.filter((r) => READ_OPERATIONS.has(r.operation)).reduce((a, r) => a + r.aws, 0);

/** Write units of these calls as AWS bills them. */
export const writeUnits = (records: readonly CapacityRecord[]) =>
  records.filter((r) => !READ_OPERATIONS.has(r.operation)).reduce((a, r) => a + r.aws, 0);

export const dynamoMs = (w: Window) => w.calls.reduce((a, c) => a + c.ms, 0);
export const awsUnits = (w: Window) => w.capacity.reduce((a, c) => a + c.aws, 0);
export const localUnits = (w: Window) => w.capacity.reduce((a, c) => a + c.local, 0);
export const operations = (w: Window) => w.calls.map((c) => c.operation);
