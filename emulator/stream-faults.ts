/** The stream faults (emulator/faults/stream.ts) that reshape steps and chunks before serialisation (emulator/stream.ts). */
import type { FaultSet } from './faults.ts';
import { isRecord, type Json, type PlanOptions, type Step, type StreamItem } from './stream-types.ts';

/** Faults on the per-choice steps (finish reasons, roles, indexes, calls, logprobs). */
export function applyStepFaults(steps: Step[][], chat: boolean, faults: FaultSet): void {
  for (const choiceSteps of steps) {
    const last = choiceSteps[choiceSteps.length - 1];
    if (faults.has('stream-length-as-stop') && last.finish_reason === 'length') last.finish_reason = 'stop';
    if (faults.has('stream-finish-never')) last.finish_reason = null;
    if (faults.has('stream-choice-index-from-one')) for (const s of choiceSteps) s.index = Number(s.index) + 1;
    if (faults.has('stream-logprobs-missing')) for (const s of choiceSteps) s.logprobs = null;
    if (faults.has('stream-no-role') && chat && isRecord(choiceSteps[0].delta)) {
      const { role: _role, ...delta } = choiceSteps[0].delta;
      choiceSteps[0].delta = delta;
    }
    if (faults.has('stream-finish-early') && choiceSteps.length > 2) {
      // The finish reason moves to the first chunk; the rest of the choice still follows it.
      choiceSteps[0].finish_reason = last.finish_reason;
      last.finish_reason = null;
    }
    if (faults.has('stream-finish-twice')) choiceSteps.push({ ...last, ...(chat ? { delta: {} } : { text: '' }) });
    if (chat) applyCallFaults(choiceSteps, faults);
    // Choice fields moved into the delta, as some servers send them.
    for (const field of chat ? (['finish_reason', 'index'] as const) : []) {
      if (!faults.has(field === 'index' ? 'stream-index-in-delta' : 'stream-finish-reason-in-delta')) continue;
      for (const s of choiceSteps) {
        s.delta = { ...(isRecord(s.delta) ? s.delta : {}), [field]: s[field] };
        delete s[field];
      }
    }
  }
}

function applyCallFaults(choiceSteps: Step[], faults: FaultSet): void {
  const deltas = choiceSteps.map((s) => s.delta).filter(isRecord);
  const toolFragments = deltas.flatMap((d) => (Array.isArray(d.tool_calls) ? d.tool_calls.filter(isRecord) : []));
  if (faults.has('stream-tool-call-fragments-broken')) {
    // Argument pieces arrive under an index no fragment opened, so the calls cannot be put back together.
    for (const f of toolFragments) if (!('id' in f)) f.index = Number(f.index) + 1;
  }
  if (faults.has('stream-tool-args-truncated')) {
    const pieces = toolFragments.filter((f) => !('id' in f));
    const lastPiece = pieces[pieces.length - 1];
    if (lastPiece) choiceSteps.splice(choiceSteps.findIndex((s) => isRecord(s.delta) && Array.isArray(s.delta.tool_calls) && s.delta.tool_calls[0] === lastPiece), 1);
  }
  if (faults.has('stream-function-call-broken')) {
    for (const d of deltas) if (isRecord(d.function_call)) delete d.function_call.name;
  }
}

/** Faults on whole chunks: object, created, id, payloads that are not JSON. */
export function applyChunkFaults(items: StreamItem[], body: Json, opts: PlanOptions): void {
  const chat = opts.operation === 'chat.completions';
  const content = items.filter((it): it is { kind: 'chunk'; chunk: Json } => it.kind === 'chunk' && it.chunk.id === body.id);
  content.forEach((it, i) => {
    if (opts.faults.has('stream-chunk-object-wrong')) it.chunk.object = chat ? 'chat.completion' : 'text_completion.chunk';
    if (opts.faults.has('stream-chunk-created-string')) it.chunk.created = new Date(Number(body.created) * 1000).toISOString();
    if (opts.faults.has('stream-id-changes') && i >= content.length / 2) it.chunk.id = `${String(body.id)}-b`;
    if (opts.faults.has('stream-model-name')) {
      const { model, ...rest } = it.chunk;
      it.chunk = { ...rest, model_name: model };
    }
  });
  if (opts.faults.has('stream-payload-not-json') && content.length > 1) {
    const victim = content[1];
    const at = items.indexOf(victim);
    items[at] = { kind: 'raw', data: JSON.stringify(victim.chunk).slice(0, 40) };
  }
}
