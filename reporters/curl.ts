/**
 * A curl command that sends a case's request again. It is built from the redacted exchange, so it
 * holds no secret: the credential comes from the environment variable the run read it from, and
 * secret-named body fields stay `[REDACTED]` (the command says so when there are any).
 */
import { REDACTED } from '../src/redact.ts';
import type { RecordedRequest, RequestSpec } from '../src/model.ts';
import { WRONG_KEY } from '../src/profiles.ts';

const CREDENTIAL_HEADERS = new Set(['api-key', 'authorization', 'ocp-apim-subscription-key', 'x-api-key']);

/** POSIX shell single quoting: safe for any text without NUL. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

export interface CurlInput {
  request: RecordedRequest;
  /** The environment variable holding the credential (a validated identifier). */
  apiKeyEnv: string;
  /** How the case authenticates; `wrong` sends the suite's fixed wrong key, not the real one. */
  auth?: RequestSpec['auth'];
  /** Multipart file fields → fixture paths under cases/fixtures/. */
  fixtures?: Record<string, string>;
}

export function curlFor({ request, apiKeyEnv, auth, fixtures = {} }: CurlInput): string {
  const lines: string[] = [];
  const args: string[] = [`curl -sS -X ${request.method} ${shellQuote(request.url)}`];
  const credential = (value: string): string => {
    const secret = auth === 'wrong' ? WRONG_KEY : `$${apiKeyEnv}`;
    const scheme = /^(Bearer|Basic)\s/i.exec(value)?.[1];
    return scheme ? `${scheme} ${secret}` : secret;
  };
  for (const [name, value] of Object.entries(request.headers)) {
    const lower = name.toLowerCase();
    if (request.multipart && lower === 'content-type') continue; // curl writes it with the boundary
    if (CREDENTIAL_HEADERS.has(lower)) {
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
  if (auth !== 'none' && !Object.keys(request.headers).some((h) => CREDENTIAL_HEADERS.has(h.toLowerCase()))) {
    lines.push('# this request deliberately sends no credential');
  }
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
export function emulatorCommand(target: { emulator: boolean; endpoint: string; faults: string[]; apiKeyEnv: string }): string | undefined {
  if (!target.emulator) return undefined;
  let origin: URL;
  try {
    origin = new URL(target.endpoint);
  } catch {
    return undefined;
  }
  const env = target.apiKeyEnv;
  return [
    `# the run's embedded emulator has stopped: start the same one (port ${origin.port}${target.faults.length ? ', same faults' : ''}), wait for it, then send the request; \`kill %1\` stops it`,
    `export ${env}="\${${env}:-local-emulator-key}"`,
    `npx aoai-conformance emulator --port ${origin.port} --key "$${env}"${target.faults.map((f) => ` --fault ${shellWord(f)}`).join('')} &`,
    `until curl -s -o /dev/null ${shellQuote(origin.origin)}; do sleep 0.2; done`,
  ].join('\n');
}
