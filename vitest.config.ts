// The project's own tests (`npm test`). The conformance run configures vitest inline (src/runner/start.ts).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Hang guards far above what any test takes, even beside other CPU-bound work: never a speed requirement.
    testTimeout: 300_000,
    hookTimeout: 300_000,
    pool: 'threads',
    // A temporary directory of the run's own, removed at its end: tests leave nothing in the system's.
    globalSetup: ['./test/support/fresh-tmpdir.ts'],
    reporters: ['default', './test/support/closing-line-reporter.ts'],
  },
});
