/** Every named check a case can use. A check's name is its stable id in cases and reports. */
import { schema, errorBody, errorMessage } from './body.ts';
import { contentType, status, statusClass } from './http.ts';
import { choiceCount, choiceIndexes, objectType, usageSums } from './semantics.ts';
import type { CheckDefinition } from './types.ts';

export type { CheckDefinition, CheckContext, CheckOutcome } from './types.ts';

const ALL: CheckDefinition[] = [status, statusClass, contentType, schema, errorBody, errorMessage, objectType, usageSums, choiceCount, choiceIndexes];

export const CHECKS: ReadonlyMap<string, CheckDefinition> = new Map(ALL.map((c) => [c.name, c]));

/** The pseudo-check recorded when no response arrived at all. */
export const TRANSPORT_CHECK = 'transport';
