/**
 * Configuration mistakes that look like target failures: a deployment that does not exist (every
 * request of an operation answers 404), a deployment of another kind (Azure's OperationNotSupported:
 * a chat model asked for completions), a credential the target does not take (every response 401/403).
 * Each hint names the target-config line that fixes it (docs/target-config.md). Derived from the
 * recorded responses; shown by the terminal summary and report.html.
 */
import type { OperationId } from '../model.ts';
import { OPERATION_INFO } from '../operations.ts';
import type { ReportedCase, RunResults } from './model.ts';

export interface Hint {
  /** The operation the hint is about; absent for the whole run. */
  operation?: OperationId;
  /** What was seen and what it probably means, in one sentence. */
  text: string;
  /** The target-config (YAML) lines that would fix it. */
  config: string;
}

/** Error codes and messages of a request the deployment's model cannot serve. */
const NOT_SUPPORTED_CODE = /^(?:OperationNotSupported|ModelNotSupported|UnsupportedModel|model_not_supported|unsupported_model|operation_not_supported)$/i;
const NOT_SUPPORTED_MESSAGE = /does not work with the specified model|not supported (?:by|for|with) (?:this|the|that) (?:model|deployment)|model (?:\S+ )?does not support (?:this|the) operation/i;

/** Fewer responses than this say too little to blame the configuration. */
const MIN_RESPONSES = 2;

function errorOf(c: ReportedCase): { code?: string; message?: string } {
  const res = c.exchange?.response;
  if (!res) return {};
  const json = res.json as { error?: { code?: unknown; message?: unknown } | string; code?: unknown; message?: unknown } | undefined;
  const inner = typeof json?.error === 'object' && json.error !== null ? json.error : undefined;
  const code = inner?.code ?? json?.code ?? res.headers['x-ms-error-code'];
  const message = inner?.message ?? json?.message;
  return { ...(code !== undefined && code !== null ? { code: String(code) } : {}), ...(typeof message === 'string' ? { message } : {}) };
}

export function configHints(r: RunResults): Hint[] {
  const hints: Hint[] = [];
  const answered = r.cases.filter((c) => c.exchange?.response);
  const word = r.target.profile === 'azure-openai' ? 'deployment' : 'model';

  const statuses = answered.map((c) => c.exchange!.response!.status);
  if (statuses.length > MIN_RESPONSES && statuses.every((s) => s === 401 || s === 403)) {
    const auth = r.target.auth ?? { kind: 'key', env: r.target.apiKeyEnv };
    hints.push(
      auth.kind === 'none'
        ? { text: `every response (${statuses.length}) was 401 or 403: the target asks for a credential, but the run sent none (--no-auth)`, config: 'apiKeyEnv: <VARIABLE>        # instead of auth: none (or --api-key-env <VARIABLE>)' }
        : auth.kind === 'entra'
          ? { text: `every response (${statuses.length}) was 401 or 403: the target does not accept the Microsoft Entra ID token of DefaultAzureCredential (${auth.scope}). Check the identity's role on the resource (Cognitive Services OpenAI User), or use a key`, config: 'apiKeyEnv: <VARIABLE>        # or --api-key-env <VARIABLE>' }
          : { text: `every response (${statuses.length}) was 401 or 403: the target does not accept the credential in $${auth.env}. Check the ${auth.kind === 'key' ? 'key' : 'token'}, or name the variable that holds it`, config: auth.kind === 'key' ? 'apiKeyEnv: <VARIABLE>        # or --api-key-env <VARIABLE>' : 'tokenEnv: <VARIABLE>        # or --token-env <VARIABLE>' },
    );
    return hints;
  }

  const byOperation = new Map<OperationId, ReportedCase[]>();
  for (const c of answered) byOperation.set(c.operation, [...(byOperation.get(c.operation) ?? []), c]);
  for (const [operation, cases] of [...byOperation].sort(([a], [b]) => a.localeCompare(b))) {
    const capability = OPERATION_INFO[operation].capability;
    const named = r.target.deployments[capability];
    const who = named ? `the ${word} "${named}"` : `the ${capability} ${word}`;
    if (cases.length >= MIN_RESPONSES && cases.every((c) => c.exchange!.response!.status === 404)) {
      hints.push({
        operation,
        text: `every ${operation} request (${cases.length}) answered 404: ${who} may not exist at this endpoint, or the endpoint is not the right one. Name the ${capability} ${word} the target has (null if it has none)`,
        config: `deployments:\n  ${capability}: <${capability} ${word}>`,
      });
      continue;
    }
    const unsupported = cases.filter((c) => {
      const e = errorOf(c);
      return (e.code !== undefined && NOT_SUPPORTED_CODE.test(e.code)) || (e.message !== undefined && NOT_SUPPORTED_MESSAGE.test(e.message));
    });
    if (unsupported.length) {
      const e = errorOf(unsupported[0]);
      const said = [e.code, e.message && `"${e.message.length > 120 ? `${e.message.slice(0, 120)}…` : e.message}"`].filter(Boolean).join(' ');
      hints.push({
        operation,
        text: `${unsupported.length} ${operation} case(s) were answered ${said}: ${who} looks like a ${word} of another kind. Give ${capability} a ${word} that serves it (null if the target has none)`,
        config: `deployments:\n  ${capability}: <${capability} ${word}>`,
      });
    }
  }
  return hints;
}
