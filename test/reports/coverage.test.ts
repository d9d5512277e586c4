import { describe, expect, it } from 'vitest';
import { computeCoverage, documentedProperties } from '../../src/results/coverage.ts';
import type { CaseSpec } from '../../src/model.ts';
import { caseById, requirements } from '../helpers.ts';

describe('documentedProperties', () => {
  it('collects top-level properties through allOf and $ref across files', () => {
    const chat = documentedProperties('createChatCompletionRequest', 'azure-openai/2024-06-01');
    // `messages` is the component's own; temperature and top_p come from chatCompletionsRequestCommon.
    expect(chat).toEqual(expect.arrayContaining(['messages', 'temperature', 'top_p', 'stream', 'tools', 'data_sources']));
  });

  it('reads the Model Inference request', () => {
    expect(documentedProperties('CreateCompletionRequest', 'model-inference/2024-04-01-preview')).toContain('prompt');
  });
});

describe('computeCoverage', () => {
  const minimal = caseById('chat-minimal');
  const rejected = caseById('chat-temperature-above-max');

  it('counts a parameter only when a case expecting success sends it', () => {
    const c = computeCoverage([minimal, rejected], requirements, 'azure-openai');
    const chat = c.parameters.byOperation['chat.completions']!;
    expect(chat.exercised).toEqual(['messages']);
    expect(chat.missing).toContain('temperature');
  });

  it('counts requirements evidenced by the checks of the cases that ran', () => {
    const c = computeCoverage([minimal], requirements, 'azure-openai');
    // The engine's transport check (HTTP-RESPONSE) runs in every case.
    const evidenced = new Set([minimal.requirement, ...minimal.expect.map((e) => e.requirement), 'HTTP-RESPONSE']);
    expect(c.requirements.covered).toBe([...requirements.values()].filter((r) => r.profiles.includes('azure-openai') && evidenced.has(r.id)).length);
    expect(c.requirements.missing).not.toContain('AOAI-USAGE-TOTAL');
    expect(c.requirements.missing).not.toContain('HTTP-RESPONSE');
    expect(computeCoverage([], requirements, 'azure-openai').requirements.missing).toContain('HTTP-RESPONSE');
  });

  it('leaves Azure-only parameters out of the openai profile', () => {
    const none: CaseSpec[] = [];
    expect(computeCoverage(none, requirements, 'openai').parameters.byOperation['chat.completions']?.documented).not.toContain('data_sources');
  });
});
