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
// The validated catalogue, stored for the compiled CLI (src/cli/catalogue.ts). Cases that do not load are no
// build error: without the stored file the CLI loads the YAML and reports the problems itself.
const stored = spawnSync(process.execPath, ['--input-type=module', '-e', `await (await import(${JSON.stringify(`${root}dist/src/cli/catalogue.js`)})).storeCatalogue()`], { stdio: ['ignore', 'ignore', 'pipe'] });
if (stored.status !== 0) console.error(`build: catalogue not stored (the CLI will load the YAML):\n${stored.stderr}`);
// The schema validators as AJV standalone code (src/schemas/precompiled.ts); without them the judge compiles its own.
const validators = spawnSync(process.execPath, ['--input-type=module', '-e', `await (await import(${JSON.stringify(`${root}dist/src/schemas/precompiled.js`)})).storePrecompiled()`], { stdio: ['ignore', 'ignore', 'pipe'] });
if (validators.status !== 0) console.error(`build: schema validators not stored (the judge will compile them):\n${validators.stderr}`);
const emulatorValidators = spawnSync(process.execPath, ['--input-type=module', '-e', `await (await import(${JSON.stringify(`${root}dist/emulator/schemas.js`)})).storeValidators()`], { stdio: ['ignore', 'ignore', 'pipe'] });
if (emulatorValidators.status !== 0) console.error(`build: the emulator's validators not stored (it will compile them):\n${emulatorValidators.stderr}`);
writeFileSync(`${root}dist/.built`, `${new Date().toISOString()}\n`);
