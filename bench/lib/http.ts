import { Agent, request } from 'node:http';

export interface HttpResponse {
  status: number;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: the bench reads arbitrary JSON bodies
  body: any;
  /** Round trip as the client sees it, from sending the request to the last body byte. */
  ms: number;
  /** Response headers, lower-cased (empty when there was no answer). */
  headers: Record<string, string | string[] | undefined>;
}

export interface HttpOptions {
  token?: string;
  body?: unknown;
  /** Sent as is with `contentType`, instead of a JSON body. */
  raw?: string;
  contentType?: string;
  timeoutMs?: number;
}

/**
 * A keep-alive loopback HTTP client: lighter than fetch, so the client's own cost stays small
 * next to what is measured. Status 0 means the request failed without an HTTP answer.
 */
export class HttpClient {
  readonly agent: Agent;

  constructor(
    readonly base: string,
    maxSockets = 16,
  ) {
    this.agent = new Agent({ keepAlive: true, maxSockets });
  }

  request(method: string, path: string, opts: HttpOptions = {}): Promise<HttpResponse> {
    const url = new URL(path, this.base);
    const payload =
      opts.raw !== undefined
        ? Buffer.from(opts.raw)
        : opts.body === undefined
          ? undefined
          : Buffer.from(JSON.stringify(opts.body));
    const headers: Record<string, string | number> = { accept: 'application/json' };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    if (payload) {
      headers['content-type'] = opts.contentType ?? 'application/json';
      headers['content-length'] = payload.length;
    }
    const started = performance.now();
    return new Promise((resolve) => {
      const fail = (err: Error) =>
        resolve({
          status: 0,
          text: err.message,
          body: undefined,
          ms: performance.now() - started,
          headers: {},
        });
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname + url.search,
          method,
          headers,
          agent: this.agent,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', fail);
          res.on('end', () => {
            const ms = performance.now() - started;
            const text = Buffer.concat(chunks).toString('utf8');
            let body: unknown;
            try {
              body = text ? JSON.parse(text) : undefined;
            } catch {
              body = undefined;
            }
            resolve({ status: res.statusCode ?? 0, text, body, ms, headers: res.headers });
          });
        },
      );
      req.setTimeout(opts.timeoutMs ?? 30_000, () =>
        req.destroy(new Error(`timed out after ${opts.timeoutMs ?? 30_000} ms`)),
      );
      req.on('error', fail);
      req.end(payload);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
