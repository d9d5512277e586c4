/**
 * `readSse` drives the SSE parser (./parser.ts) over a response body with bounded memory and time (idle gap,
 * total time, events, bytes, an abort signal), and always resolves: how the stream ended is part of the result.
 */
import { SseParser } from './parser.ts';
import type { ReadSseOptions, ReadSseResult, SseEnd, SseEvent, SseTimings } from './types.ts';

export { SseParser } from './parser.ts';
export * from './types.ts';

type NextOutcome = { result: IteratorResult<Uint8Array> } | { error: unknown } | { stop: SseEnd };

/**
 * Reads an SSE body to its end or to the first limit hit. Target misbehaviour
 * (hangs, resets, floods) always resolves with an `end` reason; only an exception
 * thrown by `onEvent` propagates. On an early stop the body is released (destroyed
 * when it can be, and its iterator returned) so the socket does not linger.
 */
export async function readSse(body: AsyncIterable<Uint8Array>, opts: ReadSseOptions): Promise<ReadSseResult> {
  const startedAt = opts.startedAt ?? performance.now();
  const elapsed = () => performance.now() - startedAt;
  const keepEvents = opts.keepEvents ?? true;
  const events: SseEvent[] = [];
  const gaps = new GapStats();
  const parser = new SseParser({
    now: elapsed,
    maxEvents: opts.maxEvents,
    onEvent: (event) => {
      gaps.record(event.at);
      if (keepEvents) events.push(event);
      opts.onEvent?.(event);
    },
  });
  const watchdog = new Watchdog(opts);
  let end: SseEnd;
  try {
    end = await pump(body, parser, watchdog, opts);
  } finally {
    watchdog.dispose();
  }
  return {
    events,
    diagnostics: parser.end(),
    timings: gaps.timings(opts.headersAt === undefined ? undefined : opts.headersAt - startedAt, elapsed()),
    end,
  };
}

/** The read loop: one chunk at a time, raced against the watchdog. */
async function pump(body: AsyncIterable<Uint8Array>, parser: SseParser, watchdog: Watchdog, opts: ReadSseOptions): Promise<SseEnd> {
  let iterator: AsyncIterator<Uint8Array>;
  try {
    iterator = body[Symbol.asyncIterator]();
  } catch (error) {
    return { kind: 'error', message: describeError(error) };
  }
  for (;;) {
    const next = safeNext(iterator);
    const outcome: NextOutcome = await Promise.race([
      next.then(
        (result) => ({ result }),
        (error: unknown) => ({ error }),
      ),
      watchdog.stopped,
    ]);
    if ('stop' in outcome) {
      releaseBody(body, iterator, next);
      return outcome.stop;
    }
    if ('error' in outcome) return { kind: 'error', message: describeError(outcome.error) };
    if (outcome.result.done) return { kind: 'eof' };

    const chunk = outcome.result.value;
    if (chunk.length > 0) watchdog.sawBytes();
    const room = opts.maxBytes - parser.totalBytes;
    const overflow = chunk.length > room;
    try {
      parser.push(overflow ? chunk.subarray(0, room) : chunk);
    } catch (callerError) {
      // onEvent threw (a caller bug or a failed assertion): release, then let it propagate.
      releaseBody(body, iterator, undefined);
      throw callerError;
    }
    if (overflow) {
      releaseBody(body, iterator, undefined);
      return { kind: 'max-bytes', limit: opts.maxBytes };
    }
    if (parser.limitExceeded) {
      releaseBody(body, iterator, undefined);
      return { kind: 'max-events', limit: opts.maxEvents };
    }
  }
}

/** iterator.next() as a promise even if it throws synchronously. */
function safeNext(iterator: AsyncIterator<Uint8Array>): Promise<IteratorResult<Uint8Array>> {
  try {
    return Promise.resolve(iterator.next());
  } catch (error) {
    return Promise.reject(error);
  }
}

