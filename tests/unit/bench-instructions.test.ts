import { describe, expect, it } from 'vitest';
import { formatResults } from '../../bench/format.ts';
import type { BenchResults } from '../../bench/harness.ts';
import { collectedInstructions } from '../../bench/lib/child.ts';
import {
  type ChildResult,
  type ColdStartResult,
  countInstructions,
} from '../../bench/parts/cold-start.ts';

describe("the bench's instruction counts (--instructions)", () => {
  it("are read from callgrind's summary line, whatever the process wrote around it", () => {
    const stderr = [
      '==4320== Callgrind, a call-graph generating cache profiler',
      'some warning the child printed',
      '==4320== Events    : Ir',
      '==4320== Collected : 649202838',
      '==4320== ',
      '==4320== I   refs:      649,202,838',
    ].join('\n');
    expect(collectedInstructions(stderr)).toBe(649_202_838);
  });

  it('are missing when valgrind printed no summary (the process was killed, or ran without it)', () => {
    expect(collectedInstructions('')).toBeUndefined();
    expect(collectedInstructions('Collected : 12 (a child printing this itself)')).toBeUndefined();
  });
});

describe('a counted cold start whose runs did other work', () => {
  const run = (instructions: number, status: number, calls: string[]): ChildResult => ({
    bootMs: 0,
    importMs: 0,
    firstMs: 0,
    importCpuMs: 0,
    firstCpuMs: 0,
    wallMs: 0,
    status,
    calls,
    instructions,
  });
  const start = ['GetItem', 'Query', 'UpdateItem', 'BatchGetItem', 'PutItem', 'PutItem'];

  it('gives no ratio and says what each run answered (a 503 under valgrind does less work)', async () => {
    // Under valgrind a process runs ~50 times slower: on a loaded machine a call can outlive its
    // per-attempt timeout, and the function answers 503 having made fewer calls than the floor.
    let i = 0;
    const { counts, sameCalls } = await countInstructions(
      2,
      async () =>
        i++ === 0 ? run(600e6, 201, start) : run(400e6, 503, ['GetItem', 'Query', 'UpdateItem']),
      async () => run(540e6, 200, start),
      undefined,
      async () => run(270e6, 200, []),
    );
    expect(sameCalls).toBe(false);
    expect(counts.answered.function).toEqual([
      `201: ${start.join('+')}`,
      '503: GetItem+Query+UpdateItem',
    ]);
    const text = formatResults(resultsWith({ sameCalls, instructions: counts }));
    const row = text.split('\n').find((l) => l.startsWith('candidate ') && l.includes('NO'));
    expect(row).toBeDefined();
    expect(row).not.toMatch(/\d\.\d\d \(/); // no ratio with its range on the row
    expect(text).toContain('did not all make the floor');
    expect(text).toContain('503: GetItem+Query+UpdateItem');
  });

  it('gives the ratio when every run made the floor’s calls', async () => {
    const { counts, sameCalls } = await countInstructions(
      3,
      async () => run(560e6, 201, start),
      async () => run(540e6, 200, start),
      undefined,
      async () => run(270e6, 200, []),
    );
    expect(sameCalls).toBe(true);
    expect(counts.ratio.median).toBeCloseTo(290 / 270, 3);
    const text = formatResults(resultsWith({ sameCalls, instructions: counts }));
    expect(text).toMatch(/1\.07 \(1\.07-1\.07\)\s+yes \(6\)/);
  });
});

function resultsWith(c: Partial<ColdStartResult>): BenchResults {
  const bundle = {
    bytes: 1,
    gzipBytes: 1,
    mapBytes: 1,
    buildMs: 1,
    topPackages: [],
    topFolders: [],
    topFiles: [],
    pulledInBy: {},
  };
  return {
    meta: {
      mode: 'test',
      startedAt: '',
      durationS: 0,
      node: '',
      cpus: 2,
      cpuModel: '',
      dynamodb: '',
      streams: false,
    },
    coldStart: [
      {
        function: 'candidate',
        kind: 'http',
        request: 'POST /v1/attempts (start)',
        runs: 3,
        bundle,
        ...c,
      },
    ],
    targets: [],
  } as unknown as BenchResults;
}
