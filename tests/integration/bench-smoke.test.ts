import { beforeAll, describe, expect, inject, it } from 'vitest';
import { type BenchResults, type BenchSizes, runBench } from '../../bench/harness.ts';

/** One tiny iteration of every part: enough to prove the harness works, not to measure. */
const TINY: BenchSizes = {
  bankQuestions: 260,
  coldStart: { runs: 2, rounds: 2, functions: ['candidate'], warmup: false },
  warm: { requests: 3, warmup: 1, rounds: 3 },
  cost: { workflows: 1 },
  scale: { sizes: [260, 520], workflows: 2, warmup: 0, rounds: 2, creationsPerRound: 1 },
  load: { candidates: 3, rounds: 1, deadlineMs: 20_000, requestTimeoutMs: 10_000 },
};

describe('the benchmark harness', () => {
  let r: BenchResults;

  // One tiny run of the harness is the fixture every test below reads.
  beforeAll(async () => {
    r = await runBench({ endpoint: inject('dynamoEndpoint'), sizes: TINY, mode: 'smoke' });
  }, 300_000);

  it('runs one tiny iteration of every part against DynamoDB Local', () => {
    expect(r.meta.parts).toEqual(['coldStart', 'warm', 'cost', 'load', 'scale']);
    expect(r.targets.length).toBeGreaterThan(10);
  });

  it('builds the function bundle and its floor and serves a request in fresh processes', () => {
    const [c] = r.coldStart!;
    // The candidate function's worst request: a start, cold: the invitation, the assessment
    // with its content item (one Query), the invitation claimed, the question versions with
    // the calibrated parameters of its two areas (one BatchGetItem), the draw and the head.
    const start = ['GetItem', 'Query', 'UpdateItem', 'BatchGetItem', 'PutItem', 'PutItem'];
    expect(c).toMatchObject({ function: 'candidate', runs: 2, sameCalls: true });
    expect(c!.bundle.bytes).toBeGreaterThan(c!.bundle.gzipBytes);
    expect(c!.floorBundle!.bytes).toBeGreaterThan(0);
    expect(c!.bundle.topPackages.length).toBeGreaterThan(0);
    // A start logs nothing and parses no upload: beside the bundle it loads only its response's
    // output check (the candidate group's generated schemas and their walk, functions/http/conform.ts).
    expect(c!.sideModules!.map((m) => m.name)).toEqual(['side/outputs-candidate.mjs']);
    expect(c!.loadedBytes).toBe(c!.bundle.bytes + c!.sideModules![0]!.bytes);
    expect(c!.real).toMatchObject({ calls: start, errors: 0 });
    expect(c!.floor).toMatchObject({ calls: start, errors: 0 });
    expect(c!.real!.importMs).toBeGreaterThan(0);
    expect(c!.rounds!.n).toBe(2);
    const target = r.targets.find((t) => t.id === 'cold-start:candidate')!;
    expect(['PASS', 'MISS', 'inconclusive']).toContain(target.verdict);
  });

  it('times every workflow endpoint against the time spent in DynamoDB', () => {
    expect(r.warm!.map((w) => w.endpoint)).toEqual(['start', 'getAttempt', 'saveAnswer', 'submit']);
    for (const w of r.warm!) {
      expect(w).toMatchObject({ n: 3, errors: 0 });
      expect(w.wireMs.p50).toBeGreaterThan(0);
      expect(w.serverMs.p50).toBeGreaterThanOrEqual(w.wireMs.p50);
      expect(w.rounds.n).toBe(3);
    }
    expect(r.warm!.find((w) => w.endpoint === 'saveAnswer')!.calls).toEqual({
      median: 1,
      max: 1,
    });
  });

  it('counts the calls and capacity of each request and of a whole workflow', () => {
    const op = (name: string) => r.cost!.operations.find((o) => o.operation === name)!;
    expect(r.cost!.everySaveOneUpdate).toBe(true);
    expect(op('save answer (any)').calls).toEqual(['UpdateItem']);
    expect(op('save answer (any)').wcu.max).toBe(1);
    // The first start of a new assessment: its content lock and the claim in one transaction.
    expect(op('start (fresh function)').calls).toEqual([
      'GetItem',
      'Query',
      'TransactWriteItems',
      'BatchGetItem',
      'PutItem',
      'PutItem',
    ]);
    expect(op('start (warm caches)').calls).not.toContain('TransactWriteItems');
    expect(op('start (warm caches)').calls).not.toContain('BatchGetItem');
    const [cold, warm] = r.cost!.workflows;
    expect(cold!.rcu.median).toBeGreaterThan(warm!.rcu.median);
    expect(warm!.calls).toBe(
      op('start (warm caches)').callCount.median +
        20 +
        op('submit').callCount.median +
        op('candidate result').callCount.median,
    );
    expect(r.cost!.statistics.wcu.max).toBeGreaterThan(0);
    for (const id of ['wcu:save', 'wcu:attempt-cold', 'rcu:attempt-cold', 'wcu:statistics'])
      expect(
        r.targets.find((t) => t.id === id),
        id,
      ).toBeDefined();
    expect(r.meta.calibration.transactWriteCorrection).toBeGreaterThanOrEqual(1);
  });

  it('loses no acknowledged answer under (tiny) load and runs the raw floor alike', () => {
    expect(r.load!.gateway).toMatchObject({
      requests: 63,
      errors: 0,
      acknowledgedAnswers: 60,
      lostAnswers: 0,
      submitted: 3,
    });
    expect(r.load!.floor).toMatchObject({ requests: 126, errors: 0 });
    expect(r.load!.runs.map((x) => x.kind)).toEqual(['floor', 'gateway', 'floor']);
    expect(r.load!.throughputRounds.median).toBeGreaterThan(0);
  });

  it('runs the same workflow against banks of each size with the same calls', () => {
    const [small, large] = r.scale!.points;
    expect(small!.questions).toBe(260);
    expect(large!.questions).toBe(520);
    expect(large!.callsPerWorkflow).toBe(small!.callsPerWorkflow);
    expect(r.scale!.capacityRatio).toBeGreaterThan(0);
    expect(small!.createAssessment.ms.n).toBe(2);
    expect(r.scale!.createRatio.n).toBe(2);
    expect(r.targets.find((t) => t.id === 'calls:save')!.pass).toBe(true);
  });
});
