/**
 * Where a warm request's time goes: the warm part's workflow (start -> get attempt -> save one
 * answer -> submit, one request at a time) with the gateway and the handlers in a process of
 * their own, profiled by V8's CPU profiler (the same sampler as `node --cpu-prof`, started
 * through the inspector only for the measured requests), and every request's timeline recorded
 * there: the gateway's marks, each DynamoDB `send` and each exchange on the wire. The client is
 * this process, so none of its work is in the profile.
 *
 *   npx tsx bench/profile-warm.ts [--requests 1000] [--warmup 50] [--interval-us 100]
 *                                 [--port 4800] [--dynamo-port 4801] [--out bench/out/profile]
 *
 * Starts DynamoDB Local on `--dynamo-port` (unless DYNAMODB_ENDPOINT names one) and the gateway
 * on `--port`; prints per endpoint the median of each part of a request and the CPU profile's
 * shares by component, and writes `warm.cpuprofile` (open it in Chrome DevTools) and
 * `warm-profile.json` under `--out`.
 */
import { fork } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { syntheticBank } from './lib/bank.ts';
import { HttpClient } from './lib/http.ts';
import {
  analyseProfile,
  type CpuProfile,
  formatBreakdown,
  type RequestRecord,
  type ServerMessage,
  timelineOf,
} from './lib/profile.ts';
import type { Bench } from './lib/setup.ts';
import { attemptOf, createAssessment, invite, request, uploadBank } from './lib/workflow.ts';

const role = process.argv[2] === '--server' ? 'server' : 'client';

if (role === 'server') await server();
else await client();

/** The gateway and the handlers, driven by the client over IPC. */
async function server(): Promise<void> {
  process.env.LOG_LEVEL ??= 'WARN';
  delete process.env.EVENT_BUS_NAME;
  const { openBench } = await import('./lib/setup.ts');
  const { watch } = await import('./lib/dynamo.ts');
  const records: RequestRecord[] = [];
  let recording = false;
  const w = watch();
  const b = await openBench(process.env.DYNAMODB_ENDPOINT!, false, {
    port: Number(process.env.GATEWAY_PORT ?? 0),
    onRequest: (line) => {
      const win = w.take();
      if (recording) records.push(timelineOf(line, win));
    },
  });
  const session = new Session();
  session.connect();
  const send = (m: ServerMessage) => process.send!(m);
  process.on('message', async (m: { cmd: string; intervalUs?: number }) => {
    if (m.cmd === 'start') {
      await session.post('Profiler.enable');
      await session.post('Profiler.setSamplingInterval', { interval: m.intervalUs ?? 100 });
      records.length = 0;
      recording = true;
      // The profile's clock (V8's monotonic ticks, µs) against performance.now() (ms).
      const offsetUs = Number(process.hrtime.bigint() / 1000n) - performance.now() * 1000;
      await session.post('Profiler.start');
      send({ kind: 'started', offsetUs });
    } else if (m.cmd === 'stop') {
      recording = false;
      const { profile } = await session.post('Profiler.stop');
      send({ kind: 'stopped', records, profile: profile as unknown as CpuProfile });
    } else if (m.cmd === 'close') {
      session.disconnect();
      await b.close();
      process.exit(0);
    }
  });
  send({ kind: 'ready', base: b.base, author: b.author, employer: b.employer, org: b.org });
}

async function client(): Promise<void> {
  const { values } = parseArgs({
    options: {
      requests: { type: 'string', default: '1000' },
      warmup: { type: 'string', default: '50' },
      'interval-us': { type: 'string', default: '100' },
      port: { type: 'string', default: '4800' },
      'dynamo-port': { type: 'string', default: '4801' },
      out: { type: 'string', default: 'bench/out/profile' },
    },
  });
  const n = Number(values.requests);
  const warmup = Number(values.warmup);
  const { startDynamoLocal } = await import('../infra/local/dynamodb-local.ts');
  const dynamo = process.env.DYNAMODB_ENDPOINT
    ? undefined
    : await startDynamoLocal({ port: Number(values['dynamo-port']) });
  // Never leave a java process behind, whatever ends this one.
  process.on('exit', () => dynamo?.process.kill('SIGKILL'));
  const endpoint = process.env.DYNAMODB_ENDPOINT ?? dynamo!.endpoint;
  const child = fork(import.meta.filename, ['--server'], {
    env: { ...process.env, DYNAMODB_ENDPOINT: endpoint, GATEWAY_PORT: values.port },
    execArgv: ['--import', 'tsx'],
  });
  const next = <K extends ServerMessage['kind']>(kind: K) =>
    new Promise<Extract<ServerMessage, { kind: K }>>((ok, fail) => {
      const onMessage = (m: ServerMessage) => {
        if (m.kind !== kind) return;
        child.off('message', onMessage);
        ok(m as Extract<ServerMessage, { kind: K }>);
      };
      child.on('message', onMessage);
      child.once('exit', (code) => fail(new Error(`server exited ${code}`)));
    });
  try {
    const ready = await next('ready');
    const http = new HttpClient(ready.base, 1);
    const b = { http, author: ready.author, employer: ready.employer } as unknown as Bench;
    await uploadBank(b, syntheticBank('main', 650));
    const assessmentId = await createAssessment(b, 'Warm profile');
    const tokens = await invite(b, assessmentId, warmup + n);
    const client: Record<string, number[]> = {
      start: [],
      getAttempt: [],
      saveAnswer: [],
      submit: [],
    };
    let offsetUs = 0;
    for (const [i, token] of tokens.entries()) {
      if (i === warmup) {
        child.send({ cmd: 'start', intervalUs: Number(values['interval-us']) });
        offsetUs = (await next('started')).offsetUs;
      }
      const start = await request.start(b, token);
      if (start.status !== 201) throw new Error(`start answered ${start.status}`);
      const a = attemptOf(start);
      const get = await request.get(b, a);
      const save = await request.save(b, a, a.questions[i % a.questions.length]!);
      const submit = await request.submit(b, a);
      if (i < warmup) continue;
      client.start!.push(start.ms);
      client.getAttempt!.push(get.ms);
      client.saveAnswer!.push(save.ms);
      client.submit!.push(submit.ms);
    }
    child.send({ cmd: 'stop' });
    const stopped = await next('stopped');
    const out = resolve(values.out);
    mkdirSync(out, { recursive: true });
    writeFileSync(resolve(out, 'warm.cpuprofile'), JSON.stringify(stopped.profile));
    const analysis = analyseProfile(stopped.profile, stopped.records, offsetUs, client);
    writeFileSync(resolve(out, 'warm-profile.json'), `${JSON.stringify(analysis, null, 2)}\n`);
    console.log(formatBreakdown(analysis));
    console.log(`\nProfile: ${resolve(out, 'warm.cpuprofile')}`);
    http.close();
    child.send({ cmd: 'close' });
    await new Promise((r) => child.once('exit', r));
  } finally {
    if (child.exitCode === null) child.kill('SIGTERM');
    await dynamo?.stop();
  }
}
