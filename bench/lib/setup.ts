/**
 * The bench's own copy of the local system: a table of its own in DynamoDB Local, the local
 * gateway on a free loopback port (the same handlers the Lambdas run, in this process so the
 * data layer's call observer sees every DynamoDB call), and staff tokens from the local issuer.
 */
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { deleteTable, ensureTable } from '../../functions/data/admin.ts';
import { createGateway, type RequestLine } from '../../infra/local/gateway.ts';
import { mintToken, useLocalIssuer } from '../../infra/local/local-auth.ts';
import { type Calibration, calibrate, installRecorder, installWireTimer } from './dynamo.ts';
import { HttpClient } from './http.ts';

export interface Bench {
  base: string;
  http: HttpClient;
  /** Server-side time of the last request the gateway finished (API Gateway + Lambda). */
  lastServerMs(): number;
  /** The gateway's line for the last request it finished (its timeline, the handler's time). */
  lastRequest(): RequestLine | undefined;
  author: string;
  employer: string;
  org: string;
  table: string;
  calibration: Calibration;
  /** Create another table and make it the current one (TABLE_NAME); dropped on close. */
  useNewTable(label: string): Promise<string>;
  /** Make an existing table of this bench the current one. */
  useTable(name: string): void;
  dropTable(name: string): Promise<void>;
  close(): Promise<void>;
}

const suffix = () => randomBytes(4).toString('hex');

export interface BenchOptions {
  /** The gateway's port (0, the default: any free one). */
  port?: number;
  /** Called with every request's line from the gateway (the profiler records timelines). */
  onRequest?: (line: RequestLine) => void;
}

/** Point the process at DynamoDB (`endpoint`) and stand the local system up. */
export async function openBench(
  endpoint: string,
  streams = false,
  opts: BenchOptions = {},
): Promise<Bench> {
  process.env.DYNAMODB_ENDPOINT = endpoint;
  process.env.ASSAY_LOCAL_DIR ??= '.local';
  await useLocalIssuer();
  const tables = new Set<string>();
  const useTable = (name: string) => {
    process.env.TABLE_NAME = name;
  };
  const useNewTable = async (label: string) => {
    const name = `bench-${label}-${suffix()}`;
    // Without its stream unless asked: DynamoDB Local's writes slow down as stream records pile
    // up, which would make later parts look slower (functions/data/admin.ts, ensureTable).
    await ensureTable(name, { stream: streams });
    tables.add(name);
    useTable(name);
    return name;
  };
  const table = await useNewTable('main');
  installRecorder();
  installWireTimer();
  const calibration = await calibrate();

  let last: RequestLine | undefined;
  const server: Server = createGateway({
    onRequest: (line) => {
      last = line;
      opts.onRequest?.(line);
    },
  });
  await new Promise<void>((r) => server.listen(opts.port ?? 0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const http = new HttpClient(base);
  const org = `bench${suffix()}`;
  return {
    base,
    http,
    lastServerMs: () => last?.ms ?? Number.NaN,
    lastRequest: () => last,
    author: await mintToken({ roles: ['author'], org, subject: `author@${org}` }),
    employer: await mintToken({ roles: ['employer'], org, subject: `employer@${org}` }),
    org,
    table,
    calibration,
    useNewTable,
    useTable,
    async dropTable(name) {
      if (!tables.delete(name)) return;
      await deleteTable(name).catch(() => undefined);
    },
    async close() {
      http.close();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      for (const t of tables) await deleteTable(t).catch(() => undefined);
      tables.clear();
    },
  };
}
