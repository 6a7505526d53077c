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
import { registerHooks } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const bootMs = performance.now();
const [bundle, eventFile, captureFile] = process.argv.slice(2);
const calls: string[] = [];
const captured: { operation: string; input: unknown }[] = [];
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
  const end = http.ClientRequest.prototype.end as (...args: unknown[]) => ClientRequest;
  http.ClientRequest.prototype.end = function (this: ClientRequest, ...args: unknown[]) {
    const operation = operationOf(this);
    if (operation && args[0]) captured.push({ operation, input: JSON.parse(String(args[0])) });
    return end.apply(this, args);
  } as typeof http.ClientRequest.prototype.end;
}

const event = JSON.parse(readFileSync(eventFile!, 'utf8'));
const context = {
  callbackWaitsForEmptyEventLoop: false,
  functionName: 'bench',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:local:000000000000:function:bench',
  memoryLimitInMB: '1024',
  awsRequestId: 'bench-cold-start',
  logGroupName: '/aws/lambda/bench',
  logStreamName: 'local',
  getRemainingTimeInMillis: () => 10_000,
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
if (captureFile) writeFileSync(captureFile, JSON.stringify({ calls: captured }));
// Keep-alive sockets would hold the process open: exit once the line is out.
process.stdout.write(`\nBENCH_RESULT ${line}\n`, () => process.exit(0));
