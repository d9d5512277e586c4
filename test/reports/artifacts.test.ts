/**
 * The run's artifacts: results.json against its published JSON Schema and its own arithmetic, junit.xml
 * against the results, Allure results labelled per case, `report allure` as one file without analytics,
 * and no credential in any of them — the run's key, and On Your Data keys and connection strings sent
 * in request bodies — nor on the terminal.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, DEFAULT_DEPLOYMENTS } from '../../emulator/server.ts';
import { finishResults, reportCase, requirementRefs, targetOf } from '../../src/results/build.ts';
import { writeAllureResults } from '../../reporters/allure.ts';
import { renderSummary } from '../../reporters/summary.ts';
import { writeReports } from '../../reporters/write.ts';
import { createAjv } from '../../src/ajv.ts';
import { loadCases, loadRequirements } from '../../src/cases/load.ts';
import { runCase } from '../../src/engine/run-case.ts';
import type { CaseSpec } from '../../src/model.ts';
import { displayStatus, type RunResults } from '../../src/results/model.ts';
import { targetFor } from '../../src/target.ts';
import { cli, filesUnder, type Outcome, PACKAGE_ROOT, readResults, SECRET, tempDir } from './support.ts';
import { REQUEST_HANG_GUARD_MS } from '../helpers.ts';

const SECRET_KEY_NAMES = /^(key|api[-_]?key|connection[-_]?string|access[-_]?token|token|password|secret|client[-_]?secret|authorization)$/i;

/** Values under secret-named keys anywhere in the cases' request bodies (On Your Data credentials). */
function bodySecrets(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((v) => bodySecrets(v, out));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (SECRET_KEY_NAMES.test(k) && typeof v === 'string' && v.length >= 6) out.push(v);
      else bodySecrets(v, out);
    }
  }
  return out;
}

function expectNoSecrets(texts: Array<[string, string]>, secrets: string[]): void {
  for (const [where, text] of texts) {
    for (const s of secrets) {
      expect(text.includes(s), `${s} in ${where}`).toBe(false);
      expect(text.includes(encodeURIComponent(s)), `${s} (URL-encoded) in ${where}`).toBe(false);
    }
  }
}

const schema = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'src/results/results.schema.json'), 'utf8')) as Record<string, unknown>;
const validateResults = createAjv({ strict: true, allErrors: true }).compile(schema);

