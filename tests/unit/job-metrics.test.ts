import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  METRICS_NAMESPACE,
  recordSweeperRun,
  SWEEPER_ATTEMPTS_FINALISED,
  SWEEPER_RUN_SUCCEEDED,
} from '../../functions/jobs/job-metrics.ts';

/** What the sweeper writes to stdout (its log, in Lambda) while recording a run. */
async function emitted(env: Record<string, string | undefined>): Promise<string[]> {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete process.env[k];
  const lines: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    lines.push(String(chunk));
    return true;
  });
  try {
    await recordSweeperRun({ finalised: 3 });
  } finally {
    spy.mockRestore();
    process.env = saved;
  }
  return lines.flatMap((l) => l.split('\n')).filter(Boolean);
}

afterEach(() => vi.restoreAllMocks());

describe('the sweeper success metric', () => {
  it('is one EMF line: SweeperRunSucceeded 1 and the attempts finalised, under Assay with the service dimension', async () => {
    const lines = await emitted({
      POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
      POWERTOOLS_SERVICE_NAME: 'Assay',
      POWERTOOLS_DEV: undefined,
      POWERTOOLS_METRICS_DISABLED: undefined,
    });
    expect(lines).toHaveLength(1);
    const emf = JSON.parse(lines[0]!);
    const [directive] = emf._aws.CloudWatchMetrics;
    expect(directive.Namespace).toBe(METRICS_NAMESPACE);
    expect(directive.Dimensions).toEqual([['service']]);
    expect(directive.Metrics.map((m: { Name: string }) => m.Name).sort()).toEqual(
      [SWEEPER_ATTEMPTS_FINALISED, SWEEPER_RUN_SUCCEEDED].sort(),
    );
    expect(emf.service).toBe('Assay');
    expect(emf[SWEEPER_RUN_SUCCEEDED]).toBe(1);
    expect(emf[SWEEPER_ATTEMPTS_FINALISED]).toBe(3);
  });

  it('is not written where no namespace is configured (the local runner)', async () => {
    expect(await emitted({ POWERTOOLS_METRICS_NAMESPACE: undefined })).toEqual([]);
  });
});
