/** 429 handling: retried with the wait the target asks for (bounded), recorded; judged when it is the subject. */
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../emulator/server.ts';
import { runCase } from '../../src/engine/run-case.ts';
import type { CaseSpec } from '../../src/model.ts';
import { RequestBudget, retryWait, DEFAULT_RETRY_POLICY } from '../../src/engine/retry.ts';
import { targetFor } from '../../src/target.ts';
import { caseById, requirements, TEST_KEY } from '../helpers.ts';

describe('retryWait', () => {
  const policy = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 100 };
  it('prefers retry-after-ms, then x-ms-retry-after-ms, then Retry-After seconds', () => {
    expect(retryWait({ 'retry-after-ms': '250', 'x-ms-retry-after-ms': '900', 'retry-after': '7' }, 0, policy)).toEqual({ waitMs: 250, source: 'retry-after-ms' });
    expect(retryWait({ 'x-ms-retry-after-ms': '900', 'retry-after': '7' }, 0, policy)).toEqual({ waitMs: 900, source: 'x-ms-retry-after-ms' });
    expect(retryWait({ 'retry-after': '7' }, 0, policy)).toEqual({ waitMs: 7000, source: 'retry-after' });
  });

  it('reads Retry-After as an HTTP date', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(retryWait({ 'retry-after': 'Thu, 01 Jan 2026 00:00:03 GMT' }, 0, policy, now)).toEqual({ waitMs: 3000, source: 'retry-after' });
  });

  it('backs off exponentially when the target names no wait, ignoring garbage', () => {
    expect(retryWait({ 'retry-after-ms': 'soon' }, 2, policy)).toEqual({ waitMs: 400, source: 'backoff' });
  });
});

describe('RequestBudget', () => {
  it('hands out exactly its size', () => {
    const b = new RequestBudget(2);
    expect([b.take(), b.take(), b.take()]).toEqual([true, true, false]);
    expect(b.exhausted).toBe(true);
  });
});

/** Far above the time any answer here takes: a time limit that must never fire. */
const HANG_GUARD_MS = 60_000;

/**
 * In front of the emulator: the first request gets a 429 naming a short wait, every later one is forwarded. The
 * window ends by count, not by time, so how fast the machine is cannot decide whether a request is limited.
 */
async function limitedOnce(upstream: string): Promise<{ url: string; close(): Promise<void> }> {
  let limited = false;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (!limited) {
        limited = true;
        res.writeHead(429, { 'content-type': 'application/json', 'retry-after-ms': '50', 'retry-after': '1' });
        return void res.end('{"error":{"code":"429","message":"Requests to this deployment have exceeded the rate limit. Please retry after 1 second(s)."}}');
      }
      const out = httpRequest(new URL(req.url ?? '/', upstream), { method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      out.on('error', () => res.destroy());
      out.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

describe('a 429 that names its wait', () => {
  it('is retried after the advertised wait and recorded in the transcript', async () => {
    const emu = await startEmulator({ key: TEST_KEY });
    const proxy = await limitedOnce(emu.url);
    try {
      const target = targetFor({ profile: 'azure-openai', endpoint: proxy.url, deployment: 'gpt-4o-mini', requestTimeoutMs: HANG_GUARD_MS });
      const result = await runCase(caseById('chat-minimal'), { target, apiKey: TEST_KEY, requirements });
      expect(result.status).toBe('pass');
      expect(result.exchange?.attempts?.length).toBeGreaterThan(1);
      expect(result.exchange?.attempts?.[0]).toMatchObject({ status: 429, waitSource: 'retry-after-ms' });
      expect(result.exchange?.attempts?.at(-1)).toMatchObject({ status: 200, outcome: 'judged' });
    } finally {
      await proxy.close();
      await emu.close();
    }
  });
});

describe('against a rate-limited emulator', () => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    // A window no test outlasts, however slow the machine: every request after the first is limited.
    emu = await startEmulator({ key: TEST_KEY, rateLimit: { requests: 1, windowMs: 3_600_000 } });
  });
  afterAll(() => emu.close());

  const target = () => targetFor({ profile: 'azure-openai', endpoint: emu.url, deployment: 'gpt-4o-mini', requestTimeoutMs: HANG_GUARD_MS });

  it('judges a 429 that is the subject of the case instead of retrying it away', async () => {
    const base = caseById('chat-minimal');
    const subject: CaseSpec = {
      ...base,
      id: 'rate-limit-subject',
      request: { ...base.request, retryOn429: false },
      expect: [{ check: 'status', requirement: 'AOAI-CHAT-200', args: { equals: 429 } }],
    };
    await runCase(base, { target: target(), apiKey: TEST_KEY, requirements, retry: { ...DEFAULT_RETRY_POLICY, maxRetries: 0 } });
    const result = await runCase(subject, { target: target(), apiKey: TEST_KEY, requirements });
    expect(result.exchange?.response?.status).toBe(429);
    expect(result.exchange?.attempts).toBeUndefined();
    expect(result.exchange?.response?.headers['retry-after-ms']).toMatch(/^\d+$/);
  });

  it('gives up after the policy bound and judges the last 429', async () => {
    const spec = caseById('chat-minimal');
    const policy = { maxRetries: 1, maxTotalWaitMs: 10_000, baseDelayMs: 10 };
    const always429 = createServer((req, res) => {
      req.resume();
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after-ms': '20' });
      res.end('{"error":{"code":"429","message":"slow down"}}');
    });
    await new Promise<void>((r) => always429.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(always429.address() as AddressInfo).port}`;
    try {
      const result = await runCase(spec, { target: targetFor({ profile: 'azure-openai', endpoint: url, deployment: 'd' }), apiKey: TEST_KEY, requirements, retry: policy });
      expect(result.exchange?.attempts?.map((a) => a.status)).toEqual([429, 429]);
      expect(result.status).toBe('fail');
      expect(result.checks.find((c) => c.check === 'status')?.message).toContain('status 429');
    } finally {
      await new Promise<void>((r) => (always429 as Server).close(() => r()));
    }
  });
});
