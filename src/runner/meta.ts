/** What the conformance tests attach to vitest's task metadata for the reporter (./reporter.ts). */
import type { HealthIncident } from '../engine/health.ts';
import type {} from 'vitest';
import type { CaseResult, CaseSpec } from '../model.ts';

export type CaseMeta = Pick<CaseSpec, 'id' | 'title' | 'file' | 'operation' | 'requirement' | 'level' | 'seed'>;

/** The run's health as the worker saw it. */
export interface RunHealth {
  /** Snapshots are numbered in the order taken; the latest is the run's. */
  seq: number;
  incidents: HealthIncident[];
  /** Why the run stopped before its end, if it did. */
  stoppedEarly?: string;
  interrupted: boolean;
}

export interface RunnerMeta {
  conformanceCase?: CaseMeta;
  conformance?: CaseResult;
  conformanceHealth?: RunHealth;
}

declare module 'vitest' {
  interface TaskMeta extends RunnerMeta {}
}
