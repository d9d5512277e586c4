/** Runs every benchmark in its own process, one after another. `npm run bench`. */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';

const here = new URL('.', import.meta.url).pathname;
for (const file of readdirSync(here).filter((f) => f.endsWith('.ts') && f !== 'index.ts').sort()) {
  console.log(`\n=== ${file}`);
  spawnSync(process.execPath, ['bin/run-ts.js', `bench/${file}`], { stdio: 'inherit' });
}
