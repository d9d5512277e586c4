/** No source file over 400 lines (issue 16): a file that outgrows it is split by topic. */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/paths.ts';

const MAX_LINES = 400;
const FOLDERS = ['src', 'emulator', 'reporters', 'scripts', 'bin', 'bench', 'test'];
const SOURCE = /\.(ts|js|mjs)$/;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : SOURCE.test(e.name) ? [join(dir, e.name)] : []));
}

describe('source files', () => {
  it(`have at most ${MAX_LINES} lines each`, () => {
    const files = FOLDERS.flatMap((f) => sources(join(PACKAGE_ROOT, f)));
    expect(files.length).toBeGreaterThan(100);
    const long = files.map((f) => ({ file: relative(PACKAGE_ROOT, f), lines: readFileSync(f, 'utf8').split('\n').length - 1 })).filter((f) => f.lines > MAX_LINES);
    expect(long).toEqual([]);
  });
});
