/**
 * Request validation against the contract's request components, shared by the server (JSON bodies it
 * validates before a handler runs) and the handlers that validate themselves (multipart fields, token
 * inputs, images' own error shape). Honours the shared validation faults everywhere alike.
 */
import type { ProfileName } from '../src/model.ts';
import type { FaultSet } from './faults.ts';
import { SERVED_PROFILES } from './routes.ts';
import { type SchemaIssue, schemaIssues } from './schemas.ts';

const BOUND_KEYWORDS = new Set(['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'minItems', 'maxItems', 'minLength', 'maxLength']);

export interface RequestProblem {
  message: string;
  /** The offending parameter as a dotted path (`messages.0.role`), when there is one. */
  param?: string;
}

/** The first way `body` breaks `component`, or undefined. `alsoIgnore` lets an area fault switch off one rule. */
export function requestProblem(
  component: string,
  body: unknown,
  profile: ProfileName,
  faults: FaultSet,
  alsoIgnore: (issue: SchemaIssue) => boolean = () => false,
): RequestProblem | undefined {
  const first = schemaIssues(component, body, SERVED_PROFILES[profile].surface)
    .filter((i) => !(faults.has('bounds-unchecked') && BOUND_KEYWORDS.has(i.keyword)))
    .filter((i) => !(faults.has('required-unchecked') && i.keyword === 'required'))
    .find((i) => !alsoIgnore(i));
  if (!first) return undefined;
  const param = first.pointer.split('/').filter(Boolean).join('.');
  return { message: `Invalid request: ${first.message}`, param: param || undefined };
}
