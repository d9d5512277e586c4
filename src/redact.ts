/**
 * Secrets never reach an artifact. Two layers: known secret values are replaced wherever they appear, in
 * any string; and values under credential-like header names and request-body keys (On Your Data `key`,
 * `connection_string`, …) are replaced whatever they are. The values found under such keys in a case's
 * request become known secrets for that case (`withSecretsIn`), so a target echoing them back is caught
 * too — while response fields that merely share a name (a logprobs `token`) keep their evidence.
 */
export const REDACTED = '[REDACTED]';

const SECRET_HEADERS = new Set(['api-key', 'authorization', 'proxy-authorization', 'ocp-apim-subscription-key', 'x-api-key', 'cookie', 'set-cookie']);
const SECRET_BODY_KEYS = /^(key|api[-_]?key|connection[-_]?string|access[-_]?token|token|password|secret|client[-_]?secret|authorization)$/i;
/** Values shorter than this are not treated as secrets (a 1-char "key" would redact everything). */
const MIN_SECRET_LENGTH = 6;

export class Redactor {
  private readonly own = new Set<string>();
  private readonly secretHeaders: Set<string>;
  private sorted: { list: string[]; version: number } | undefined;
  /** Grows whenever this redactor or one it derives from learns a secret. */
  private learnt = 0;

  /**
   * @param secrets known secret values (the credential, gateway header values from the environment)
   * @param opts.headers names of further headers whose values are secrets whatever they are
   * @param opts.parent a redactor whose secrets, also those it learns later, this one redacts too
   */
  constructor(secrets: Iterable<string | undefined>, private readonly opts: { headers?: Iterable<string>; parent?: Redactor } = {}) {
    this.secretHeaders = new Set([...SECRET_HEADERS, ...[...(opts.headers ?? [])].map((h) => h.toLowerCase())]);
    for (const s of secrets) this.remember(s);
  }

  /** Learns a secret during the run (a refreshed token): every redactor derived from this one redacts it too. */
  add(secret: string | undefined): void {
    this.remember(secret);
  }

  private remember(secret: string | undefined): void {
    if (!secret || secret.length < MIN_SECRET_LENGTH || this.own.has(secret)) return;
    for (const form of [secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)]) this.own.add(form);
    this.learnt++;
  }

  private get version(): number {
    return this.learnt + (this.opts.parent?.version ?? 0);
  }

  /** Longest first, so a secret containing another is replaced whole. */
  private get secrets(): string[] {
    const version = this.version;
    if (this.sorted?.version !== version) this.sorted = { version, list: [...new Set([...(this.opts.parent?.secrets ?? []), ...this.own])].sort((a, b) => b.length - a.length) };
    return this.sorted.list;
  }

  text(value: string): string {
    let out = value;
    for (const s of this.secrets) if (out.includes(s)) out = out.split(s).join(REDACTED);
    return out;
  }

  headers(headers: Record<string, string>): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [name, value] of Object.entries(headers)) {
      out[name] = this.secretHeaders.has(name.toLowerCase()) ? redactAuthValue(value) : this.text(value);
    }
    return out;
  }

  /** Deep copy with known secret values replaced (responses, check results, reports). */
  value<T>(value: T): T {
    return this.walk(value, false) as T;
  }

  /** Deep copy of a request body: known secret values and every value under a secret-named key replaced. */
  requestBody<T>(value: T): T {
    return this.walk(value, true) as T;
  }

  /** This redactor plus the values under secret-named keys anywhere in `bodies` (a case's request). */
  withSecretsIn(...bodies: unknown[]): Redactor {
    const found: string[] = [];
    const collect = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(collect);
      else if (v && typeof v === 'object') {
        for (const [k, child] of Object.entries(v)) {
          if (SECRET_BODY_KEYS.test(k) && (typeof child === 'string' || typeof child === 'number')) found.push(String(child));
          else collect(child);
        }
      }
    };
    bodies.forEach(collect);
    return found.length ? new Redactor(found, { parent: this, headers: this.secretHeaders }) : this;
  }

  private walk(value: unknown, byKey: boolean): unknown {
    if (typeof value === 'string') return this.text(value);
    if (Array.isArray(value)) return value.map((v) => this.walk(v, byKey));
    if (value && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) {
        out[this.text(k)] = byKey && SECRET_BODY_KEYS.test(k) && (typeof v === 'string' || typeof v === 'number') ? REDACTED : this.walk(v, byKey);
      }
      return out;
    }
    return value;
  }
}

/** Keeps the scheme of an Authorization value ("Bearer [REDACTED]") so a reader can see which was sent. */
function redactAuthValue(value: string): string {
  const scheme = /^(Bearer|Basic)\s+/i.exec(value);
  return scheme ? `${scheme[1]} ${REDACTED}` : REDACTED;
}
