/** The emulator stays up under concurrency, malformed input and slow clients. */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { startEmulator, type RunningEmulator } from '../../emulator/server.ts';
import { TEST_KEY } from '../helpers.ts';

let emu: RunningEmulator;
let chatUrl: string;
beforeAll(async () => {
  emu = await startEmulator({ key: TEST_KEY, maxRequestBytes: 1024 * 1024 });
  chatUrl = `${emu.url}/openai/deployments/gpt-4o-mini/chat/completions?api-version=2024-06-01`;
});
afterAll(() => emu.close());

const headers = { 'api-key': TEST_KEY, 'content-type': 'application/json' };
const valid = JSON.stringify({ messages: [{ role: 'user', content: 'Hi' }] });

async function post(body: string | Buffer, extra: Record<string, string> = {}) {
  const res = await request(chatUrl, { method: 'POST', headers: { ...headers, ...extra }, body });
  const text = await res.body.text();
  return { status: res.statusCode, text };
}

describe('emulator robustness', () => {
  it('answers 200 concurrent requests, each correctly', async () => {
    const replies = await Promise.all(Array.from({ length: 200 }, () => post(valid)));
    expect(replies.every((r) => r.status === 200 && JSON.parse(r.text).object === 'chat.completion')).toBe(true);
  });

  it.each([
    ['garbage bytes', Buffer.from([0xff, 0x00, 0x13, 0x37]), {}, 400],
    ['a JSON array', '[1,2,3]', {}, 400],
    ['an empty body', '', {}, 400],
    ['deeply nested JSON', `${'['.repeat(5000)}${']'.repeat(5000)}`, {}, 400],
    ['a wrong content type', valid, { 'content-type': 'text/plain' }, 415],
    ['an oversized body', Buffer.alloc(2 * 1024 * 1024, 0x20), {}, 413],
  ])('answers %s with a 4xx error body and keeps serving', async (_name, body, extra, status) => {
    const r = await post(body as string | Buffer, extra as Record<string, string>);
    expect(r.status).toBe(status);
    expect(JSON.parse(r.text).error.message).toEqual(expect.any(String));
    expect((await post(valid)).status).toBe(200);
  });

  it('serves a slow client that trickles its body', async () => {
    const { port } = new URL(emu.url);
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1');
      let data = '';
      socket.on('data', (d) => (data += d));
      socket.on('end', () => resolve(data));
      socket.on('error', reject);
      const head = `POST /openai/deployments/gpt-4o-mini/chat/completions?api-version=2024-06-01 HTTP/1.1\r\nhost: x\r\napi-key: ${TEST_KEY}\r\ncontent-type: application/json\r\ncontent-length: ${valid.length}\r\nconnection: close\r\n\r\n`;
      socket.write(head);
      let i = 0;
      const timer = setInterval(() => {
        socket.write(valid.slice(i, i + 8));
        i += 8;
        if (i >= valid.length) clearInterval(timer);
      }, 20);
    });
    expect(reply).toMatch(/^HTTP\/1\.1 200/);
    expect(reply).toContain('"chat.completion"');
  });
});
