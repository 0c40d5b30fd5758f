import { createRequire } from 'node:module';

import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // Vite would pick graphql's ESM build for our sources while Pothos and yoga load its CommonJS
    // build through Node: two realms, and "Cannot use GraphQLObjectType from another module".
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 300_000,
    // PGlite and the corpus integration tests are memory- and CPU-heavy: two cores, two forks.
    pool: 'forks',
    maxWorkers: 2,
  },
});
