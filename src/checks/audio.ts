/** Checks specific to audio. Each check: one rule, a name, an args schema; see ./types.ts. */
import type { CheckDefinition } from './types.ts';

export const CHECKS: CheckDefinition[] = [];
