/**
 * How the run reaches the target: directly or through the proxy the environment names (HTTPS_PROXY, HTTP_PROXY,
 * NO_PROXY, as curl and undici's EnvHttpProxyAgent read them), with the default CAs plus a --ca-file, or with no
 * certificate check at all (--insecure). Settings are plain data (they travel to the test worker); each process
 * builds its own dispatchers from them, and every request of the run goes through one: the cases, the health
 * probe's fresh connections and the image downloads.
 */
import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { Agent, type Dispatcher, EnvHttpProxyAgent } from 'undici';
import type { TransportSettings } from '../target.ts';

/** What a loopback target is reached by when the user set no NO_PROXY: directly, never through a proxy. */
const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]'];

export interface ProxyChoice {
  /** The proxy for http:// and https:// URLs, with the variable that named it; absent: direct. */
  http?: { url: string; from: string };
  https?: { url: string; from: string };
  /** Hosts reached directly, and where that list came from. */
  noProxy: string;
  noProxyFrom: string;
}

/** The first set variable of `names`, as undici reads them (lower case first). */
function firstSet(env: NodeJS.ProcessEnv, names: string[]): { value: string; from: string } | undefined {
  for (const name of names) if (env[name] !== undefined) return { value: env[name]!, from: name };
  return undefined;
}

/**
 * The proxies the environment names for a run against `endpoint`. A NO_PROXY the user set is used as is; without
 * one, loopback hosts (and the target's own host, when it is on loopback) are reached directly.
 */
export function proxyChoice(endpoint: string, env: NodeJS.ProcessEnv = process.env): ProxyChoice | undefined {
  const http = firstSet(env, ['http_proxy', 'HTTP_PROXY']);
  const https = firstSet(env, ['https_proxy', 'HTTPS_PROXY']);
  if (!http?.value && !https?.value) return undefined;
  const user = firstSet(env, ['no_proxy', 'NO_PROXY']);
  const host = hostOf(endpoint);
  const loopback = [...LOOPBACK_HOSTS, ...(host && isLoopback(host) && !LOOPBACK_HOSTS.includes(host) ? [host] : [])];
  const httpProxy = http?.value ? { url: http.value, from: http.from } : undefined;
  return {
    ...(httpProxy ? { http: httpProxy } : {}),
    // As undici does: without an HTTPS proxy, https:// URLs take the HTTP one.
    ...(https?.value ? { https: { url: https.value, from: https.from } } : httpProxy ? { https: httpProxy } : {}),
    ...(user?.value ? { noProxy: user.value, noProxyFrom: user.from } : { noProxy: loopback.join(','), noProxyFrom: 'default: loopback hosts' }),
  };
}

function hostOf(endpoint: string): string | undefined {
  try {
    return new URL(endpoint).host.replace(/:\d*$/, '').toLowerCase();
  } catch {
    return undefined;
  }
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** Whether a request to `url` goes through the proxy, by the NO_PROXY rules undici applies. */
export function proxiedFor(choice: ProxyChoice | undefined, url: string): { url: string; from: string } | undefined {
  if (!choice) return undefined;
  const u = new URL(url);
  const proxy = u.protocol === 'https:' ? choice.https : choice.http;
  if (!proxy) return undefined;
  if (choice.noProxy.trim() === '*') return undefined;
  const host = u.host.replace(/:\d*$/, '').toLowerCase();
  const port = Number(u.port) || (u.protocol === 'https:' ? 443 : 80);
  for (const raw of choice.noProxy.split(/[,\s]/)) {
    if (!raw) continue;
    const parsed = /^(.+):(\d+)$/.exec(raw);
    const entry = (parsed ? parsed[1] : raw).replace(/^\*?\./, '').toLowerCase();
    if (parsed && Number(parsed[2]) !== port) continue;
    if (host === entry || host.endsWith(`.${entry}`)) return undefined;
  }
  return proxy;
}

/** A proxy URL for messages: without the user and password it may carry. */
export function shownProxy(url: string): string {
  try {
    const u = new URL(url);
    const hidden = u.username || u.password;
    u.username = '';
    u.password = '';
    return `${u.toString().replace(/\/$/, '')}${hidden ? ' (credentials hidden)' : ''}`;
  } catch {
    return '(not a URL)';
  }
}

/** TLS options for connections to the target: default CAs plus the CA file, or no check at all. */
export function tlsOptions(settings: TransportSettings | undefined): { ca?: string[]; rejectUnauthorized?: boolean } {
  if (!settings) return {};
  return {
    ...(settings.caFile ? { ca: [...rootCertificates, readFileSync(settings.caFile, 'utf8')] } : {}),
    ...(settings.insecure ? { rejectUnauthorized: false } : {}),
  };
}

/** Options of a dispatcher used for one probe only: its connection is new and closed afterwards. */
const FRESH = { pipelining: 0, keepAliveTimeout: 1, connections: 1 } as const;

/**
 * The dispatcher for a run's requests to `endpoint`, or undefined when the settings change nothing (undici's global
 * one then serves). `fresh`: a dispatcher for one probe, on a new connection.
 */
export function dispatcherFor(settings: TransportSettings | undefined, endpoint: string, { fresh = false } = {}): Dispatcher | undefined {
  const tls = tlsOptions(settings);
  const proxy = settings?.proxyFromEnv ? proxyChoice(endpoint) : undefined;
  const base = fresh ? FRESH : {};
  if (proxy) {
    return new EnvHttpProxyAgent({ ...base, connect: tls, requestTls: tls, proxyTls: tls, httpProxy: proxy.http?.url ?? '', httpsProxy: proxy.https?.url ?? '', noProxy: proxy.noProxy });
  }
  if (!fresh && Object.keys(tls).length === 0) return undefined;
  return new Agent({ ...base, connect: tls });
}
