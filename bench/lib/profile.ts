/**
 * Reading a warm request's time (`bench/profile-warm.ts`): each request's timeline as the
 * gateway and the data layer saw it, and a V8 CPU profile's samples attributed to the request
 * that was running and to the component whose code was on the CPU.
 */
import type { RequestLine } from '../../infra/local/gateway.ts';
import { type Span, unionMs, type Window } from './dynamo.ts';
import { median, round } from './stats.ts';

/** One request as the server process recorded it; times in ms from its start. */
export interface RequestRecord {
  endpoint: string;
  status: number;
  /** `performance.now()` when the gateway's request handler was called. */
  startedAt: number;
  ms: number;
  /** Gateway marks (ms from start): body read, event built, admitted by the concurrency model. */
  body: number;
  event: number;
  admitted: number;
  invokeStart: number;
  invokeEnd: number;
  sends: Span[];
  wire: Span[];
}

export type ServerMessage =
  | { kind: 'ready'; base: string; author: string; employer: string; org: string }
  | { kind: 'started'; offsetUs: number }
  | { kind: 'stopped'; records: RequestRecord[]; profile: CpuProfile };

/** The warm part's endpoint a request is, or `other`. */
export function endpointOf(method: string, path: string): string {
  if (method === 'POST' && path === '/v1/attempts') return 'start';
  if (method === 'GET' && /^\/v1\/attempts\/[^/]+$/.test(path)) return 'getAttempt';
  if (method === 'PUT' && /^\/v1\/attempts\/[^/]+\/answers\/[^/]+$/.test(path)) return 'saveAnswer';
  if (method === 'POST' && /^\/v1\/attempts\/[^/]+\/submit$/.test(path)) return 'submit';
  return 'other';
}

export function timelineOf(line: RequestLine, win: Window): RequestRecord {
  const rel = (s: Span) => ({ start: s.start - line.startedAt, end: s.end - line.startedAt });
  return {
    endpoint: endpointOf(line.method, line.path),
    status: line.status,
    startedAt: line.startedAt,
    ms: line.ms,
    body: line.timeline.body ?? Number.NaN,
    event: line.timeline.event ?? Number.NaN,
    admitted: line.timeline.admitted ?? Number.NaN,
    invokeStart: line.timeline.invokeStart ?? Number.NaN,
    invokeEnd: line.timeline.invokeEnd ?? Number.NaN,
    sends: win.sends.map(rel),
    wire: win.wire.map(rel),
  };
}

/** Where one request's time went (ms). */
export interface Parts {
  /** Gateway before the function: body, event, admission, timers. */
  gatewayBefore: number;
  /** ...of which reading the body (local routes and web apps checked first)... */
  readBody: number;
  /** ...building the API Gateway event (route match, headers, request id)... */
  buildEvent: number;
  /** ...admission by the function's concurrency model... */
  admission: number;
  /** ...and the invocation's set-up (handler lookup, timers, context). */
  invokeSetup: number;
  /** Gateway after the function: the result mapped and written to the socket. */
  gatewayAfter: number;
  /** The function's invocation. */
  handler: number;
  /** In the function, before its first DynamoDB call (middy, parsing, validation, logic). */
  beforeFirstCall: number;
  /** In the function, between its DynamoDB calls (logic between them). */
  betweenCalls: number;
  /** In the function, after its last call (building, validating, serialising the response). */
  afterLastCall: number;
  /** In `send` but not on the wire: the SDK's own time. */
  sdk: number;
  /** On the wire (union of the exchanges). */
  wire: number;
  /** The whole request in the gateway. */
  gateway: number;
}

