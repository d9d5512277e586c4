/** A whole conformance run in this process (the engine's session over every case), as the CLI's worker runs it. */
import { DEFAULT_DEPLOYMENTS } from '../../emulator/server.ts';
import { RunSession } from '../../src/engine/session.ts';
import type { CaseResult, CaseSpec, ProfileName } from '../../src/model.ts';
import { targetFor } from '../../src/target.ts';
import { cases as allCases, REQUEST_HANG_GUARD_MS, requirements, TEST_KEY } from '../helpers.ts';

export interface InProcessOptions {
  profile?: ProfileName;
  cases?: CaseSpec[];
  concurrency?: number;
  key?: string;
  followExternalUrls?: boolean;
  /** Also judge each 200 response with the official openai client. */
  sdkJudge?: boolean;
}

export async function runInProcess(endpoint: string, opts: InProcessOptions = {}): Promise<CaseResult[]> {
  const chosen = opts.cases ?? allCases;
  const target = targetFor({ profile: opts.profile ?? 'azure-openai', endpoint, deployment: DEFAULT_DEPLOYMENTS[0], emulator: true, sdkJudge: opts.sdkJudge, requestTimeoutMs: REQUEST_HANG_GUARD_MS });
  const session = new RunSession({ target, apiKey: opts.key ?? TEST_KEY, requirements, cases: chosen, repeat: 1, recoveryTimeoutMs: 60_000, systemicAfter: 3, followExternalUrls: opts.followExternalUrls });
  const results: CaseResult[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: opts.concurrency ?? 4 }, async () => {
      while (next < chosen.length) {
        const spec = chosen[next++];
        results.push(await session.run(spec));
      }
    }),
  );
  return results.sort((a, b) => a.id.localeCompare(b.id));
}
