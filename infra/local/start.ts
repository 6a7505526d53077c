/**
 * `npm start`: the whole API on one machine. Starts DynamoDB Local (unless DYNAMODB_ENDPOINT
 * names an existing DynamoDB), creates the table, loads the shipped bank, starts the mail
 * capture (maildev, unless SMTP_URL names an SMTP server), and serves the local gateway on
 * 127.0.0.1:$PORT (3000). Ctrl-C or SIGTERM stops everything.
 *
 * If DynamoDB Local dies, the runner says so in one line and starts it again on the same port
 * (requests answer 503 meanwhile); in memory, its data is gone and the shipped bank and a new
 * demo invitation are loaded again. Dying again within a minute, it gives up and exits 1.
 *
 *   npm start -- [--data DIR]     persist DynamoDB Local's data in DIR
 */
import { parseArgs } from 'node:util';
import { ensureTable } from '../../functions/data/admin.ts';
import { DEFAULT_TABLE_NAME } from '../../functions/data/table.ts';
import { UnavailableError } from '../../functions/domain/errors.ts';
import { type DataLock, lockDataDir } from './data-lock.ts';
import {
  type DynamoLocal,
  JAVA_MISSING,
  javaMajorVersion,
  startDynamoLocal,
} from './dynamodb-local.ts';
import { createGateway, LISTEN_BACKLOG } from './gateway.ts';
import { startJobs } from './jobs.ts';
import { mintToken, useLocalIssuer } from './local-auth.ts';
import { type MailCapture, startMailCapture } from './mail-capture.ts';
import { assertPortFree, listenProblem, type PortSetting } from './ports.ts';
import { seedLocal } from './seed.ts';

const { values } = parseArgs({ options: { data: { type: 'string' }, quiet: { type: 'boolean' } } });
const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '127.0.0.1';

// The ports this run must have, checked before anything starts: a taken one is one line at once,
// not a stack of errors after DynamoDB Local and the bank. The mail ports count only when set
// (by default the capture takes free ones when 1025 and 1080 are taken).
const ports: PortSetting[] = [
  { port, host, setting: 'PORT' },
  ...(['MAIL_SMTP_PORT', 'MAIL_WEB_PORT'] as const)
    .filter((setting) => process.env[setting] && !process.env.SMTP_URL)
    .map((setting) => ({ port: Number(process.env[setting]), host, setting })),
];
for (const p of ports) {
  await assertPortFree(p).catch((err: Error) => {
    console.error(err.message);
    process.exit(1);
  });
}

let dynamo: DynamoLocal | undefined;
let dataLock: DataLock | undefined;
if (!process.env.DYNAMODB_ENDPOINT) {
  const java = javaMajorVersion();
  if (java === undefined || java < 17) {
    console.error(java === undefined ? JAVA_MISSING : `Found Java ${java}. ${JAVA_MISSING}`);
    process.exit(1);
  }
  // One runner per --data folder, taken before its DynamoDB Local starts on the file.
  if (values.data) {
    try {
      dataLock = lockDataDir(values.data);
    } catch (err) {
      console.error((err as Error).message);
      process.exit(1);
    }
  }
  dynamo = await startDynamoLocal(values.data ? { dataDir: values.data } : {});
  process.env.DYNAMODB_ENDPOINT = dynamo.endpoint;
}

let stopping = false;
let stopJobs: (() => void) | undefined;
async function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  stopJobs?.();
  server?.close();
  await mail?.stop();
  await dynamo?.stop();
  // The exit handler below releases the data folder.
  process.exit(code);
}

/** Restarts within this window count as DynamoDB Local dying over and over: give up. */
const RESTART_WINDOW_MS = 60_000;
const deaths: number[] = [];

/** Watch DynamoDB Local: an exit the runner did not ask for is reported and repaired. */
function watch(d: DynamoLocal) {
  d.process.once('exit', (code, signal) => {
    if (!stopping) void restart(d, signal ? `was killed (${signal})` : `exited (code ${code})`);
  });
}

async function restart(dead: DynamoLocal, how: string) {
  const now = Date.now();
  deaths.push(now);
  if (deaths.filter((t) => now - t < RESTART_WINDOW_MS).length > 1) {
    console.error(
      `DynamoDB Local ${how} again within a minute of its restart: stopping (exit 1) rather than serving errors. Check memory and Java, then run npm start again.`,
    );
    return stop(1);
  }
  console.error(
    `DynamoDB Local ${how}: restarting it on port ${dead.port}${
      values.data
        ? ` with its data in ${values.data}`
        : '. It ran in memory, so every table and item is gone: the shipped bank and a new demo invitation are loaded again'
    }. Requests answer 503 until it is back.`,
  );
  stopJobs?.();
  try {
    dynamo = await startDynamoLocal({
      port: dead.port,
      ...(values.data ? { dataDir: values.data } : {}),
    });
    watch(dynamo);
    await ensureTable(process.env.TABLE_NAME!);
    const seeded = await seedLocal();
    stopJobs = await startJobs((line) => console.log(line));
    console.error(
      `DynamoDB Local is back.${seeded.demo ? ` New demo link: ${base}/take#${seeded.demo.token}` : ''}`,
    );
  } catch (err) {
    console.error(
      `Could not restart DynamoDB Local: ${(err as Error).message}. Stopping (exit 1).`,
    );
    await stop(1);
  }
}
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));
// A hang-up sent to this process alone (a process manager, `kill -HUP`) would otherwise end it
// without the exit handler below and leave DynamoDB Local running.
process.on('SIGHUP', () => void stop(0));
// Last resort: never leave a java process behind, whatever ends this one.
process.on('exit', () => {
  dynamo?.process.kill('SIGKILL');
  dataLock?.release();
});

