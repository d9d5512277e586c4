/** Report building blocks: the curl reproduction (run for real), categories, comparison, verdicts, Allure stripping, progress. */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_DEPLOYMENTS, startEmulator } from '../../emulator/server.ts';
import { allureCaseFiles, type AllureTestResult, runLabels } from '../../reporters/allure.ts';
import { stripAnalytics } from '../../reporters/allure-report.ts';
import { discardDirectory } from '../../reporters/files.ts';
import { reportCase } from '../../src/results/build.ts';
import { categoryOf } from '../../src/results/categories.ts';
import { curlFor, shellQuote } from '../../src/results/curl.ts';
import { tempDir } from '../helpers.ts';
import { Progress } from '../../reporters/progress.ts';
import { loadRequirements } from '../../src/cases/load.ts';
import { compareRuns } from '../../src/results/compare.ts';
import { runCase } from '../../src/engine/run-case.ts';
import type { CaseSpec, Status } from '../../src/model.ts';
import { type ReportedCase, type RunResults, summarise, verdictOf } from '../../src/results/model.ts';
import { targetFor } from '../../src/target.ts';

const CURL = ['/usr/bin/curl', '/bin/curl'].find((p) => existsSync(p));

function sh(command: string, env: Record<string, string>): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => {
    execFile('/bin/sh', ['-c', command], { env: { PATH: process.env.PATH ?? '', ...env }, timeout: 50_000 /* a hang guard, under the test's own */ }, (err, stdout) => resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout }));
  });
}

describe('shellQuote', () => {
  it.each(["plain", "it's", "a'b'c", '$HOME `id` "q" \\ \n newline', ''])('round-trips %j through sh', async (text) => {
    const out = await sh(`printf %s ${shellQuote(text)}`, {});
    expect(out.stdout).toBe(text);
  });
});

describe.skipIf(!CURL)('the curl reproduction, run with the key in the environment', () => {
  const KEY = 'curl-test-key-5a7c9e1b3d';
  let emu: Awaited<ReturnType<typeof startEmulator>>;
  const requirements = loadRequirements();
  beforeAll(async () => {
    emu = await startEmulator({ key: KEY, faults: [] });
  });
  afterAll(() => emu.close());

  const spec = (auth: CaseSpec['request']['auth'], content: string): CaseSpec => ({
    id: `curl-${auth ?? 'default'}`,
    title: 't',
    file: 'cases/x.yaml',
    operation: 'chat.completions',
    requirement: 'CHAT-200',
    level: 'MUST',
    seed: '003',
    profiles: ['azure-openai'],
    needs: [],
    repeat: false,
    request: { auth, body: { messages: [{ role: 'user', content }] } },
    expect: [{ check: 'status', requirement: 'CHAT-200', args: { equals: 200 } }],
  });

  it.each([
    [undefined, 200],
    ['wrong', 401],
    ['none', 401],
  ] as const)('auth %s: same status as the case saw, and the key never written in the command', async (auth, status) => {
    const s = spec(auth, "it's a \"quoted\" $HOME test");
    const target = targetFor({ profile: 'azure-openai', endpoint: emu.url, deployment: DEFAULT_DEPLOYMENTS[0], emulator: true });
    const result = await runCase(s, { target, apiKey: KEY, requirements });
    expect(result.exchange?.response?.status).toBe(status);
    const curl = reportCase(result, 'AZURE_OPENAI_API_KEY', s).reproduce!.curl;
    expect(curl).not.toContain(KEY);
    const out = await sh(`${curl} -o /dev/null -w '%{http_code}'`, { AZURE_OPENAI_API_KEY: KEY });
    expect(out.stdout).toBe(String(status));
  });
});

