/**
 * Wall time of a full default `aoai-conformance run` (every azure-openai case, default time limits) against targets
 * that break the way servers under development do, next to the same run against a healthy one. Target health is what
 * keeps the broken runs short: the culprit is found, the rest is not waited out case by case.
 * Prints figures; asserts nothing.  Usage: node bin/run-ts.js bench/broken-targets.ts
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator } from '../emulator/server.ts';
import { breakingProxy, silentServer } from '../test/support/broken-servers.ts';

const KEY = 'bench-broken-key-0123456789';

/** Answers every request with 200 and event-stream headers, then never sends a byte of body. */
async function headersThenNothing(): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    req.resume();
    res.writeHead(200, { 'content-type': 'application/json' });
    res.flushHeaders();
  });
  server.on('connection', (s) => sockets.add(s));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** Runs the CLI as a user would (defaults, except where the reports go) and waits for it without blocking the servers. */
function run(endpoint: string): Promise<{ ms: number; code: number | null; summary: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'aoai-bench-broken-'));
  const t0 = performance.now();
  const child = spawn(process.execPath, ['bin/aoai-conformance.js', 'run', '--endpoint', endpoint, '--deployment', 'gpt-4o-mini', '--report-dir', dir], {
    env: { ...process.env, AZURE_OPENAI_API_KEY: KEY, NO_COLOR: '1' },
    stdio: 'ignore',
  });
  return new Promise((resolve) => {
    child.on('exit', (code) => {
      const ms = performance.now() - t0;
      let summary = 'no results.json';
      try {
        const r = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'));
        const judged = r.cases.filter((c: { status: string }) => c.status !== 'error' && c.status !== 'skipped').length;
        summary = `${r.cases.length} cases, ${judged} judged, incidents: ${(r.health?.incidents ?? []).map((i: { kind: string; culprit?: string }) => `${i.kind}${i.culprit ? ` after ${i.culprit}` : ''}`).join(', ') || 'none'}`;
      } catch {
        // a pre-flight failure writes no per-case results
      }
      rmSync(dir, { recursive: true, force: true });
      resolve({ ms, code, summary });
    });
  });
}

const emu = await startEmulator({ key: KEY });
const wedging = await breakingProxy({ upstream: emu.url, mode: 'wedge', trigger: (_req, body) => body.includes('"max_tokens":-1') });
const silent = await silentServer();
const stalled = await headersThenNothing();

const scenarios: Array<[string, string]> = [
  ['healthy emulator', emu.url],
  ['stops answering after one request', wedging.url],
  ['accepts connections, never answers', silent.url],
  ['sends headers, then nothing', stalled.url],
];
console.log('full default run (azure-openai profile, default time limits) against broken targets');
for (const [name, url] of scenarios) {
  const r = await run(url);
  console.log(`  ${name.padEnd(36)} ${(r.ms / 1000).toFixed(1).padStart(6)} s   exit ${r.code}   ${r.summary}`);
}
await Promise.all([wedging.close(), silent.close(), stalled.close(), emu.close()]);
