import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Handlers log AttemptCompleted and the like at INFO; tests read results, not logs.
    env: { LOG_LEVEL: 'WARN' },
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['tests/unit/**/*.test.ts'] },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          // Browser tests (tests/e2e) drive the candidate app against the same local stack.
          include: ['tests/integration/**/*.test.ts', 'tests/e2e/**/*.test.ts'],
          globalSetup: ['tests/integration/global-setup.ts'],
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
        },
      },
    ],
  },
});
