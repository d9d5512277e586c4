/**
 * vitest globalSetup: the run gets a temporary directory of its own (TMPDIR, which os.tmpdir() and every
 * child process read), removed at the end, so no test leaves anything behind in the system's. At the end it
 * names what tests left in it with the project's prefixes (removed with it; each test should remove what it
 * makes — a warning until they all do), and any such entry that appeared in the system temporary directory meanwhile (a path built without
 * os.tmpdir()?) — only as a warning: other processes on the machine, the project's own runs among them, make
 * files there too.
 */
import { mkdtempSync, readdirSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PREFIXES = /^(aoai-|\.aoai-conformance-)/;

function ours(dir: string): string[] {
  try {
    return readdirSync(dir).filter((name) => PREFIXES.test(name));
  } catch {
    return [];
  }
}

export default function setup(): () => void {
  const system = realpathSync(tmpdir());
  const before = new Set(ours(system));
  const fresh = mkdtempSync(join(system, 'aoai-test-run-'));
  process.env.TMPDIR = fresh;
  return () => {
    process.env.TMPDIR = system;
    const leftInRun = ours(fresh);
    rmSync(fresh, { recursive: true, force: true });
    const leftInSystem = ours(system).filter((name) => !before.has(name) && join(system, name) !== fresh);
    if (leftInSystem.length) console.warn(`fresh-tmpdir: new entries in ${system} during the run, maybe not this run's: ${leftInSystem.join(', ')}`);
    if (leftInRun.length) console.warn(`fresh-tmpdir: tests left ${leftInRun.length} entries in the run's temporary directory (now removed): ${leftInRun.slice(0, 20).join(', ')}`);
  };
}
