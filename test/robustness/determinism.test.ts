/** A conformance run is evidence: identical targets give identical verdicts, run after run. */
import { describe, expect, it } from 'vitest';
import type { RunResults } from '../../src/results.ts';
import { readResultsFile, runCli, tempDir } from '../helpers.ts';

const RUNS = 20;
const PARALLEL = 4;

/** The verdict of a run: every case's status and every check's status, in a stable order. */
function verdicts(r: RunResults): string {
  const cases = [...r.cases].sort((a, b) => a.id.localeCompare(b.id));
  const { planned, run, passed, failed, warnings, skipped, errors, checks, mustFailures } = r.summary;
  return JSON.stringify({
    summary: { planned, run, passed, failed, warnings, skipped, errors, checks, mustFailures },
    verdict: r.verdict,
    cases: cases.map((c) => [c.id, c.status, c.checks.map((k) => `${k.id}=${k.status}`)]),
  });
}

describe('determinism', () => {
  it(`${RUNS} consecutive runs against the emulator give identical verdicts`, async () => {
    const seen: string[] = [];
    for (let start = 0; start < RUNS; start += PARALLEL) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(PARALLEL, RUNS - start) }, async () => {
          const dir = tempDir('aoai-det-');
          const out = await runCli(['run', '--no-allure', '--report-dir', dir]);
          expect(out.code, out.stdout + out.stderr).toBe(0);
          return verdicts(readResultsFile(dir));
        }),
      );
      seen.push(...batch);
    }
    expect(seen).toHaveLength(RUNS);
    expect(new Set(seen).size).toBe(1);
  }, 600_000);
});