let server: ReturnType<typeof createGateway> | undefined;
const base = `http://${host}:${port}`;
if (dynamo) watch(dynamo);
let mail: MailCapture | undefined;
try {
  process.env.TABLE_NAME ??= DEFAULT_TABLE_NAME;
  // Mail from the outbox goes to the capture (or SMTP_URL); candidate links point here.
  if (!process.env.SMTP_URL) {
    const ports = {
      smtpPort: Number(process.env.MAIL_SMTP_PORT ?? 1025),
      webPort: Number(process.env.MAIL_WEB_PORT ?? 1080),
    };
    mail = await startMailCapture({ host, ...ports }).catch((err) => {
      // maildev's usual ports are taken (another capture?): any free ones, unless asked for these.
      if (process.env.MAIL_SMTP_PORT || process.env.MAIL_WEB_PORT) throw err;
      return startMailCapture({ host });
    });
    process.env.SMTP_URL = mail.smtpUrl;
  }
  process.env.MAIL_FROM ??= 'assessments@assay.localhost';
  process.env.SITE_URL ??= `http://${host}:${port}`;
  await useLocalIssuer();
  await ensureTable(process.env.TABLE_NAME);
  const seeded = await seedLocal();

  server = createGateway({
    onRequest: values.quiet
      ? undefined
      : ({ method, path, status, ms }) =>
          console.log(`${method} ${path} ${status} ${ms.toFixed(1)}ms`),
  });
  await new Promise<void>((resolve, reject) => {
    server!.once('error', reject);
    server!.listen({ port, host, backlog: LISTEN_BACKLOG }, resolve);
  });

  stopJobs = await startJobs((line) => console.log(line));
  const author = await mintToken({ roles: ['author'], org: 'demo', subject: 'demo-author' });
  const employer = await mintToken({ roles: ['employer'], org: 'demo', subject: 'demo-employer' });
  console.log(`
Assay is running.

  API          ${base}/v1
  Console      ${base}/console (development sign-in: any organisation and role)
  OpenAPI      ${base}/v1/openapi.json
  DynamoDB     ${process.env.DYNAMODB_ENDPOINT} (table ${process.env.TABLE_NAME}${dynamo ? (values.data ? `, persisted in ${values.data}` : ', in memory') : ''})
  Shipped bank ${seeded.summary}

Mail ${mail ? `${mail.webUrl}  (the capture: every email the API sends lands here; SMTP ${mail.smtpUrl})` : `goes to ${process.env.SMTP_URL} (SMTP_URL)`}

Demo author token (organisation demo):
  ${author}

Demo employer token (organisation demo):
  ${employer}
${
  seeded.demo
    ? `
Demo assessment ${seeded.demo.assessmentId} (organisation demo), one invitation:
  link   ${base}/take#${seeded.demo.token}
  start  curl -s -X POST ${base}/v1/attempts -H 'content-type: application/json' -d '{"invitationToken":"${seeded.demo.token}"}'
`
    : ''
}
Try:  curl ${base}/v1/areas
      curl -H "Authorization: Bearer <employer token>" ${base}/v1/assessments
Stop with Ctrl-C.
`);
} catch (err) {
  console.error(startProblem(err));
  await stop(1);
}

/**
 * The one line for a start that failed. A port taken between the check above and the bind gets
 * the same line as before it; a database that does not answer is named with the setting that
 * chose it (the API's own 503 text, "Retry in 1 second", tells a person at a terminal nothing).
 */
function startProblem(err: unknown): string {
  const port = listenProblem(err, ports);
  if (port) return port;
  if (err instanceof UnavailableError) {
    const endpoint = process.env.DYNAMODB_ENDPOINT;
    const why = err.fault.replaceAll('-', ' ');
    return dynamo
      ? `DynamoDB Local at ${endpoint} did not answer (${why}). Check memory and Java, then run npm start again.`
      : `Could not reach DynamoDB at ${endpoint} (DYNAMODB_ENDPOINT): ${why}. Start it there, or unset DYNAMODB_ENDPOINT and npm start runs DynamoDB Local itself.`;
  }
  return `Could not start: ${(err as Error).message}`;
}
