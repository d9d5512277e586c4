/** How each profile addresses an operation: URL, api-version, credentials. */
import type { ProfileName, RequestSpec } from './model.ts';
import { componentsOf, OPERATION_INFO, OPERATIONS, type OperationId, type SchemaSurface } from './operations.ts';

/** Re-exported for the modules that name a deployment's capability; it is an operation's fact (src/operations.ts). */
export type { Capability } from './operations.ts';

/** A profile defines the operations its schema surface has components for. */
const operationsOn = (surface: SchemaSurface): OperationId[] => OPERATIONS.filter((op) => componentsOf(op, surface));

export interface ProfileInfo {
  name: ProfileName;
  /** api-version query value; undefined for profiles without one. */
  apiVersion?: string;
  defaultKeyEnv: string;
  /** Operations this profile's contract defines. */
  operations: readonly OperationId[];
  /** Component used for error bodies. */
  errorSchema: string;
  schemaSurface: SchemaSurface;
}

export const PROFILE_INFO: Record<ProfileName, ProfileInfo> = {
  'azure-openai': {
    name: 'azure-openai',
    apiVersion: '2024-06-01',
    defaultKeyEnv: 'AZURE_OPENAI_API_KEY',
    operations: operationsOn('azure-openai/2024-06-01'),
    errorSchema: 'errorResponse',
    schemaSurface: 'azure-openai/2024-06-01',
  },
  'model-inference': {
    name: 'model-inference',
    apiVersion: '2024-04-01-preview',
    defaultKeyEnv: 'AZURE_OPENAI_API_KEY',
    operations: operationsOn('model-inference/2024-04-01-preview'),
    errorSchema: 'model-inference/2024-04-01-preview/UnauthorizedError',
    schemaSurface: 'model-inference/2024-04-01-preview',
  },
  openai: {
    name: 'openai',
    defaultKeyEnv: 'OPENAI_API_KEY',
    operations: operationsOn('azure-openai/2024-06-01'),
    errorSchema: 'errorResponse',
    schemaSurface: 'azure-openai/2024-06-01',
  },
};

/** A credential value no server can hold: sent by cases that test rejection of a wrong key. */
export const WRONG_KEY = 'aoai-conformance-wrong-key-0000000000000000';

export interface AddressInput {
  profile: ProfileName;
  endpoint: string;
  operation: OperationId;
  deployment: string;
  apiVersion?: string;
}

/**
 * The URL of an operation. For the openai profile an endpoint that already ends in /v1 is used as is,
 * since that is how most OpenAI-compatible servers document their base URL.
 */
export function operationUrl(a: AddressInput): string {
  const base = a.endpoint.replace(/\/+$/, '');
  const path = OPERATION_INFO[a.operation].path;
  switch (a.profile) {
    case 'azure-openai': {
      const url = new URL(`${base}/openai/deployments/${encodeURIComponent(a.deployment)}/${path}`);
      if (a.apiVersion !== undefined) url.searchParams.set('api-version', a.apiVersion);
      return url.toString();
    }
    case 'model-inference': {
      const url = new URL(`${base}/${path}`);
      if (a.apiVersion !== undefined) url.searchParams.set('api-version', a.apiVersion);
      return url.toString();
    }
    case 'openai':
      return new URL(`${base.endsWith('/v1') ? base : `${base}/v1`}/${path}`).toString();
  }
}

/** The api-version to send for a request: the profile's, none, or the case's override. */
export function resolveApiVersion(profile: ProfileName, spec: RequestSpec['apiVersion']): string | undefined {
  if (spec === 'none') return undefined;
  if (spec === undefined || spec === 'default') return PROFILE_INFO[profile].apiVersion;
  return spec;
}

/** How a target's credential goes on the wire by default: the profile's key header, a Bearer token, or nothing. */
export type CredentialScheme = 'api-key' | 'bearer' | 'none';

/** The default scheme of a key: `api-key` for azure-openai, Bearer for the others. */
export function keyScheme(profile: ProfileName): CredentialScheme {
  return profile === 'azure-openai' ? 'api-key' : 'bearer';
}

/**
 * Credential headers for a request. `key` is the real credential (never recorded unredacted); `scheme` is how the
 * target takes it when the case does not choose. A case that sends a wrong credential sends it the same way.
 */
export function authHeaders(scheme: CredentialScheme, mode: RequestSpec['auth'], key: string): Record<string, string> {
  const value = mode === 'wrong' ? WRONG_KEY : key;
  switch (mode ?? 'default') {
    case 'none':
      return {};
    case 'api-key':
      return { 'api-key': value };
    case 'bearer':
      return { authorization: `Bearer ${value}` };
    default:
      if (scheme === 'none' && mode !== 'wrong') return {};
      return scheme === 'api-key' ? { 'api-key': value } : { authorization: `Bearer ${value}` };
  }
}
