/**
 * Which target a run judges, and how it reaches and authenticates to it, each setting with where it came from:
 * a flag, the config file, the environment (the variables the official SDKs read), or a default. The SDKs'
 * conventions, as their constructors read them (openai 6: AzureOpenAI, OpenAI):
 *   AzureOpenAI  baseURL = OPENAI_BASE_URL, else `${AZURE_OPENAI_ENDPOINT}/openai`; key AZURE_OPENAI_API_KEY;
 *                api-version OPENAI_API_VERSION
 *   OpenAI       baseURL = OPENAI_BASE_URL; key OPENAI_API_KEY
 * An endpoint in the environment is judged; the embedded emulator then runs only when asked for (--emulator),
 * and a variable this profile does not read is an error, never a silent run against the emulator.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { InputError } from '../errors.ts';
import { PROFILES, type ProfileName } from '../model.ts';
import { PROFILE_INFO } from '../profiles.ts';
import type { TargetConfig } from '../target-config.ts';
import { COGNITIVE_SERVICES_SCOPE, type ExtraHeader, type TargetAuth, type TransportSettings } from '../target.ts';
import { UsageError } from './options.ts';

export interface Sourced<T> {
  value: T;
  /** Where the value came from: `--endpoint`, `config target.yaml`, `$AZURE_OPENAI_ENDPOINT (environment)`, `default`. */
  from: string;
}

export interface TargetChoice {
  profile: Sourced<ProfileName>;
  /** The target's endpoint; absent: the embedded emulator, for the reason in `emulator`. */
  endpoint?: Sourced<string>;
  emulator?: string;
  deployment?: Sourced<string>;
  auth: Sourced<TargetAuth>;
  headers: Array<ExtraHeader & { from: string }>;
  transport: Sourced<Omit<TransportSettings, 'proxyFromEnv'>>;
  sdkJudge: Sourced<boolean>;
  /** Lines for the start of the run: settings ignored or overridden, and why. */
  notes: string[];
}

