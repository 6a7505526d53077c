/**
 * The cold-start floor: a Lambda handler that makes a function's DynamoDB calls with the raw
 * SDK client and nothing else. The calls are the ones the function itself made for the same
 * request, captured marshalled in the harness (bench/lib/dynamo.ts) and passed in the event,
 * so floor and function make the same calls by construction, whatever the product code does.
 * The client is configured as the data layer's (functions/data/client.ts) and created on first
 * use, as the data layer's is. Calls run one after another, as the handlers make them, except
 * calls the function had in flight together (one sent before an earlier one was answered: a
 * `Promise.all`, an import's concurrent staging), which the floor sends together too.
 *
 * A request that sent mail through SMTP (the mail job on the local path) also has its SMTP
 * conversation in the event (what the function's client wrote, captured by bench/cold/child.ts):
 * the floor sends it to the same server over a raw socket, command by command, waiting for each
 * reply as an SMTP client must, at the point where the function sent it. Nothing else: no MIME
 * building, no SMTP library.
 *
 * A request that parsed YAML text (an upload, a queued import) has those texts in the event, with
 * the parser module the function loaded (its side module, beside its bundle): the floor loads
 * that same file and turns each text into data with its plain `parse`, at the point where the
 * function first parsed. Nothing else: no document kept for error locations, no limits checked,
 * no validation. A request's input can be any size, so a floor that never parsed it would make
 * the ratio a function of the size the bench picked; the bench also measures the floor without
 * the parse, and reports that ratio beside the verdict.
 *
 * A request that rendered markdown as HTML (the employer's HTML report renders every prompt,
 * option and explanation of the attempt) has those texts in the event, with the markdown module
 * the function loaded (its side module) and the options it made its renderer with: the floor
 * loads that same file and renders each text with it, at the point where the function first
 * rendered. Nothing else: no page around it, no escaping, no chart, and none of Assay's own rules
 * on top of the library (its link-target allow-list, the last line feed dropped), so a refused
 * link can come out as a link here: the same parse and render, not byte-identical HTML. The texts
 * are the report's content, whose size the bench picked as it did the YAML's; the floor without
 * the rendering is measured too, and its ratio reported beside the verdict.
 */
import { createRequire } from 'node:module';
import { connect, type Socket } from 'node:net';
import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  TransactGetItemsCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';

const COMMANDS = {
  BatchGetItem: BatchGetItemCommand,
  BatchWriteItem: BatchWriteItemCommand,
  DeleteItem: DeleteItemCommand,
  GetItem: GetItemCommand,
  PutItem: PutItemCommand,
  Query: QueryCommand,
  TransactGetItems: TransactGetItemsCommand,
  TransactWriteItems: TransactWriteItemsCommand,
  UpdateItem: UpdateItemCommand,
} as const;

interface Call {
  operation: keyof typeof COMMANDS;
  input: never;
  /** When the function sent it and had its answer (ms, its process's clock). */
  sent?: number;
  answered?: number;
}

export interface FloorEvent {
  calls: Call[];
  smtp?: { url: string; afterCalls: number; conversation: string };
  /** YAML texts the function parsed, the parser module it loaded, and after how many calls. */
  parse?: { module: string; afterCalls: number; texts: string[] };
  /**
   * Markdown texts the function rendered: the markdown-it module it loaded, the options its
   * renderer was made with, after how many calls, and each call's method.
   */
  render?: {
    module: string;
    afterCalls: number;
    options?: unknown[];
    calls: { method: string; text: string }[];
  };
}

/** Load the function's own YAML parser module and turn each text into data. */
function parseTexts(parse: NonNullable<FloorEvent['parse']>): unknown[] {
  const yaml = createRequire(import.meta.url)(parse.module) as { parse(text: string): unknown };
  return parse.texts.map((text) => yaml.parse(text));
}

/** Load the function's own markdown-it module and render each text as the function did. */
function renderTexts(render: NonNullable<FloorEvent['render']>): number {
  // Its CommonJS build (the side module) exports the constructor itself.
  const MarkdownIt = createRequire(import.meta.url)(render.module) as new (
    ...args: unknown[]
  ) => Record<'render' | 'renderInline', (text: string) => string>;
  const md = new MarkdownIt(...(render.options ?? []));
  let html = 0;
  for (const c of render.calls)
    html += md[c.method === 'renderInline' ? 'renderInline' : 'render'](c.text).length;
  return html;
}

