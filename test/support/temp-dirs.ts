/** Temporary directories for tests, each removed when the test file that made it ends. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

const madeByThisFile = new Set<string>();

/**
 * A fresh directory in the run's temporary directory, removed when the calling test file ends: vitest imports
 * this module afresh for every test file, so the hook below belongs to that file and no test repeats cleanup code.
 */
export function tempDir(prefix = 'aoai-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  madeByThisFile.add(dir);
  return dir;
}

afterAll(() => {
  // Retries: a child process (a CLI run, Chromium) may still be closing files in it as the file ends.
  for (const dir of madeByThisFile) rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
  madeByThisFile.clear();
});
