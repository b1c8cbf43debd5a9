import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // One graphql module instance for type-graphql, Apollo and the tests.
    alias: { graphql: 'graphql/index.js' },
  },
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Each test file gets its own database (embedded) or its own organizations (PostgreSQL).
    pool: 'forks',
    reporters: ['default'],
  },
});
