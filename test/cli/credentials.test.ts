/**
 * Microsoft Entra ID tokens: renewed before they expire (driven by an injected clock, never by waiting), and taken
 * end to end from @azure/identity's real DefaultAzureCredential. Its Azure CLI credential is pointed at a stand-in
 * `az` on PATH (AZURE_TOKEN_CREDENTIALS=AzureCliCredential keeps every other credential, and so every network
 * request for a token, out of the chain), which prints the token the loopback emulator accepts.
 */
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AccessToken, credentialSource, RefreshingToken } from '../../src/engine/credential.ts';
import { readResultsFile, runCli, tempDir } from '../helpers.ts';
import { expectNoSecret, recordingEmulator, type RecordingTarget } from '../support/targets.ts';

describe('a renewed token', () => {
  it('is fetched once while valid, renewed 5 minutes before its end (half the life of a short one), and kept while a renewal fails', async () => {
    let now = 0;
    let fails = false;
    const issued: string[] = [];
    const token = new RefreshingToken(async () => {
      if (fails) throw new Error('the identity endpoint is down');
      const t: AccessToken = { token: `token-${issued.length + 1}-abcdef`, expiresOnTimestamp: now + 60 * 60_000 };
      issued.push(t.token);
      return t;
    }, () => now);
    expect(await token.current()).toBe('token-1-abcdef');
    now += 54 * 60_000;
    expect(await token.current()).toBe('token-1-abcdef');
    now += 2 * 60_000; // 4 minutes left: renewed
    expect(await token.current()).toBe('token-2-abcdef');
    now += 56 * 60_000;
    fails = true;
    expect(await token.current()).toBe('token-2-abcdef'); // still valid for 4 minutes: kept
    now += 5 * 60_000;
    await expect(token.current()).rejects.toThrow(/identity endpoint is down/);
    fails = false;
    expect(await token.current()).toBe('token-3-abcdef');
  });

  it('is fetched once for callers that ask at the same time, and every value is told to the redactor', async () => {
    let calls = 0;
    const secrets: string[] = [];
    const source = credentialSource(
      { auth: { kind: 'entra', scope: 'https://cognitiveservices.azure.com/.default' }, apiKeyEnv: 'UNUSED' },
      { onSecret: (s) => secrets.push(s), tokenCredential: async () => ({ getToken: async () => ({ token: `concurrent-token-${++calls}`, expiresOnTimestamp: Date.now() + 3_600_000 }) }) },
    );
    const values = await Promise.all([source.current(), source.current(), source.current()]);
    expect(values).toEqual(['concurrent-token-1', 'concurrent-token-1', 'concurrent-token-1']);
    expect(calls).toBe(1);
    expect(secrets).toEqual(['concurrent-token-1']);
  });

  it('that the credential cannot give is a clear error', async () => {
    const source = credentialSource({ auth: { kind: 'entra', scope: 'https://cognitiveservices.azure.com/.default' }, apiKeyEnv: 'UNUSED' }, { tokenCredential: async () => ({ getToken: async () => { throw new Error('Please run az login\nmore'); } }) });
    await expect(source.current()).rejects.toThrow(/^Microsoft Entra ID: no token for https:\/\/cognitiveservices\.azure\.com\/\.default: Please run az login$/);
  });
});

const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.entra-token-from-az.c0ffee1234';
let bearer: RecordingTarget;
let open: RecordingTarget;
beforeAll(async () => {
  [bearer, open] = await Promise.all([recordingEmulator({ key: TOKEN }), recordingEmulator({ key: '', noAuth: true })]);
});
afterAll(() => Promise.all([bearer.close(), open.close()]));

