import { defineConfig } from 'vitest/config';

/** Integration files that run their own DynamoDB Local (faults, the 50,000-question import, load, the runner). */
const HEAVY = [
  'tests/integration/faults.test.ts',
  'tests/integration/import-large.test.ts',
  'tests/integration/load.test.ts',
  'tests/integration/runner.test.ts',
];

/**
 * The suite must pass on a 2-core machine that is busy with something else. Every project
 * states its timeouts: a default test of a busy machine's worth (work that is heavier still
 * sets its own), and hooks that stand up a DynamoDB Local or a bank.
 *
 * `npm test` runs two vitest processes side by side (`test:lanes` in package.json), each with
 * vitest's cores - 1 workers (one file at a time on 2 cores): "shared", the integration project (the
 * integration and browser files, on the one DynamoDB Local of its global setup), and "own", the
 * unit and infra projects, then the heavy files, which run a DynamoDB Local of their own and
 * pause, kill or load it. No two files share a table, a DynamoDB Local they stop, or a fixed
 * port, so the two processes cannot disturb each other but for the CPU they share. (Every
 * project names its group: with one worker, vitest would otherwise run group 0 after all the
 * numbered groups.)
 */
export default defineConfig({
  test: {
    // Handlers log AttemptCompleted and the like at INFO; tests read results, not logs.
    // Every response the tests see is checked by both zod and the generated output schemas
    // (functions/http/api.ts, checkOutput): they must agree.
    env: { LOG_LEVEL: 'WARN', ASSAY_OUTPUT_CROSSCHECK: '1' },
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          // One process for every unit file: 78 forks, each importing vitest and the modules
          // again, were 128 s of CPU for 76 s of tests; in one process the project takes 54 s.
          // A unit file that changes process-wide state (an environment variable, the DynamoDB
          // client's settings) puts it back in its afterAll; shuffled file orders pass.
          isolate: false,
          // Property tests run hundreds of cases: seconds on a quiet machine.
          testTimeout: 30_000,
          sequence: { groupOrder: 1 },
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          // Browser tests (tests/e2e) drive the candidate app against the same local stack.
          include: ['tests/integration/**/*.test.ts', 'tests/e2e/**/*.test.ts'],
          exclude: HEAVY,
          globalSetup: ['tests/integration/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 180_000,
          sequence: { groupOrder: 1 },
        },
      },
      {
        extends: true,
        test: {
          name: 'heavy',
          include: HEAVY,
          testTimeout: 300_000,
          hookTimeout: 180_000,
          fileParallelism: false,
          sequence: { groupOrder: 2 },
        },
      },
      {
        extends: true,
        // Synthesis bundles every function with esbuild; give it time on a cold machine.
        test: {
          name: 'infra',
          include: ['tests/infra/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
