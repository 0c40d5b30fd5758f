import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 300_000,
    // PGlite and the corpus integration tests are memory- and CPU-heavy: two cores, two forks.
    pool: 'forks',
    maxWorkers: 2,
  },
});
