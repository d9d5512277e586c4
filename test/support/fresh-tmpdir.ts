/**
 * vitest globalSetup: the run gets a temporary directory of its own (TMPDIR, which os.tmpdir() and every
 * child process read), removed at the end, so no test leaves anything behind in the system's. Entries with the
 * project's prefixes still in it at the end fail the run (each test removes what it makes: test/helpers.ts's
 * tempDir does it for them). New such entries in the system temporary directory meanwhile (a path built without
 * os.tmpdir()?) are only a warning: other processes on the machine, the project's own runs among them, make
 * files there too.
 */
import { mkdtempSync, readdirSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PREFIXES = /^(aoai-|\.aoai-conformance-)/;
const RUN_PREFIX = 'aoai-test-run-';

/** The entries of a directory named with the project's prefixes, sorted; none when it cannot be read. */
export function projectEntries(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((name) => PREFIXES.test(name))
      .sort();
  } catch {
    return [];
  }
}

export default function setup(): () => void {
  const system = realpathSync(tmpdir());
  const before = new Set(projectEntries(system));
  const fresh = mkdtempSync(join(system, RUN_PREFIX));
  process.env.TMPDIR = fresh;
  return () => {
    process.env.TMPDIR = system;
    const leftInRun = projectEntries(fresh);
    rmSync(fresh, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
    // Another run's own temporary directory (a run beside this one) is that run's to remove.
    const leftInSystem = projectEntries(system).filter((name) => !before.has(name) && !name.startsWith(RUN_PREFIX));
    if (leftInSystem.length) console.warn(`fresh-tmpdir: new entries in ${system} during the run, maybe not this run's: ${leftInSystem.join(', ')}`);
    if (leftInRun.length) {
      // vitest only logs an error thrown here and still exits 0: the exit code is set instead.
      console.error(`fresh-tmpdir: FAILED: tests left ${leftInRun.length} entries in the run's temporary directory (now removed): ${leftInRun.slice(0, 20).join(', ')}${leftInRun.length > 20 ? ', …' : ''}`);
      process.exitCode = 1;
    }
  };
}
