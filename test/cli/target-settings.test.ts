/**
 * Where the target comes from and how it is reached, end to end through the CLI against loopback emulators: the
 * official SDKs' environment variables, the embedded emulator only when asked for, gateway headers (literal and
 * from the environment), a proxy from the environment, a CA file and --insecure, tokens, and targets without
 * authentication. Secrets given through any of them never reach a file the run writes.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chooseTarget, type TargetFlags } from '../../src/cli/run-target.ts';
import { proxiedFor, proxyChoice } from '../../src/engine/transport.ts';
import { readResultsFile, runCli, tempDir } from '../helpers.ts';
import { expectNoSecret, loopbackProxy, recordingEmulator, TLS_FIXTURE, type LoopbackProxy, type RecordingTarget } from '../support/targets.ts';

const FLAGS: TargetFlags = { emulator: false, entra: false, noAuth: false, headers: [], insecure: false, sdkJudge: false };
const choose = (flags: Partial<TargetFlags>, env: NodeJS.ProcessEnv, file = {}) => chooseTarget({ ...FLAGS, ...flags }, file, 'target.yaml', env);

describe('the target and its settings, with where each came from', () => {
  it('reads the endpoint as the official clients do: AzureOpenAI from OPENAI_BASE_URL ({endpoint}/openai) first, then AZURE_OPENAI_ENDPOINT', () => {
    expect(choose({}, { AZURE_OPENAI_ENDPOINT: 'https://res.openai.azure.com' }).endpoint).toEqual({ value: 'https://res.openai.azure.com', from: '$AZURE_OPENAI_ENDPOINT (environment)' });
    const both = choose({}, { AZURE_OPENAI_ENDPOINT: 'https://a.example', OPENAI_BASE_URL: 'https://b.example/openai/' });
    expect(both.endpoint).toEqual({ value: 'https://b.example', from: '$OPENAI_BASE_URL (environment)' });
    expect(both.notes.join('\n')).toMatch(/\$AZURE_OPENAI_ENDPOINT is set and not used/);
    expect(() => choose({}, { OPENAI_BASE_URL: 'http://127.0.0.1:8000/v1' })).toThrow(/does not end in \/openai.*--profile openai/);
    expect(choose({ profile: 'openai' }, { OPENAI_BASE_URL: 'http://127.0.0.1:8000/v1' }).endpoint?.value).toBe('http://127.0.0.1:8000/v1');
  });

  it('lets a flag beat the config and the config beat the environment', () => {
    const env = { AZURE_OPENAI_ENDPOINT: 'https://env.example' };
    expect(choose({ endpoint: 'https://flag.example' }, env, { endpoint: 'https://file.example' }).endpoint).toEqual({ value: 'https://flag.example', from: '--endpoint' });
    expect(choose({}, env, { endpoint: 'https://file.example' }).endpoint).toEqual({ value: 'https://file.example', from: 'config target.yaml' });
  });

  it('never falls back to the embedded emulator when the environment names an endpoint: a variable the profile does not read is an error', () => {
    expect(() => choose({ profile: 'openai' }, { AZURE_OPENAI_ENDPOINT: 'https://res.openai.azure.com' })).toThrow(/\$AZURE_OPENAI_ENDPOINT is set, but the openai profile reads only \$OPENAI_BASE_URL.*--emulator/);
    expect(() => choose({ profile: 'model-inference' }, { OPENAI_BASE_URL: 'https://x.example/openai' })).toThrow(/reads no endpoint from the environment/);
    const asked = choose({ emulator: true }, { AZURE_OPENAI_ENDPOINT: 'https://res.openai.azure.com' });
    expect(asked.endpoint).toBeUndefined();
    expect(asked.emulator).toBe('--emulator');
    expect(asked.notes).toContain('$AZURE_OPENAI_ENDPOINT is set and not used: --emulator');
    expect(() => choose({ emulator: true, endpoint: 'http://127.0.0.1:1' }, {})).toThrow(/exclude each other/);
    expect(choose({}, {}).emulator).toMatch(/^default/);
  });

  it('names OPENAI_API_VERSION when it differs from the contract, and never sends it', () => {
    expect(choose({}, { OPENAI_API_VERSION: '2024-10-21' }).notes.join('\n')).toMatch(/warning: \$OPENAI_API_VERSION is 2024-10-21, but the suite judges the 2024-06-01 contract and sends api-version=2024-06-01/);
    expect(choose({}, { OPENAI_API_VERSION: '2024-06-01' }).notes).toEqual([]);
    expect(choose({ profile: 'openai' }, { OPENAI_API_VERSION: '2024-10-21' }).notes.join('\n')).toMatch(/not used.*sends no api-version/);
  });

  it('takes one kind of credential, from a flag or the config', () => {
    expect(choose({}, {}).auth).toEqual({ value: { kind: 'key', env: 'AZURE_OPENAI_API_KEY' }, from: 'default' });
    expect(choose({ profile: 'openai' }, {}).auth.value).toEqual({ kind: 'key', env: 'OPENAI_API_KEY' });
    expect(choose({ tokenEnv: 'MY_TOKEN' }, {}).auth).toEqual({ value: { kind: 'token-env', env: 'MY_TOKEN' }, from: '--token-env' });
    expect(choose({ entra: true }, {}).auth.value).toEqual({ kind: 'entra', scope: 'https://cognitiveservices.azure.com/.default' });
    expect(choose({}, {}, { auth: 'none' }).auth).toEqual({ value: { kind: 'none' }, from: 'config target.yaml' });
    expect(() => choose({ entra: true, noAuth: true }, {})).toThrow(/--entra and --no-auth exclude each other/);
    expect(() => choose({}, {}, { auth: 'none', apiKeyEnv: 'K' })).toThrow(/exclude each other/);
  });

  it('reads headers as NAME=VALUE or NAME=env:VARIABLE, flags overriding the config', () => {
    const c = choose({ headers: ['X-Gateway-Key=env:GW_KEY', 'x-tenant=flag'] }, { GW_KEY: 'gateway-secret-value' }, { headers: { 'x-tenant': 'file', 'x-region': 'westeurope' } });
    expect(c.headers).toEqual([
      { name: 'x-region', value: 'westeurope', from: 'config target.yaml' },
      { name: 'X-Gateway-Key', env: 'GW_KEY', from: '--header' },
      { name: 'x-tenant', value: 'flag', from: '--header' },
    ]);
    expect(() => choose({ headers: ['no-equals-sign'] }, {})).toThrow(/expected NAME=VALUE/);
    expect(() => choose({ headers: ['x-key=env:EMPTY'] }, {})).toThrow(/\$EMPTY, which is empty/);
  });

  it('checks a CA file before anything is sent', () => {
    expect(() => choose({ caFile: '/nonexistent/ca.pem' }, {})).toThrow(/no such file/);
    expect(() => choose({ caFile: TLS_FIXTURE.key }, {})).toThrow(/not a PEM file of certificates/);
    expect(choose({ caFile: TLS_FIXTURE.cert }, {}).transport).toEqual({ value: { caFile: TLS_FIXTURE.cert }, from: '--ca-file' });
  });
});

describe('the proxy from the environment', () => {
  it('reaches loopback hosts directly unless the user set NO_PROXY', () => {
    const env = { HTTPS_PROXY: 'http://proxy.example:3128', HTTP_PROXY: 'http://proxy.example:3128' };
    const loopback = proxyChoice('http://127.0.0.1:8000', env);
    expect(proxiedFor(loopback, 'http://127.0.0.1:8000/v1/chat/completions')).toBeUndefined();
    expect(proxiedFor(loopback, 'http://localhost:8000/')).toBeUndefined();
    expect(proxiedFor(proxyChoice('http://127.0.0.9:1', env), 'http://127.0.0.9:1/')).toBeUndefined();
    expect(proxiedFor(loopback, 'https://res.openai.azure.com/')).toEqual({ url: 'http://proxy.example:3128', from: 'HTTPS_PROXY' });
    const user = proxyChoice('http://127.0.0.1:8000', { ...env, NO_PROXY: '.internal.example' });
    expect(proxiedFor(user, 'http://127.0.0.1:8000/')).toEqual({ url: 'http://proxy.example:3128', from: 'HTTP_PROXY' });
    expect(proxiedFor(user, 'https://api.internal.example/')).toBeUndefined();
    expect(proxyChoice('https://res.openai.azure.com', {})).toBeUndefined();
  });
});

const HANG_GUARD = { timeout: 300_000 };
const KEY = 'target-settings-key-5c1e9a7b3d';
const GATEWAY_SECRET = 'gateway-secret-8d2f4b6a0c';
const PROXY_SECRET = 'proxy-secret-61b0e3a9f2';
const CASES = ['--only', 'chat-minimal', '--only', 'chat-stream-basic', '--only', 'chat-auth-missing', '--only', 'chat-auth-wrong', '--only', 'images-minimal'];

let plain: RecordingTarget;
let open: RecordingTarget;
let tls: RecordingTarget;
let proxy: LoopbackProxy;
beforeAll(async () => {
  [plain, open, tls, proxy] = await Promise.all([recordingEmulator({ key: KEY }), recordingEmulator({ key: '', noAuth: true }), recordingEmulator({ key: KEY, https: true }), loopbackProxy()]);
});
afterAll(async () => {
  await Promise.all([plain, open, tls, proxy].map((t) => t?.close()));
});

/** What one run's requests carried, told apart by a header of their own. */
const sentBy = (target: RecordingTarget, run: string) => target.received.filter((r) => r.headers['x-run'] === run);

