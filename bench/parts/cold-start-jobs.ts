/**
 * The worst requests of the mail, reminders, mail-events and calibration jobs for the
 * cold-start part (bench/parts/cold-start.ts), with their fixtures: each run finds the data in
 * the state every other run found it in, so every measured run makes the same calls and the
 * floor replays them. Mail is sent for real, through SMTP to a maildev capture as `npm start`
 * sends it (the local path: in AWS the mail job sends through SES), and the floor sends the
 * same SMTP conversation over a raw socket (bench/floor/replay.ts).
 */
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { ulid } from 'ulid';
import { stringify as stringifyYaml } from 'yaml';
import { db } from '../../functions/data/client.ts';
import { compressText, createImport, putBody } from '../../functions/data/imports.ts';
import { keys } from '../../functions/data/keys.ts';
import { MAIL_TAGS } from '../../functions/domain/mail-events.ts';
import { requestCalibration, runDueCalibrations } from '../../functions/services/calibration.ts';
import { type MailCapture, startMailCapture } from '../../infra/local/mail-capture.ts';
import { syntheticBank } from '../lib/bank.ts';
import type { Bench } from '../lib/setup.ts';
import { createAssessment } from '../lib/workflow.ts';

export interface JobFixtures {
  /** `count` events per job, one per run (index 0 warm-up, 1 the recording run). */
  events: Record<string, unknown[]>;
  /** Run before run `i` of a job (its own and the floor's): the state that run starts from. */
  prepare: Record<string, (i: number) => Promise<void>>;
  /** What the local runner gives every function for mail (`infra/local/start.ts`). */
  env: NodeJS.ProcessEnv;
  /** A job's own environment: the time its Lambda timeout leaves (`BENCH_REMAINING_MS`). */
  envOf: Record<string, NodeJS.ProcessEnv>;
  stop(): Promise<void>;
}

/** What the jobs' worst requests are, for the table and the README. */
export const JOB_REQUESTS: Record<string, string> = {
  mail: 'stream batch: 1 queued invitation email, sent (SMTP)',
  reminders: 'scheduled run, 1 reminder due',
  'mail-events': 'SES bounce of a sent email, recorded',
  calibration: 'scheduled run, 1 requested calibration (no records yet)',
  import: 'queued YAML bank of 26 new questions: parse, validate, stage, commit',
};

const MAIL_FROM = 'assessments@assay.localhost';

/** A DynamoDB stream record of `item` written for the first time, as Lambda hands it over. */
export function insertRecord(item: Record<string, unknown>, i: number, label: string) {
  const image = marshall(item, { removeUndefinedValues: true, convertClassInstanceToMap: false });
  return {
    Records: [
      {
        eventID: `bench-${label}-${i}`,
        eventName: 'INSERT',
        eventVersion: '1.1',
        eventSource: 'aws:dynamodb',
        awsRegion: 'local',
        dynamodb: {
          Keys: { PK: image.PK, SK: image.SK },
          NewImage: image,
          SequenceNumber: `${200000000000000000001n + BigInt(i)}`,
          SizeBytes: 2048,
          StreamViewType: 'NEW_AND_OLD_IMAGES',
        },
        eventSourceARN: 'arn:aws:dynamodb:local:000000000000:table/bench/stream/bench',
      },
    ],
  };
}

/** An EventBridge schedule's tick, as Lambda hands it over. */
export const scheduledEvent = () => ({
  version: '0',
  id: 'bench-scheduled-event',
  'detail-type': 'Scheduled Event',
  source: 'aws.events',
  account: '000000000000',
  time: new Date().toISOString(),
  region: 'local',
  resources: [],
  detail: {},
});

/**
 * Invitations whose email is queued: `count` each for the mail job (one stream record each),
 * the reminders job (one made due before each run) and the mail-events job (marked sent, one
 * bounce each). The employer's own request queues them (`send: true`), with `MAIL_FROM` set in
 * this process for that request only, as a deployment that sends mail has it.
 */
