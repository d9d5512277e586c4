/** The run's own temporary directory (test/support/fresh-tmpdir.ts): what counts as a leftover, and that one fails the run. */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import setup, { projectEntries } from '../support/fresh-tmpdir.ts';
import { tempDir } from '../helpers.ts';

describe('projectEntries', () => {
  it('names only the entries with the project prefixes, files and directories alike, sorted', () => {
    const dir = tempDir('aoai-leftovers-');
    for (const name of ['aoai-report-b', '.aoai-conformance-x']) mkdirSync(join(dir, name));
    for (const name of ['aoai-a.txt', 'other-aoai-', 'node-compile-cache', '.aoai-other']) writeFileSync(join(dir, name), '');
    expect(projectEntries(dir)).toEqual(['.aoai-conformance-x', 'aoai-a.txt', 'aoai-report-b']);
  });

  it('finds nothing in a directory that does not exist', () => {
    expect(projectEntries(join(tempDir('aoai-leftovers-'), 'missing'))).toEqual([]);
  });
});

describe('the teardown', () => {
  const outer = process.env.TMPDIR;
  const exitCode = process.exitCode;
  afterEach(() => {
    process.env.TMPDIR = outer;
    process.exitCode = exitCode;
    vi.restoreAllMocks();
  });

  it('sets a failing exit code and names the leftover when a test left an entry', () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const teardown = setup();
    const fresh = tmpdir();
    expect(fresh).not.toBe(outer);
    mkdirSync(join(fresh, 'aoai-left-behind'));
    teardown();
    expect(process.exitCode).toBe(1);
    expect(error.mock.calls.flat().join('\n')).toMatch(/left 1 entries .*aoai-left-behind/);
    expect(existsSync(fresh)).toBe(false);
    expect(process.env.TMPDIR).toBe(outer);
  });

  it('leaves the exit code alone when the run left nothing of the project', () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const teardown = setup();
    const fresh = tmpdir();
    writeFileSync(join(fresh, 'someone-elses-file'), '');
    teardown();
    expect(process.exitCode).toBe(exitCode);
    expect(error).not.toHaveBeenCalled();
    expect(existsSync(fresh)).toBe(false);
  });
});