describe.concurrent('runs against loopback targets', HANG_GUARD, () => {
  it('judges the endpoint in AZURE_OPENAI_ENDPOINT with the key in AZURE_OPENAI_API_KEY, and says so first', async () => {
    const dir = tempDir('aoai-env-');
    const out = await runCli(['run', '--deployment', 'gpt-4o-mini', '--header', 'x-run=env-endpoint', ...CASES, '--report-dir', dir], { AZURE_OPENAI_ENDPOINT: plain.url, AZURE_OPENAI_API_KEY: KEY, OPENAI_API_VERSION: '2024-10-21' });
    expect(out.code, out.stderr).toBe(0);
    const results = readResultsFile(dir);
    expect(results.target).toMatchObject({ emulator: false, endpoint: `${plain.url}/` });
    const head = out.stderr.split('\n').slice(0, 12).join('\n');
    expect(head).toMatch(new RegExp(`judging ${plain.url}/ as azure-openai`));
    expect(head).toMatch(/target\s+\S+\s+\(\$AZURE_OPENAI_ENDPOINT \(environment\)\)/);
    expect(head).toMatch(/credential\s+key from \$AZURE_OPENAI_API_KEY, sent as api-key header\s+\(default\)/);
    expect(head).toMatch(/warning: \$OPENAI_API_VERSION is 2024-10-21.*not sent/);
    const sent = sentBy(plain, 'env-endpoint');
    expect(sent.length).toBeGreaterThanOrEqual(5);
    for (const r of sent.filter((r) => r.method === 'POST')) expect(r.url).toContain('api-version=2024-06-01');
    expectNoSecret(dir, [out.stdout, out.stderr], [KEY]);
  });

  it('judges the embedded emulator despite AZURE_OPENAI_ENDPOINT only with --emulator', async () => {
    const dir = tempDir('aoai-env-');
    const out = await runCli(['run', '--emulator', '--only', 'chat-minimal', '--report-dir', dir, '--no-allure'], { AZURE_OPENAI_ENDPOINT: 'https://unreachable.invalid' });
    expect(out.code, out.stderr).toBe(0);
    expect(readResultsFile(dir).target.emulator).toBe(true);
    expect(out.stderr).toContain('$AZURE_OPENAI_ENDPOINT is set and not used: --emulator');
    const refused = await runCli(['run', '--profile', 'openai', '--only', 'chat-minimal', '--report-dir', dir, '--no-allure'], { AZURE_OPENAI_ENDPOINT: 'https://unreachable.invalid' });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/\$AZURE_OPENAI_ENDPOINT is set, but the openai profile reads only \$OPENAI_BASE_URL/);
  });

  it('reads OPENAI_BASE_URL and OPENAI_API_KEY for the openai profile', async () => {
    const dir = tempDir('aoai-env-');
    const out = await runCli(['run', '--profile', 'openai', '--deployment', 'gpt-4o-mini', '--header', 'x-run=openai-env', '--only', 'chat-minimal', '--report-dir', dir, '--no-allure'], { OPENAI_BASE_URL: `${plain.url}/v1`, OPENAI_API_KEY: KEY });
    expect(out.code, out.stderr).toBe(0);
    const [sent] = sentBy(plain, 'openai-env');
    expect(sent.url).toBe('/v1/chat/completions');
    expect(sent.headers.authorization).toBe(`Bearer ${KEY}`);
  });

  it('sends gateway headers, literal and from the environment, and keeps the secret one out of every file', async () => {
    const dir = tempDir('aoai-headers-');
    const config = join(dir, 'target.yaml');
    writeFileSync(config, `headers:\n  x-region: westeurope\n  x-gateway-key: env:GW_KEY\n`);
    const out = await runCli(['run', '--endpoint', plain.url, '--deployment', 'gpt-4o-mini', '--config', config, '--header', 'x-run=headers', '--header', 'Ocp-Apim-Subscription-Key=env:APIM_KEY', ...CASES, '--report-dir', join(dir, 'report')], {
      AZURE_OPENAI_API_KEY: KEY,
      GW_KEY: GATEWAY_SECRET,
      APIM_KEY: `apim-${GATEWAY_SECRET}`,
    });
    expect(out.code, out.stderr).toBe(0);
    // Five cases and the pre-flight probe.
    const sent = sentBy(plain, 'headers').filter((r) => r.method === 'POST');
    expect(sent.length).toBe(6);
    for (const r of sent) expect(r.headers).toMatchObject({ 'x-region': 'westeurope', 'x-gateway-key': GATEWAY_SECRET, 'ocp-apim-subscription-key': `apim-${GATEWAY_SECRET}` });
    const results = readResultsFile(join(dir, 'report'));
    const minimal = results.cases.find((c) => c.id === 'chat-minimal')!;
    expect(minimal.exchange?.request.headers).toMatchObject({ 'x-region': 'westeurope', 'x-gateway-key': '[REDACTED]' });
    expect(minimal.reproduce?.curl).toContain('-H "x-gateway-key: $GW_KEY"');
    expect(minimal.reproduce?.curl).toContain('-H "ocp-apim-subscription-key: $APIM_KEY"');
    expect(results.target.headers).toEqual([{ name: 'x-region' }, { name: 'x-gateway-key', env: 'GW_KEY' }, { name: 'x-run' }, { name: 'Ocp-Apim-Subscription-Key', env: 'APIM_KEY' }]);
    expect(out.stderr).toMatch(/header\s+x-gateway-key: from \$GW_KEY \(secret, redacted\)/);
    expectNoSecret(join(dir, 'report'), [out.stdout, out.stderr], [KEY, GATEWAY_SECRET]);
  });

  it('goes through the proxy the environment names (the pre-flight probe, the cases and the image download alike) once NO_PROXY lets it, and straight to a loopback target otherwise', async () => {
    const dir = tempDir('aoai-proxy-');
    const before = proxy.tunnels.length;
    const direct = await runCli(['run', '--endpoint', plain.url, '--deployment', 'gpt-4o-mini', '--header', 'x-run=proxy-default', '--only', 'chat-minimal', '--report-dir', join(dir, 'direct'), '--no-allure'], { AZURE_OPENAI_API_KEY: KEY, HTTPS_PROXY: proxy.url, HTTP_PROXY: proxy.url });
    expect(direct.code, direct.stderr).toBe(0);
    expect(direct.stderr).toMatch(/proxy\s+none: the target is reached directly\s+\(NO_PROXY localhost,127\.0\.0\.1,\[::1\] \(default: loopback hosts\)\)/);
    expect(proxy.tunnels.length).toBe(before);
    // A proxy that takes a user and password in its URL: they go to the proxy, and nowhere else.
    const withCredentials = proxy.url.replace('http://', `http://proxy-user:${PROXY_SECRET}@`);
    const via = await runCli(['run', '--endpoint', plain.url, '--deployment', 'gpt-4o-mini', '--header', 'x-run=proxied', '--only', 'chat-minimal', '--only', 'chat-stream-basic', '--only', 'images-minimal', '--report-dir', join(dir, 'via')], {
      AZURE_OPENAI_API_KEY: KEY,
      HTTP_PROXY: withCredentials,
      NO_PROXY: 'internal.example',
    });
    expect(via.code, via.stderr).toBe(0);
    expect(via.stderr).toMatch(new RegExp(`proxy\\s+${proxy.url} \\(credentials hidden\\)\\s+\\(\\$HTTP_PROXY \\(environment\\)\\)`));
    expect(proxy.proxyAuthorizations).toContain(`Basic ${Buffer.from(`proxy-user:${PROXY_SECRET}`).toString('base64')}`);
    expectNoSecret(join(dir, 'via'), [via.stdout, via.stderr], [PROXY_SECRET, KEY]);
    const port = new URL(plain.url).port;
    expect(proxy.tunnels.slice(before).every((t) => t === `127.0.0.1:${port}`)).toBe(true);
    // The pre-flight probe and the cases each open connections through it; the image download is a GET of the target's URL.
    expect(proxy.tunnels.length - before).toBeGreaterThanOrEqual(2);
    const images = readResultsFile(join(dir, 'via')).cases.find((c) => c.id === 'images-minimal')!;
    expect(images.checks.find((k) => k.check === 'images-url-download')?.status).toBe('pass');
    expect(plain.received.some((r) => r.method === 'GET' && r.url.startsWith('/emulator/files/'))).toBe(true);
  });

  it('reaches a self-signed HTTPS target with --ca-file (also through a proxy) or --insecure, and stops at the pre-flight without either', async () => {
    const dir = tempDir('aoai-tls-');
    const args = (run: string) => ['run', '--endpoint', tls.url, '--deployment', 'gpt-4o-mini', '--header', `x-run=${run}`, '--only', 'chat-minimal', '--only', 'images-minimal', '--no-allure', '--report-dir', join(dir, run)];
    const refused = await runCli(args('tls-none'), { AZURE_OPENAI_API_KEY: KEY });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/TLS failure[\s\S]*hint: .*--ca-file.*--insecure/);
    const trusted = await runCli([...args('tls-ca'), '--ca-file', TLS_FIXTURE.cert], { AZURE_OPENAI_API_KEY: KEY });
    expect(trusted.code, trusted.stderr).toBe(0);
    expect(trusted.stderr).toMatch(/tls\s+CA certificates of .*self-signed\.crt trusted besides the default ones/);
    const tunnelled = await runCli([...args('tls-ca-proxy'), '--ca-file', TLS_FIXTURE.cert], { AZURE_OPENAI_API_KEY: KEY, HTTPS_PROXY: proxy.url, NO_PROXY: 'internal.example' });
    expect(tunnelled.code, tunnelled.stderr).toBe(0);
    expect(proxy.tunnels).toContain(`127.0.0.1:${new URL(tls.url).port}`);
    const insecure = await runCli([...args('tls-insecure'), '--insecure'], { AZURE_OPENAI_API_KEY: KEY });
    expect(insecure.code, insecure.stderr).toBe(0);
    expect(insecure.stderr).toMatch(/warning: certificates are NOT checked \(--insecure\)/);
    // The image download (a GET of the target's own URL, sent without the run's headers) went the same way.
    for (const run of ['tls-ca', 'tls-ca-proxy', 'tls-insecure']) {
      const images = readResultsFile(join(dir, run)).cases.find((c) => c.id === 'images-minimal')!;
      expect(images.checks.find((k) => k.check === 'images-url-download'), run).toMatchObject({ status: 'pass' });
    }
  });

  it('sends a token from --token-env as Authorization: Bearer, and keeps it out of every file', async () => {
    const dir = tempDir('aoai-token-');
    const token = 'eyJ0eXAiOiJKV1QiLCJhbGciOi.token-from-env.9f8e7d';
    const bearer = await recordingEmulator({ key: token });
    try {
      const out = await runCli(['run', '--endpoint', bearer.url, '--deployment', 'gpt-4o-mini', '--token-env', 'MY_ENTRA_TOKEN', ...CASES, '--report-dir', dir], { MY_ENTRA_TOKEN: token, AZURE_OPENAI_API_KEY: undefined });
      expect(out.code, out.stderr).toBe(0);
      const posts = bearer.received.filter((r) => r.method === 'POST' && r.headers.authorization === `Bearer ${token}`);
      expect(posts.length).toBeGreaterThanOrEqual(4);
      expect(bearer.received.every((r) => r.headers['api-key'] === undefined)).toBe(true);
      const results = readResultsFile(dir);
      expect(results.target.auth).toEqual({ kind: 'token-env', env: 'MY_ENTRA_TOKEN' });
      expect(results.cases.find((c) => c.id === 'chat-minimal')?.reproduce?.curl).toContain('-H "authorization: Bearer $MY_ENTRA_TOKEN"');
      expectNoSecret(dir, [out.stdout, out.stderr], [token]);
    } finally {
      await bearer.close();
    }
  });

  it('declares a target without authentication: no key needed, none sent, the credential cases skipped with the reason', async () => {
    const dir = tempDir('aoai-noauth-');
    const out = await runCli(['run', '--endpoint', open.url, '--deployment', 'gpt-4o-mini', '--no-auth', '--header', 'x-run=no-auth', ...CASES, '--report-dir', dir], { AZURE_OPENAI_API_KEY: undefined, OPENAI_API_KEY: undefined });
    expect(out.code, out.stderr).toBe(0);
    for (const r of sentBy(open, 'no-auth')) expect([r.headers['api-key'], r.headers.authorization]).toEqual([undefined, undefined]);
    const byId = new Map(readResultsFile(dir).cases.map((c) => [c.id, c]));
    expect(byId.get('chat-minimal')?.status).toBe('pass');
    for (const id of ['chat-auth-missing', 'chat-auth-wrong']) expect(byId.get(id)).toMatchObject({ status: 'skipped', skipReason: expect.stringMatching(/declares no authentication/) });
    expect(out.stderr).toMatch(/credential\s+none: the target takes no credential\s+\(--no-auth\)/);
    const embedded = await runCli(['run', '--emulator', '--no-auth', '--only', 'chat-minimal', '--only', 'chat-auth-missing', '--report-dir', join(dir, 'embedded'), '--no-allure'], { AZURE_OPENAI_API_KEY: undefined });
    expect(embedded.code, embedded.stderr).toBe(0);
    expect(readResultsFile(join(dir, 'embedded')).cases.find((c) => c.id === 'chat-minimal')?.reproduce?.curl).not.toMatch(/api-key|authorization/i);
  });
});
