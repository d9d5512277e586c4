import type { Dispatcher } from 'undici';
import type { SchemaRegistry } from '../schemas/registry.ts';
import type { OperationId, ProfileName, RecordedResponse } from '../model.ts';

export interface CheckContext {
  /** The operation the case exercises (the engine always sets it; unit tests of a check may omit it). */
  operation?: OperationId;
  response: RecordedResponse;
  /** The JSON body the case sent (for multipart: its text fields), if any. */
  requestBody: unknown;
  profile: ProfileName;
  /** Schema surface for bare component names (azure-openai/2024-06-01, model-inference/…). */
  surface: string;
  schemas: SchemaRegistry;
  args: Record<string, unknown>;
  /** What a check may reach beyond the target: by default only URLs on the target's own origin, through the run's dispatcher. */
  network?: { origin: string; followExternalUrls: boolean; dispatcher?: Dispatcher };
}

export interface CheckOutcome {
  /** true: the target meets the rule; false: it does not; 'error': the suite could not judge; 'not-evaluated': the user's settings keep the check from running (the message says which). */
  ok: boolean | 'error' | 'not-evaluated';
  expected: unknown;
  actual: unknown;
  message: string;
  /**
   * For gates: which later checks cannot be evaluated on this response. `all`: the response is of another kind
   * than they judge (an error where a success was wanted, a JSON document where a stream was); `whole-stream`:
   * the stream did not end, so only the checks that need all of it stop. Absent: nothing stops.
   */
  stops?: 'all' | 'whole-stream';
  /**
   * The defects this failure reports, when another check may report the same ones (a missing [DONE], a body
   * that is not JSON). Of the failures in a case that share a finding, the first of the most severe is reported;
   * a failure whose findings are all reported elsewhere is recorded as not evaluated, naming that check.
   */
  findings?: string[];
}

/** Which part of the contract a check looks at: a column of the report's operations × categories matrix. */
export type CheckCategory = 'schema' | 'semantics' | 'bounds' | 'errors' | 'auth' | 'streaming' | 'headers';

export interface CheckDefinition {
  name: string;
  description: string;
  /**
   * The requirement a case's entry evidences unless it names another. Absent only for checks that serve whichever
   * rule the case is about (a status, a schema, a finish reason): their entries evidence the case's requirement.
   */
  requirement?: string;
  /**
   * The report's matrix column. `of-requirement`: the check (a status code) evidences whatever rule it is given,
   * so the column is that rule's (src/results/categories.ts).
   */
  category: CheckCategory | 'of-requirement';
  /** JSON Schema of the check's arguments in a case (validated when cases load). */
  args: Record<string, unknown>;
  /** A gate's failure may stop later checks that cannot be evaluated on the response (see CheckOutcome.stops). */
  gate?: boolean;
  /** The check judges only headers: it is evaluated even when the body did not arrive whole. */
  headersOnly?: boolean;
  /** The check judges a stream as a whole (its end, every choice's finish): it needs a stream that ended. */
  wholeStream?: boolean;
  /** The check reads the body as JSON; a non-JSON body fails it with that reason. */
  needsJson?: boolean;
  run(ctx: CheckContext): CheckOutcome | Promise<CheckOutcome>;
}

export const noArgs = { type: 'object', additionalProperties: false, properties: {} } as const;

export function pass(expected: unknown, actual: unknown, message = 'as expected'): CheckOutcome {
  return { ok: true, expected, actual, message };
}

export function fail(expected: unknown, actual: unknown, message: string): CheckOutcome {
  return { ok: false, expected, actual, message };
}

export function verdict(ok: boolean, expected: unknown, actual: unknown, failMessage: string): CheckOutcome {
  return ok ? pass(expected, actual) : fail(expected, actual, failMessage);
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A response's `choices` array, or undefined when there is none. */
export function choicesOf(json: unknown): unknown[] | undefined {
  return isRecord(json) && Array.isArray(json.choices) ? json.choices : undefined;
}
