import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Each file opens its own databases (and some start server processes): a fork per
    // file keeps them apart; two cores, so two at a time.
    pool: 'forks',
    maxWorkers: 2,
  },
});
