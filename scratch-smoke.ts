import { writeFileSync } from 'node:fs';
import { startDynamoLocal } from './infra/local/dynamodb-local.ts';

process.env.LOG_LEVEL = 'WARN';
const d = await startDynamoLocal({ port: 3102 });
try {
  const { runBench } = await import('./bench/harness.ts');
  const { formatResults } = await import('./bench/format.ts');
  const r = await runBench({
    endpoint: d.endpoint,
    sizes: {
      bankQuestions: 260,
      coldStart: {
        runs: 2,
        rounds: 2,
        functions: (process.env.FNS ?? 'candidate').split(','),
        warmup: false,
      },
      warm: { requests: 3, warmup: 1, rounds: 3 },
      cost: { workflows: 1 },
      scale: { sizes: [260, 520], workflows: 2, warmup: 0, rounds: 2 },
      load: { candidates: 3, rounds: 1, deadlineMs: 20_000, requestTimeoutMs: 10_000 },
    },
    mode: 'smoke',
    parts: (process.env.PARTS ?? 'coldStart').split(',') as never,
  });
  writeFileSync('/tmp/storage-scratch/smoke.json', JSON.stringify(r, null, 2));
  console.log(formatResults(r));
} finally {
  await d.stop();
}
