/**
 * The suite survives any target: against each broken behaviour the run completes, writes all three
 * reports, exits 1 and names the failure — or, for a target that answers nothing at all (every connection
 * reset, no headers ever), fails its pre-flight check with exit 2 and one clear message.
 */
import { existsSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readResultsFile, runCli, tempDir } from '../helpers.ts';

const KEY = 'broken-target-secret-5d1c0e8f9a';

/** Each mode misbehaves in one way; the mode is the first path segment of the endpoint. */
const MODES: Record<string, (res: ServerResponse, socket: Socket) => void> = {
  'reset-before-headers': (_res, socket) => socket.destroy(),
  'reset-mid-body': (res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
    res.write('{"id":"chatcmpl-1","object":"chat.com');
    setTimeout(() => res.socket?.destroy(), 50);
  },
  'headers-never-sent': () => undefined,
  'body-never-ends': (res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    const timer = setInterval(() => res.write(' '), 100);
    res.on('close', () => clearInterval(timer));
  },
  'stream-stalls': (res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write('data: {"id":"x","object":"chat.completion.chunk","created":1,"model":"m","choices":[]}\n\n');
  },
  'body-50mb': (res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    const chunk = Buffer.alloc(1024 * 1024, 0x61);
    let sent = 0;
    const pump = () => {
      while (sent < 50 && !res.destroyed) {
        sent++;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
      res.end();
    };
    res.write('{"pad":"');
    pump();
  },
  'invalid-utf8': (res) => {
    const body = Buffer.concat([Buffer.from('{"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,"finish_reason":"stop","message":{"role":"assistant","content":"'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('"}}],"usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2}}')]);
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(body.length) });
    res.end(body);
  },
  'not-json': (res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('this is not JSON at all');
  },
  'wrong-content-length': (res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': '5000' });
    res.write('{"id":"x"}');
    setTimeout(() => res.socket?.end(), 50);
  },
  'html-500': (res) => {
    res.writeHead(500, { 'content-type': 'text/html' });
    res.end('<!DOCTYPE html><html><body><h1>Internal Server Error</h1></body></html>');
  },
  redirect: (res) => {
    res.writeHead(307, { location: 'http://127.0.0.1:9/elsewhere' });
    res.end();
  },
};

let server: Server;
let base: string;
let refusedUrl: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    const mode = (req.url ?? '/').split('/')[1];
    (MODES[mode] ?? ((r: ServerResponse) => r.writeHead(404).end()))(res, req.socket);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // A port that was just free: nothing listens there.
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  refusedUrl = `http://127.0.0.1:${(probe.address() as AddressInfo).port}`;
  await new Promise<void>((r) => probe.close(() => r()));
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

/**
 * The modes whose failure is the request timeout firing (they stall): a small --timeout is the event under test.
 * Every other mode answers at once, wrongly; its --timeout is a hang guard far above the time it takes even on a
 * loaded machine, so only the misbehaviour can produce the failure the test expects.
 */
const STALLING = new Set(['body-never-ends', 'stream-stalls']);
const HANG_GUARD_TIMEOUT = '120s';

/** What the failure message of chat-minimal must say for each mode. */
const EXPECTED: Array<[string, RegExp]> = [
  ['reset-mid-body', /reset|closed|terminated|socket/i],
  ['body-never-ends', /did not complete within/],
  ['stream-stalls', /event-stream|idle/i],
  ['body-50mb', /size limit/],
  ['invalid-utf8', /not valid UTF-8/],
  ['not-json', /not JSON/],
  ['wrong-content-length', /closed|terminated|length|socket|reset/i],
  ['html-500', /status 500/],
  ['redirect', /status 307/],
];

function failureText(dir: string): string {
  const results = readResultsFile(dir);
  return results.cases
    .flatMap((c) => c.checks)
    .filter((k) => k.status === 'fail')
    .map((k) => k.message)
    .join('\n');
}

describe.concurrent('a broken target fails the run cleanly, with all reports written', { timeout: 300_000 }, () => {
  it.each(EXPECTED)('%s', async (mode, pattern) => {
    const dir = tempDir('aoai-broken-');
    const timeout = STALLING.has(mode) ? '3s' : HANG_GUARD_TIMEOUT;
    const out = await runCli(['run', '--endpoint', `${base}/${mode}`, '--deployment', 'd', '--only', 'chat-minimal', '--only', 'chat-auth-missing', '--timeout', timeout, '--report-dir', dir], { AZURE_OPENAI_API_KEY: KEY });
    expect(out.code, out.stderr).toBe(1);
    for (const f of ['results.json', 'junit.xml', 'report.html']) expect(existsSync(join(dir, f)), f).toBe(true);
    expect(failureText(dir)).toMatch(pattern);
    expect(out.stdout + out.stderr).not.toContain(KEY);
  });

  // --ready-timeout: the event under test for the target that never answers; for the others (refused or reset
  // at once) a hang guard, so the message can only come from what the target did.
  it.each([
    ['reset-before-headers', HANG_GUARD_TIMEOUT, /closed the connection|connection reset/],
    ['headers-never-sent', '2s', /did not answer .* within 2 s/],
    ['refused', HANG_GUARD_TIMEOUT, /connection refused/],
  ])('%s: the pre-flight check fails with exit 2 and one message, no case is failed', async (mode, readyTimeout, pattern) => {
    const dir = tempDir('aoai-broken-');
    const endpoint = mode === 'refused' ? refusedUrl : `${base}/${mode}`;
    const out = await runCli(['run', '--endpoint', endpoint, '--deployment', 'd', '--only', 'chat-minimal', '--ready-timeout', readyTimeout, '--report-dir', dir], { AZURE_OPENAI_API_KEY: KEY });
    expect(out.code, out.stderr).toBe(2);
    for (const f of ['results.json', 'junit.xml', 'report.html']) expect(existsSync(join(dir, f)), f).toBe(true);
    expect(out.stderr).toMatch(pattern);
    expect(readResultsFile(dir).summary.failed).toBe(0);
  });
});
