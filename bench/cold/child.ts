/**
 * One cold start, in a fresh Node process: import a Lambda bundle, then serve one event with
 * its `handler`, timing both. DynamoDB calls are counted from Node's HTTP client diagnostics
 * channel (the bundle's own SDK is not reachable from outside); with a capture file, their
 * request bodies (the raw SDK's input) are written there for the floor to replay. Prints one
 * `BENCH_RESULT` line.
 *
 *   node child.mjs <bundle.mjs> <event.json> [<capture.json>]
 */

import { subscribe } from 'node:diagnostics_channel';
import { readFileSync, writeFileSync } from 'node:fs';
import http, { type ClientRequest } from 'node:http';
import Module, { registerHooks } from 'node:module';
import net from 'node:net';
import { fileURLToPath, pathToFileURL } from 'node:url';

const bootMs = performance.now();
const [bundle, eventFile, captureFile] = process.argv.slice(2);
const calls: string[] = [];
/** Each call's input, and when it was sent and answered (ms): calls in flight together overlap. */
const captured: { operation: string; input: unknown; sent: number; answered?: number }[] = [];
const operationOf = (request: ClientRequest) => {
  const target = request.getHeader('x-amz-target');
  return target ? (String(target).split('.').pop() ?? '') : undefined;
};
subscribe('http.client.request.start', (message) => {
  const operation = operationOf((message as { request: ClientRequest }).request);
  if (operation) calls.push(operation);
});
/** Files the process loaded (capture runs only): the bundle and the side modules it required. */
const loaded: string[] = [];
if (captureFile) {
  registerHooks({
    load(url, context, nextLoad) {
      if (url.startsWith('file:')) loaded.push(fileURLToPath(url));
      return nextLoad(url, context);
    },
  });
  // The SDK sends the whole JSON body with one end(body) call (capture runs are not timed).
  const index = new WeakMap<ClientRequest, number>();
  const end = http.ClientRequest.prototype.end as (...args: unknown[]) => ClientRequest;
  http.ClientRequest.prototype.end = function (this: ClientRequest, ...args: unknown[]) {
    const operation = operationOf(this);
    if (operation && args[0]) {
      index.set(this, captured.length);
      captured.push({ operation, input: JSON.parse(String(args[0])), sent: performance.now() });
    }
    return end.apply(this, args);
  } as typeof http.ClientRequest.prototype.end;
  subscribe('http.client.response.finish', (message) => {
    const i = index.get((message as { request: ClientRequest }).request);
    if (i !== undefined) captured[i]!.answered = performance.now();
  });
}
// Mail sent through SMTP (the mail job on the local path): what the client wrote to the SMTP
// server, for the floor to send the same conversation.
const smtpUrl = process.env.SMTP_URL;
let smtp = '';
let smtpAfterCalls = 0;
if (captureFile && smtpUrl) {
  const port = Number(new URL(smtpUrl).port);
  const write = net.Socket.prototype.write as (...args: unknown[]) => boolean;
  net.Socket.prototype.write = function (this: net.Socket, ...args: unknown[]) {
    const chunk = args[0];
    if (this.remotePort === port && chunk) {
      if (!smtp) smtpAfterCalls = captured.length;
      smtp +=
        typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('latin1');
    }
    return write.apply(this, args);
  } as typeof net.Socket.prototype.write;
}

