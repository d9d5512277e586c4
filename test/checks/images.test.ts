/**
 * The image checks on hand-made responses: legal variations pass (null beside the chosen field, other image
 * formats, line-wrapped base64), and each broken form fails with a reason. The download check talks only to
 * a loopback server of this test.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderImage } from '../../emulator/images.ts';
import { CHECKS } from '../../src/checks/index.ts';
import type { CheckOutcome } from '../../src/checks/types.ts';
import { SchemaRegistry } from '../../src/schemas/registry.ts';

async function run(check: string, json: unknown, requestBody: unknown = {}): Promise<CheckOutcome> {
  const response = { status: 200, headers: { 'content-type': 'application/json' }, bodyText: JSON.stringify(json), bodyBytes: 0, truncated: false, json };
  return CHECKS.get(check)!.run({ response, requestBody, profile: 'azure-openai', surface: 'azure-openai/2024-06-01', schemas: SchemaRegistry.shared(), args: {} });
}

const png = renderImage({ prompt: 'test', size: '1024x1024' }, 0);
const b64 = png.toString('base64');
const gif = Buffer.concat([Buffer.from('GIF89a', 'latin1'), Buffer.from([0x00, 0x04, 0x00, 0x04]), Buffer.alloc(8)]);

describe('images-count and images-response-format', () => {
  it('count follows n (default 1)', async () => {
    expect((await run('images-count', { created: 1, data: [{ url: 'https://x/y.png' }] })).ok).toBe(true);
    expect((await run('images-count', { created: 1, data: [] })).ok).toBe(false);
    expect((await run('images-count', { created: 1, data: [{}, {}] }, { n: 2 })).ok).toBe(true);
    expect((await run('images-count', { created: 1 })).ok).toBe(false);
  });

  it('the requested field must be a non-empty string; a null in the other field is legal', async () => {
    expect((await run('images-response-format', { data: [{ url: 'https://x/y.png', b64_json: null }] })).ok).toBe(true);
    expect((await run('images-response-format', { data: [{ url: null, b64_json: b64 }] }, { response_format: 'b64_json' })).ok).toBe(true);
    expect((await run('images-response-format', { data: [{ url: 'https://x/y.png' }] }, { response_format: 'b64_json' })).ok).toBe(false);
    expect((await run('images-response-format', { data: [{ url: '' }] })).ok).toBe(false);
  });
});

describe('images-url', () => {
  it('absolute http(s) passes; relative, other schemes and garbage fail', async () => {
    expect((await run('images-url', { data: [{ url: 'https://dalle.blob.core.windows.net/private/generated_00.png?se=2023&sig=secret' }] })).ok).toBe(true);
    for (const url of ['/emulator/files/1', 'ftp://host/x.png', 'not a url', 'data:image/png;base64,AAAA']) {
      expect((await run('images-url', { data: [{ url }] })).ok, url).toBe(false);
    }
  });

  it('never shows a signed URL query in what it reports', async () => {
    const outcome = await run('images-url', { data: [{ url: 'https://dalle.blob.core.windows.net/a.png?sig=s3cr3t' }] });
    expect(JSON.stringify(outcome)).not.toContain('s3cr3t');
  });
});

describe('images-b64-image, images-png, images-size', () => {
  it('a PNG passes all three; the size follows the request (default 1024x1024)', async () => {
    const json = { data: [{ b64_json: b64 }] };
    expect((await run('images-b64-image', json)).ok).toBe(true);
    expect((await run('images-png', json)).ok).toBe(true);
    expect((await run('images-size', json)).ok).toBe(true);
    expect((await run('images-size', json, { size: '1792x1024' })).ok).toBe(false);
  });

  it('line-wrapped base64 (MIME style) is accepted', async () => {
    const wrapped = b64.replace(/.{76}/g, '$&\n');
    expect((await run('images-b64-image', { data: [{ b64_json: wrapped }] })).ok).toBe(true);
  });

  it('a GIF is an image of the right size but not a PNG', async () => {
    const json = { data: [{ b64_json: gif.toString('base64') }] };
    expect((await run('images-b64-image', json)).ok).toBe(true);
    expect((await run('images-size', json)).ok).toBe(true);
    const outcome = await run('images-png', json);
    expect(outcome.ok).toBe(false);
    expect(outcome.message).toMatch(/signature/);
  });

  it('a data: URL, unpadded or url-safe base64, and non-image bytes fail images-b64-image', async () => {
    const cases = [`data:image/png;base64,${b64}`, b64.replace(/=+$/, ''), b64.replace(/\+/g, '-').replace(/\//g, '_'), Buffer.from('{"a":1}').toString('base64')];
    for (const value of cases) {
      if (value === b64) continue; // the transformation changed nothing for this image
      expect((await run('images-b64-image', { data: [{ b64_json: value }] })).ok, value.slice(0, 30)).toBe(false);
    }
  });

  it('pass when the request asked for the other form, but not when the asked-for form or any image is missing', async () => {
    const urlOnly = { created: 1, data: [{ url: 'https://example.invalid/a.png' }] };
    const b64Only = { created: 1, data: [{ b64_json: 'iVBORw0KGgo=' }] };
    for (const check of ['images-b64-image', 'images-png', 'images-size']) {
      expect((await run(check, urlOnly)).ok, check).toBe(true);
      expect((await run(check, urlOnly, { response_format: 'b64_json' })).ok, check).toBe(false);
    }
    for (const check of ['images-url', 'images-url-download']) {
      expect((await run(check, b64Only, { response_format: 'b64_json' })).ok, check).toBe(true);
      expect((await run(check, b64Only)).ok, check).toBe(false);
    }
    // No image at all is images-count's finding: every check that needs one shares it, so it is reported once.
    for (const check of ['images-url', 'images-url-download', 'images-b64-image', 'images-png', 'images-size', 'images-response-format']) {
      const outcome = await run(check, { created: 1, data: [] });
      expect(outcome.ok, check).toBe(false);
      expect(outcome.findings, check).toEqual(['images: none at all']);
    }
  });
});

describe('images-url-download (against a loopback server)', () => {
  let server: Server;
  let base: string;
  const seen: IncomingHttpHeaders[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push(req.headers);
      const path = new URL(req.url ?? '/', 'http://loopback').pathname;
      if (path === '/ok.png') return void res.writeHead(200, { 'content-type': 'image/png' }).end(png);
      if (path === '/moved') return void res.writeHead(302, { location: '/ok.png' }).end();
      if (path === '/page') return void res.writeHead(200, { 'content-type': 'text/html' }).end('<html>expired</html>');
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('an image (also behind a redirect) passes, sent without any credential', async () => {
    expect((await run('images-url-download', { data: [{ url: `${base}/ok.png?sig=abc` }] })).ok).toBe(true);
    expect((await run('images-url-download', { data: [{ url: `${base}/moved` }] })).ok).toBe(true);
    expect(seen.every((h) => h.authorization === undefined && h['api-key'] === undefined)).toBe(true);
  });

  it('a 404, a page that is not an image and a refused connection fail with the reason', async () => {
    expect(await run('images-url-download', { data: [{ url: `${base}/gone.png` }] })).toMatchObject({ ok: false, actual: 'HTTP 404' });
    expect((await run('images-url-download', { data: [{ url: `${base}/page` }] })).message).toMatch(/does not hold an image/);
    const refused = await run('images-url-download', { data: [{ url: 'http://127.0.0.1:1/x.png' }] });
    expect(refused.ok).toBe(false);
    expect(refused.message).toMatch(/failed/);
  });
});
