/**
 * What the CLI hands to the vitest run: the target and options, as JSON in one environment variable.
 * The credential is never in it: workers read it from the variable the target names.
 */
import type { Level, OperationId } from './model.ts';
import type { Target } from './target.ts';

export const RUN_CONFIG_ENV = 'AOAI_CONFORMANCE_RUN';

export interface RunConfig {
  target: Target;
  reportDir: string;
  /** Cases in flight at once per suite file. */
  concurrency: number;
  filters: { only?: string[]; operations?: OperationId[]; levels?: Level[] };
  /** Runs of each `repeat: true` case. */
  repeat: number;
  /** Request budget for the whole run (undefined: unlimited). */
  maxRequests?: number;
}

export const DEFAULT_CONCURRENCY = 4;
export const DEFAULT_REPEAT = 3;

export function readRunConfig(env: NodeJS.ProcessEnv = process.env): RunConfig {
  const raw = env[RUN_CONFIG_ENV];
  if (!raw) throw new Error(`${RUN_CONFIG_ENV} is not set: run the suite through \`aoai-conformance run\` (npm run conformance)`);
  return JSON.parse(raw) as RunConfig;
}

export function selectCases<T extends { id: string; operation: OperationId; level: Level }>(cases: T[], filters: RunConfig['filters']): T[] {
  return cases.filter(
    (c) =>
      (!filters.only?.length || filters.only.includes(c.id)) &&
      (!filters.operations?.length || filters.operations.includes(c.operation)) &&
      (!filters.levels?.length || filters.levels.includes(c.level)),
  );
}