// Texts the function parsed with the YAML parser (an upload, a queued import), and markdown it
// rendered as HTML (the employer's HTML report): the floor parses and renders the same texts
// with the same modules, as it sends the same SMTP conversation. Both libraries are loaded with
// a runtime `require` (functions/domain/bank.ts, functions/http/report-html.ts), so their
// exports are wrapped where CommonJS loads them; capture runs only.
const parsed: { module: string; afterCalls: number; texts: string[] } = {
  module: '',
  afterCalls: 0,
  texts: [],
};
const rendered: {
  module: string;
  afterCalls: number;
  options?: unknown[];
  calls: { method: string; text: string }[];
} = { module: '', afterCalls: 0, calls: [] };
if (captureFile) {
  const loader = Module as unknown as {
    _load(request: string, parent: unknown, isMain: boolean): unknown;
    _resolveFilename(request: string, parent: unknown, isMain: boolean): string;
  };
  const load = loader._load;
  loader._load = function (request, parent, isMain) {
    const exports = load.call(this, request, parent, isMain);
    if (request === 'yaml') {
      const module = loader._resolveFilename(request, parent, isMain);
      return new Proxy(exports as Record<string, unknown>, {
        get(target, key) {
          const value = target[key as string];
          if ((key !== 'parseDocument' && key !== 'parse') || typeof value !== 'function')
            return value;
          return (text: string, ...rest: unknown[]) => {
            if (!parsed.module) Object.assign(parsed, { module, afterCalls: captured.length });
            parsed.texts.push(text);
            return value(text, ...rest);
          };
        },
      });
    }
    if (request !== 'markdown-it') return exports;
    // markdown-it (the report's renderer): made once (`new MarkdownIt(options)`, or called
    // without `new`), then `render(text)` / `renderInline(text)` per text.
    const module = loader._resolveFilename(request, parent, isMain);
    const wrap = (md: Record<string, unknown>, args: unknown[]) => {
      rendered.options ??= args;
      for (const method of ['render', 'renderInline']) {
        const fn = md[method] as (text: string, ...rest: unknown[]) => string;
        md[method] = (text: string, ...rest: unknown[]) => {
          if (!rendered.module) Object.assign(rendered, { module, afterCalls: captured.length });
          rendered.calls.push({ method, text });
          return fn.call(md, text, ...rest);
        };
      }
      return md;
    };
    const factory = exports as (...args: unknown[]) => Record<string, unknown>;
    return new Proxy(factory, {
      construct: (target, args) => wrap(Reflect.construct(target, args), args),
      apply: (target, self, args) => wrap(Reflect.apply(target, self, args), args),
    });
  };
}

const event = JSON.parse(readFileSync(eventFile!, 'utf8'));
const remainingMs = Number(process.env.BENCH_REMAINING_MS ?? 10_000);
/** Set when the invocation starts (Lambda's timeout runs from there, not from the import). */
let deadline = Number.POSITIVE_INFINITY;
const context = {
  callbackWaitsForEmptyEventLoop: false,
  functionName: 'bench',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:local:000000000000:function:bench',
  memoryLimitInMB: '1024',
  awsRequestId: 'bench-cold-start',
  logGroupName: '/aws/lambda/bench',
  logStreamName: 'local',
  // The function's timeout as Lambda counts it down (a job that plans its run by it, the
  // calibration and import jobs, is given its own: BENCH_REMAINING_MS).
  getRemainingTimeInMillis: () => deadline - Date.now(),
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
};

// The main thread's CPU time beside the wall clock: on a shared machine it moves much less
// (waiting for DynamoDB, or for a core, is not in it).
const cpuMs = () => {
  const c = process.threadCpuUsage();
  return (c.user + c.system) / 1000;
};
const c0 = cpuMs();
const t0 = performance.now();
const mod = (await import(pathToFileURL(bundle!).href)) as {
  handler: (e: unknown, c: unknown) => Promise<unknown>;
};
const t1 = performance.now();
const c1 = cpuMs();
deadline = Date.now() + remainingMs;
const result = (await mod.handler(event, context)) as
  | { statusCode?: number; batchItemFailures?: unknown[] }
  | undefined;
const t2 = performance.now();
const c2 = cpuMs();

const line = JSON.stringify({
  bootMs,
  importMs: t1 - t0,
  firstMs: t2 - t1,
  importCpuMs: c1 - c0,
  firstCpuMs: c2 - c1,
  // A stream job reports the records it could not handle: that is a failed run, not a 200.
  status:
    result && typeof result === 'object' && 'statusCode' in result
      ? result.statusCode
      : result?.batchItemFailures?.length
        ? 500
        : 200,
  calls,
  ...(captureFile ? { loaded } : {}),
});
if (captureFile) {
  writeFileSync(
    captureFile,
    JSON.stringify({
      calls: captured,
      ...(smtp ? { smtp: { url: smtpUrl, afterCalls: smtpAfterCalls, conversation: smtp } } : {}),
      ...(parsed.module ? { parse: parsed } : {}),
      ...(rendered.module ? { render: rendered } : {}),
    }),
  );
}
// Keep-alive sockets would hold the process open: exit once the line is out.
process.stdout.write(`\nBENCH_RESULT ${line}\n`, () => process.exit(0));