describe('curlFor', () => {
  it('sends multipart fields and fixture files, and the bearer credential from the environment', () => {
    const curl = curlFor({
      request: {
        method: 'POST',
        url: 'http://127.0.0.1:1/v1/audio/transcriptions',
        headers: { authorization: 'Bearer [REDACTED]', 'content-type': 'multipart/form-data' },
        multipart: { fields: { model: 'whisper', language: 'en' }, files: { file: { filename: 'hello.wav', contentType: 'audio/wav', bytes: 10 } } },
      },
      target: 'OPENAI_API_KEY',
      fixtures: { file: 'audio/hello.wav' },
    });
    expect(curl).toContain('-H "authorization: Bearer $OPENAI_API_KEY"');
    expect(curl).toContain("-F 'file=@cases/fixtures/audio/hello.wav;type=audio/wav;filename=hello.wav'");
    expect(curl).toContain("-F 'language=en'");
    expect(curl).not.toContain('content-type');
  });
});

describe('categoryOf', () => {
  it.each([
    ['status', 'AUTH-401', 'auth'],
    ['error-body', 'AUTH-REJECTED', 'auth'],
    ['schema', 'CHAT-RESPONSE-SCHEMA', 'schema'],
    ['content-type', 'JSON-CONTENT-TYPE', 'headers'],
    ['status-class', 'CHAT-TEMPERATURE-RANGE', 'bounds'],
    ['status', 'INVALID-REQUEST-400', 'errors'],
    ['status', 'API-VERSION-REQUIRED', 'errors'],
    ['sse-framing', 'STREAM-DONE', 'streaming'],
    ['usage-sums', 'USAGE-TOTAL', 'semantics'],
    ['status', 'CHAT-200', 'semantics'],
  ])('%s on %s → %s', (check, requirement, category) => {
    expect(categoryOf(check, requirement)).toBe(category);
  });
});

function kase(id: string, status: Status, checks: Array<[string, Status]> = []): ReportedCase {
  return {
    id,
    title: id,
    file: 'f',
    operation: 'chat.completions',
    profile: 'azure-openai',
    requirement: 'R',
    requirements: ['R'],
    level: 'MUST',
    seed: 's',
    status,
    checks: checks.map(([check, s]) => ({ id: `${id}/${check}`, check, requirement: 'R', level: 'MUST', status: s, expected: null, actual: null, message: '', category: 'semantics' })),
    durationMs: 1,
  };
}

function run(cases: ReportedCase[]): RunResults {
  return { startedAt: '2026-01-01T00:00:00Z', tool: { name: 'aoai-conformance', version: 'x' }, target: { profile: 'azure-openai' }, verdict: { reason: 'r' }, cases } as unknown as RunResults;
}

describe('compareRuns', () => {
  it('reports regressions, fixes, a check that newly fails inside a still-failing case, and added/removed cases', () => {
    const before = run([kase('a', 'pass'), kase('b', 'fail', [['x', 'fail'], ['y', 'pass']]), kase('c', 'fail'), kase('d', 'pass'), kase('gone', 'pass'), kase('s', 'skipped')]);
    const after = run([kase('a', 'fail'), kase('b', 'fail', [['x', 'fail'], ['y', 'fail']]), kase('c', 'pass'), kase('d', 'warning'), kase('new', 'pass'), kase('s', 'pass')]);
    const cmp = compareRuns(before, after);
    expect(cmp.regressions.map((c) => c.id)).toEqual(['a', 'b', 'd']);
    expect(cmp.regressions[1].checks).toEqual(['b/y: pass → fail']);
    expect(cmp.fixes.map((c) => c.id)).toEqual(['c']);
    expect(cmp.changed.map((c) => `${c.id} ${c.before}→${c.after}`)).toEqual(['s skipped→pass']);
    expect(cmp.added).toEqual(['new']);
    expect(cmp.removed).toEqual(['gone']);
  });
});

