/**
 * Nothing leaves loopback, and the product contacts nothing but the target: every connection and every name
 * lookup a whole run makes is recorded, for every profile and for a target that returns an image URL on a
 * public host (which the run must not even resolve unless the user allows it).
 */
import dns from 'node:dns';
import { createServer, type Server } from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../emulator/server.ts';
import { PROFILES } from '../../src/model.ts';
import { caseById, TEST_KEY } from '../helpers.ts';
import { runInProcess } from '../support/in-process.ts';

const connections: string[] = [];
const lookups: string[] = [];
const originalConnect = net.Socket.prototype.connect;
const originalLookup = dns.lookup;

beforeAll(() => {
  net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]) {
    const first = args[0] as { host?: string; path?: string } | number | string;
    if (typeof first === 'object' && first !== null) connections.push(first.path ?? first.host ?? 'localhost');
    else if (typeof first === 'number') connections.push(typeof args[1] === 'string' ? args[1] : 'localhost');
    return (originalConnect as (...a: unknown[]) => net.Socket).apply(this, args);
  } as typeof net.Socket.prototype.connect;
  (dns as { lookup: unknown }).lookup = function (hostname: string, ...rest: unknown[]) {
    lookups.push(hostname);
    return (originalLookup as (...a: unknown[]) => void).call(dns, hostname, ...rest);
  };
});

afterAll(() => {
  net.Socket.prototype.connect = originalConnect;
  (dns as { lookup: unknown }).lookup = originalLookup;
});

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/** A target whose image generations answer with an image URL somewhere else. */
function imagesElsewhere(url: string): Promise<Server> {
  const server = createServer((req, res) => {
    req.resume();
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ created: 1700000000, data: [{ url, revised_prompt: 'a lighthouse' }] }));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

describe('a run talks to the target only', () => {
  it.each(PROFILES)('every case of the %s profile connects to loopback only and looks up no name', async (profile) => {
    // An emulator of its own: connections pooled by another test would not show here.
    const own = await startEmulator({ key: TEST_KEY });
    connections.length = 0;
    lookups.length = 0;
    const results = await runInProcess(own.url, { profile }).finally(() => own.close());
    expect(results.filter((r) => r.status === 'fail' || r.status === 'error').map((r) => r.id)).toEqual([]);
    expect(connections.length).toBeGreaterThan(0);
    expect(connections.filter((h) => !LOOPBACK.has(h))).toEqual([]);
    expect(lookups.filter((h) => !LOOPBACK.has(h))).toEqual([]);
  });

  it('does not follow an image URL on another host: the check says "not checked" and why, and nothing is resolved', async () => {
    const server = await imagesElsewhere('https://images.example.invalid/generated/lighthouse.png?sig=abc');
    try {
      connections.length = 0;
      lookups.length = 0;
      const [result] = await runInProcess(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, { cases: [caseById('images-minimal')] });
      const download = result.checks.find((c) => c.check === 'images-url-download')!;
      expect(download.status).toBe('skipped');
      expect(download.message).toMatch(/not checked: .*images\.example\.invalid.* is not on the target's origin/);
      expect(download.message).toContain('--follow-external-urls');
      expect([...connections, ...lookups].filter((h) => h.includes('example.invalid'))).toEqual([]);
    } finally {
      server.close();
    }
  });

  it('follows it when the user allows it (another loopback origin stands in for the public host)', async () => {
    const emuElsewhere = await startEmulator({ key: TEST_KEY });
    try {
      // An image the second emulator publishes, named by the first request the target answers.
      const published = await (await fetch(`${emuElsewhere.url}/openai/deployments/dall-e-3/images/generations?api-version=2024-06-01`, { method: 'POST', headers: { 'api-key': TEST_KEY, 'content-type': 'application/json' }, body: JSON.stringify({ prompt: 'x' }) })).json();
      const server = await imagesElsewhere((published as { data: Array<{ url: string }> }).data[0].url);
      try {
        const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
        const [allowed] = await runInProcess(endpoint, { cases: [caseById('images-minimal')], followExternalUrls: true });
        expect(allowed.checks.find((c) => c.check === 'images-url-download')?.status).toBe('pass');
        const [refused] = await runInProcess(endpoint, { cases: [caseById('images-minimal')] });
        expect(refused.checks.find((c) => c.check === 'images-url-download')?.status).toBe('skipped');
      } finally {
        server.close();
      }
    } finally {
      await emuElsewhere.close();
    }
  });
});
