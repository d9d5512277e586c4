/**
 * Every named check a case can use. A check's name is its stable id in cases and reports.
 * Cross-cutting checks live in http.ts, body.ts and semantics.ts; each area keeps its own in <area>.ts.
 */
import { errorBody, errorMessage, membersPresent, schema } from './body.ts';
import { contentType, status, statusClass } from './http.ts';
import { choiceCount, choiceIndexes, objectType, usageSums } from './semantics.ts';
import { CHECKS as audio } from './audio.ts';
import { CHECKS as chat } from './chat.ts';
import { CHECKS as chatLogprobs } from './chat-logprobs.ts';
import { CHECKS as completions } from './completions.ts';
import { CHECKS as embeddings } from './embeddings.ts';
import { CHECKS as images } from './images.ts';
import { CHECKS as modelInference } from './model-inference.ts';
import { CHECKS as stream } from './stream.ts';
import { CHECKS as streamChunks } from './stream-chunks.ts';
import type { CheckDefinition } from './types.ts';

export type { CheckDefinition, CheckContext, CheckOutcome } from './types.ts';

const CORE: CheckDefinition[] = [status, statusClass, contentType, schema, membersPresent, errorBody, errorMessage, objectType, usageSums, choiceCount, choiceIndexes];
const ALL: CheckDefinition[] = [...CORE, ...chat, ...chatLogprobs, ...completions, ...embeddings, ...images, ...audio, ...stream, ...streamChunks, ...modelInference];

export const CHECKS: ReadonlyMap<string, CheckDefinition> = new Map(ALL.map((c) => [c.name, c]));
if (CHECKS.size !== ALL.length) throw new Error('duplicate check name in src/checks/');

/** The pseudo-check recorded first in every case: did a response arrive at all. */
export const TRANSPORT_CHECK = 'transport';
/** The requirement the transport check evidences. */
export const TRANSPORT_REQUIREMENT = 'HTTP-RESPONSE';
/** The pseudo-check recorded when a derived case's real request could not be built from its first answer. */
export const DERIVE_CHECK = 'derive';