/** A stand-in `az` that prints TOKEN (with `numbered`, TOKEN-1, TOKEN-2, … one per call) with the given expiry and logs each call. */
function fakeAz(dir: string, expiresOn: number, numbered = false): { env: Record<string, string>; calls: () => number } {
  const log = join(dir, 'az.log');
  writeFileSync(log, '');
  const token = numbered ? `${TOKEN}-$(wc -l < '${log}' | tr -d ' ')` : TOKEN;
  writeFileSync(join(dir, 'az'), `#!/bin/sh\necho "$*" >> '${log}'\nprintf '{"accessToken":"%s","expiresOn":"2099-01-01 00:00:00.000000","expires_on":${expiresOn},"tokenType":"Bearer"}\\n' "${token}"\n`);
  chmodSync(join(dir, 'az'), 0o755);
  return {
    env: { PATH: `${dir}:${process.env.PATH}`, AZURE_TOKEN_CREDENTIALS: 'AzureCliCredential', AZURE_OPENAI_API_KEY: '' },
    calls: () => readFileSync(log, 'utf8').split('\n').filter((l) => l.includes('get-access-token')).length,
  };
}

describe.concurrent('--entra', { timeout: 300_000 }, () => {
  const CASES = ['--only', 'chat-minimal', '--only', 'chat-stream-basic', '--only', 'completions-minimal'];

  it('sends DefaultAzureCredential\'s token as Authorization: Bearer, fetched once per process while it is valid', async () => {
    const dir = tempDir('aoai-entra-');
    const az = fakeAz(dir, Math.floor(Date.now() / 1000) + 3600);
    const out = await runCli(['run', '--endpoint', bearer.url, '--deployment', 'gpt-4o-mini', '--entra', ...CASES, '--header', 'x-run=entra', '--report-dir', join(dir, 'report')], az.env);
    expect(out.code, out.stderr).toBe(0);
    expect(out.stderr).toMatch(/credential\s+Microsoft Entra ID token from DefaultAzureCredential \(https:\/\/cognitiveservices\.azure\.com\/\.default\)/);
    const sent = bearer.received.filter((r) => r.headers['x-run'] === 'entra' && r.method === 'POST');
    expect(sent.length).toBe(4);
    for (const r of sent) expect(r.headers.authorization).toBe(`Bearer ${TOKEN}`);
    // One token for the CLI's pre-flight, one for the test worker.
    expect(az.calls()).toBe(2);
    const results = readResultsFile(join(dir, 'report'));
    expect(results.target.auth).toEqual({ kind: 'entra', scope: 'https://cognitiveservices.azure.com/.default' });
    const curl = results.cases.find((c) => c.id === 'chat-minimal')!.reproduce!.curl;
    expect(curl).toContain('-H "authorization: Bearer $AZURE_OPENAI_AD_TOKEN"');
    expect(curl).toContain('az account get-access-token');
    expectNoSecret(join(dir, 'report'), [out.stdout, out.stderr], [TOKEN]);
  });

  it('renews a token that expires during the run, and keeps every token it was given out of every file', async () => {
    const dir = tempDir('aoai-entra-');
    // Already at its end when issued: every request needs a new one (one at a time: callers at the same moment share one).
    const az = fakeAz(dir, Math.floor(Date.now() / 1000) - 10, true);
    const out = await runCli(['run', '--endpoint', open.url, '--deployment', 'gpt-4o-mini', '--entra', ...CASES, '--header', 'x-run=renewed', '--concurrency', '1', '--report-dir', join(dir, 'report')], az.env);
    expect(out.code, out.stderr).toBe(0);
    // The pre-flight's, then one per case request of the worker.
    expect(az.calls()).toBeGreaterThanOrEqual(1 + 3);
    const sent = open.received.filter((r) => r.headers['x-run'] === 'renewed').map((r) => r.headers.authorization!);
    expect(new Set(sent).size).toBeGreaterThanOrEqual(3);
    for (const value of sent) expect(value).toMatch(new RegExp(`^Bearer ${TOKEN}-\\d+$`));
    expectNoSecret(join(dir, 'report'), [out.stdout, out.stderr], [TOKEN, ...sent.map((v) => v.slice('Bearer '.length))]);
  });
});
