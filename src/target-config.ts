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
  timeoutMs?: number;
  repeat?: number;
  maxRequests?: number;
}

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
    timeoutMs: { type: 'integer', minimum: 1 },
    repeat: { type: 'integer', minimum: 1, maximum: 100 },
    maxRequests: { type: 'integer', minimum: 1 },
  },
};

const validate = createAjv({ strict: true, allErrors: true, allowUnionTypes: true }).compile(SCHEMA);

export class ConfigError extends InputError {}

export function loadTargetConfig(file: string): TargetConfig {
  let data: unknown;
  try {
    data = parseYaml(readFileSync(file, 'utf8')) ?? {};
  } catch (err) {
    throw new ConfigError(`${file}: ${(err as Error).message}`);
  }
  if (!validate(data)) {
    const problems = (validate.errors ?? []).map((e) => {
      const extra = e.keyword === 'additionalProperties' ? `/${(e.params as { additionalProperty: string }).additionalProperty}: unknown setting` : `: ${e.message}`;
      return `${file}: ${e.instancePath || '/'}${extra}`;
    });
    throw new ConfigError(problems.join('\n'));
  }
  return data as TargetConfig;
}
