/**
 * Every emulator response to a broad request set — every case of the suite, in every profile — validates
 * against the project's schemas: success bodies against the operation's response component, stream events
 * against the stream event schemas, error bodies against the profile's error components.
 */
import { describe, expect, it } from 'vitest';
import { mediaTypeOf } from '../../src/engine/http.ts';
import { CUT_MARKER } from '../../src/engine/record.ts';
import { PROFILES, type CaseResult, type OperationId, type ProfileName } from '../../src/model.ts';
import { SchemaRegistry } from '../../src/schemas/registry.ts';
import { cases, withEmulator } from '../helpers.ts';
import { runInProcess } from '../support/in-process.ts';

const MI = 'model-inference/2024-04-01-preview';
const AOAI = 'azure-openai/2024-06-01';

/** The components a 2xx JSON body may be, per operation. */
const SUCCESS: Record<OperationId, string[]> = {
  'chat.completions': ['createChatCompletionResponse'],
  completions: ['createCompletionResponse'],
  embeddings: ['createEmbeddingResponse'],
  'images.generations': ['generateImagesResponse'],
  'audio.transcriptions': ['audioResponse', 'audioVerboseResponse'],
  'audio.translations': ['audioResponse', 'audioVerboseResponse'],
};
const STREAM_EVENT: Partial<Record<OperationId, string>> = { 'chat.completions': 'chatCompletionStreamEvent', completions: 'completionStreamEvent' };
const MI_ERRORS = ['UnauthorizedError', 'NotFoundError', 'UnprocessableContentError', 'TooManyRequestsError', 'ContentFilterError'].map((t) => `${MI}/${t}`);

function componentsFor(profile: ProfileName, operation: OperationId, status: number): string[] {
  if (status < 300) return profile === 'model-inference' ? [`${MI}/CreateCompletionResponse`] : SUCCESS[operation].map((t) => `${AOAI}/${t}`);
  if (profile === 'model-inference') return MI_ERRORS;
  return [`${AOAI}/${operation === 'images.generations' ? 'dalleErrorResponse' : 'errorResponse'}`];
}

function problems(result: CaseResult, profile: ProfileName): string[] {
  const response = result.exchange?.response;
  if (!response) return [`${result.id}: no response (${result.status}: ${result.runError ?? result.skipReason ?? result.exchange?.transportError ?? 'no exchange'})`];
  const registry = SchemaRegistry.shared();
  const type = mediaTypeOf(response.headers['content-type']);
  const out: string[] = [];
  if (response.sse) {
    const component = STREAM_EVENT[result.operation];
    for (const e of response.sse.events) {
      // The report keeps long events cut (src/engine/record.ts); the case's own checks saw them whole.
      if (e.data === '[DONE]' || !component || e.data.includes(CUT_MARKER)) continue;
      const v = registry.validate(profile === 'model-inference' ? `${MI}/CreateCompletionResponse` : `${AOAI}/${component}`, JSON.parse(e.data));
      if (!v.valid) out.push(`${result.id} event ${e.index}: ${v.issues[0].message}`);
    }
  } else if (type === 'application/json' && response.json === undefined && response.bodyText.includes(CUT_MARKER)) {
    // Too large to keep whole in the report (the case's own schema check saw it whole): nothing to validate here.
  } else if (type === 'application/json') {
    const candidates = componentsFor(profile, result.operation, response.status);
    // The report keeps the parsed body only when it is small; the text is whole here.
    const json = response.json ?? JSON.parse(response.bodyText);
    const outcomes = candidates.map((c) => registry.validate(c, json));
    if (!outcomes.some((o) => o.valid)) out.push(`${result.id} (${response.status}): not a ${candidates.join(' | ')}: ${outcomes[0].issues[0]?.message}`);
  } else if (type !== 'text/plain') {
    out.push(`${result.id}: unexpected content type ${type}`);
  }
  return out;
}

describe.each(PROFILES)('every emulator response validates against the schemas (%s)', (profile) => {
  // A hang guard far above the few seconds a run takes; the run's own time limits are hang guards too (runInProcess).
  it('for every case of the suite', { timeout: 300_000 }, async () => {
    const applicable = cases.filter((c) => c.profiles.includes(profile));
    // A whole run at the CLI's concurrency (not every case at once: that would measure the machine, not the emulator).
    const found = await withEmulator([], async (url) => (await runInProcess(url, { profile, cases: applicable })).flatMap((r) => problems(r, profile)));
    expect(applicable.length).toBeGreaterThan(20);
    expect(found).toEqual([]);
  });
});
