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
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import http, { type ClientRequest } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';

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
if (captureFile) {
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

const t0 = performance.now();
const mod = (await import(pathToFileURL(bundle!).href)) as {
  handler: (e: unknown, c: unknown) => Promise<unknown>;
};
const t1 = performance.now();
const result = (await mod.handler(event, context)) as
  | { statusCode?: number; batchItemFailures?: unknown[] }
  | undefined;
const t2 = performance.now();

// The side modules the request loaded (CommonJS files beside the bundle, in its node_modules:
// infra/aws/bundling.ts SIDE_MODULES); their load is inside firstMs, their bytes are listed.
const besideBundle = resolve(dirname(bundle!), 'node_modules') + sep;
const sideModules = Object.keys(createRequire(import.meta.url).cache)
  .filter((file) => file.startsWith(besideBundle))
  .map((file) => ({
    name: dirname(relative(besideBundle, file)).split(sep).join('/'),
    bytes: statSync(file).size,
  }));

const line = JSON.stringify({
  bootMs,
  importMs: t1 - t0,
  firstMs: t2 - t1,
  // A stream job reports the records it could not handle: that is a failed run, not a 200.
  status:
    result && typeof result === 'object' && 'statusCode' in result
      ? result.statusCode
      : result?.batchItemFailures?.length
        ? 500
        : 200,
  calls,
  sideModules,
});
if (captureFile) writeFileSync(captureFile, JSON.stringify({ calls: captured }));
// Keep-alive sockets would hold the process open: exit once the line is out.
process.stdout.write(`\nBENCH_RESULT ${line}\n`, () => process.exit(0));
