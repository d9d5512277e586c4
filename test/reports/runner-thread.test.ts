/**
 * The CLI's side of the runner's thread (src/runner/start.ts): whatever the thread does (follow the protocol, fail
 * before the run, crash during it, exit), the run ends, the listener hears the end once, and what broke is a run
 * error. Driven by stand-in threads that speak the protocol (src/runner/thread-protocol.ts), not by vitest.
 */
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import type { RunPlan } from '../../src/runner/plan.ts';
import { RunnerThread } from '../../src/runner/start.ts';
import type { TestOutcome } from '../../src/runner/thread-protocol.ts';

const PLAN = { cases: [] } as unknown as RunPlan;

/** A stand-in runner thread: `onRun` is its code once the plan arrives (`post` and `port` in scope). */
function thread(onRun: string, atStart = ''): Worker {
  return new Worker(
    `const { parentPort: port } = require('node:worker_threads');
     const post = (m) => port.postMessage(m);
     ${atStart}
     port.on('message', (m) => { if (m.type === 'run') { ${onRun} } if (m.type === 'cancel') post({ type: 'end', rest: [], runErrors: ['cancelled as asked'] }); });`,
    { eval: true },
  );
}

function listen() {
  const heard = { starts: 0, cases: [] as string[], ends: [] as Array<{ rest: TestOutcome[]; runErrors: string[] }> };
  return { heard, listener: { onStart: () => void heard.starts++, onCase: (o: TestOutcome) => void heard.cases.push(o.name), onEnd: (rest: TestOutcome[], runErrors: string[]) => void heard.ends.push({ rest, runErrors }) } };
}

const outcome = (name: string) => ({ name, state: 'passed' });

describe('the runner thread, seen from the CLI', () => {
  it('passes on what a thread that follows the protocol tells, and ends with its end', async () => {
    const { heard, listener } = listen();
    const worker = thread(`post({ type: 'start' }); post({ type: 'case', outcome: ${JSON.stringify(outcome('a'))} }); post({ type: 'end', rest: [${JSON.stringify({ ...outcome('b'), state: 'pending' })}], runErrors: [] });`);
    const runner = new RunnerThread(worker);
    runner.configure(2);
    await runner.run(PLAN, listener).done;
    expect(heard.starts).toBe(1);
    expect(heard.cases).toEqual(['a']);
    expect(heard.ends).toEqual([{ rest: [{ name: 'b', state: 'pending' }], runErrors: [] }]);
  });

  it('cancels: the thread is told, and its end is the run\'s', async () => {
    const { heard, listener } = listen();
    const started = new RunnerThread(thread(`post({ type: 'start' });`)).run(PLAN, listener);
    started.cancel();
    await started.done;
    expect(heard.ends).toEqual([{ rest: [], runErrors: ['cancelled as asked'] }]);
  });

  it('a thread that failed before the run: the run ends at once, saying so', async () => {
    const { heard, listener } = listen();
    const worker = thread('', `throw new Error('vitest would not load');`);
    const runner = new RunnerThread(worker);
    await new Promise((resolve) => worker.once('exit', resolve));
    await runner.run(PLAN, listener).done;
    expect(heard.ends).toHaveLength(1);
    expect(heard.ends[0].runErrors.join('\n')).toMatch(/the test runner failed:[\s\S]*Error: vitest would not load/);
  });

  it('a thread that crashes during the run: what it told is kept, the crash is a run error', async () => {
    const { heard, listener } = listen();
    await new RunnerThread(thread(`post({ type: 'case', outcome: ${JSON.stringify(outcome('a'))} }); setImmediate(() => { throw new Error('out of memory'); });`)).run(PLAN, listener).done;
    expect(heard.cases).toEqual(['a']);
    expect(heard.ends).toHaveLength(1);
    expect(heard.ends[0].runErrors.join('\n')).toMatch(/the test runner failed: Error: out of memory/);
  });

  it('a thread that exits without ending the run, or reports its own failure', async () => {
    const exiting = listen();
    await new RunnerThread(thread(`process.exit(3);`)).run(PLAN, exiting.listener).done;
    expect(exiting.heard.ends[0].runErrors).toEqual(["the test runner's thread ended (exit code 3) before the run did"]);
    const failing = listen();
    await new RunnerThread(thread(`post({ type: 'closed', error: 'createVitest: no such file' });`)).run(PLAN, failing.listener).done;
    expect(failing.heard.ends[0].runErrors).toEqual(['the test runner failed: createVitest: no such file']);
  });
});
