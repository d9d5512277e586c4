// The conformance run (`aoai-conformance run`): one test per case in suites/. The CLI adds the reporters
// (reporters/conformance-reporter.ts, and allure-vitest writing <report-dir>/allure-results, which registers
// its own setup file), names the suite files with selected cases, and passes the target through
// AOAI_CONFORMANCE_RUN and the shard through AOAI_CONFORMANCE_SHARD; see src/cli.ts.
import { defineConfig } from 'vitest/config';

const concurrency = Number(JSON.parse(process.env.AOAI_CONFORMANCE_RUN ?? '{}').concurrency ?? 4);
const requestTimeoutMs = Number(JSON.parse(process.env.AOAI_CONFORMANCE_RUN ?? '{}').target?.requestTimeoutMs ?? 30_000);

export default defineConfig({
  test: {
    include: ['suites/**/*.test.ts'],
    maxConcurrency: concurrency,
    // A case can take one request timeout; vitest's own limit sits above it so the engine reports first.
    testTimeout: requestTimeoutMs + 10_000,
    // Files run one after another so `concurrency` is the real number of requests in flight.
    fileParallelism: false,
    isolate: false,
    pool: 'threads',
  },
});
