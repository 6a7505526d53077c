/**
 * `node:http` as Lambda bundles see it (`LAMBDA_ALIASES` in bundling.ts): the module read with
 * CommonJS `require`. An ESM `import ... from 'node:http'` (middy's util imports STATUS_CODES
 * that way) makes Node build the module's ESM facade, which reads every export, including the
 * lazy `WebSocket`, `CloseEvent` and `MessageEvent` getters that load undici: measured at 9 ms
 * of main-thread CPU in a fresh process (on a loaded machine), for a request that never opens a
 * WebSocket. `require` reads only what is used. The same in Lambda as here: nothing moves out
 * of the cold start, it is simply not done.
 *
 * Every export but those three is re-exported; importing one of them from a bundle fails the
 * build (no matching export) instead of silently loading a different module.
 */

import type * as Http from 'node:http';
import { createRequire } from 'node:module';

const http = createRequire(import.meta.url)('node:http') as typeof Http;

export default http;
export const {
  METHODS,
  STATUS_CODES,
  Agent,
  ClientRequest,
  IncomingMessage,
  OutgoingMessage,
  Server,
  ServerResponse,
  createServer,
  validateHeaderName,
  validateHeaderValue,
  get,
  request,
  setMaxIdleHTTPParsers,
  maxHeaderSize,
  globalAgent,
} = http;