describe('artifacts of a run with failures, warnings and a baseline', () => {
  let dir: string;
  let out: Outcome;
  let allureOut: Outcome;
  let r: RunResults;

  beforeAll(async () => {
    dir = tempDir();
    // Outside the report directory, whose every file the tests below read as an artifact.
    const baseline = join(tempDir('aoai-report-baseline-'), 'baseline.yaml');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(baseline, 'expected-failures:\n  - { case: chat-n-3, check: usage-sums, reason: "known" }\n');
    out = await cli(['run', '--operation', 'chat.completions', '--fault', 'usage-total-wrong', '--fault', 'auth-status-403', '--baseline', baseline, '--report-dir', dir]);
    allureOut = await cli(['report', 'allure', '--report-dir', dir]);
    r = readResults(dir);
  }, 180_000);

  it('results.json validates against src/results/results.schema.json', () => {
    const ok = validateResults(r);
    expect(validateResults.errors ?? [], JSON.stringify(validateResults.errors?.slice(0, 5))).toEqual([]);
    expect(ok).toBe(true);
  });

  it('results.json proves what ran: every planned case accounted for, counts that add up', () => {
    const s = r.summary;
    expect(out.code).toBe(r.verdict.exitCode);
    expect(r.selection.planned.length).toBe(s.planned);
    expect([...r.cases.map((c) => c.id)].sort()).toEqual(r.selection.planned);
    expect(s.passed + s.failed + s.expectedFailures + s.warnings + s.skipped + s.errors).toBe(r.cases.length);
    expect(s.run).toBe(r.cases.length - s.skipped);
    expect(s.run).toBeGreaterThan(0);
    const checks = r.cases.flatMap((c) => c.checks);
    expect(Object.values(s.checks).reduce((a, b) => a + b, 0)).toBe(checks.length);
    expect(s.expectedFailures).toBe(1);
    expect(r.cases.find((c) => c.id === 'chat-n-3') && displayStatus(r.cases.find((c) => c.id === 'chat-n-3')!)).toBe('expected-failure');
    expect(r.baseline?.counts.excused).toBe(1);
    const withExchange = r.cases.filter((x) => x.exchange);
    expect(withExchange.every((c) => c.reproduce?.curl.includes('curl -sS -X POST'))).toBe(true);
    expect(r.cases.find((c) => c.id === 'chat-minimal')?.reproduce?.curl).toContain('"api-key: $AZURE_OPENAI_API_KEY"');
    expect(r.coverage?.requirements.total).toBeGreaterThan(0);
    for (const k of checks) expect(r.requirements[k.requirement], k.requirement).toBeDefined();
  });

  it('junit.xml agrees with the results', () => {
    const xml = readFileSync(join(dir, 'junit.xml'), 'utf8');
    const testcases = xml.match(/<testcase /g)?.length ?? 0;
    expect(testcases).toBe(r.cases.length + (r.baseline?.entries.length ?? 0));
    expect(xml).toMatch(new RegExp(`<testsuites name="aoai-conformance" tests="${testcases}" failures="${r.summary.failed}" errors="${r.summary.errors}"`));
    expect(xml.match(/<failure /g)?.length).toBe(r.summary.failed);
    expect(xml).toContain('type="expected-failure"');
    expect(xml).toContain('<testsuite name="baseline"');
  });

  it('writes Allure results labelled with requirement, level, operation, profile, seed and outcome, with the exchange attached', () => {
    const results = readdirSync(join(dir, 'allure-results'))
      .filter((f) => f.endsWith('-result.json'))
      .map((f) => JSON.parse(readFileSync(join(dir, 'allure-results', f), 'utf8')) as { name: string; status: string; labels: Array<{ name: string; value: string }>; steps: Array<{ name: string; status: string; attachments: unknown[] }> });
    expect(results.length).toBe(r.cases.length);
    for (const res of results) {
      const labels = Object.fromEntries(res.labels.map((l) => [l.name, l.value]));
      const c = r.cases.find((x) => res.name.startsWith(`${x.id}:`))!;
      expect(c, res.name).toBeDefined();
      expect(labels).toMatchObject({ requirement: c.requirement, level: c.level, operation: c.operation, profile: c.profile, seed: c.seed, outcome: c.status });
      if (c.exchange) expect(res.steps.some((s) => s.name === 'exchange.json')).toBe(true);
    }
  });

  it('Allure tells the truth: a MUST failure is failed, a warning is a passed test marked as a warning', () => {
    const results = readdirSync(join(dir, 'allure-results'))
      .filter((f) => f.endsWith('-result.json'))
      .map((f) => JSON.parse(readFileSync(join(dir, 'allure-results', f), 'utf8')) as { name: string; status: string; labels: Array<{ name: string; value: string }>; steps: Array<{ name: string; status: string }> });
    const statusOf = (id: string) => results.find((res) => res.name.startsWith(`${id}:`))!;
    const failed = r.cases.filter((c) => c.status === 'fail');
    const warned = r.cases.filter((c) => c.status === 'warning');
    expect(failed.length).toBeGreaterThan(0);
    expect(warned.length).toBeGreaterThan(0);
    for (const c of failed) expect(statusOf(c.id).status, c.id).toBe('failed');
    for (const c of r.cases.filter((x) => x.status === 'pass')) expect(statusOf(c.id).status, c.id).toBe('passed');
    for (const c of warned) {
      const res = statusOf(c.id);
      expect(res.status).toBe('passed');
      expect(res.name).toContain('— warning (SHOULD/MAY)');
      expect(res.labels).toContainEqual({ name: 'tag', value: 'warning' });
      expect(res.steps.filter((s) => s.name.startsWith('WARNING')).every((s) => s.status === 'failed')).toBe(true);
    }
  });

  it('`report allure` writes one HTML file without the analytics script', () => {
    expect(allureOut.code, allureOut.stderr).toBe(0);
    const html = readFileSync(join(dir, 'allure-report.html'), 'utf8');
    expect(html).toMatch(/^<!DOCTYPE html>/i);
    expect(html).not.toContain('googletagmanager');
    expect(html).not.toMatch(/gtag\(/);
    expect(html).not.toMatch(/<(script|link)\b[^>]*(src|href)=["']https?:/i);
  });

  it('no credential anywhere: reports, Allure results and report, stdout, stderr', () => {
    const oydSecrets = loadCases().flatMap((c) => bodySecrets(c.request.body));
    const texts: Array<[string, string]> = [...filesUnder(dir), ['stdout', out.stdout], ['stderr', out.stderr], ['allure stdout', allureOut.stdout]];
    expectNoSecrets(texts, [SECRET, ...oydSecrets]);
  });
});

describe('On Your Data credentials in a request body never reach an artifact', () => {
  const KEY = 'run-key-0b5d7c9e1f3a5b7d9e';
  const SEARCH_KEY = 'oyd-search-key-6c1f8e2a4b9d0c3e5f7a';
  const CONNECTION = 'mongodb+srv://reader:Pa55w0rd-9e1d@cluster0.example.mongocluster.cosmos.azure.com/?tls=true';
  const ACCESS_TOKEN = 'eyJhbGciOiJub25lIn0.oyd-access-token-3d5f7a9c';
  let emu: Awaited<ReturnType<typeof startEmulator>>;

  beforeAll(async () => {
    emu = await startEmulator({ key: KEY, faults: [] });
  });
  afterAll(() => emu.close());

  it('report.html, results.json, junit.xml, the Allure labels and attachments, the summary', async () => {
    const requirements = loadRequirements();
    const spec: CaseSpec = {
      id: 'synthetic-on-your-data',
      title: 'a failing On Your Data request',
      file: 'cases/synthetic.yaml',
      operation: 'chat.completions',
      requirement: 'CHAT-200',
      level: 'MUST',
      seed: '003 §synthetic',
      profiles: ['azure-openai'],
      needs: [],
      repeat: false,
      request: {
        body: {
          messages: [{ role: 'user', content: 'hi' }],
          data_sources: [
            { type: 'azure_search', parameters: { endpoint: 'https://s.search.windows.net', index_name: 'i', authentication: { type: 'api_key', key: SEARCH_KEY } } },
            { type: 'azure_cosmos_db', parameters: { database_name: 'd', container_name: 'c', index_name: 'i', authentication: { type: 'connection_string', connection_string: CONNECTION } } },
            { type: 'azure_search', parameters: { endpoint: 'https://s.search.windows.net', index_name: 'i', authentication: { type: 'access_token', access_token: ACCESS_TOKEN } } },
          ],
        },
      },
      // An impossible status makes the case fail, so every failure view of the report renders it.
      expect: [{ check: 'status', requirement: 'CHAT-200', args: { equals: 599 } }],
    };
    const target = targetFor({ profile: 'azure-openai', endpoint: emu.url, deployment: DEFAULT_DEPLOYMENTS[0], emulator: true, requestTimeoutMs: REQUEST_HANG_GUARD_MS });
    const result = await runCase(spec, { target, apiKey: KEY, requirements });
    expect(result.status).toBe('fail');

    const reported = reportCase(result, target.apiKeyEnv, spec);
    const results = finishResults(
      {
        tool: { name: 'aoai-conformance', version: 'test' },
        startedAt: new Date().toISOString(),
        finishedAt: new Date().toISOString(),
        durationMs: 1,
        target: targetOf(target),
        selection: { filters: {}, planned: [spec.id] },
        runErrors: [],
        requirements: requirementRefs([reported], requirements),
        cases: [reported],
      },
      { secrets: [KEY] },
    );
    const dir = tempDir();
    expect(await writeReports(results, dir)).toEqual([]);
    writeAllureResults(results, join(dir, 'allure-results'));
    const texts: Array<[string, string]> = [...filesUnder(dir), ['summary', renderSummary(results, dir)]];
    // The request body reached the Allure attachments, redacted.
    expect(texts.some(([name, t]) => name.includes('allure-results') && t.includes('"data_sources"'))).toBe(true);
    expectNoSecrets(texts, [KEY, SEARCH_KEY, CONNECTION, ACCESS_TOKEN]);
    // The curl reproduction says what was redacted and reads the run's key from the environment.
    expect(reported.reproduce?.curl).toContain('[REDACTED] marks a secret-named field');
    expect(reported.reproduce?.curl).toContain('"api-key: $AZURE_OPENAI_API_KEY"');
  });
});