export interface TargetFlags {
  profile?: string;
  endpoint?: string;
  emulator: boolean;
  deployment?: string;
  apiKeyEnv?: string;
  tokenEnv?: string;
  entra: boolean;
  noAuth: boolean;
  headers: string[];
  caFile?: string;
  insecure: boolean;
  sdkJudge: boolean;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const env = (name: string) => `$${name} (environment)`;

export function chooseTarget(flags: TargetFlags, file: TargetConfig, configPath: string | undefined, environment: NodeJS.ProcessEnv = process.env): TargetChoice {
  const config = `config ${configPath ?? ''}`.trim();
  const notes: string[] = [];
  const profile: Sourced<ProfileName> = flags.profile !== undefined ? { value: flags.profile as ProfileName, from: '--profile' } : file.profile ? { value: file.profile, from: config } : { value: 'azure-openai', from: 'default' };
  if (!PROFILES.includes(profile.value)) throw new UsageError(`--profile must be one of ${PROFILES.join(', ')}, got "${flags.profile}"`);

  const { endpoint, emulator } = chooseEndpoint(flags, file, config, profile.value, environment, notes);
  const deployment = flags.deployment !== undefined ? { value: flags.deployment, from: '--deployment' } : file.deployment !== undefined ? { value: file.deployment, from: config } : undefined;
  const auth = chooseAuth(flags, file, config, profile.value);
  apiVersionNote(profile.value, environment, notes);

  const headers = [...(file.headers ? Object.entries(file.headers).map(([name, v]) => parseHeader(`${name}=${v}`, config)) : [])];
  for (const h of flags.headers.map((text) => parseHeader(text, '--header'))) {
    const same = headers.findIndex((x) => x.name.toLowerCase() === h.name.toLowerCase());
    if (same >= 0) headers.splice(same, 1);
    headers.push(h);
  }
  for (const h of headers) if (h.env !== undefined && !environment[h.env]) throw new UsageError(`header ${h.name} takes its value from $${h.env}, which is empty (${h.from})`);

  const caFile = flags.caFile ?? (file.caFile !== undefined && configPath ? resolve(dirname(configPath), file.caFile) : file.caFile);
  const insecure = flags.insecure || file.insecure === true;
  if (caFile !== undefined) checkCaFile(caFile);
  const transportFrom = [flags.caFile !== undefined ? '--ca-file' : caFile !== undefined ? config : '', flags.insecure ? '--insecure' : file.insecure ? config : ''].filter(Boolean).join(', ') || 'default';
  const sdkJudge = flags.sdkJudge ? { value: true, from: '--sdk-judge' } : file.sdkJudge ? { value: true, from: config } : { value: false, from: 'default' };
  return { profile, endpoint, emulator, deployment, auth, headers, transport: { value: { ...(caFile ? { caFile } : {}), ...(insecure ? { insecure } : {}) }, from: transportFrom }, sdkJudge, notes };
}

/** The variables each profile's official client reads for its endpoint, in the order it reads them. */
const ENDPOINT_VARIABLES: Record<ProfileName, string[]> = {
  'azure-openai': ['OPENAI_BASE_URL', 'AZURE_OPENAI_ENDPOINT'],
  openai: ['OPENAI_BASE_URL'],
  // No official openai client addresses Model Inference: its endpoint is always given explicitly.
  'model-inference': [],
};
const ALL_ENDPOINT_VARIABLES = ['AZURE_OPENAI_ENDPOINT', 'OPENAI_BASE_URL'];

function chooseEndpoint(flags: TargetFlags, file: TargetConfig, config: string, profile: ProfileName, environment: NodeJS.ProcessEnv, notes: string[]): Pick<TargetChoice, 'endpoint' | 'emulator'> {
  const set = ALL_ENDPOINT_VARIABLES.filter((v) => environment[v]);
  if (flags.emulator) {
    if (flags.endpoint !== undefined) throw new UsageError('--emulator and --endpoint exclude each other: judge the embedded emulator or a server, not both');
    if (file.endpoint !== undefined) notes.push(`the endpoint in ${config} is not used: --emulator`);
    for (const v of set) notes.push(`$${v} is set and not used: --emulator`);
    return { emulator: '--emulator' };
  }
  if (flags.endpoint !== undefined) return { endpoint: { value: flags.endpoint, from: '--endpoint' } };
  if (file.endpoint !== undefined) return { endpoint: { value: file.endpoint, from: config } };
  const [first, ...later] = ENDPOINT_VARIABLES[profile].filter((v) => environment[v]);
  if (first) {
    for (const v of later) notes.push(`$${v} is set and not used: the AzureOpenAI client reads $${first} first, and so does this run`);
    let value = environment[first]!.trim();
    if (profile === 'azure-openai' && first === 'OPENAI_BASE_URL') {
      // AzureOpenAI's base URL is the endpoint plus /openai; the suite builds the same URLs from the endpoint.
      const m = /^(.*?)\/openai\/?$/.exec(value);
      if (!m) {
        throw new UsageError(
          `$OPENAI_BASE_URL is set (${value}); the AzureOpenAI client reads it before $AZURE_OPENAI_ENDPOINT and takes it as {endpoint}/openai, but it does not end in /openai. For an OpenAI-compatible server use --profile openai; for Azure give --endpoint (or unset OPENAI_BASE_URL)`,
        );
      }
      value = m[1];
    }
    return { endpoint: { value, from: env(first) } };
  }
  if (set.length) {
    const reads = ENDPOINT_VARIABLES[profile].length ? `reads only ${ENDPOINT_VARIABLES[profile].map((v) => `$${v}`).join(' and ')}` : 'reads no endpoint from the environment';
    throw new UsageError(`${set.map((v) => `$${v}`).join(' and ')} ${set.length > 1 ? 'are' : 'is'} set, but the ${profile} profile ${reads}: give --endpoint to judge that server, or --emulator to judge the embedded emulator`);
  }
  return { emulator: 'default: no --endpoint, none in the config or the environment' };
}

function chooseAuth(flags: TargetFlags, file: TargetConfig, config: string, profile: ProfileName): Sourced<TargetAuth> {
  const given = [flags.apiKeyEnv !== undefined && '--api-key-env', flags.tokenEnv !== undefined && '--token-env', flags.entra && '--entra', flags.noAuth && '--no-auth'].filter((x): x is string => typeof x === 'string');
  if (given.length > 1) throw new UsageError(`${given.join(' and ')} exclude each other: a run sends one kind of credential`);
  const check = (name: string, what: string) => {
    if (!IDENTIFIER.test(name)) throw new UsageError(`${what} must name an environment variable, got "${name}"`);
    return name;
  };
  if (flags.apiKeyEnv !== undefined) return { value: { kind: 'key', env: check(flags.apiKeyEnv, '--api-key-env') }, from: '--api-key-env' };
  if (flags.tokenEnv !== undefined) return { value: { kind: 'token-env', env: check(flags.tokenEnv, '--token-env') }, from: '--token-env' };
  if (flags.entra) return { value: { kind: 'entra', scope: COGNITIVE_SERVICES_SCOPE }, from: '--entra' };
  if (flags.noAuth) return { value: { kind: 'none' }, from: '--no-auth' };
  const inFile = [file.apiKeyEnv !== undefined && 'apiKeyEnv', file.tokenEnv !== undefined && 'tokenEnv', file.auth !== undefined && 'auth'].filter((x): x is string => typeof x === 'string');
  if (inFile.length > 1) throw new UsageError(`${config}: ${inFile.join(' and ')} exclude each other: a run sends one kind of credential`);
  if (file.apiKeyEnv !== undefined) return { value: { kind: 'key', env: file.apiKeyEnv }, from: config };
  if (file.tokenEnv !== undefined) return { value: { kind: 'token-env', env: file.tokenEnv }, from: config };
  if (file.auth === 'entra') return { value: { kind: 'entra', scope: COGNITIVE_SERVICES_SCOPE }, from: config };
  if (file.auth === 'none') return { value: { kind: 'none' }, from: config };
  return { value: { kind: 'key', env: PROFILE_INFO[profile].defaultKeyEnv }, from: 'default' };
}

/**
 * OPENAI_API_VERSION is what AzureOpenAI would send. The suite judges one contract (its profile's api-version) and
 * always sends that version: a different value is named, never sent.
 */
function apiVersionNote(profile: ProfileName, environment: NodeJS.ProcessEnv, notes: string[]): void {
  const wanted = environment.OPENAI_API_VERSION?.trim();
  if (!wanted) return;
  const contract = PROFILE_INFO[profile].apiVersion;
  if (profile !== 'azure-openai') notes.push(`$OPENAI_API_VERSION (${wanted}) is not used: it is the AzureOpenAI client's, and the ${profile} profile sends ${contract ? `api-version=${contract}` : 'no api-version'}`);
  else if (wanted !== contract) notes.push(`warning: $OPENAI_API_VERSION is ${wanted}, but the suite judges the ${contract} contract and sends api-version=${contract}; ${wanted} is not sent`);
}

/** `NAME=VALUE`, or `NAME=env:VARIABLE` for a value read from the environment (a secret). */
export function parseHeader(text: string, from: string): ExtraHeader & { from: string } {
  const at = text.indexOf('=');
  const name = at > 0 ? text.slice(0, at).trim() : '';
  if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) throw new UsageError(`${from} ${text}: expected NAME=VALUE or NAME=env:VARIABLE, with NAME an HTTP header name`);
  const value = text.slice(at + 1);
  if (/^env:/.test(value)) {
    const variable = value.slice(4);
    if (!IDENTIFIER.test(variable)) throw new UsageError(`${from} ${text}: env: must name an environment variable`);
    return { name, env: variable, from };
  }
  if (/[\r\n]/.test(value)) throw new UsageError(`${from} ${name}: a header value cannot hold a line break`);
  return { name, value, from };
}

function checkCaFile(path: string): void {
  if (!existsSync(path) || !statSync(path).isFile()) throw new UsageError(`--ca-file ${path}: no such file`);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new InputError(`--ca-file ${path}: ${(err as Error).message}`);
  }
  if (!text.includes('-----BEGIN CERTIFICATE-----')) throw new UsageError(`--ca-file ${path}: not a PEM file of certificates (no BEGIN CERTIFICATE line)`);
}
