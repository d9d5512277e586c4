/**
 * Derived cases (src/engine/derive.ts): the stop-sequence cases send a first request without stop and choose their
 * stops from its answer, so a target that ignores stop is caught whatever it writes; both requests are kept.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chooseStopSequences } from '../../src/engine/derive.ts';
import { runCase } from '../../src/engine/run-case.ts';
import { targetFor } from '../../src/target.ts';
import { caseById, REQUEST_HANG_GUARD_MS, requirements, runAgainst, TEST_KEY, withEmulator } from '../helpers.ts';

describe('chooseStopSequences', () => {
  it('takes the earliest words with text before and after them, each where it first occurs', () => {
    expect(chooseStopSequences('This is a deterministic reply from the emulator.', 4)).toEqual(['deterministic', 'reply', 'from', 'the']);
    // "the" first occurs inside "theatre", so a target would cut there: it is not chosen.
    expect(chooseStopSequences('Go theatre the end.', 2)).toEqual(['theatre', 'end']);
    expect(chooseStopSequences('Hello.', 1)).toEqual([]);
  });
});

describe('a stop case against the emulator', () => {
  it('sends the body without stop first, then with stops chosen from that answer; both are in the transcript', async () => {
    const result = await withEmulator([], (url) => runAgainst(url, caseById('chat-stop-four-sequences'), 'openai'));
    expect(result.status).toBe('pass');
    const first = result.exchange!.derivedFrom!;
    expect(first.request.body).not.toHaveProperty('stop');
    const stops = (result.exchange!.request.body as { stop: string[] }).stop;
    expect(stops).toHaveLength(4);
    const firstText = (first.response!.json as { choices: Array<{ message: { content: string } }> }).choices[0].message.content;
    for (const s of stops) expect(firstText).toContain(s);
  });

  it('a single sequence is sent as a string', async () => {
    const result = await withEmulator([], (url) => runAgainst(url, caseById('chat-stop-string')));
    expect(typeof (result.exchange!.request.body as { stop: unknown }).stop).toBe('string');
  });
});

describe('a first request that gives nothing to derive from', () => {
  let server: Server;
  let url: string;
  let reply: { status: number; body: unknown };
  beforeAll(async () => {
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(reply.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(reply.body));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const run = () => runCase(caseById('chat-stop-string'), { target: targetFor({ profile: 'azure-openai', endpoint: url, deployment: 'gpt-4o', requestTimeoutMs: REQUEST_HANG_GUARD_MS }), apiKey: TEST_KEY, requirements });

  it.each([
    ['an error', { status: 500, body: { error: { code: '500', message: 'boom' } } }, /answered HTTP 500/],
    ['no text', { status: 200, body: { id: 'x', object: 'chat.completion', created: 1, model: 'm', choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: null } }] } }, /carries no text/],
    ['too few words', { status: 200, body: { id: 'x', object: 'chat.completion', created: 1, model: 'm', choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: 'Yes.' } }] } }, /too few words/],
  ])('%s: the case says so and is not judged', async (_name, answer, why) => {
    reply = answer;
    const result = await run();
    expect(result.status).toBe('error');
    const derive = result.checks.find((c) => c.check === 'derive')!;
    expect(derive.message).toMatch(why);
    expect(result.checks.filter((c) => c.check !== 'transport' && c.check !== 'derive').every((c) => c.status === 'skipped')).toBe(true);
    expect(result.exchange!.request.body).not.toHaveProperty('stop');
  });
});
