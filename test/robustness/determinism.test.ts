/**
 * A conformance run is evidence: identical targets give identical verdicts, run after run. Proven with whole
 * runs in this process (the engine's session over every case, as the CLI's worker runs them), several times per
 * profile against fresh emulators, and with two CLI runs for the process path (vitest, reports, exit code).
 */
import { describe, expect, it } from 'vitest';
import { startEmulator } from '../../emulator/server.ts';
import { type CaseResult, PROFILES } from '../../src/model.ts';
import type { RunResults } from '../../src/results/model.ts';
import { readResultsFile, runCli, tempDir, TEST_KEY } from '../helpers.ts';
import { runInProcess } from '../support/in-process.ts';

const RUNS_PER_PROFILE = 5;

/** The verdict of a run: every case's status and every check's status, in a stable order. */
function verdicts(cases: Array<Pick<CaseResult, 'id' | 'status' | 'checks'>>): string {
  return JSON.stringify([...cases].sort((a, b) => a.id.localeCompare(b.id)).map((c) => [c.id, c.status, c.checks.map((k) => `${k.id}=${k.status}`)]));
}

describe('determinism', () => {
  it.each(PROFILES)(`${RUNS_PER_PROFILE} whole runs of the %s profile give identical verdicts`, async (profile) => {
    const seen = new Set<string>();
    for (let i = 0; i < RUNS_PER_PROFILE; i++) {
      const emu = await startEmulator({ key: TEST_KEY });
      try {
        seen.add(verdicts(await runInProcess(emu.url, { profile, concurrency: 1 + (i % 4) })));
      } finally {
        await emu.close();
      }
    }
    expect(seen.size).toBe(1);
  });

  it('two CLI runs give identical verdicts and summaries', { timeout: 300_000 }, async () => {
    const runs = await Promise.all(
      [0, 1].map(async () => {
        const dir = tempDir('aoai-det-');
        const out = await runCli(['run', '--no-allure', '--report-dir', dir]);
        expect(out.code, out.stdout + out.stderr).toBe(0);
        return readResultsFile(dir);
      }),
    );
    const summary = (r: RunResults) => {
      const { planned, run, passed, failed, warnings, skipped, errors, checks, mustFailures } = r.summary;
      return JSON.stringify({ summary: { planned, run, passed, failed, warnings, skipped, errors, checks, mustFailures }, verdict: r.verdict, cases: verdicts(r.cases) });
    };
    expect(summary(runs[0])).toBe(summary(runs[1]));
  });
});