describe('verdictOf', () => {
  it('exit 0 only when everything planned was judged and nothing failed', () => {
    const ok = [kase('a', 'pass', [['x', 'pass']])];
    expect(verdictOf(summarise(ok, 1), []).exitCode).toBe(0);
    expect(verdictOf(summarise(ok, 2), []).exitCode).toBe(2);
    expect(verdictOf(summarise(ok, 1), ['suite crashed']).exitCode).toBe(2);
    expect(verdictOf(summarise([kase('a', 'error')], 1), []).exitCode).toBe(2);
    expect(verdictOf(summarise([kase('a', 'skipped')], 1), []).exitCode).toBe(2);
    const failing = verdictOf(summarise([kase('a', 'fail', [['x', 'fail']])], 2), []);
    expect(failing.exitCode).toBe(1);
    expect(failing.reason).toContain('incomplete');
    expect(failing.levels.MUST).toBe('fail');
  });
});

describe('allureCaseFiles', () => {
  const resultOf = (c: ReportedCase, env: NodeJS.ProcessEnv = {}) => {
    const files = allureCaseFiles(c, { statement: 'the rule', start: 1_000, runLabels: runLabels(env) });
    const result = JSON.parse(files.find((f) => f.name.endsWith('-result.json'))!.content) as AllureTestResult;
    return { result, files };
  };

  it('a MUST failure is failed with the failing checks as its message; a case the suite could not judge is broken', () => {
    const failed = resultOf(kase('a', 'fail', [['status', 'fail'], ['schema', 'pass']])).result;
    expect(failed.status).toBe('failed');
    expect(failed.statusDetails.message).toBe('[MUST R] status: ');
    expect(failed.steps.map((s) => s.status)).toEqual(['failed', 'passed']);
    const broken = resultOf({ ...kase('b', 'error'), notJudged: 'not judged: the target stopped answering' }).result;
    expect(broken.status).toBe('broken');
    expect(broken.statusDetails.message).toBe('not judged: the target stopped answering');
    expect(resultOf({ ...kase('c', 'error'), runError: 'the suite itself failed' }).result.statusDetails.message).toBe('the suite itself failed');
  });

  it('a warning passes, marked as one; a pass passes; an inapplicable case is skipped', () => {
    const warned = resultOf(kase('w', 'warning', [['x', 'warning']])).result;
    expect(warned.status).toBe('passed');
    expect(warned.name).toBe('w: w — warning (SHOULD/MAY)');
    expect(warned.labels).toContainEqual({ name: 'tag', value: 'warning' });
    expect(warned.labels).toContainEqual({ name: 'outcome', value: 'warning' });
    expect(warned.steps[0]).toMatchObject({ status: 'failed', name: 'WARNING (MUST) x [MUST R]: ' });
    expect(resultOf(kase('p', 'pass')).result).toMatchObject({ status: 'passed', statusDetails: {}, name: 'p: p' });
    expect(resultOf(kase('s', 'skipped')).result).toMatchObject({ status: 'skipped', stage: 'pending' });
  });

  it("shows each check's expected and actual values as its step's parameters, and says the statement, seed and case file", () => {
    const c = kase('a', 'fail', [['status', 'fail']]);
    c.checks[0] = { ...c.checks[0], expected: 200, actual: 'HTTP 500' };
    const { result, files } = resultOf(c);
    expect(result.steps[0].parameters).toEqual([{ name: 'expected', value: '200' }, { name: 'actual', value: 'HTTP 500' }]);
    expect(resultOf(kase('b', 'pass', [['x', 'pass']])).result.steps[0].parameters).toEqual([]);
    expect(files).toHaveLength(1); // no exchange, nothing attached
    expect(result.description).toContain('**MUST R** — the rule');
    expect(result.description).toContain('Case file: `f`');
  });

  it('attaches the exchange and puts the curl reproduction in the description, fenced beyond any backticks in it', () => {
    const c: ReportedCase = { ...kase('a', 'pass'), exchange: { request: { method: 'POST', url: 'http://127.0.0.1/x', headers: {} }, timings: { startedAt: 5_000, totalMs: 1 } } as unknown as ReportedCase['exchange'], reproduce: { curl: "curl -d '```'" } };
    const { result, files } = resultOf(c);
    const step = result.steps.at(-1)!;
    expect(step.attachments[0]).toMatchObject({ name: 'exchange.json', type: 'application/json' });
    expect(JSON.parse(files.find((f) => f.name === step.attachments[0].source)!.content)).toEqual(c.exchange);
    expect(result.description).toContain("````sh\ncurl -d '```'\n````");
    expect(result.start).toBe(5_000);
  });

  it('names a case the same way in every run, so that Allure keeps its history; ALLURE_LABEL_* labels every result', () => {
    const one = resultOf(kase('a', 'pass')).result;
    const two = resultOf(kase('a', 'fail'), { ALLURE_LABEL_team: 'gateway' }).result;
    expect(one.uuid).not.toBe(two.uuid);
    expect([one.fullName, one.historyId, one.testCaseId]).toEqual([two.fullName, two.historyId, two.testCaseId]);
    expect(one.fullName).toBe('aoai-conformance azure-openai chat.completions a');
    expect(two.labels).toContainEqual({ name: 'team', value: 'gateway' });
    // The timeline's lanes: host and thread, which Allure's own variables name.
    expect(resultOf(kase('a', 'pass'), { ALLURE_HOST_NAME: 'ci-7', ALLURE_THREAD_NAME: 'shard 2' }).result.labels).toEqual(expect.arrayContaining([{ name: 'host', value: 'ci-7' }, { name: 'thread', value: 'shard 2' }]));
    expect(one.labels.some((l) => l.name === 'team')).toBe(false);
  });

  it('times a case from its exchange, else from the run', () => {
    expect(resultOf(kase('a', 'skipped')).result).toMatchObject({ start: 1_000, stop: 1_001 });
  });
});