/** Send a captured SMTP conversation: each command (the message after DATA is one) then its reply. */
async function sendSmtp(url: string, conversation: string): Promise<void> {
  const u = new URL(url);
  const socket: Socket = connect(Number(u.port), u.hostname);
  let buffered = '';
  let waiting: ((line: string) => void) | undefined;
  const check = () => {
    // A reply ends with a line `NNN text` (its earlier lines are `NNN-text`).
    const m = /(?:^|\r\n)(\d{3}) [^\r\n]*\r\n$/.exec(buffered);
    if (m && waiting) {
      const done = waiting;
      waiting = undefined;
      buffered = '';
      done(m[1]!);
    }
  };
  socket.setEncoding('latin1');
  socket.on('data', (d: string) => {
    buffered += d;
    check();
  });
  const reply = () =>
    new Promise<string>((res, rej) => {
      waiting = res;
      socket.once('error', rej);
      check();
    });
  await reply();
  // Commands are lines; after `DATA` the message runs to the line holding only a dot.
  const [head = '', rest = ''] = conversation.split(/(?<=\r\nDATA\r\n)/);
  const end = rest.indexOf('\r\n.\r\n');
  const steps = [
    ...(head.match(/[^\r\n]*\r\n/g) ?? []),
    ...(end >= 0 ? [rest.slice(0, end + 5)] : []),
    ...(rest.slice(end + 5).match(/[^\r\n]*\r\n/g) ?? []),
  ];
  for (const step of steps) {
    socket.write(step, 'latin1');
    await reply();
  }
  socket.destroy();
}

let client: DynamoDBClient | undefined;

function raw(): DynamoDBClient {
  if (client) return client;
  const endpoint = process.env.DYNAMODB_ENDPOINT;
  client = new DynamoDBClient({
    ...(endpoint
      ? {
          endpoint,
          region: process.env.AWS_REGION ?? 'local',
          credentials: {
            accessKeyId: process.env.AWS_ACCESS_KEY_ID ?? 'local',
            secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY ?? 'local',
          },
        }
      : {}),
    maxAttempts: 4,
  });
  return client;
}

/**
 * The calls in the groups the function had in flight together: a call sent before the latest
 * answer to the calls of the group so far joins it (a call without times stands alone).
 */
function inFlightGroups(calls: readonly Call[]): { first: number; calls: Call[] }[] {
  const out: { first: number; calls: Call[] }[] = [];
  let answered = Number.NEGATIVE_INFINITY;
  calls.forEach((call, i) => {
    const group = out.at(-1);
    if (group && call.sent !== undefined && call.sent < answered) group.calls.push(call);
    else {
      out.push({ first: i, calls: [call] });
      answered = Number.NEGATIVE_INFINITY;
    }
    answered = Math.max(answered, call.answered ?? Number.NEGATIVE_INFINITY);
  });
  return out;
}

async function send(call: Call): Promise<unknown> {
  const Command = COMMANDS[call.operation] as unknown as new (input: unknown) => never;
  try {
    return await raw().send(new Command(call.input));
  } catch (err) {
    // A conditional write the function also saw fail (an idempotent replay): same round trip.
    return { error: (err as Error).name };
  }
}

export const handler = async (event: FloorEvent) => {
  const outputs: unknown[] = [];
  let smtp = event.smtp;
  let parse = event.parse;
  let render = event.render;
  for (const group of inFlightGroups(event.calls)) {
    if (parse && group.first >= parse.afterCalls) {
      outputs.push(parseTexts(parse).length);
      parse = undefined;
    }
    if (render && group.first >= render.afterCalls) {
      outputs.push(renderTexts(render));
      render = undefined;
    }
    if (smtp && group.first >= smtp.afterCalls) {
      await sendSmtp(smtp.url, smtp.conversation);
      smtp = undefined;
    }
    outputs.push(...(await Promise.all(group.calls.map(send))));
  }
  if (parse) outputs.push(parseTexts(parse).length);
  if (render) outputs.push(renderTexts(render));
  if (smtp) await sendSmtp(smtp.url, smtp.conversation);
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(outputs),
  };
};
