/** A target: where the run sends requests and with what it may address each capability. */
import type { ProfileName, StreamLimits } from './model.ts';
import { type Capability, PROFILE_INFO } from './profiles.ts';

export interface Target {
  profile: ProfileName;
  endpoint: string;
  /** Name of the environment variable holding the credential; the value is never stored here. */
  apiKeyEnv: string;
  /** Deployment (azure-openai) or model (others) per capability; a missing capability makes its cases skipped. */
  deployments: Partial<Record<Capability, string>>;
  requestTimeoutMs: number;
  maxBodyBytes: number;
  stream: StreamLimits;
  /** True when the target is the embedded emulator (recorded in results). */
  emulator: boolean;
  faults: string[];
  /** Optional features the target switched off (src/features.ts); their cases are skipped. */
  disabledFeatures: string[];
}

export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_BODY_BYTES = 8 * 1024 * 1024;
/** Events read from one stream at most; a stream that sends more does not end (stream-completes). */
export const DEFAULT_MAX_STREAM_EVENTS = 20_000;
/** A stream's own limits follow the request timeout unless set: idle = the timeout, total = 4× it, at least 2 min. */
export function defaultStreamLimits(requestTimeoutMs: number): StreamLimits {
  return { idleTimeoutMs: requestTimeoutMs, totalTimeoutMs: Math.max(120_000, 4 * requestTimeoutMs), maxEvents: DEFAULT_MAX_STREAM_EVENTS };
}
export const ALL_CAPABILITIES: Capability[] = ['chat', 'completions', 'embeddings', 'transcriptions', 'translations', 'images'];

export interface TargetOptions {
  profile: ProfileName;
  endpoint: string;
  /** Default deployment/model for every capability. */
  deployment: string;
  /** Per-capability overrides; null = the target has no such capability. */
  deployments?: Partial<Record<Capability, string | null>>;
  apiKeyEnv?: string;
  emulator?: boolean;
  faults?: string[];
  requestTimeoutMs?: number;
  /** Overrides of the stream limits (default: defaultStreamLimits of the request timeout). */
  stream?: Partial<StreamLimits>;
  disabledFeatures?: string[];
}

export function targetFor(opts: TargetOptions): Target {
  const deployments: Partial<Record<Capability, string>> = {};
  for (const c of ALL_CAPABILITIES) {
    const chosen = opts.deployments?.[c] === undefined ? opts.deployment : opts.deployments[c];
    if (chosen) deployments[c] = chosen;
  }
  return {
    profile: opts.profile,
    endpoint: opts.endpoint,
    apiKeyEnv: opts.apiKeyEnv ?? PROFILE_INFO[opts.profile].defaultKeyEnv,
    deployments,
    requestTimeoutMs: opts.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    maxBodyBytes: DEFAULT_MAX_BODY_BYTES,
    stream: { ...defaultStreamLimits(opts.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS), ...opts.stream },
    emulator: opts.emulator ?? false,
    faults: opts.faults ?? [],
    disabledFeatures: opts.disabledFeatures ?? [],
  };
}
