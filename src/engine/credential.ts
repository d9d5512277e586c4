/**
 * The run's credential, current at each request: a key or a Microsoft Entra ID token read from an environment
 * variable, a token from @azure/identity's DefaultAzureCredential (refreshed before it expires, so a long run
 * never sends a stale one), or none. Every value handed out is a secret: `onSecret` tells the redactor.
 */
import { InputError } from '../errors.ts';
import { isNotInstalled, missingPackage } from '../optional.ts';
import { authOf, type Target, type TargetAuth } from '../target.ts';

export interface CredentialSource {
  /** The value to send now ('' when the target takes no credential). */
  current(): Promise<string>;
}

/** What @azure/identity's credentials offer (its TokenCredential), so the package stays optional. */
export interface TokenCredential {
  getToken(scopes: string | string[]): Promise<AccessToken | null>;
}

export interface AccessToken {
  token: string;
  expiresOnTimestamp: number;
  refreshAfterTimestamp?: number;
}

export interface CredentialOptions {
  env?: NodeJS.ProcessEnv;
  /** Called with every credential value, once, before it is sent. */
  onSecret?: (secret: string) => void;
  /** The token credential for `entra` (default: @azure/identity's DefaultAzureCredential). */
  tokenCredential?: () => Promise<TokenCredential>;
}

/** The package `--entra` needs: optional, imported only when asked for. */
export const IDENTITY_PACKAGE = '@azure/identity';

export class CredentialError extends InputError {}

export function credentialSource(target: Pick<Target, 'auth' | 'apiKeyEnv'>, opts: CredentialOptions = {}): CredentialSource {
  const auth: TargetAuth = authOf(target);
  const env = opts.env ?? process.env;
  switch (auth.kind) {
    case 'none':
      return { current: async () => '' };
    case 'key':
    case 'token-env': {
      const value = env[auth.env] ?? '';
      opts.onSecret?.(value);
      return { current: async () => value };
    }
    case 'entra': {
      const credential = (opts.tokenCredential ?? defaultAzureCredential)();
      const token = new RefreshingToken(async () => {
        let got: AccessToken | null;
        try {
          got = await (await credential).getToken(auth.scope);
        } catch (err) {
          if (err instanceof InputError) throw err;
          throw new CredentialError(`Microsoft Entra ID: no token for ${auth.scope}: ${(err as Error).message.split('\n')[0]}`);
        }
        if (!got?.token) throw new CredentialError(`Microsoft Entra ID: the credential returned no token for ${auth.scope}`);
        opts.onSecret?.(got.token);
        return got;
      });
      return { current: () => token.current() };
    }
  }
}

/** @azure/identity's DefaultAzureCredential, or a clear error when the optional package is not installed. */
async function defaultAzureCredential(): Promise<TokenCredential> {
  let identity: { DefaultAzureCredential: new () => TokenCredential };
  try {
    identity = (await import(IDENTITY_PACKAGE)) as typeof identity;
  } catch (err) {
    if (!isNotInstalled(err)) throw err;
    throw missingPackage(IDENTITY_PACKAGE, '--entra', 'put a token in a variable and name it with --token-env');
  }
  return new identity.DefaultAzureCredential();
}

/** Before a token's end, the part of its life left when it is renewed: 5 minutes, or half a shorter life. */
const REFRESH_MARGIN_MS = 5 * 60_000;

/**
 * A token renewed before it expires: at its `refreshAfterTimestamp` if the credential gives one, else 5 minutes
 * before its end (half its life for a short-lived one). Concurrent callers share one renewal; when a renewal fails
 * while the old token is still valid, the old one is used and the renewal tried again at the next call.
 */
export class RefreshingToken {
  private token: AccessToken | undefined;
  private refreshAt = 0;
  private pending: Promise<AccessToken> | undefined;

  constructor(
    private readonly fetchToken: () => Promise<AccessToken>,
    private readonly now: () => number = Date.now,
  ) {}

  async current(): Promise<string> {
    if (this.token && this.now() < this.refreshAt) return this.token.token;
    this.pending ??= this.fetchToken().finally(() => (this.pending = undefined));
    try {
      const fresh = await this.pending;
      if (fresh !== this.token) this.accept(fresh);
      return fresh.token;
    } catch (err) {
      if (this.token && this.now() < this.token.expiresOnTimestamp) return this.token.token;
      throw err;
    }
  }

  private accept(token: AccessToken): void {
    const now = this.now();
    const life = token.expiresOnTimestamp - now;
    this.token = token;
    this.refreshAt = Math.min(token.refreshAfterTimestamp ?? Infinity, token.expiresOnTimestamp - Math.min(REFRESH_MARGIN_MS, Math.max(0, life) / 2));
  }
}