/**
 * Releases a body we stop reading early. Node stream iterators are async generators:
 * their return() queues behind a pending next(), which on a hung stream never settles,
 * so destroy the stream itself when it offers that, and do not await return().
 */
function releaseBody(
  body: AsyncIterable<Uint8Array>,
  iterator: AsyncIterator<Uint8Array> | undefined,
  pendingNext: Promise<unknown> | undefined,
): void {
  pendingNext?.catch(() => {}); // it may reject once the stream is destroyed
  const destroy = (body as { destroy?: unknown }).destroy;
  if (typeof destroy === 'function') {
    try {
      destroy.call(body);
    } catch {
      // best effort
    }
  }
  try {
    Promise.resolve(iterator?.return?.()).catch(() => {});
  } catch {
    // best effort
  }
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  const cause = error.cause instanceof Error ? ` (cause: ${error.cause.message})` : '';
  return `${error.name}${typeof code === 'string' ? ` [${code}]` : ''}: ${error.message}${cause}`;
}

/**
 * Idle/total timeouts and the abort signal, folded into one promise that settles with
 * the reason to stop. The idle timer is re-armed lazily (only when it fires early)
 * rather than reset per chunk, which keeps the per-chunk cost to a timestamp.
 */
class Watchdog {
  readonly stopped: Promise<{ stop: SseEnd }>;
  private resolveStop!: (value: { stop: SseEnd }) => void;
  private lastBytesAt = performance.now();
  private idleTimer: ReturnType<typeof setTimeout> | undefined;
  private totalTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly signal?: AbortSignal;
  private readonly onAbort = () => this.stop({ kind: 'error', message: `aborted: ${describeError(this.signal?.reason)}` });

  constructor(private readonly opts: ReadSseOptions) {
    this.stopped = new Promise((resolve) => (this.resolveStop = resolve));
    this.armIdle(opts.idleTimeoutMs);
    if (opts.totalTimeoutMs !== undefined) {
      const afterMs = opts.totalTimeoutMs;
      const remaining = afterMs - (opts.startedAt === undefined ? 0 : performance.now() - opts.startedAt);
      this.totalTimer = setTimeout(() => this.stop({ kind: 'total-timeout', afterMs }), Math.max(0, remaining));
    }
    this.signal = opts.signal;
    if (this.signal?.aborted) this.onAbort();
    else this.signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  sawBytes(): void {
    this.lastBytesAt = performance.now();
  }

  dispose(): void {
    clearTimeout(this.idleTimer);
    clearTimeout(this.totalTimer);
    this.signal?.removeEventListener('abort', this.onAbort);
  }

  private armIdle(delayMs: number): void {
    this.idleTimer = setTimeout(() => {
      const idleFor = performance.now() - this.lastBytesAt;
      if (idleFor >= this.opts.idleTimeoutMs) this.stop({ kind: 'idle-timeout', afterMs: this.opts.idleTimeoutMs });
      else this.armIdle(this.opts.idleTimeoutMs - idleFor);
    }, Math.max(0, delayMs));
  }

  private stop(end: SseEnd): void {
    this.dispose();
    this.resolveStop({ stop: end });
  }
}

/** Inter-event gap statistics with bounded storage. */
class GapStats {
  private firstAt: number | undefined;
  private lastAt: number | undefined;
  private count = 0;
  private sum = 0;
  private max = 0;

  record(at: number): void {
    if (this.lastAt === undefined) {
      this.firstAt = at;
    } else {
      const gap = at - this.lastAt;
      this.count++;
      this.sum += gap;
      if (gap > this.max) this.max = gap;
    }
    this.lastAt = at;
  }

  timings(headersMs: number | undefined, totalMs: number): SseTimings {
    const timings: SseTimings = {
      meanGapMs: this.count === 0 ? 0 : this.sum / this.count,
      maxGapMs: this.max,
      totalMs,
    };
    if (headersMs !== undefined) timings.headersMs = headersMs;
    if (this.firstAt !== undefined) timings.firstEventMs = this.firstAt;
    return timings;
  }
}
