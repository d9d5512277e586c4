/** Checks on the response body as a document: JSON-ness and schema conformance. */
import { PROFILE_INFO } from '../profiles.ts';
import { type CheckDefinition, fail, isRecord, noArgs, pass, verdict } from './types.ts';

export const schema: CheckDefinition = {
  name: 'schema',
  category: 'schema',
  description: "Validates the body against the component `component` names, in the profile's schema surface.",
  needsJson: true,
  args: {
    type: 'object',
    additionalProperties: false,
    required: ['component'],
    properties: { component: { type: 'string', minLength: 1 } },
  },
  run({ response, args, schemas, surface }) {
    const component = String(args.component);
    const outcome = schemas.validate(component, response.json, surface);
    if (outcome.valid) return pass(`valid ${component}`, 'valid');
    return fail(`valid ${component}`, outcome.issues.map((i) => i.message), `the body does not validate against ${component}: ${outcome.issues.slice(0, 3).map((i) => i.message).join('; ')}`);
  },
};

export const errorBody: CheckDefinition = {
  name: 'error-body',
  requirement: 'AOAI-ERROR-BODY',
  category: 'errors',
  description: "Validates the error body against the profile's error component, or the one `component` names.",
  needsJson: true,
  args: {
    type: 'object',
    additionalProperties: false,
    properties: { component: { type: 'string', minLength: 1 } },
  },
  run({ response, args, schemas, profile, surface }) {
    const component = typeof args.component === 'string' ? args.component : PROFILE_INFO[profile].errorSchema;
    if (!isRecord(response.json)) return { ...fail(`an error object (${component})`, typeName(response.json), `the error body is ${typeName(response.json)}, not a JSON object`), findings: [NOT_AN_ERROR_OBJECT] };
    const outcome = schemas.validate(component, response.json, surface);
    if (outcome.valid) return pass(`valid ${component}`, 'valid');
    return fail(`valid ${component}`, outcome.issues.map((i) => i.message), `the error body does not validate against ${component}: ${outcome.issues.slice(0, 3).map((i) => i.message).join('; ')}`);
  },
};

/** An error body that is no object has no message either: one finding for error-body and error-message. */
const NOT_AN_ERROR_OBJECT = 'error body: not a JSON object';

export const errorMessage: CheckDefinition = {
  name: 'error-message',
  requirement: 'AOAI-ERROR-MESSAGE',
  category: 'errors',
  description: 'Reads `error.message` (Azure OpenAI, OpenAI) or `message` (Model Inference) in the error body, for a non-empty string.',
  needsJson: true,
  args: noArgs,
  run({ response, profile }) {
    const body = response.json;
    const message = profile === 'model-inference' ? (isRecord(body) ? body.message : undefined) : isRecord(body) && isRecord(body.error) ? body.error.message : undefined;
    const where = profile === 'model-inference' ? 'message' : 'error.message';
    if (!isRecord(body)) return { ...fail(`${where}: a non-empty string`, typeName(body), `the error body is ${typeName(body)}, not an object with ${where}`), findings: [NOT_AN_ERROR_OBJECT] };
    return verdict(typeof message === 'string' && message.length > 0, `${where}: a non-empty string`, message ?? '(absent)', `${where} is ${message === undefined ? 'absent' : JSON.stringify(message)}`);
  },
};

/**
 * Where each member named by `path` ("choices[].index", "usage.prompt_tokens") is missing, as JSON pointers.
 * `[]` walks every item of an array; a parent that is absent (or not an object) is the business of its own path.
 */
export function missingMembers(json: unknown, path: string): string[] {
  const steps = path.split('.');
  const missing: string[] = [];
  const walk = (node: unknown, at: number, pointer: string): void => {
    const step = steps[at];
    const each = step.endsWith('[]');
    const name = each ? step.slice(0, -2) : step;
    if (!isRecord(node)) return;
    if (!(name in node)) {
      missing.push(`${pointer}/${name}`);
      return;
    }
    const value = node[name];
    if (at === steps.length - 1) return;
    if (!each) return walk(value, at + 1, `${pointer}/${name}`);
    if (Array.isArray(value)) value.forEach((item, i) => walk(item, at + 1, `${pointer}/${name}/${i}`));
  };
  walk(json, 0, '');
  return missing;
}

export const membersPresent: CheckDefinition = {
  name: 'members-present',
  category: 'schema',
  description: `Looks in the body for each path of \`members\` (such as "choices[].index"): members a document other than the seed requires (the official OpenAPI file, the seed's sample response) and the seed's own tables leave optional. A member sent as null counts as present.`,
  needsJson: true,
  args: {
    type: 'object',
    additionalProperties: false,
    required: ['members'],
    properties: { members: { type: 'array', minItems: 1, uniqueItems: true, items: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*(\\[\\])?(\\.[A-Za-z_][A-Za-z0-9_]*(\\[\\])?)*$' } } },
  },
  run({ response, args }) {
    const members = args.members as string[];
    const missing = members.flatMap((m) => missingMembers(response.json, m));
    return verdict(missing.length === 0, members, missing.length ? missing : 'all present', `the body lacks ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ` and ${missing.length - 5} more` : ''}`);
  },
};

export function typeName(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  return Array.isArray(v) ? 'array' : typeof v;
}

export function snippet(text: string, max = 200): string {
  return text.length > max ? `${text.slice(0, max)}… (${text.length} chars)` : text;
}
