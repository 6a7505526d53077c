/**
 * The API as the web apps call it: same origin, `/v1`, JSON (or raw text), a bearer token. A
 * network failure is `{status: 0}`, never an exception, so callers decide what to show.
 */

export interface ApiResponse {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: bodies are read field by field
  body: any;
  /** The body as text (CSV, SVG), when it was not JSON. */
  text?: string;
  headers?: Headers;
}

export interface CallOptions {
  token?: string;
  /** Sent as JSON. */
  body?: unknown;
  /** Sent as is, with its content type (a YAML or GIFT bank; a file's bytes, undecoded). */
  raw?: { text: string | Blob; contentType: string };
  ifMatch?: number;
  accept?: string;
  headers?: Record<string, string>;
  /** Survives the page being closed (page events sent as it is hidden). */
  keepalive?: boolean;
  /**
   * Given up after this long, headers and body (`{status: 0}`, as a network failure): a stalled
   * connection (no answer, no reset) would otherwise leave the caller waiting for ever.
   */
  timeoutMs?: number;
}

/** Told of every response that carries the server's time (the candidate app's clock). */
export interface ServerTimeObserver {
  sync(serverTime: string, sentAt: number, receivedAt: number): void;
}

export class Api {
  constructor(private readonly clock?: ServerTimeObserver) {}

  async call(method: string, path: string, opts: CallOptions = {}): Promise<ApiResponse> {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.raw) headers['content-type'] = opts.raw.contentType;
    else if (opts.body !== undefined) headers['content-type'] = 'application/json';
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    if (opts.ifMatch !== undefined) headers['if-match'] = `"${opts.ifMatch}"`;
    if (opts.accept) headers.accept = opts.accept;
    const payload = opts.raw
      ? opts.raw.text
      : opts.body !== undefined
        ? JSON.stringify(opts.body)
        : undefined;
    const sentAt = Date.now();
    const abort = opts.timeoutMs ? new AbortController() : undefined;
    const timer = abort ? setTimeout(() => abort.abort(), opts.timeoutMs) : undefined;
    try {
      return await this.send(method, path, headers, payload, opts, sentAt, abort?.signal);
    } finally {
      clearTimeout(timer);
    }
  }

  private async send(
    method: string,
    path: string,
    headers: Record<string, string>,
    payload: string | Blob | undefined,
    opts: CallOptions,
    sentAt: number,
    signal: AbortSignal | undefined,
  ): Promise<ApiResponse> {
    let res: Response;
    try {
      res = await fetch(path.startsWith('/v1/') ? path : `/v1${path}`, {
        method,
        headers,
        cache: 'no-store',
        ...(payload !== undefined ? { body: payload } : {}),
        ...(opts.keepalive ? { keepalive: true } : {}),
        ...(signal ? { signal } : {}),
      });
    } catch {
      return { status: 0, body: undefined };
    }
    // An HTML page the caller did not ask for is never the API's answer: a Wi-Fi sign-in page,
    // or a proxy's or a CDN's page in its place. It is no answer at all, as a network failure
    // is: never a "saved".
    const html = /^text\/html\b/i.test(res.headers.get('content-type') ?? '');
    if (html && !/html/.test(opts.accept ?? '')) {
      return { status: 0, body: undefined };
    }
    let text: string;
    try {
      text = await res.text();
    } catch {
      // The body never came whole (the connection dropped or stalled): no answer.
      if (signal?.aborted) return { status: 0, body: undefined };
      text = '';
    }
    let body: unknown;
    if (/json/.test(res.headers.get('content-type') ?? 'json')) {
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        body = undefined;
      }
    }
    const serverTime = (body as { serverTime?: unknown } | undefined)?.serverTime;
    if (typeof serverTime === 'string') this.clock?.sync(serverTime, sentAt, Date.now());
    return { status: res.status, body, text, headers: res.headers };
  }
}

/** Milliseconds a 503 or 429 asks the client to wait (`Retry-After` in seconds). */
export function retryAfterMs(headers: Headers | undefined): number | undefined {
  const value = Number(headers?.get('retry-after'));
  return Number.isFinite(value) && value > 0 ? Math.min(value, 60) * 1000 : undefined;
}