describe('stripAnalytics', () => {
  it('removes the awesome plugin analytics scripts and keeps inline data scripts', () => {
    const html = `<body><script src="data:text/javascript;base64,AAAA"></script>
    <script async src="https://www.googletagmanager.com/gtag/js?id=G-X"></script>
    <script>
        window.dataLayer = window.dataLayer || [];
        function gtag(){dataLayer.push(arguments);}
        gtag('js', new Date());
    </script>
    <script>window.allureReportData = {}</script></body>`;
    const out = stripAnalytics(html);
    expect(out).not.toContain('googletagmanager');
    expect(out).not.toContain('gtag');
    expect(out).toContain('window.allureReportData');
    expect(out).toContain('data:text/javascript');
  });

  it('refuses a report that would still load from the network', () => {
    expect(() => stripAnalytics('<link rel="stylesheet" href="https://fonts.example/x.css">')).toThrow(/network/);
  });
});

describe('Progress', () => {
  it('on a terminal redraws one line; elsewhere stays quiet between its intervals', () => {
    const written: string[] = [];
    const stream = { write: (t: string) => written.push(t), isTTY: true, columns: 120 } as unknown as NodeJS.WriteStream;
    const tty = new Progress(stream, 3, true);
    tty.start();
    tty.done('a', 'pass');
    tty.done('b', 'fail');
    tty.finish();
    expect(written[1]).toMatch(/^\r\x1b\[K.*\[2\/3\]\s+66% · 1 passed · 1 failed/);
    expect(written.at(-1)).toBe('\r\x1b[K');

    const plain: string[] = [];
    const log = new Progress({ write: (t: string) => plain.push(t) } as unknown as NodeJS.WriteStream, 3, false);
    log.start();
    log.done('a', 'pass');
    expect(plain).toEqual([]);
  });
});

describe('discardDirectory', () => {
  it("removes an earlier run's directory and every file in it, leaving the name free at once; a missing one is no error", async () => {
    const root = tempDir();
    const dir = join(root, 'allure-results');
    mkdirSync(dir);
    for (let i = 0; i < 50; i++) writeFileSync(join(dir, `${i}-result.json`), '{}');
    const discarding = discardDirectory(dir);
    expect(existsSync(dir)).toBe(false); // free for this run's results before the old ones are deleted
    await discarding;
    expect(readdirSync(root)).toEqual([]);
    await expect(discardDirectory(dir)).resolves.toBeUndefined();
  });
});
