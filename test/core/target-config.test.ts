import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadTargetConfig } from '../../src/target-config.ts';
import { notApplicable } from '../../src/engine/run-case.ts';
import { targetFor } from '../../src/target.ts';
import { caseById, readResultsFile, runCli, tempDir } from '../helpers.ts';

function configFile(yaml: string): string {
  const file = join(tempDir('aoai-config-'), 'target.yaml');
  writeFileSync(file, yaml);
  return file;
}

describe('loadTargetConfig', () => {
  it('loads deployments, features and settings', () => {
    const c = loadTargetConfig(configFile('profile: openai\ndeployment: m\ndeployments: { images: null, chat: c }\nfeatures: { tools: false }\nrepeat: 2\n'));
    expect(c).toMatchObject({ profile: 'openai', deployment: 'm', deployments: { images: null, chat: 'c' }, features: { tools: false }, repeat: 2 });
  });

  it.each([
    ['an unknown setting', 'deploymnet: x\n', /\/deploymnet: unknown setting/],
    ['an unknown capability', 'deployments: { video: x }\n', /\/deployments\/video: unknown setting/],
    ['an unknown feature', 'features: { teleport: true }\n', /\/features\/teleport: unknown setting/],
    ['a bad profile', 'profile: bedrock\n', /\/profile: must be equal to one of the allowed values/],
    ['a non-integer concurrency', 'concurrency: 2.5\n', /\/concurrency: must be integer/],
    ['invalid YAML', 'deployments: [\n', /target\.yaml/],
  ])('rejects %s naming the field', (_n, yaml, pattern) => {
    expect(() => loadTargetConfig(configFile(yaml))).toThrow(ConfigError);
    expect(() => loadTargetConfig(configFile(yaml))).toThrow(pattern);
  });
});

describe('applicability', () => {
  it('skips a case whose capability the target lacks, or whose feature it switched off, with the reason', () => {
    const spec = caseById('chat-minimal');
    const noChat = targetFor({ profile: 'azure-openai', endpoint: 'http://x', deployment: 'd', deployments: { chat: null } });
    expect(notApplicable(spec, noChat)).toMatch(/no chat deployment/);
    const withFeature = { ...spec, needs: ['tools'] };
    const toolsOff = targetFor({ profile: 'azure-openai', endpoint: 'http://x', deployment: 'd', disabledFeatures: ['tools'] });
    expect(notApplicable(withFeature, toolsOff)).toMatch(/switches off tools/);
    expect(notApplicable(spec, toolsOff)).toBeUndefined();
  });

  it('a config that removes the chat capability skips chat cases with the reason, never fails them', async () => {
    const dir = tempDir('aoai-config-run-');
    const out = await runCli(['run', '--config', configFile('deployments: { chat: null }\n'), '--operation', 'chat.completions', '--report-dir', dir]);
    const results = readResultsFile(dir);
    expect(results.summary.failed).toBe(0);
    expect(results.cases.every((c) => c.status === 'skipped' && c.skipReason)).toBe(true);
    // Cases of this profile are skipped for the missing capability (others for the profile itself).
    expect(results.cases.find((c) => c.id === 'chat-minimal')?.skipReason).toMatch(/no chat deployment/);
    // Nothing ran, so the run is no evidence of conformance: incomplete, not green.
    expect(out.code).toBe(2);
    expect(results.verdict.reason).toMatch(/no case ran/);
  });

  it('a malformed config is a usage error (exit 2)', async () => {
    const out = await runCli(['run', '--config', configFile('nope: 1\n')]);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('/nope: unknown setting');
  });
});
