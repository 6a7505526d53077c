/**
 * The API as the candidate app calls it: same origin, JSON, the attempt token as a bearer.
 * A network failure is `{status: 0}`, never an exception, so callers decide what to show.
 */
import type { ServerClock } from './clock.ts';

export interface ApiResponse {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: bodies are read field by field
  body: any;
  headers?: Headers;
}

export interface CallOptions {
  token?: string;
  body?: unknown;
  ifMatch?: number;
  /** Survives the page being closed (page events sent as it is hidden). */
  keepalive?: boolean;
}

export class Api {
  constructor(private readonly clock: ServerClock) {}

  async call(method: string, path: string, opts: CallOptions = {}): Promise<ApiResponse> {
    const headers: Record<string, string> = {};
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    if (opts.ifMatch !== undefined) headers['if-match'] = `"${opts.ifMatch}"`;
    const sentAt = Date.now();
    let res: Response;
    try {
      res = await fetch(`/v1${path}`, {
        method,
        headers,
        cache: 'no-store',
        ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
        ...(opts.keepalive ? { keepalive: true } : {}),
      });
    } catch {
      return { status: 0, body: undefined };
    }
    const text = await res.text().catch(() => '');
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    const serverTime = (body as { serverTime?: unknown } | undefined)?.serverTime;
    if (typeof serverTime === 'string') this.clock.sync(serverTime, sentAt, Date.now());
    return { status: res.status, body, headers: res.headers };
  }
}

/** Milliseconds a 503 or 429 asks the client to wait (`Retry-After` in seconds). */
export function retryAfterMs(headers: Headers | undefined): number | undefined {
  const value = Number(headers?.get('retry-after'));
  return Number.isFinite(value) && value > 0 ? Math.min(value, 60) * 1000 : undefined;
}
