// The project's own tests (`npm test`). The conformance run configures vitest inline (src/runner/start.ts).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Hang guards far above what any test takes, even beside other CPU-bound work: never a speed requirement.
    testTimeout: 300_000,
    hookTimeout: 300_000,
    pool: 'threads',
    // vitest's default is one worker per core less one, a single worker on a 2-core machine: test files then run one
    // after another, and those that mostly wait (stalled targets, CLI child processes) leave both cores idle. Three
    // workers keep the cores busy while such a file waits.
    maxWorkers: 3,
    // A temporary directory of the run's own, removed at its end: tests leave nothing in the system's.
    globalSetup: ['./test/support/fresh-tmpdir.ts'],
    reporters: ['default', './test/support/closing-line-reporter.ts'],
  },
});
