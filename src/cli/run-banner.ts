/**
 * The first lines of a run: which target is judged, and where each setting came from (a flag, the config file,
 * the environment, a default), so a run against the wrong target, or with the wrong credential, shows at once.
 * Names of variables only: no secret value is ever printed.
 */
import { proxiedFor, proxyChoice, shownProxy } from '../engine/transport.ts';
import { PROFILE_INFO } from '../profiles.ts';
import { authOf, credentialScheme, type Target } from '../target.ts';
import { safeEndpoint } from '../results/endpoint.ts';
import type { TargetChoice } from './run-target.ts';

export interface RunDescription {
  version: string;
  target: Target;
  choice: TargetChoice;
  planned: number;
  faults: string[];
}

export function describeRun({ version, target, choice, planned, faults }: RunDescription): string[] {
  const rows: Array<[string, string, string]> = [];
  const judged = target.emulator ? `the embedded emulator at ${target.endpoint}${faults.length ? ` (faults: ${faults.join(', ')})` : ''}` : safeEndpoint(target.endpoint);
  rows.push(['target', judged, target.emulator ? choice.emulator ?? '--emulator' : choice.endpoint!.from]);
  rows.push(['profile', target.profile, choice.profile.from]);
  const deployments = [...new Set(Object.values(target.deployments))];
  if (deployments.length) rows.push([target.profile === 'azure-openai' ? 'deployment' : 'model', deployments.join(', '), choice.deployment?.from ?? (target.emulator ? 'default: the emulator\'s' : 'config deployments')]);
  rows.push(['credential', credentialLine(target), choice.auth.from]);
  const apiVersion = PROFILE_INFO[target.profile].apiVersion;
  rows.push(['api-version', apiVersion ?? 'none', apiVersion ? 'the suite\'s contract' : 'the profile sends none']);
  for (const h of choice.headers) rows.push(['header', h.env !== undefined ? `${h.name}: from $${h.env} (secret, redacted)` : `${h.name}: ${h.value}`, h.from]);
  rows.push(...transportRows(target, choice));
  rows.push(['judges', target.sdkJudge ? 'the suite\'s checks, and the official openai client on every 200 response' : 'the suite\'s checks', choice.sdkJudge.from]);
  const width = Math.max(...rows.map(([k]) => k.length)) + 2;
  const valueWidth = Math.min(60, Math.max(...rows.map(([, v]) => v.length)) + 2);
  return [
    `aoai-conformance ${version}: judging ${target.emulator ? 'the embedded emulator' : safeEndpoint(target.endpoint)} as ${target.profile} — ${planned} case(s) planned`,
    ...rows.map(([k, v, from]) => `  ${k.padEnd(width)}${v.padEnd(valueWidth)}  (${from})`),
    ...choice.notes.map((n) => `  ${n}`),
  ];
}

function credentialLine(target: Target): string {
  const auth = authOf(target);
  const scheme = credentialScheme(target) === 'api-key' ? 'api-key header' : 'Authorization: Bearer';
  switch (auth.kind) {
    case 'none':
      return 'none: the target takes no credential';
    case 'key':
      return `key from $${auth.env}, sent as ${scheme}`;
    case 'token-env':
      return `Microsoft Entra ID token from $${auth.env}, sent as ${scheme}`;
    case 'entra':
      return `Microsoft Entra ID token from DefaultAzureCredential (${auth.scope}), renewed before it expires`;
  }
}

function transportRows(target: Target, choice: TargetChoice): Array<[string, string, string]> {
  const rows: Array<[string, string, string]> = [];
  const t = target.transport;
  if (t?.proxyFromEnv) {
    const proxy = proxyChoice(target.endpoint);
    const used = proxiedFor(proxy, target.endpoint);
    if (used) rows.push(['proxy', shownProxy(used.url), `$${used.from} (environment)`]);
    else if (proxy) rows.push(['proxy', 'none: the target is reached directly', `NO_PROXY ${proxy.noProxy} (${proxy.noProxyFrom === 'default: loopback hosts' ? proxy.noProxyFrom : `$${proxy.noProxyFrom}`})`]);
  } else if (target.emulator) {
    rows.push(['proxy', 'none: the embedded emulator is reached directly', 'default']);
  }
  if (t?.caFile) rows.push(['tls', `CA certificates of ${t.caFile} trusted besides the default ones`, choice.transport.from]);
  if (t?.insecure) rows.push(['tls', 'warning: certificates are NOT checked (--insecure)', choice.transport.from]);
  return rows;
}
