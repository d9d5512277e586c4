/** A stream's items framed as SSE text (emulator/stream.ts), with the framing and timing faults applied. */
import type { FaultSet } from './faults.ts';
import { isRecord, type StreamItem } from './stream-types.ts';

/** How long a hung stream stays silent: far beyond any client's idle timeout (the timer never keeps the process alive). */
const HANG_MS = 10 * 60_000;
/** Events a hung stream sends before it falls silent. */
const EVENTS_BEFORE_HANG = 3;

function* frames(items: StreamItem[], eol: string, faults: FaultSet): Generator<string> {
  const blank = eol;
  const lines = (data: string) => `${faults.has('stream-named-events') ? `event: chunk${eol}` : ''}data: ${data}${eol}`;
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (item.kind === 'comment') {
      yield `:${item.text}${eol}${blank}`;
      continue;
    }
    const data = item.kind === 'raw' ? item.data : JSON.stringify(item.chunk);
    // Without the separator after every other event, pairs of events run together into one.
    const separated = !(faults.has('stream-no-blank-lines') && i % 2 === 0);
    yield `${lines(data)}${separated ? blank : ''}`;
  }
  if (!faults.has('stream-missing-done')) yield `${faults.has('stream-done-bare') ? '' : 'data: '}[DONE]${eol}${blank}`;
  if (faults.has('stream-done-twice')) yield `data: [DONE]${eol}${blank}`;
  if (faults.has('stream-data-after-done')) {
    const last = [...items].reverse().find((it) => it.kind === 'chunk');
    if (last && last.kind === 'chunk') yield `data: ${JSON.stringify(last.chunk)}${eol}${blank}`;
  }
}

export async function* serialise(items: StreamItem[], eol: string, faults: FaultSet): AsyncGenerator<string> {
  let sent = 0;
  for (const frame of frames(items, eol, faults)) {
    if (faults.has('stream-hang') && sent === EVENTS_BEFORE_HANG) {
      // Headers and a few events, then silence: the client's idle timeout has to end it.
      await new Promise<void>((resolve) => setTimeout(resolve, HANG_MS).unref());
      return;
    }
    if (faults.has('stream-endless') && frame.startsWith('data: [DONE]')) break;
    yield frame;
    sent++;
    // Let other work run between events, so the stream really arrives in pieces.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  if (faults.has('stream-endless')) yield* endless(items, eol);
}

/** A stream that never ends: the same kind of content chunk, forever (the client's limits must stop it). */
async function* endless(items: StreamItem[], eol: string): AsyncGenerator<string> {
  const sample = items.find((it) => it.kind === 'chunk' && Array.isArray(it.chunk.choices) && it.chunk.choices.length > 0 && it.chunk.id !== '');
  const chunk = sample && sample.kind === 'chunk' ? sample.chunk : { choices: [] };
  const choice = Array.isArray(chunk.choices) && isRecord(chunk.choices[0]) ? chunk.choices[0] : {};
  const more = { ...chunk, choices: [{ ...choice, finish_reason: null, ...('delta' in choice ? { delta: { content: ' and more' } } : { text: ' and more' }) }] };
  const frame = `data: ${JSON.stringify(more)}${eol}${eol}`;
  for (let i = 0; ; i++) {
    yield frame;
    if (i % 64 === 63) await new Promise<void>((resolve) => setImmediate(resolve));
  }
}
