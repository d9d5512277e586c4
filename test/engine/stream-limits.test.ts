/**
 * A hung or endless stream ends as a failure with a clear message, never as a hung run: the engine's SSE reader
 * stops at its idle, total-time, event or byte limit and stream-completes says which. A time limit is small only
 * where its firing is the event under test; every other time limit is a hang guard.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DEPLOYMENTS, startEmulator } from '../../emulator/server.ts';
import { runCase } from '../../src/engine/run-case.ts';
import type { CaseResult } from '../../src/model.ts';
import { type Target, targetFor } from '../../src/target.ts';
import { caseById, requirements, TEST_KEY } from '../helpers.ts';

/** Far above the time any answer here takes, even on a loaded machine: it must never fire. */
const HANG_GUARD_MS = 60_000;

async function runWith(faults: string[], tune: (t: Target) => Target, caseId = 'chat-stream-basic'): Promise<CaseResult> {
  const emu = await startEmulator({ key: TEST_KEY, faults });
  try {
    const target = tune(targetFor({ profile: 'azure-openai', endpoint: emu.url, deployment: DEFAULT_DEPLOYMENTS[0], emulator: true, requestTimeoutMs: HANG_GUARD_MS }));
    return await runCase(caseById(caseId), { target, apiKey: TEST_KEY, requirements });
  } finally {
    await emu.close();
  }
}

function completes(result: CaseResult) {
  return result.checks.find((c) => c.check === 'stream-completes')!;
}

describe('streams that do not end are failures, with the reason', () => {
  it('a hung stream meets the idle timeout', async () => {
    // The events before the hang come without pauses; the idle limit is still well above any gap between them.
    const result = await runWith(['stream-hang'], (t) => ({ ...t, stream: { ...t.stream, idleTimeoutMs: 1_000 } }));
    expect(result.status).toBe('fail');
    expect(completes(result).status).toBe('fail');
    expect(completes(result).message).toMatch(/^the stream hung: nothing arrived for 1000 ms after \d+ event\(s\)/);
    expect(completes(result).message).toContain('no [DONE]');
    // The checks that need the whole stream are not evaluated; those that judge each event judge what arrived.
    const statusOf = (check: string) => result.checks.find((c) => c.check === check)?.status;
    for (const check of ['stream-done', 'stream-finish-once', 'stream-choice-indexes']) expect(statusOf(check), check).toBe('skipped');
    for (const check of ['stream-framing', 'stream-payload-json', 'stream-chunk-schema', 'stream-chunk-identity']) expect(statusOf(check), check).toBe('pass');
  });

  it('a hung stream meets the total timeout when that comes first', async () => {
    const result = await runWith(['stream-hang'], (t) => ({ ...t, stream: { ...t.stream, idleTimeoutMs: HANG_GUARD_MS, totalTimeoutMs: 300 } }));
    expect(completes(result).status).toBe('fail');
    expect(completes(result).message).toMatch(/did not finish within 300 ms/);
  });

  it('an endless stream meets the event limit', async () => {
    const result = await runWith(['stream-endless'], (t) => ({ ...t, stream: { ...t.stream, maxEvents: 300 } }));
    expect(completes(result).status).toBe('fail');
    expect(completes(result).message).toBe('the stream did not end: it sent more than 300 events (no [DONE] was received)');
  });

  it('an endless stream meets the byte limit', async () => {
    const result = await runWith(['stream-endless'], (t) => ({ ...t, maxBodyBytes: 40_000 }), 'completions-stream-basic');
    expect(completes(result).status).toBe('fail');
    expect(completes(result).message).toMatch(/^the stream did not end: it sent more than 40000 bytes/);
  });

  it('a well-behaved stream passes with the same event limit', async () => {
    // No small time limit here: on a loaded machine a pause between healthy events may be longer than any.
    const result = await runWith([], (t) => ({ ...t, stream: { ...t.stream, maxEvents: 300 } }));
    expect(completes(result).status).toBe('pass');
    expect(result.status).toBe('pass');
  });
});

describe('a connection left open after [DONE]', () => {
  it('is not a hung stream: clients stop reading at [DONE]', async () => {
    const emu = await startEmulator({ key: TEST_KEY });
    // Relay the emulator's stream, then keep the connection open instead of ending it.
    const relay: Server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', async () => {
        const upstream = await fetch(new URL(req.url!, emu.url), { method: 'POST', headers: { 'api-key': TEST_KEY, 'content-type': 'application/json' }, body: Buffer.concat(chunks) });
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write(await upstream.text());
      });
    });
    await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
    try {
      const target = targetFor({ profile: 'azure-openai', endpoint: `http://127.0.0.1:${(relay.address() as AddressInfo).port}`, deployment: DEFAULT_DEPLOYMENTS[0], requestTimeoutMs: HANG_GUARD_MS });
      // The idle limit is the event under test: it fires after [DONE], the whole stream having come in one write.
      const result = await runCase(caseById('chat-stream-basic'), { target: { ...target, stream: { ...target.stream, idleTimeoutMs: 200 } }, apiKey: TEST_KEY, requirements });
      expect(completes(result).status).toBe('pass');
      expect(completes(result).message).toContain('kept the connection open');
      expect(result.status).toBe('pass');
    } finally {
      relay.closeAllConnections();
      await new Promise<void>((resolve) => relay.close(() => resolve()));
      await emu.close();
    }
  });
});
