/**
 * Pre-flight: before any case is timed, is the target there at all, and ready? A target unreachable from the
 * start (refused, unknown host, TLS failure) is one clear error, not a failure per case. A target that accepts
 * connections but is still starting (no answer yet, or 503 while it loads) gets a generous time of its own,
 * so a cold target is not judged while it starts.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { formatDuration } from '../duration.ts';
import type { FreshDispatcher, Probe, ProbeResult } from './probe.ts';
import { freshAgent, sendProbe } from './probe.ts';

export interface PreflightOptions {
  /** How long the target may take to give its first answer. */
  readyTimeoutMs: number;
  /** Also wait (within readyTimeoutMs) while the target refuses connections: it is known to be starting. */
  waitForTarget: boolean;
  fresh?: FreshDispatcher;
  signal?: AbortSignal;
}

export type Preflight =
  | { ok: true; answeredInMs: number; status: number; what: string; note?: string }
  | { ok: false; problem: string; hint?: string; what: string };

const HINTS: Record<string, string> = {
  refused: 'is the target running on that host and port? If it is still starting, add --wait-for-target (it then waits up to --ready-timeout)',
  'reset-before-headers': 'the target closed the connection without answering; if it is still starting, add --wait-for-target',
  dns: 'check the host name in --endpoint',
  tls: 'for a test server with a self-signed certificate, give its CA with --ca-file, or accept any certificate with --insecure',
  'no-headers': 'the target accepted the connection but never answered; if it is slow to start, raise --ready-timeout',
};

export async function preflight(probe: Probe, opts: PreflightOptions): Promise<Preflight> {
  const started = performance.now();
  const left = () => opts.readyTimeoutMs - (performance.now() - started);
  let backoff = 250;
  let last: ProbeResult | undefined;
  while (left() > 0 && !opts.signal?.aborted) {
    last = await sendProbe(probe, Math.max(1, left()), opts.fresh ?? freshAgent, opts.signal);
    const waited = performance.now() - started;
    if (last.answered && last.status !== 503) return { ok: true, answeredInMs: waited, status: last.status!, what: probe.what };
    const kind = last.failure?.kind;
    // A 503 is a target still loading; refusals and resets are waited out only when the user says it is starting.
    const transient = last.answered || (opts.waitForTarget && (kind === 'refused' || kind === 'reset-before-headers' || kind === 'reset-mid-body'));
    if (!transient) break;
    await sleep(Math.min(backoff, Math.max(0, left())), undefined, { signal: opts.signal }).catch(() => undefined);
    backoff = Math.min(backoff * 2, 5_000);
  }
  if (last?.answered) {
    // Still 503 at the end of the wait: the target answers, so the run goes on and the cases judge its answers.
    return { ok: true, answeredInMs: performance.now() - started, status: last.status!, what: probe.what, note: `the target still answered 503 after ${formatDuration(opts.readyTimeoutMs)}` };
  }
  if (opts.signal?.aborted) return { ok: false, problem: 'interrupted during the pre-flight check', what: probe.what };
  const kind = last?.failure?.kind ?? 'no-headers';
  const problem = kind === 'no-headers' ? `the target did not answer ${probe.what} within ${formatDuration(opts.readyTimeoutMs)}` : `the target cannot be reached: ${last?.failure?.message ?? 'no answer'}`;
  return { ok: false, problem, hint: HINTS[kind], what: probe.what };
}
