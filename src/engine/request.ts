/**
 * The request a case sends to a target, built before anything is sent: URL, headers, body (JSON, raw or
 * multipart). Shared by the engine and the bench's bare loop.
 */
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { FormData } from 'undici';
// Not from ../cases/load.ts: that module compiles the case schemas when loaded, which a run's worker never needs.
import { CASES_DIR, FIXTURES_DIR } from '../paths.ts';
import type { CaseSpec, MultipartSpec, RecordedRequest } from '../model.ts';
import { OPERATION_INFO } from '../operations.ts';
import { authHeaders, operationUrl, resolveApiVersion } from '../profiles.ts';
import { credentialScheme, extraHeaderValues, type Target } from '../target.ts';

export const USER_AGENT = 'aoai-conformance/0.1';

export interface BuiltRequest {
  url: string;
  headers: Record<string, string>;
  /** What goes on the wire: JSON or raw text, or a multipart form (rebuilt per attempt: a form is one-shot). */
  body: () => string | FormData | undefined;
  /** The JSON body as the case defines it (plus `model` for the openai profile), for checks and the transcript. */
  requestBody: unknown;
  multipart?: RecordedRequest['multipart'];
}

/** The request a case sends to a target, before anything is sent (also used by the bench's bare loop). */
export function buildRequest(spec: CaseSpec, target: Target, apiKey: string): BuiltRequest {
  const req = spec.request;
  const deployment = req.deployment ?? target.deployments[OPERATION_INFO[spec.operation].capability]!;
  const address = new URL(
    operationUrl({ profile: target.profile, endpoint: target.endpoint, operation: spec.operation, deployment, apiVersion: resolveApiVersion(target.profile, req.apiVersion) }),
  );
  for (const [k, v] of Object.entries(req.query ?? {})) address.searchParams.set(k, v);
  const requestBody = bodyFor(spec, target, deployment);
  const model = target.profile === 'openai' ? deployment : undefined;
  const bodyText = req.rawBody ?? (requestBody === undefined ? undefined : JSON.stringify(requestBody));
  const headers: Record<string, string> = {
    'user-agent': USER_AGENT,
    // undici sets the multipart content type (with its boundary) itself.
    ...(bodyText !== undefined ? { 'content-type': req.contentType ?? 'application/json' } : {}),
    // A gateway's headers first: the credential and the case's own headers are the case's subject and win.
    ...extraHeaderValues(target),
    ...authHeaders(credentialScheme(target), req.auth, apiKey),
    ...withDeployment(req.headers, deployment),
  };
  const multipart = req.multipart && buildMultipart(req.multipart, model);
  return {
    url: address.toString(),
    headers,
    body: multipart ? () => buildMultipart(req.multipart!, model).data : () => bodyText,
    requestBody: requestBody ?? multipart?.record.fields,
    multipart: multipart?.record,
  };
}

/** Header values may name the target's deployment as `{deployment}` (e.g. azureml-model-deployment). */
function withDeployment(headers: Record<string, string> | undefined, deployment: string): Record<string, string> {
  return Object.fromEntries(Object.entries(headers ?? {}).map(([k, v]) => [k, v.replaceAll('{deployment}', deployment)]));
}

/** Multipart form from fixtures; the openai profile also names the model as a form field. */
function buildMultipart(spec: MultipartSpec, model: string | undefined): { data: FormData; record: NonNullable<RecordedRequest['multipart']> } {
  const data = new FormData();
  const record: NonNullable<RecordedRequest['multipart']> = { fields: {}, files: {} };
  const fields = { ...(model !== undefined ? { model } : {}), ...spec.fields };
  for (const [name, value] of Object.entries(fields)) {
    data.append(name, String(value));
    record.fields[name] = String(value);
  }
  for (const [name, file] of Object.entries(spec.files ?? {})) {
    const bytes = readFileSync(join(CASES_DIR, FIXTURES_DIR, file.fixture));
    const filename = file.filename ?? basename(file.fixture);
    const contentType = file.contentType ?? 'application/octet-stream';
    data.append(name, new Blob([bytes], { type: contentType }), filename);
    record.files[name] = { filename, contentType, bytes: bytes.length };
  }
  return { data, record };
}

/** The openai profile names the model in the body; Azure profiles address it in the URL or a header. */
function bodyFor(spec: CaseSpec, target: Target, deployment: string): unknown {
  const body = spec.request.body;
  if (target.profile === 'openai' && body && typeof body === 'object' && !Array.isArray(body) && !('model' in body)) {
    return { model: deployment, ...body };
  }
  return body;
}