export function partsOf(r: RequestRecord): Parts {
  const send = unionMs(r.sends);
  const wire = unionMs(r.wire);
  const handler = r.invokeEnd - r.invokeStart;
  const first = r.sends.length ? Math.min(...r.sends.map((s) => s.start)) : r.invokeEnd;
  const last = r.sends.length ? Math.max(...r.sends.map((s) => s.end)) : r.invokeEnd;
  const beforeFirstCall = first - r.invokeStart;
  const afterLastCall = r.sends.length ? r.invokeEnd - last : 0;
  return {
    gatewayBefore: r.invokeStart,
    readBody: r.body,
    buildEvent: r.event - r.body,
    admission: r.admitted - r.event,
    invokeSetup: r.invokeStart - r.admitted,
    gatewayAfter: r.ms - r.invokeEnd,
    handler,
    beforeFirstCall,
    betweenCalls: handler - beforeFirstCall - afterLastCall - send,
    afterLastCall,
    sdk: send - wire,
    wire,
    gateway: r.ms,
  };
}

/** A V8 CPU profile (`.cpuprofile`, the inspector's Profiler.stop). */
export interface CpuProfile {
  nodes: {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
    children?: number[];
  }[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** The component a script belongs to, by its URL; undefined for Node's and V8's own code. */
export function componentOf(url: string): string | undefined {
  if (!url || url.startsWith('node:')) return undefined;
  const pkg = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1];
  if (pkg) {
    if (pkg === 'zod') return 'zod';
    if (pkg.startsWith('@middy/')) return 'middy';
    if (/^@(aws-sdk|smithy|aws-crypto)\//.test(pkg) || pkg === 'tslib') return 'AWS SDK';
    return `npm ${pkg}`;
  }
  const m = /\/(functions\/(?:http|services|domain|data|handlers)|infra\/local|bench)\//.exec(url);
  if (m) {
    return {
      'functions/http': 'ours: http layer (functions/http)',
      'functions/services': 'ours: services',
      'functions/domain': 'ours: domain',
      'functions/data': 'ours: data layer',
      'functions/handlers': 'ours: handlers',
      'infra/local': 'local gateway',
      bench: 'bench instrumentation',
    }[m[1]!];
  }
  return 'other';
}

const SOCKET_WRITES = new Set([
  'writev',
  'writeBuffer',
  'writeUtf8String',
  'writeLatin1String',
  'writeAsciiString',
]);

/** What a sample's stack says about the component on the CPU (its innermost known frame). */
function classify(stack: CpuProfile['nodes'][number]['callFrame'][]): string {
  const leaf = stack[0]!;
  if (leaf.functionName === '(garbage collector)') return 'V8: garbage collector';
  if (leaf.functionName === '(idle)') return '(idle)';
  if (leaf.functionName === '(program)') return 'V8: (program)';
  // Starting the profiler itself (once, in the first profiled request) is not the request's.
  if (stack.some((f) => f.url === 'node:inspector')) return '(idle)';
  const urls = stack.map((f) => f.url);
  if (SOCKET_WRITES.has(leaf.functionName) && leaf.url === '') {
    // On loopback the kernel hands the bytes to the reader inside the write (and on a busy
    // machine often runs it there and then): part of the exchange, not of either side's code.
    if (urls.includes('node:_http_client')) return 'socket write: request to DynamoDB';
    return 'socket write: response to the client';
  }
  if (urls.includes('node:zlib')) return 'zlib (Brotli)';
  const modules = new Set<string>();
  for (const f of stack) {
    const c = componentOf(f.url);
    if (c) return c;
    if (f.url.startsWith('node:')) modules.add(f.url.slice(5));
  }
  if (modules.has('_http_server')) return 'local gateway: node http server';
  if (modules.has('_http_client') || modules.has('_http_agent')) return 'AWS SDK: node http client';
  if (modules.has('diagnostics_channel')) return 'bench instrumentation';
  const first = stack.find((f) => f.url.startsWith('node:'));
  return `node: ${first ? first.url.slice(5) : leaf.functionName || 'native'}`;
}

export interface ProfileAnalysis {
  intervalUs: number;
  requests: number;
  endpoints: {
    endpoint: string;
    n: number;
    /** Medians of each part (ms) and of the client's round trip. */
    parts: Parts & { client: number };
    /** p50 gateway / p50 wire, p50 handler / p50 wire. */
    ratios: { gatewayToWire: number; handlerToWire: number; sendToWire: number };
    /** CPU per request (ms) by component, from the profile's samples in this endpoint's requests. */
    cpuMs: Record<string, number>;
    cpuTotalMs: number;
    /** Functions with the most self time in this endpoint's requests (ms per request). */
    topFunctions: { component: string; fn: string; at: string; msPerRequest: number }[];
  }[];
  /** The profile as a whole: component, ms of CPU, share of non-idle samples. */
  components: { component: string; ms: number; share: number }[];
  /** Functions with the most self time: component, function, script:line, ms, share. */
  topFunctions: { component: string; fn: string; at: string; ms: number; share: number }[];
}

/**
 * Attribute every sample to the request that was running (a request owns the time since the
 * previous one ended: its own HTTP parsing comes before the gateway's handler is called) and to
 * a component.
 */
export function analyseProfile(
  profile: CpuProfile,
  records: readonly RequestRecord[],
  offsetUs: number,
  client: Record<string, number[]>,
): ProfileAnalysis {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const stackOf = (id: number) => {
    const out: CpuProfile['nodes'][number]['callFrame'][] = [];
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const n = byId.get(cur)!;
      if (n.callFrame.functionName !== '(root)') out.push(n.callFrame);
    }
    return out;
  };
  const classOf = new Map<number, string>();
  const ends = records.map((r) => r.startedAt + r.ms);
  const perRequest = records.map(() => new Map<string, number>());
  const perEndpointFn = new Map<string, Map<string, number>>();
  const totals = new Map<string, number>();
  const selfTime = new Map<string, { component: string; fn: string; at: string; us: number }>();
  let t = profile.startTime;
  let k = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = profile.timeDeltas[i] ?? 0;
    t += dt;
    const id = profile.samples[i]!;
    let cls = classOf.get(id);
    if (cls === undefined) {
      cls = classify(stackOf(id));
      classOf.set(id, cls);
    }
    if (cls === '(idle)') continue;
    // Each sample stands for the time since the previous one.
    const us = dt;
    totals.set(cls, (totals.get(cls) ?? 0) + us);
    const f = byId.get(id)!.callFrame;
    const key = `${f.functionName}|${f.url}|${f.lineNumber}`;
    const s = selfTime.get(key) ?? {
      component: cls,
      fn: f.functionName || '(anonymous)',
      at: `${f.url.replace(/^.*\/(node_modules|functions|infra|bench)\//, '$1/')}:${f.lineNumber + 1}`,
      us: 0,
    };
    s.us += us;
    selfTime.set(key, s);
    const atMs = (t - offsetUs) / 1000;
    while (k < ends.length && atMs > ends[k]!) k++;
    if (k < ends.length) {
      const m = perRequest[k]!;
      m.set(cls, (m.get(cls) ?? 0) + us);
      const e = records[k]!.endpoint;
      const fns = perEndpointFn.get(e) ?? new Map<string, number>();
      fns.set(key, (fns.get(key) ?? 0) + us);
      perEndpointFn.set(e, fns);
    }
  }
  const busyUs = [...totals.values()].reduce((a, b) => a + b, 0);
  const names = [...new Set(records.map((r) => r.endpoint))].filter((e) => e !== 'other');
  const endpoints = names.map((endpoint) => {
    const idx = records.flatMap((r, i) => (r.endpoint === endpoint ? [i] : []));
    const parts = idx.map((i) => partsOf(records[i]!));
    const med = (f: (p: Parts) => number) => round(median(parts.map(f)), 3);
    const cpu = new Map<string, number>();
    for (const i of idx)
      for (const [c, us] of perRequest[i]!) cpu.set(c, (cpu.get(c) ?? 0) + us / 1000);
    const cpuMs = Object.fromEntries(
      [...cpu].sort((a, b) => b[1] - a[1]).map(([c, ms]) => [c, round(ms / idx.length, 3)]),
    );
    const p: Parts & { client: number } = {
      gatewayBefore: med((p) => p.gatewayBefore),
      readBody: med((p) => p.readBody),
      buildEvent: med((p) => p.buildEvent),
      admission: med((p) => p.admission),
      invokeSetup: med((p) => p.invokeSetup),
      handler: med((p) => p.handler),
      beforeFirstCall: med((p) => p.beforeFirstCall),
      betweenCalls: med((p) => p.betweenCalls),
      afterLastCall: med((p) => p.afterLastCall),
      sdk: med((p) => p.sdk),
      wire: med((p) => p.wire),
      gatewayAfter: med((p) => p.gatewayAfter),
      gateway: med((p) => p.gateway),
      client: round(median(client[endpoint] ?? []), 3),
    };
    const topFunctions = [...(perEndpointFn.get(endpoint) ?? [])]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 25)
      .map(([key, us]) => {
        const f = selfTime.get(key)!;
        return {
          component: f.component,
          fn: f.fn,
          at: f.at,
          msPerRequest: round(us / 1000 / idx.length, 4),
        };
      });
    return {
      endpoint,
      n: idx.length,
      parts: p,
      topFunctions,
      ratios: {
        gatewayToWire: round(p.gateway / p.wire, 3),
        handlerToWire: round(p.handler / p.wire, 3),
        sendToWire: round(med((x) => x.sdk + x.wire) / p.wire, 3),
      },
      cpuMs,
      cpuTotalMs: round(
        Object.values(cpuMs).reduce((a, b) => a + b, 0),
        3,
      ),
    };
  });
  return {
    intervalUs: round(
      (profile.endTime - profile.startTime) / Math.max(1, profile.samples.length),
      1,
    ),
    requests: records.length,
    endpoints,
    components: [...totals]
      .sort((a, b) => b[1] - a[1])
      .map(([component, us]) => ({
        component,
        ms: round(us / 1000, 1),
        share: round(us / busyUs, 3),
      })),
    topFunctions: [...selfTime.values()]
      .sort((a, b) => b.us - a.us)
      .slice(0, 60)
      .map((s) => ({
        component: s.component,
        fn: s.fn,
        at: s.at,
        ms: round(s.us / 1000, 1),
        share: round(s.us / busyUs, 4),
      })),
  };
}

