/**
 * A curl command that sends a case's request again. It is built from the redacted exchange, so it
 * holds no secret: the credential comes from the environment variable the run read it from, and
 * secret-named body fields stay `[REDACTED]` (the command says so when there are any).
 */
import { REDACTED } from '../redact.ts';
import type { RecordedRequest, RequestSpec } from '../model.ts';
import { WRONG_KEY } from '../profiles.ts';
import { authOf, secretHeaderEnvs, type Target } from '../target.ts';

/** What a reproduction needs to know of the run's target: where its credential and secret headers come from. */
export type CurlTarget = Pick<Target, 'apiKeyEnv' | 'auth' | 'headers'>;

/** The variable a curl reads a token from DefaultAzureCredential would have given, and how to fill it. */
export const ENTRA_TOKEN_ENV = 'AZURE_OPENAI_AD_TOKEN';
const ENTRA_SETUP = `# a Microsoft Entra ID token, e.g.: export ${ENTRA_TOKEN_ENV}="$(az account get-access-token --scope https://cognitiveservices.azure.com/.default --query accessToken -o tsv)"`;

const CREDENTIAL_HEADERS = new Set(['api-key', 'authorization', 'ocp-apim-subscription-key', 'x-api-key']);

/** Where a reproduction takes the credential from, in words (the report's curl blocks). */
export function credentialNote(target: CurlTarget): string {
  const auth = authOf(target);
  switch (auth.kind) {
    case 'none':
      return 'the target takes no credential';
    case 'entra':
      return `reads a Microsoft Entra ID token from $${ENTRA_TOKEN_ENV}`;
    default:
      return `reads the ${auth.kind === 'key' ? 'key' : 'token'} from $${auth.env}`;
  }
}

/** POSIX shell single quoting: safe for any text without NUL. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

export interface CurlInput {
  request: RecordedRequest;
  /** The run's target, or just the environment variable holding the credential (a validated identifier). */
  target: CurlTarget | string;
  /** How the case authenticates; `wrong` sends the suite's fixed wrong key, not the real one. */
  auth?: RequestSpec['auth'];
  /** Multipart file fields → fixture paths under cases/fixtures/. */
  fixtures?: Record<string, string>;
}

export function curlFor({ request, target, auth, fixtures = {} }: CurlInput): string {
  const t: CurlTarget = typeof target === 'string' ? { apiKeyEnv: target } : target;
  const run = authOf(t);
  const credentialEnv = run.kind === 'entra' ? ENTRA_TOKEN_ENV : run.kind === 'none' ? t.apiKeyEnv : run.env;
  const secretHeaders = secretHeaderEnvs(t);
  const lines: string[] = [];
  const args: string[] = [`curl -sS -X ${request.method} ${shellQuote(request.url)}`];
  const credential = (value: string): string => {
    const secret = auth === 'wrong' ? WRONG_KEY : `$${credentialEnv}`;
    const scheme = /^(Bearer|Basic)\s/i.exec(value)?.[1];
    return scheme ? `${scheme} ${secret}` : secret;
  };
  let sendsCredential = false;
  for (const [name, value] of Object.entries(request.headers)) {
    const lower = name.toLowerCase();
    if (request.multipart && lower === 'content-type') continue; // curl writes it with the boundary
    if (secretHeaders[lower] !== undefined) {
      // A gateway header read from the environment: the same variable, expanded by the shell.
      args.push(`-H "${name}: $${secretHeaders[lower]}"`);
    } else if (CREDENTIAL_HEADERS.has(lower)) {
      sendsCredential = true;
      // Double quotes so the shell expands the variable; the name is an identifier, the rest is fixed text.
      args.push(`-H "${name}: ${credential(value)}"`);
    } else {
      args.push(`-H ${shellQuote(`${name}: ${value}`)}`);
    }
  }
  let body: string | undefined;
  if (request.multipart) {
    for (const [name, value] of Object.entries(request.multipart.fields)) args.push(`-F ${shellQuote(`${name}=${value}`)}`);
    for (const [name, file] of Object.entries(request.multipart.files)) {
      const path = fixtures[name] ? `cases/fixtures/${fixtures[name]}` : file.filename;
      args.push(`-F ${shellQuote(`${name}=@${path};type=${file.contentType};filename=${file.filename}`)}`);
    }
    if (Object.keys(request.multipart.files).length) lines.push('# run from the aoai-conformance directory: the files are its cases/fixtures/');
  } else {
    body = request.bodyText ?? (request.body === undefined ? undefined : JSON.stringify(request.body));
    if (body !== undefined) args.push(`--data-raw ${shellQuote(body)}`);
  }
  const streaming = typeof request.body === 'object' && request.body !== null && (request.body as Record<string, unknown>).stream === true;
  if (streaming) args.splice(1, 0, '-N');
  if (run.kind !== 'none' && auth !== 'none' && !sendsCredential) lines.push('# this request deliberately sends no credential');
  if (run.kind === 'entra' && sendsCredential && auth !== 'wrong') lines.push(ENTRA_SETUP);
  if ((body ?? JSON.stringify(request.multipart ?? {})).includes(REDACTED)) {
    lines.push(`# ${REDACTED} marks a secret-named field (a key, a connection string): put your own value back before running`);
  }
  return [...lines, args.join(' \\\n  ')].join('\n');
}

/** A shell word: left bare when it is plain (fault ids), quoted otherwise. */
const shellWord = (text: string) => (/^[\w.:/-]+$/.test(text) ? text : shellQuote(text));

/**
 * For a run against the embedded emulator: the commands that start the same emulator again (its port,
 * its faults) and wait until it answers, so the case's curl reaches it; undefined for any other target.
 * Any key will do: the emulator accepts the one it is given, and the curl sends the same variable.
 */
export function emulatorCommand(target: { emulator: boolean; endpoint: string; faults: string[]; apiKeyEnv: string; auth?: Target['auth'] }): string | undefined {
  if (!target.emulator) return undefined;
  let origin: URL;
  try {
    origin = new URL(target.endpoint);
  } catch {
    return undefined;
  }
  const env = target.apiKeyEnv;
  const noAuth = target.auth?.kind === 'none';
  return [
    `# the run's embedded emulator has stopped: start the same one (port ${origin.port}${target.faults.length ? ', same faults' : ''}), wait for it, then send the request; \`kill %1\` stops it`,
    ...(noAuth ? [] : [`export ${env}="\${${env}:-local-emulator-key}"`]),
    `npx aoai-conformance emulator --port ${origin.port} ${noAuth ? '--no-auth' : `--key "$${env}"`}${target.faults.map((f) => ` --fault ${shellWord(f)}`).join('')} &`,
    `until curl -s -o /dev/null ${shellQuote(origin.origin)}; do sleep 0.2; done`,
  ].join('\n');
}
