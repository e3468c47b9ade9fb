import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['runners/**/*.test.ts', 'reports/**/*.test.ts'],
          exclude: ['**/*.e2e.test.ts', 'node_modules/**', 'fixtures/**', 'scenarios/**', 'runs/**'],
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['runners/**/*.e2e.test.ts'],
          testTimeout: 600_000,
          hookTimeout: 120_000,
          // End-to-end files each start OpenCode servers; run them one at a time on 2 cores.
          fileParallelism: false,
        },
      },
    ],
  },
});
