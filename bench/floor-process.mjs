// The floor of a whole run, as its own process: start the embedded emulator (compiled, from dist/), send the
// run's requests with bare undici at the run's concurrency, read every body, exit. No checks, no runner, no reports.
// Usage: node bench/floor-process.mjs REQUESTS.json KEY CONCURRENCY  (bench/process-vs-floor.ts writes the file)
import { readFileSync } from 'node:fs';
import { request } from 'undici';

const [file, key, width = '4'] = process.argv.slice(2);
const { startEmulator } = await import(new URL('../dist/emulator/server.js', import.meta.url).href);
const requests = JSON.parse(readFileSync(file, 'utf8'));
const emu = await startEmulator({ key });
let next = 0;
await Promise.all(Array.from({ length: Number(width) }, async () => {
  while (next < requests.length) {
    const r = requests[next++];
    const res = await request(emu.url + r.path, { method: r.method, headers: r.headers, body: r.body === undefined ? undefined : Buffer.from(r.body, 'base64') });
    await res.body.arrayBuffer();
  }
}));
await emu.close();
