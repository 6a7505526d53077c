/**
 * The calibration job end to end: simulated response records (irt-simulation.ts) loaded into
 * DynamoDB Local, a run requested over HTTP, the job, the parameters in the stats route checked
 * against the generating ones, and attempts started afterwards freezing them. Also: records
 * written by the stream consumer from real completions, pooled for the shared public bank
 * across organisations, erased with the candidate's data.
 */
import { ulid } from 'ulid';
import { beforeAll, describe, expect, it } from 'vitest';
import { getDraw } from '../../functions/data/attempts.ts';
import { batchWrite } from '../../functions/data/batch-write.ts';
import { clearCalibrationCache } from '../../functions/data/calibrations.ts';
import { readResponseRecords, responseRecordItem } from '../../functions/data/response-records.ts';
import { createStreamPoller } from '../../functions/data/stream-poller.ts';
import type { PoolItem } from '../../functions/domain/adaptive.ts';
import { itemLocation } from '../../functions/domain/irt-model.ts';
import {
  normalGenerator,
  simulateScore,
  syntheticPool,
} from '../../functions/domain/irt-simulation.ts';
import { seededRandom } from '../../functions/domain/random.ts';
import type { CompactResponse } from '../../functions/domain/response-records.ts';
import { PUBLIC_ORG } from '../../functions/http/principal.ts';
import { handler as calibrationJob } from '../../functions/jobs/calibration.ts';
import { handler as streamConsumer } from '../../functions/jobs/stream.ts';
import { importBankNow } from '../../functions/services/imports.ts';
import { perfectAnswer, sampleBank } from './fixtures.ts';
import { useTestApi } from './support.ts';

const api = useTestApi({ streams: true });
const ORG = 'calib';
const ITEMS = 20;
const CANDIDATES = 1000;
/** The last item is given to this many candidates only: below the 200-response minimum. */
const SPARSE = 150;

let author: string;
let employer: string;
let generating: PoolItem[];

const qid = (i: number) => `cal-${String(i).padStart(2, '0')}`;

