/**
 * A check that cannot fail is a defect: every check is shown failing on the emulator fault that breaks
 * its rule, and passing on the same case without the fault, in every profile the case applies to.
 */
import { describe, expect, it } from 'vitest';
import { FAULTS } from '../../emulator/faults.ts';
import { CHECKS, TRANSPORT_CHECK } from '../../src/checks/index.ts';
import { type CaseResult, type CaseSpec, type ProfileName, PROFILES } from '../../src/model.ts';
import { FAULT_MATRIX } from '../fault-matrix/index.ts';
import { caseById, runAgainst, withEmulator } from '../helpers.ts';

describe('the fault matrix is complete', () => {
  it('exercises every check', () => {
    const covered = new Set(FAULT_MATRIX.map((r) => r.check));
    const missing = [...CHECKS.keys(), TRANSPORT_CHECK].filter((c) => !covered.has(c));
    expect(missing).toEqual([]);
  });

  it('uses every fault (no fault is a no-op)', () => {
    const used = new Set(FAULT_MATRIX.map((r) => r.fault));
    expect(FAULTS.map((f) => f.id).filter((f) => !used.has(f))).toEqual([]);
  });

  it('names only cases and checks that exist, and each case uses the check it names', () => {
    for (const row of FAULT_MATRIX) {
      const spec = caseById(row.case);
      if (row.check !== TRANSPORT_CHECK) expect(spec.expect.map((e) => e.check), `${row.case} uses ${row.check}`).toContain(row.check);
    }
  });
});

/**
 * The faults whose failure is the client's stream idle limit firing (the stream falls silent): their faulty run gets
 * a short idle limit, the event under test. Every other run, and every clean one, has only hang guards.
 */
const HANGING_FAULTS = new Set(['stream-hang']);
const HUNG_STREAM_IDLE_MS = 2_000;
/** Two case runs, each under time limits of a minute at most: a hang guard, not a speed requirement. */
const HANG_GUARD = { timeout: 300_000 };

describe('the faults that hang', () => {
  it('exist', () => {
    expect([...HANGING_FAULTS].filter((id) => !FAULTS.some((f) => f.id === id))).toEqual([]);
  });
});

/**
 * The same case in the same profile without any fault, run once per file: many rows share a case, and the emulator
 * answers a case alike every time (test/robustness/determinism.test.ts), so one clean run stands for all of them.
 */
const cleanRuns = new Map<string, Promise<CaseResult>>();
function cleanRun(spec: CaseSpec, profile: ProfileName): Promise<CaseResult> {
  const key = `${profile} ${spec.id}`;
  let run = cleanRuns.get(key);
  if (!run) cleanRuns.set(key, (run = withEmulator([], (url) => runAgainst(url, spec, profile))));
  return run;
}

describe.each(PROFILES)('every check fails on its fault and passes without it (%s)', (profile) => {
  for (const row of FAULT_MATRIX) {
    const spec = caseById(row.case);
    const applies = spec.profiles.includes(profile) && (!row.profiles || row.profiles.includes(profile));
    const faults = [row.fault, ...(row.with ?? [])];
    it.skipIf(!applies)(`${row.check} → ${row.status} under fault ${faults.join(' + ')} (case ${row.case})`, HANG_GUARD, async () => {
      const hangs = faults.some((f) => HANGING_FAULTS.has(f));
      const faulty = await withEmulator(faults, (url) => runAgainst(url, spec, profile, hangs ? { streamIdleTimeoutMs: HUNG_STREAM_IDLE_MS } : {}));
      const hit = faulty.checks.find((c) => c.check === row.check);
      expect(hit, `check ${row.check} recorded`).toBeDefined();
      expect(hit!.status, hit!.message).toBe(row.status);
      expect(faulty.status).toBe(row.caseStatus ?? row.status);

      const clean = await cleanRun(spec, profile);
      const same = clean.checks.find((c) => c.check === row.check);
      expect(same?.status, same?.message).toBe('pass');
      expect(clean.status).toBe('pass');
    });
  }
});
