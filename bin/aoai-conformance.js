#!/usr/bin/env node
// Runs the compiled CLI (dist/, built by `npm run build`, which `npm ci` and `npm test` run). In a clone whose
// sources are newer than the build, it runs the TypeScript sources through tsx instead, so a stale build never
// answers for the code you see.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const built = `${root}dist/src/cli/main.js`;
const SOURCES = ['src', 'emulator', 'reporters'];

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

function buildIsCurrent() {
  if (!existsSync(built)) return false;
  // An installed package has no sources beside its build.
  if (!existsSync(`${root}src/cli/main.ts`)) return true;
  const builtAt = statSync(`${root}dist/.built`, { throwIfNoEntry: false })?.mtimeMs ?? 0;
  return SOURCES.every((d) => !existsSync(`${root}${d}`) || newestSource(`${root}${d}`) <= builtAt);
}

// `aoai-conformance list | head` closes the pipe early: that is not an error.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});
const argv = process.argv.slice(2);
let main;
// `run` starts its test runner's thread first, so that vitest loads while the CLI does (src/runner/start.ts).
if (buildIsCurrent()) {
  (await import(new URL('../dist/src/runner/start.js', import.meta.url).href)).prepareRunnerFor(argv);
  ({ main } = await import(new URL('../dist/src/cli/main.js', import.meta.url).href));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  (await import('../src/runner/start.ts')).prepareRunnerFor(argv);
  ({ main } = await import('../src/cli/main.ts'));
}
process.exitCode = await main(argv);
