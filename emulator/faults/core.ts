/** Fault switches of the shared HTTP layer: auth, api-version, deployments, errors, validation, transport. Each breaks exactly one rule. */
import type { Fault } from './types.ts';

export const FAULTS = [
  { id: 'json-content-type-text', category: 'headers', breaks: 'JSON responses are labelled text/plain' },
  { id: 'auth-missing-accepted', category: 'auth', breaks: 'a request without credentials is served (200)' },
  { id: 'auth-wrong-accepted', category: 'auth', breaks: 'a request with a wrong key is served (200)' },
  { id: 'auth-status-403', category: 'auth', breaks: 'credential failures answer 403 instead of 401' },
  { id: 'error-body-text', category: 'errors', breaks: 'error responses are plain text instead of the JSON error object' },
  { id: 'error-body-shape', category: 'errors', breaks: 'error responses put the message at the top level ({"message": …}) with `error` a string' },
  { id: 'error-message-missing', category: 'errors', breaks: 'error objects carry a code but no message' },
  { id: 'api-version-ignored', category: 'api-version', breaks: 'a request without api-version is served (200)' },
  { id: 'api-version-unknown-accepted', category: 'api-version', breaks: 'an unknown api-version is served (200)' },
  { id: 'api-version-missing-400', category: 'api-version', breaks: 'a missing api-version answers 400 instead of the 404 Azure sends' },
  { id: 'deployment-unknown-accepted', category: 'deployment', breaks: 'an unknown deployment is served (200)' },
  { id: 'bounds-unchecked', category: 'bounds', breaks: 'documented bounds are not enforced: out-of-range values (temperature, top_p, n, penalties, array sizes, lengths) are accepted (200)' },
  { id: 'required-unchecked', category: 'bounds', breaks: 'a chat request without `messages` is accepted (200)' },
  { id: 'validation-500', category: 'errors', breaks: 'invalid requests answer 500 instead of a 4xx client error' },
  { id: 'validation-422', category: 'errors', breaks: 'invalid Azure OpenAI requests answer 422 instead of 400' },
  { id: 'reset-connection', category: 'transport', breaks: 'every connection is reset before the response headers' },
  { id: 'server-error-html', category: 'errors', breaks: 'every request answers 500 with an HTML page' },
] as const satisfies readonly Fault[];
