/** A target: where the run sends requests and with what it may address each capability. */
import type { ProfileName, StreamLimits } from './model.ts';
import { type Capability, type CredentialScheme, keyScheme, PROFILE_INFO } from './profiles.ts';

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
  /** How requests authenticate (default: the key in `apiKeyEnv`). Names of variables only, never values. */
  auth?: TargetAuth;
  /** Extra request headers (gateways): a literal value, or one read from an environment variable (a secret). */
  headers?: ExtraHeader[];
  /** Proxy, CA and certificate checking (src/engine/transport.ts); absent: direct connections, default CAs. */
  transport?: TransportSettings;
  /** Also parse each 200 response with the official `openai` client (src/judges/official-client.ts). */
  sdkJudge?: boolean;
}

/**
 * The credential, as plain data (it travels to the test worker): a key in an environment variable (sent as the
 * profile's key header), a Microsoft Entra ID token in one, a token from @azure/identity, or none at all.
 */
export type TargetAuth =
  | { kind: 'key'; env: string }
  | { kind: 'token-env'; env: string }
  | { kind: 'entra'; scope: string }
  | { kind: 'none' };

/** The scope of Microsoft Entra ID tokens for Azure OpenAI and Azure AI services. */
export const COGNITIVE_SERVICES_SCOPE = 'https://cognitiveservices.azure.com/.default';

export interface ExtraHeader {
  name: string;
  /** A literal value (shown in reports as is). */
  value?: string;
  /** The environment variable holding the value: a secret, redacted everywhere like the credential. */
  env?: string;
}

export interface TransportSettings {
  /** Proxies from HTTPS_PROXY / HTTP_PROXY / NO_PROXY (undici's EnvHttpProxyAgent). */
  proxyFromEnv: boolean;
  /** PEM file of CA certificates trusted in addition to the default ones. */
  caFile?: string;
  /** Accept any TLS certificate (self-signed test servers). */
  insecure?: boolean;
}

/** The target's credential setting, the older `apiKeyEnv` field standing for a key. */
export function authOf(target: Pick<Target, 'auth' | 'apiKeyEnv'>): TargetAuth {
  return target.auth ?? { kind: 'key', env: target.apiKeyEnv };
}

/** The header scheme a target's credential is sent with, when a case does not choose one. */
export function credentialScheme(target: Pick<Target, 'auth' | 'apiKeyEnv' | 'profile'>): CredentialScheme {
  const auth = authOf(target);
  if (auth.kind === 'none') return 'none';
  return auth.kind === 'key' ? keyScheme(target.profile) : 'bearer';
}

/** The extra headers' values: literals as given, the others read from their environment variables. */
export function extraHeaderValues(target: Pick<Target, 'headers'>, env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  return Object.fromEntries((target.headers ?? []).map((h) => [h.name.toLowerCase(), h.env !== undefined ? (env[h.env] ?? '') : (h.value ?? '')]));
}

/** The values of the extra headers read from the environment: secrets for the redactor. */
export function headerSecrets(target: Pick<Target, 'headers'>, env: NodeJS.ProcessEnv = process.env): string[] {
  return (target.headers ?? []).flatMap((h) => (h.env !== undefined && env[h.env] ? [env[h.env]!] : []));
}

/** Lower-cased names of the headers whose values are secrets (read from the environment), with their variable. */
export function secretHeaderEnvs(target: Pick<Target, 'headers'>): Record<string, string> {
  return Object.fromEntries((target.headers ?? []).flatMap((h) => (h.env !== undefined ? [[h.name.toLowerCase(), h.env]] : [])));
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
  auth?: TargetAuth;
  headers?: ExtraHeader[];
  transport?: TransportSettings;
  sdkJudge?: boolean;
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
    ...(opts.auth ? { auth: opts.auth } : {}),
    ...(opts.headers?.length ? { headers: opts.headers } : {}),
    ...(opts.transport ? { transport: opts.transport } : {}),
    ...(opts.sdkJudge ? { sdkJudge: true } : {}),
  };
}
