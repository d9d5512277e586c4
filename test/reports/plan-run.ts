/**
 * A run started the way the CLI starts one (src/runner/start.ts), with a plan no selection could produce:
 * the cases named on the command line, in that order. Prints what the run's reporter collected, as JSON.
 * Run by ./run-plan.test.ts in a child process (vitest inside a vitest worker is not a run a user has).
 */
import { DEFAULT_DEPLOYMENTS, startEmulator } from '../../emulator/server.ts';
import { loadCases, loadRequirements } from '../../src/cases/load.ts';
import { Collector } from '../../src/runner/reporter.ts';
import { startRun } from '../../src/runner/start.ts';
import { targetFor } from '../../src/target.ts';

const ids = process.argv.slice(2);
const requirements = loadRequirements();
const all = loadCases(undefined, requirements);
const cases = ids.map((id) => {
  const spec = all.find((c) => c.id === id);
  if (!spec) throw new Error(`no case ${id}`);
  return spec;
});
const emu = await startEmulator({ key: process.env.PLAN_RUN_KEY ?? '' });
try {
  const target = targetFor({ profile: 'azure-openai', endpoint: emu.url, deployment: DEFAULT_DEPLOYMENTS[0], emulator: true, apiKeyEnv: 'PLAN_RUN_KEY' });
  const collector = new Collector(target, cases, () => 'not judged: the case never ran', null);
  const tests: string[] = [];
  const started = startRun(
    { target, cases, requirements: [...requirements.values()], userSkips: {}, concurrency: 1, repeat: 1, health: { recoveryTimeoutMs: 60_000, systemicAfter: 3 }, followExternalUrls: false },
    { onStart: () => collector.onStart(), onCase: (t) => (tests.push(t.conformanceCase?.id ?? t.name), collector.onCase(t)), onEnd: (rest, errors) => collector.onEnd(rest, errors) },
  );
  await started.done;
  const envChannel = Object.keys(process.env).filter((k) => k.startsWith('AOAI_CONFORMANCE'));
  console.log(JSON.stringify({ tests, collected: collector.collected?.cases.map((c) => ({ id: c.id, status: c.status, notJudged: c.notJudged })), runErrors: collector.collected?.runErrors, envChannel }));
} finally {
  await emu.close();
}
