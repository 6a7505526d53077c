/**
 * The bench's own copy of the local system: a table of its own in DynamoDB Local, the local
 * gateway on a free loopback port (the same handlers the Lambdas run, in this process so the
 * data layer's call observer sees every DynamoDB call), and staff tokens from the local issuer.
 */
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { createTableInput, deleteTable, ensureTable } from '../../functions/data/admin.ts';
import { db } from '../../functions/data/client.ts';
import { TABLE_SCHEMA } from '../../functions/data/table.ts';
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

/**
 * The table from the one table schema, without its stream unless `streams`: the stream costs the
 * request path nothing in AWS, but DynamoDB Local keeps every stream record and its writes slow
 * down as they pile up (see bench/README.md), which would make later parts look slower.
 */
async function createTable(name: string, streams: boolean): Promise<void> {
  if (streams) {
    await ensureTable(name);
    return;
  }
  const { StreamSpecification: _, ...input } = createTableInput(name);
  await db().send(new CreateTableCommand(input));
  await db().send(
    new UpdateTimeToLiveCommand({
      TableName: name,
      TimeToLiveSpecification: { AttributeName: TABLE_SCHEMA.ttlAttribute, Enabled: true },
    }),
  );
}

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
    await createTable(name, streams);
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