const correlation = (x: number[], y: number[]) => {
  const mx = x.reduce((s, v) => s + v, 0) / x.length;
  const my = y.reduce((s, v) => s + v, 0) / y.length;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < x.length; i++) {
    sxy += (x[i]! - mx) * (y[i]! - my);
    sxx += (x[i]! - mx) ** 2;
    syy += (y[i]! - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
};

beforeAll(async () => {
  author = await api.token('author', ORG);
  employer = await api.token('employer', ORG);
  // The questions the records are about: 20 versions in one area.
  const bank = sampleBank('calx', ITEMS);
  const questions = bank.questions
    .filter((q) => q.area === 'security')
    .map((q, i) => ({ ...q, id: qid(i) }));
  const up = await api.request('POST', '/v1/banks', {
    token: author,
    body: { bank: { id: 'calib-bank', title: 'Calibration' }, questions },
  });
  expect(up.status, up.text).toBe(201);

  // 1,000 simulated candidates, theta ~ N(0,1), on a synthetic calibrated pool (2PL and GPCM).
  generating = syntheticPool(ITEMS, 'calibration-job');
  const thetas = Array.from({ length: CANDIDATES }, normalGenerator('calibration-job-thetas'));
  const random = seededRandom('calibration-job-responses');
  const now = Date.now();
  const items = thetas.map((theta, c) => {
    const responses: CompactResponse[] = [];
    generating.forEach((it, i) => {
      if (i === ITEMS - 1 && c >= SPARSE) return;
      const p = simulateScore(it.model, theta, random);
      responses.push([qid(i), 1, p, 20 + Math.round(random() * 40)]);
    });
    const attemptId = ulid(now - (CANDIDATES - c) * 1000);
    const completedAt = new Date(now - (CANDIDATES - c) * 1000).toISOString();
    return responseRecordItem(attemptId, completedAt, {
      owner: ORG,
      areas: { security: responses },
    });
  });
  await batchWrite(items.map((Item) => ({ PutRequest: { Item } })));
}, 180_000);

describe('the calibration job on 1,000 simulated candidates', () => {
  let calibrationId: string;

  it('queues a run for an author (202, Location) and returns the same run while it is queued', async () => {
    const res = await api.request('POST', '/v1/calibrations', { token: author });
    expect(res.status, res.text).toBe(202);
    expect(res.body.status).toBe('queued');
    expect(res.headers.get('location')).toBe(`/v1/calibrations/${res.body.calibrationId}`);
    calibrationId = res.body.calibrationId;
    const again = await api.request('POST', '/v1/calibrations', { token: author });
    expect(again.status).toBe(202);
    expect(again.body.calibrationId).toBe(calibrationId);
    const other = await api.request('GET', `/v1/calibrations/${calibrationId}`, {
      token: await api.token('author', 'someone-else'),
    });
    expect(other.status).toBe(404);
    const employerCall = await api.request('POST', '/v1/calibrations', { token: employer });
    expect(employerCall.status).toBe(403);
  });

  it('runs it in the job and recovers the generating parameters (r(b) >= 0.95, r(a) >= 0.8, RMSE(b) <= 0.25)', async () => {
    const started = performance.now();
    const out = await calibrationJob();
    console.log(`calibration job: ${Math.round(performance.now() - started)} ms`, out);
    expect(out.runs).toContain(`${ORG}/${calibrationId}`);
    const run = await api.request('GET', `/v1/calibrations/${calibrationId}`, { token: author });
    expect(run.status).toBe(200);
    expect(run.body).toMatchObject({ status: 'succeeded', records: CANDIDATES, minResponses: 200 });
    expect(run.body.areas).toEqual([
      expect.objectContaining({
        area: 'security',
        candidates: CANDIDATES,
        versions: ITEMS,
        calibrated: ITEMS - 1,
        insufficient: 1,
        converged: true,
      }),
    ]);

    const estimated: { a: number; b: number; se: number }[] = [];
    for (let i = 0; i < ITEMS - 1; i++) {
      const stats = await api.request('GET', `/v1/questions/${qid(i)}/stats`, { token: author });
      expect(stats.status).toBe(200);
      const c = stats.body.calibration;
      expect(c).toMatchObject({ calibrationId, responses: CANDIDATES });
      expect(c.standardErrors.b).toBeGreaterThan(0);
      expect(c.fit.df).toBeGreaterThan(0);
      expect(stats.body.versions[0].calibration.a).toBe(c.a);
      estimated.push({ a: c.a, b: c.b, se: c.standardErrors.b });
    }
    const sparse = await api.request('GET', `/v1/questions/${qid(ITEMS - 1)}/stats`, {
      token: author,
    });
    expect(sparse.body.calibration).toBeNull();

    const trueA = generating.slice(0, ITEMS - 1).map((it) => it.model.a);
    const trueB = generating.slice(0, ITEMS - 1).map((it) => itemLocation(it.model));
    const rB = correlation(
      trueB,
      estimated.map((e) => e.b),
    );
    const rA = correlation(
      trueA,
      estimated.map((e) => e.a),
    );
    const rmseB = Math.sqrt(
      estimated.reduce((s, e, i) => s + (e.b - trueB[i]!) ** 2, 0) / estimated.length,
    );
    console.log(
      `recovery: r(b) ${rB.toFixed(3)}, r(a) ${rA.toFixed(3)}, RMSE(b) ${rmseB.toFixed(3)}`,
    );
    expect(rB).toBeGreaterThanOrEqual(0.95);
    expect(rA).toBeGreaterThanOrEqual(0.8);
    expect(rmseB).toBeLessThanOrEqual(0.25);
  }, 120_000);

  it('leaves the organisation alone until its next scheduled recalibration', async () => {
    const out = await calibrationJob();
    expect((out.runs ?? []).filter((r) => r.startsWith(`${ORG}/`))).toEqual([]);
  }, 60_000);

  it('freezes the calibrated parameters in the pools of attempts started afterwards, and scores and reports with them', async () => {
    clearCalibrationCache();
    const created = await api.request('POST', '/v1/assessments', {
      token: employer,
      body: {
        title: 'Calibrated adaptive',
        timeLimitMinutes: 30,
        sections: [{ area: 'security', mode: 'adaptive', minItems: 3, maxItems: 6 }],
      },
    });
    expect(created.status, created.text).toBe(201);
    const inv = await api.request(
      'POST',
      `/v1/assessments/${created.body.assessmentId}/invitations`,
      {
        token: employer,
        body: { candidates: [{}], expiresAt: new Date(Date.now() + 3_600_000).toISOString() },
      },
    );
    const start = await api.request('POST', '/v1/attempts', {
      body: { invitationToken: inv.body.invitations[0].token },
    });
    expect(start.status).toBe(201);
    const draw = await getDraw(start.body.attemptId);
    const pool = draw!.adaptive![0]!.pool;
    expect(pool).toHaveLength(ITEMS);
    for (const entry of pool) {
      if (entry.q === qid(ITEMS - 1)) expect(entry.p).toBeUndefined();
      else expect(entry.p?.a).toBeGreaterThan(0);
    }
    // The candidate sees handles; the bank's questions are told apart by their prompts.
    const idOfPrompt = new Map(
      sampleBank('calx', ITEMS)
        .questions.filter((q) => q.area === 'security')
        .map((q, i) => [q.prompt as string, qid(i)]),
    );
    // The first item is the section's first slot, and one of its pool's questions.
    expect(start.body.sections[0].current).toBe('q1');
    let current = start.body.questions.find(
      (q: { questionId: string }) => q.questionId === start.body.sections[0].current,
    );
    expect(pool.map((e) => e.q)).toContain(idOfPrompt.get(current.prompt));

    // Scored with them too, and the report's level rule says so instead of citing the labels.
    const { attemptId, attemptToken } = start.body;
    const shown: string[] = [];
    for (let i = 0; i < 3; i++) {
      shown.push(idOfPrompt.get(current.prompt)!);
      const saved = await api.request(
        'PUT',
        `/v1/attempts/${attemptId}/answers/${current.questionId}`,
        { token: attemptToken, body: { answer: perfectAnswer(current) } },
      );
      expect(saved.status, saved.text).toBe(200);
      current = saved.body.next;
    }
    await api.request('POST', `/v1/attempts/${attemptId}/submit`, { token: attemptToken });
    const report = await api.request('GET', `/v1/attempts/${attemptId}/report`, {
      token: employer,
    });
    const area = report.body.areas.find((a: { area: string }) => a.area === 'security');
    const calibrated = shown.filter((q) => q !== qid(ITEMS - 1)).length;
    expect(area.items).toBe(3);
    expect(area.calibrated).toBe(calibrated);
    // (An area of poorly separating calibrated questions can miss a level; its rule says so.)
    if (area.level !== 'insufficient-evidence')
      expect(area.levelRule).toContain(
        calibrated === 3
          ? "all 3 questions are weighed by parameters calibrated from candidates' responses."
          : `${calibrated} of the 3 questions`,
      );
  }, 60_000);
});

describe('response records from completed attempts', () => {
  it('are written once per completion and question owner by the stream consumer, pooled across organisations for the public bank, and erased with the candidate', async () => {
    await importBankNow(PUBLIC_ORG, sampleBank('pub', 6) as never, new Date());
    const poller = createStreamPoller((e) => streamConsumer(e));
    await poller.drain();
    const before = await readResponseRecords(PUBLIC_ORG, 1000, new Date());
    const invitations: { org: string; employer: string; invitationId: string }[] = [];
    for (const org of ['pool-a', 'pool-b']) {
      const emp = await api.token('employer', org);
      const a = await api.request('POST', '/v1/assessments', {
        token: emp,
        body: {
          title: 'Public',
          timeLimitMinutes: 30,
          sections: [{ area: 'collaboration', count: 4 }],
        },
      });
      expect(a.status, a.text).toBe(201);
      const inv = await api.request('POST', `/v1/assessments/${a.body.assessmentId}/invitations`, {
        token: emp,
        body: {
          candidates: [{ name: 'Pat' }],
          expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
        },
      });
      const s = await api.request('POST', '/v1/attempts', {
        body: { invitationToken: inv.body.invitations[0].token },
      });
      // Three of four answered: the fourth is missing data, not a zero.
      for (const q of s.body.questions.slice(0, 3))
        await api.request('PUT', `/v1/attempts/${s.body.attemptId}/answers/${q.questionId}`, {
          token: s.body.attemptToken,
          body: { answer: perfectAnswer(q) },
        });
      await api.request('POST', `/v1/attempts/${s.body.attemptId}/submit`, {
        token: s.body.attemptToken,
      });
      invitations.push({ org, employer: emp, invitationId: inv.body.invitations[0].invitationId });
    }
    await poller.drain();
    // A redelivery changes nothing.
    await createStreamPoller((e) => streamConsumer(e)).drain();
    const after = await readResponseRecords(PUBLIC_ORG, 1000, new Date());
    expect(after.length - before.length).toBe(2);
    const added = after.filter((r) => !before.some((b) => JSON.stringify(b) === JSON.stringify(r)));
    for (const r of added) {
      expect(Object.keys(r.areas)).toEqual(['collaboration']);
      expect(r.areas.collaboration).toHaveLength(3);
      expect(JSON.stringify(r)).not.toMatch(/Pat|pool-a|pool-b/);
    }

    const { employer: emp, invitationId } = invitations[0]!;
    const erased = await api.request('DELETE', `/v1/invitations/${invitationId}/candidate-data`, {
      token: emp,
    });
    expect(erased.status).toBe(204);
    const left = await readResponseRecords(PUBLIC_ORG, 1000, new Date());
    expect(left.length).toBe(after.length - 1);
  }, 120_000);
});