async function mailedInvitations(b: Bench, assessmentId: string, n: number): Promise<string[]> {
  const before = process.env.MAIL_FROM;
  process.env.MAIL_FROM = MAIL_FROM;
  try {
    const ids: string[] = [];
    for (let i = 0; i < n; i += 500) {
      const res = await b.http.request('POST', `/v1/assessments/${assessmentId}/invitations`, {
        token: b.employer,
        body: {
          send: true,
          candidates: Array.from({ length: Math.min(500, n - i) }, (_, k) => ({
            name: `Mailed Candidate ${i + k}`,
            email: `mailed${i + k}@example.com`,
          })),
          expiresAt: new Date(Date.now() + 3 * 86_400_000).toISOString(),
        },
        timeoutMs: 120_000,
      });
      if (res.status !== 201) throw new Error(`fixture mailed invitations: ${res.status}`);
      for (const inv of res.body.invitations as { invitationId: string }[]) {
        ids.push(inv.invitationId);
      }
    }
    return ids;
  } finally {
    if (before === undefined) delete process.env.MAIL_FROM;
    else process.env.MAIL_FROM = before;
  }
}

/**
 * The fixtures of `count` runs of each job (of those in `only`, when given), the mail capture
 * when the mail job is among them.
 */
export async function jobFixtures(
  b: Bench,
  count: number,
  only?: readonly string[],
): Promise<JobFixtures> {
  const n = (job: string) => (!only || only.includes(job) ? count : 0);
  const capture: MailCapture | undefined = n('mail')
    ? await startMailCapture({ host: '127.0.0.1' })
    : undefined;
  try {
    const mailed = n('mail') + n('reminders') + n('mail-events');
    const ids = mailed
      ? await mailedInvitations(b, await createAssessment(b, 'Cold-start mail fixtures'), mailed)
      : [];
    const forMail = ids.slice(0, n('mail'));
    const forReminders = ids.slice(n('mail'), n('mail') + n('reminders'));
    const forNews = ids.slice(n('mail') + n('reminders'));
    const item = async (id: string) =>
      (await db().send(new GetCommand({ TableName: b.table, Key: keys.invitation(id) }))).Item!;
    const setSent = (id: string, extra: Record<string, unknown> = {}) => {
      const values: Record<string, unknown> = { ':sent': 'sent', ':m': 'bench-message', ...extra };
      const sets = Object.keys(extra).map((k) => `${k.slice(1)} = ${k}`);
      return db().send(
        new UpdateCommand({
          TableName: b.table,
          Key: keys.invitation(id),
          UpdateExpression: `SET ${['mailState = :sent', 'mailMessageId = :m', ...sets].join(', ')} REMOVE mailClaim, mailClaimedAt, remindedAt`,
          ExpressionAttributeValues: values,
        }),
      );
    };
    // The invitation email of each mailed invitation is sent: the bounce finds it `sent`.
    for (const id of forNews) await setSent(id);
    // An organisation of its own for the calibration job's requested runs (no response records).
    const calibrationOrg = `benchcal${randomBytes(4).toString('hex')}`;
    // Queued imports, one per run, each a YAML bank of 26 questions no earlier run stored, as an
    // upload too large for its request leaves it (`acceptUpload` in services/imports.ts): the
    // text stored gzip, the record queued. Here written directly: through the gateway the local
    // `invokeJob` would start the job in this process at once.
    const imports: { task: 'run'; org: string; importId: string }[] = [];
    for (let i = 0; i < n('import'); i++) {
      const importId = ulid();
      const text = stringifyYaml(syntheticBank(`coldimp${i}${randomBytes(3).toString('hex')}`, 26));
      const textBytes = Buffer.byteLength(text);
      await putBody(b.org, importId, 1, { format: 'yaml', textBytes }, compressText(text));
      await createImport({
        importId,
        org: b.org,
        status: 'queued',
        mode: 'async',
        createdAt: new Date().toISOString(),
        createdBy: 'bench',
        parts: 1,
        received: [1],
        progress: { phase: 'queued', done: 0, total: 0 },
        requestHash: importId,
      });
      imports.push({ task: 'run', org: b.org, importId });
    }
    const mailRecords = [];
    for (const [i, id] of forMail.entries())
      mailRecords.push(insertRecord(await item(id), i, 'mail'));
    return {
      events: {
        // The invitation's INSERT, its email queued: claim, assessment, organisation, the
        // mail-token key (a local file; Secrets Manager in AWS), compose, send, mark sent.
        mail: mailRecords,
        // Reads the reminder index's 25 hour buckets, then the due invitation, its assessment,
        // and queues the reminder.
        reminders: Array.from({ length: n('reminders') }, scheduledEvent),
        // One conditional UpdateItem recording the bounce (with its reason).
        'mail-events': forNews.map((id) => ({
          version: '0',
          id: `bench-ses-${id}`,
          'detail-type': 'Email Bounced',
          source: 'aws.ses',
          account: '000000000000',
          time: new Date().toISOString(),
          region: 'local',
          resources: [],
          detail: {
            eventType: 'Bounce',
            bounce: {
              bounceType: 'Permanent',
              bounceSubType: 'General',
              bouncedRecipients: [
                {
                  emailAddress: 'mailed@example.com',
                  status: '5.1.1',
                  diagnosticCode: 'smtp; 550 5.1.1 user unknown',
                },
              ],
              timestamp: new Date().toISOString(),
            },
            mail: {
              timestamp: new Date().toISOString(),
              messageId: 'bench-message',
              destination: ['mailed@example.com'],
              tags: {
                'ses:configuration-set': ['assay-mail'],
                [MAIL_TAGS.invitation]: [id],
                [MAIL_TAGS.message]: ['1'],
              },
            },
          },
        })),
        // A tick that finds one owner's requested run (an author's POST /v1/calibrations): the
        // registry, the run, the owner's four record shards (empty), the run written, the request
        // cleared. The EM numerics of areas with records are seconds of CPU, not a cold start:
        // the adaptive part measures them.
        calibration: Array.from({ length: n('calibration') }, scheduledEvent),
        // The job invoked by the authoring function for a queued import: claim, read the text,
        // the YAML parser (a side module), validate, stage, commit, clean up.
        import: imports,
      },
      prepare: {
        // Whatever else is due is calibrated first (in this process, unmeasured), then the
        // organisation's run requested: every tick finds exactly that one run to do.
        calibration: async () => {
          await runDueCalibrations(new Date(), Date.now() + 50_000);
          await requestCalibration(calibrationOrg, 'bench', new Date());
        },
        // Run i's invitation: mailed two days ago, expiring in 12 hours, its reminder due since
        // 12 hours ago (24 hours before expiry, the default) and in the index's bucket of then.
        reminders: async (i) => {
          const now = Date.now();
          const at = new Date(now - 12 * 3_600_000);
          const entry = keys.reminder(at, forReminders[i]!);
          await setSent(forReminders[i]!, {
            ':createdAt': new Date(now - 48 * 3_600_000).toISOString(),
            ':expiresAt': new Date(now + 12 * 3_600_000).toISOString(),
            ':remindAt': at.toISOString(),
            ':GSI2PK': entry.GSI2PK,
            ':GSI2SK': entry.GSI2SK,
          });
        },
      },
      env: {
        MAIL_FROM,
        SITE_URL: 'http://127.0.0.1:4700',
        ...(capture ? { SMTP_URL: capture.smtpUrl } : {}),
        // The mail-token key the employer's request derived the links with (a local file).
        ASSAY_LOCAL_DIR: resolve(process.env.ASSAY_LOCAL_DIR ?? '.local'),
      },
      // The stack's timeouts (JOB_SETTINGS in infra/aws/stack.ts): both jobs plan their run by
      // what is left (calibration stops 10 s before it, an import 30 s before).
      envOf: {
        calibration: { BENCH_REMAINING_MS: String(60_000) },
        // The clean-up after a commit waits a minute for readers' snapshots (a sleep, not work):
        // here it runs at once, so the run is the import's work.
        import: { BENCH_REMAINING_MS: String(15 * 60_000), IMPORT_CLEANUP_DELAY_MS: '0' },
      },
      stop: async () => {
        await capture?.stop();
      },
    };
  } catch (err) {
    await capture?.stop();
    throw err;
  }
}
