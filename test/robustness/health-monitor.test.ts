/**
 * The target-health monitor on its own, with a scripted probe and a clock that moves only when the monitor
 * sleeps: every behaviour here is driven by events, never by the machine's speed.
 */
import { describe, expect, it } from 'vitest';
import { type Attribution, type ProbeOutcome, TargetHealth } from '../../src/engine/health.ts';

function monitor(probes: boolean[], opts: { recoveryTimeoutMs?: number; systemicAfter?: number } = {}) {
  let t = 0;
  const asked: number[] = [];
  const health = new TargetHealth({
    probe: async (): Promise<ProbeOutcome> => {
      asked.push(t);
      const answered = probes.length ? probes.shift()! : true;
      return { answered, detail: answered ? undefined : 'connection refused' };
    },
    recoveryTimeoutMs: opts.recoveryTimeoutMs ?? 60_000,
    systemicAfter: opts.systemicAfter ?? 3,
    now: () => t,
    sleep: async (ms) => {
      t += ms;
    },
  });
  return { health, asked, clock: () => t };
}

const reset = { kind: 'reset-before-headers' as const, message: 'connection reset by the target before the response headers' };
const hung = { kind: 'no-headers' as const, message: 'no response headers within 1000 ms' };

describe('the target-health monitor', () => {
  it('calls a failure the request\'s own when the target still answers the probe', async () => {
    const { health } = monitor([true]);
    expect(await health.report({ caseId: 'a', scope: 'chat.completions', startedAt: 0, failure: hung })).toEqual({ role: 'own-failure' });
    expect(await health.admit('chat.completions')).toEqual({ ok: true });
    expect(health.incidents).toEqual([]);
  });

  it('turns the same failure of one kind of request, many times in a row, into one finding and stops sending that kind', async () => {
    const { health } = monitor([true, true, true]);
    for (const id of ['a', 'b', 'c']) await health.report({ caseId: id, scope: 'chat.completions stream', startedAt: 0, failure: hung });
    expect(health.incidents).toHaveLength(1);
    expect(health.incidents[0]).toMatchObject({ kind: 'systemic', culprit: 'a' });
    const blocked = await health.admit('chat.completions stream');
    expect(blocked.ok).toBe(false);
    expect(blocked.ok === false && blocked.reason).toContain('a, b, c');
    // Other kinds of request are still sent.
    expect(await health.admit('embeddings')).toEqual({ ok: true });
  });

  it('an answer in between breaks the streak', async () => {
    const { health } = monitor([true, true, true]);
    await health.report({ caseId: 'a', scope: 's', startedAt: 0, failure: hung });
    await health.report({ caseId: 'b', scope: 's', startedAt: 0, failure: hung });
    await health.report({ caseId: 'ok', scope: 's', startedAt: 0 });
    await health.report({ caseId: 'c', scope: 's', startedAt: 0, failure: hung });
    expect(health.incidents).toEqual([]);
  });

  it('names a lone request in flight as the culprit when the target stops answering, and lets the run resume once it answers again', async () => {
    const { health } = monitor([false, false, true]);
    const attribution = health.report({ caseId: 'x', scope: 'completions', startedAt: 1, failure: reset });
    const waiting = health.admit('completions');
    expect((await attribution).role).toBe('culprit');
    expect(await waiting).toEqual({ ok: true });
    expect(health.incidents).toEqual([expect.objectContaining({ kind: 'outage', culprit: 'x', proven: true, recovered: true })]);
  });

  it('sends the requests that were in flight again one at a time: the one that brings the target down again is the proven culprit', async () => {
    // Probe after the first failure: down; recovery probe: up. Replay of y answers; replay of x fails and the
    // probe says down again; the next recovery probe: up. Replay of z answers.
    const { health } = monitor([false, true, false, true]);
    const seen: Record<string, Attribution[]> = { x: [], y: [], z: [] };
    const run = async (id: string, startedAt: number, fails: (attempt: number) => boolean) => {
      for (let attempt = 0; ; attempt++) {
        const a = await health.report({ caseId: id, scope: 'chat.completions', startedAt, failure: fails(attempt) ? reset : undefined });
        seen[id].push(a);
        if (a.role !== 'replay') return a;
      }
    };
    const [x, y, z] = await Promise.all([run('x', 2, () => true), run('y', 1, (n) => n === 0), run('z', 3, (n) => n === 0)]);
    expect(x.role).toBe('culprit');
    expect(y.role).toBe('answered');
    expect(z.role).toBe('answered');
    expect(seen.y[0].role).toBe('replay');
    expect(health.incidents.at(-1)).toMatchObject({ kind: 'outage', culprit: 'x', proven: true, recovered: true });
    expect(await health.admit('chat.completions')).toEqual({ ok: true });
  });

  it('stops the run when the target never answers again: the earliest request in flight is the likely culprit, the others are not judged', async () => {
    const { health, clock } = monitor(Array(100).fill(false), { recoveryTimeoutMs: 30_000 });
    const later = health.report({ caseId: 'late', scope: 'c', startedAt: 5, failure: hung });
    const first = health.report({ caseId: 'first', scope: 'c', startedAt: 1, failure: hung });
    const [a, b] = await Promise.all([first, later]);
    expect(a.role).toBe('culprit');
    expect(b).toMatchObject({ role: 'not-judged' });
    expect(clock()).toBeGreaterThanOrEqual(30_000);
    const admission = await health.admit('c');
    expect(admission.ok).toBe(false);
    expect(admission.ok === false && admission.reason).toContain('has not answered since case first');
    expect(health.incidents).toEqual([expect.objectContaining({ kind: 'outage', culprit: 'first', proven: false, recovered: false, notJudged: ['late'] })]);
    expect(health.stoppedBecause).toContain('first');
  });

  it('an answer to another request during an outage ends it at once', async () => {
    let health!: TargetHealth;
    health = new TargetHealth({
      probe: async () => ({ answered: false }),
      recoveryTimeoutMs: 3_600_000,
      systemicAfter: 3,
      // The first wait of the recovery: another request (a long stream sent earlier) is answered meanwhile.
      sleep: (_ms, signal) => {
        void health.report({ caseId: 'long-stream', scope: 'c', startedAt: 0 });
        return new Promise((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })));
      },
    });
    expect((await health.report({ caseId: 'x', scope: 'c', startedAt: 0, failure: reset })).role).toBe('culprit');
  });

  it('stop() releases every wait (Ctrl-C)', async () => {
    let opened!: () => void;
    const outageOpen = new Promise<void>((r) => (opened = r));
    const health = new TargetHealth({
      probe: async () => ({ answered: false }),
      recoveryTimeoutMs: 3_600_000,
      systemicAfter: 3,
      sleep: (_ms, signal) => {
        opened();
        return new Promise((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })));
      },
    });
    const culprit = health.report({ caseId: 'x', scope: 'c', startedAt: 0, failure: reset });
    await outageOpen;
    const waiting = health.admit('c');
    health.stop('not judged: the run was interrupted');
    expect(await waiting).toEqual({ ok: false, reason: 'not judged: the run was interrupted' });
    expect(await culprit).toEqual({ role: 'not-judged', reason: 'not judged: the run was interrupted' });
    expect(await health.report({ caseId: 'y', scope: 'c', startedAt: 1, failure: reset })).toEqual({ role: 'not-judged', reason: 'not judged: the run was interrupted' });
  });
});
