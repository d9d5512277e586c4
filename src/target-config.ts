/**
 * The target config file (`--config FILE`, YAML): a deployment per capability, optional features
 * switched off, and run settings. Command-line options override it. Validated on load: a typo is an
 * error naming the field, never a silently ignored setting.
 */
import { InputError } from './errors.ts';
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { createAjv } from './ajv.ts';
import { FEATURE_NAMES } from './features.ts';
import { PROFILES, type ProfileName } from './model.ts';
import type { Capability } from './profiles.ts';
import { ALL_CAPABILITIES } from './target.ts';

export interface TargetConfig {
  profile?: ProfileName;
  endpoint?: string;
  apiKeyEnv?: string;
  /** Default deployment/model for every capability. */
  deployment?: string;
  /** Per capability; `null` declares the target has none (its cases are skipped). */
  deployments?: Partial<Record<Capability, string | null>>;
  /** Optional features; `false` switches one off (its cases are skipped). */
  features?: Partial<Record<string, boolean>>;
  concurrency?: number;
  /** Per-request time limit: a duration (`30s`) or milliseconds. `timeoutMs` is the older spelling. */
  timeout?: string | number;
  timeoutMs?: number;
  streamIdleTimeout?: string | number;
  streamTimeout?: string | number;
  readyTimeout?: string | number;
  recoveryTimeout?: string | number;
  /** Wait (up to readyTimeout) for a target that refuses connections at the start. */
  waitForTarget?: boolean;
  repeat?: number;
  maxRequests?: number;
  maxFailures?: number;
  /** Let checks download URLs the target returns on other hosts (image URLs). */
  followExternalUrls?: boolean;
  /** Cases set aside, each with the reason shown in the report. */
  skip?: Array<{ case: string; reason: string }>;
  /** `none`: the target takes no credential; `entra`: a Microsoft Entra ID token from @azure/identity. */
  auth?: 'none' | 'entra';
  /** The environment variable holding a Microsoft Entra ID token (sent as Authorization: Bearer). */
  tokenEnv?: string;
  /** Extra request headers: a value, or `env:VARIABLE` for one read from the environment (a secret). */
  headers?: Record<string, string>;
  /** PEM file of CA certificates to trust besides the default ones (relative to the config file). */
  caFile?: string;
  /** Accept any TLS certificate (self-signed test servers). */
  insecure?: boolean;
  /** Also parse each 200 response with the official openai client. */
  sdkJudge?: boolean;
}

/** Checked for form here; ranges are checked where the setting is used (src/cli/run.ts). */
const DURATION = { type: ['string', 'integer'], pattern: '^\\s*\\d+(\\.\\d+)?\\s*(ms|s|m|h)?\\s*$' };

const SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    profile: { enum: [...PROFILES] },
    endpoint: { type: 'string', format: 'uri' },
    apiKeyEnv: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' },
    deployment: { type: 'string', minLength: 1 },
    deployments: {
      type: 'object',
      additionalProperties: false,
      properties: Object.fromEntries(ALL_CAPABILITIES.map((c) => [c, { type: ['string', 'null'], minLength: 1 }])),
    },
    features: {
      type: 'object',
      additionalProperties: false,
      properties: Object.fromEntries(FEATURE_NAMES.map((f) => [f, { type: 'boolean' }])),
    },
    concurrency: { type: 'integer', minimum: 1, maximum: 64 },
    timeout: DURATION,
    timeoutMs: { type: 'integer', minimum: 1 },
    streamIdleTimeout: DURATION,
    streamTimeout: DURATION,
    readyTimeout: DURATION,
    recoveryTimeout: DURATION,
    waitForTarget: { type: 'boolean' },
    followExternalUrls: { type: 'boolean' },
    repeat: { type: 'integer', minimum: 1, maximum: 100 },
    maxRequests: { type: 'integer', minimum: 1 },
    maxFailures: { type: 'integer', minimum: 1 },
    auth: { enum: ['none', 'entra'] },
    tokenEnv: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' },
    headers: { type: 'object', additionalProperties: { type: 'string' } },
    caFile: { type: 'string', minLength: 1 },
    insecure: { type: 'boolean' },
    sdkJudge: { type: 'boolean' },
    skip: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['case', 'reason'],
        properties: { case: { type: 'string', minLength: 1 }, reason: { type: 'string', minLength: 1 } },
      },
    },
  },
};

// Compiled on the first config file read: every run imports this module, few give --config (0.05 s of each start).
let compiled: ReturnType<typeof compileSchema> | undefined;
const compileSchema = () => createAjv({ strict: true, allErrors: true, allowUnionTypes: true }).compile(SCHEMA);

export class ConfigError extends InputError {}

export function loadTargetConfig(file: string): TargetConfig {
  let data: unknown;
  try {
    data = parseYaml(readFileSync(file, 'utf8')) ?? {};
  } catch (err) {
    throw new ConfigError(`${file}: ${(err as Error).message}`);
  }
  const validate = (compiled ??= compileSchema());
  if (!validate(data)) {
    const problems = (validate.errors ?? []).map((e) => {
      const extra = e.keyword === 'additionalProperties' ? `/${(e.params as { additionalProperty: string }).additionalProperty}: unknown setting` : `: ${e.message}`;
      return `${file}: ${e.instancePath || '/'}${extra}`;
    });
    throw new ConfigError(problems.join('\n'));
  }
  return data as TargetConfig;
}
