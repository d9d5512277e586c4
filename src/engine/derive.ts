/**
 * Cases whose real request is derived from what the same target answered first (`request.derive` in a case).
 * A stop-sequence case that picked its stop in advance passes on any target that never writes that sequence;
 * choosing the stop from the target's own answer to the same request without `stop` means a target that
 * ignores `stop` writes the sequence and goes on, whatever its text. Both exchanges are kept in the transcript.
 */
import type { CaseSpec, DeriveSpec, Exchange, OperationId } from '../model.ts';
import { choicesOf, isRecord } from '../checks/types.ts';

export interface Performed {
  exchange: Exchange;
  requestBody: unknown;
  /** The engine could not judge the case (the target went down with it in flight, the run was interrupted). */
  notJudged?: string;
}

/** Sends the first request, derives the real one from its answer and sends that; or says why it could not. */
export async function performDerived(spec: CaseSpec, perform: (spec: CaseSpec) => Promise<Performed>): Promise<Performed> {
  const derive = spec.request.derive!;
  const first = await perform(withBody(spec, firstBody(spec.request.body)));
  const response = first.exchange.response;
  if (!response || first.notJudged) return first;
  const derived = deriveBody(spec.request.body, derive, spec.operation, response.status, response.json);
  if ('problem' in derived) return { ...first, exchange: { ...first.exchange, underivable: derived.problem } };
  const real = await perform(withBody(spec, derived.body));
  return { ...real, exchange: { ...real.exchange, derivedFrom: first.exchange } };
}

function withBody(spec: CaseSpec, body: Record<string, unknown>): CaseSpec {
  return { ...spec, request: { ...spec.request, body, derive: undefined } };
}

/** The first request: the case's body without the stop sequences that are to be derived. */
function firstBody(body: unknown): Record<string, unknown> {
  const { stop: _stop, ...rest } = isRecord(body) ? body : {};
  return rest;
}

function deriveBody(body: unknown, derive: DeriveSpec, operation: OperationId, status: number, json: unknown): { body: Record<string, unknown> } | { problem: string } {
  if (status < 200 || status >= 300) return { problem: `the first request (without stop) was answered HTTP ${status}, so there is no text to choose a stop sequence from` };
  const text = answerText(operation, json);
  if (text === undefined) return { problem: 'the first answer (without stop) carries no text in choices[0] to choose a stop sequence from' };
  const wanted = derive.stop.sequences;
  const stops = chooseStopSequences(text, wanted);
  if (stops.length < wanted) return { problem: `the first answer (without stop) has too few words to choose ${wanted} stop sequence(s) from: ${JSON.stringify(text.slice(0, 120))}` };
  return { body: { ...(isRecord(body) ? body : {}), stop: wanted === 1 ? stops[0] : stops } };
}

/** The text of the first choice: chat message content, or completions text. */
function answerText(operation: OperationId, json: unknown): string | undefined {
  const first = choicesOf(json)?.[0];
  if (!isRecord(first)) return undefined;
  const text = operation === 'chat.completions' ? (isRecord(first.message) ? first.message.content : undefined) : first.text;
  return typeof text === 'string' && text.trim() !== '' ? text : undefined;
}

const WORD = /\p{L}[\p{L}\p{N}'’-]*/gu;

/**
 * Words of the answer that make good stop sequences: at least three letters long, with text before and after
 * them, and occurring there for the first time (so that a target honouring the stop must cut exactly there).
 * The earliest are chosen, since a model repeats the start of an answer most faithfully.
 */
export function chooseStopSequences(text: string, count: number): string[] {
  const chosen: string[] = [];
  for (const match of text.matchAll(WORD)) {
    const word = match[0];
    const at = match.index;
    if (chosen.length === count) break;
    if (at === 0 || word.length < 3 || chosen.includes(word) || text.indexOf(word) !== at) continue;
    if (text.slice(at + word.length).trim() === '') continue;
    chosen.push(word);
  }
  return chosen;
}
