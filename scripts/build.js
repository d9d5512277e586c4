#!/usr/bin/env node
// Compiles src/, emulator/ and reporters/ to dist/ (JavaScript for the CLI and the conformance run; the
// project's own tests run the TypeScript directly). Type checking is `npm run typecheck`; this only emits.
import { rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
let tsc;
try {
  tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
} catch {
  // An installed package ships dist/ and has no TypeScript: nothing to build.
  process.exit(0);
}
rmSync(`${root}dist`, { recursive: true, force: true });
const out = spawnSync(process.execPath, [tsc, '-p', `${root}tsconfig.build.json`, '--noCheck'], { stdio: 'inherit' });
if (out.status !== 0) process.exit(out.status ?? 1);
writeFileSync(`${root}dist/.built`, `${new Date().toISOString()}\n`);
