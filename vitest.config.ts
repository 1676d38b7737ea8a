import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    pool: 'forks',
    // A test file per core, and at least two: vitest's default (cores − 1) runs the suite one file
    // at a time on a 2-core CI machine, while a file often waits on PostgreSQL, npm or a child process.
    // Every file has a database of its own (test/support/database.ts), so files never share rows.
    maxWorkers: Math.max(2, availableParallelism()),
  },
});