export function formatBreakdown(a: ProfileAnalysis): string {
  const out: string[] = [];
  out.push(`${a.requests} requests profiled, one sample every ${a.intervalUs} µs`);
  for (const e of a.endpoints) {
    const p = e.parts;
    out.push(
      '',
      `${e.endpoint} (n=${e.n}): medians, ms`,
      `  client ${p.client}  gateway ${p.gateway}  = gateway before ${p.gatewayBefore} + handler ${p.handler} + gateway after ${p.gatewayAfter}`,
      `  gateway before: body ${p.readBody}, event ${p.buildEvent}, admission ${p.admission}, invocation set-up ${p.invokeSetup}`,
      `  handler: before 1st call ${p.beforeFirstCall}, between calls ${p.betweenCalls}, after last call ${p.afterLastCall}, SDK ${p.sdk}, wire ${p.wire}`,
      `  gateway/wire ${e.ratios.gatewayToWire}  handler/wire ${e.ratios.handlerToWire}  (SDK+wire)/wire ${e.ratios.sendToWire}`,
      `  CPU per request ${e.cpuTotalMs} ms: ${Object.entries(e.cpuMs)
        .map(([c, ms]) => `${c} ${ms}`)
        .join(', ')}`,
    );
  }
  out.push('', 'Components (all profiled requests): share of CPU');
  for (const c of a.components)
    out.push(`  ${(c.share * 100).toFixed(1).padStart(5)}%  ${c.ms} ms  ${c.component}`);
  out.push('', 'Functions by self time');
  for (const f of a.topFunctions.slice(0, 40))
    out.push(
      `  ${(f.share * 100).toFixed(2).padStart(5)}%  ${f.component.padEnd(34)} ${f.fn}  ${f.at}`,
    );
  return out.join('\n');
}
