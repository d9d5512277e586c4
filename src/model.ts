/** The vocabulary shared by the engine, the checks, the reporters and the CLI. */

export type Level = 'MUST' | 'SHOULD' | 'MAY';
export const LEVELS: readonly Level[] = ['MUST', 'SHOULD', 'MAY'];

export type ProfileName = 'azure-openai' | 'model-inference' | 'openai';
export const PROFILES: readonly ProfileName[] = ['azure-openai', 'model-inference', 'openai'];

/** Re-exported: the operations are described in src/operations.ts; many modules take the type from here. */
export type { OperationId } from './operations.ts';
import type { OperationId } from './operations.ts';

/** pass/fail/warning/skipped are verdicts on the target; error means the suite could not judge. */
export type Status = 'pass' | 'fail' | 'warning' | 'skipped' | 'error';

export interface Requirement {
  id: string;
  level: Level;
  statement: string;
  /** Seed document ("003", "000") or "observed" (../AZURE-BEHAVIOUR evidence copied into docs/). */
  source: string;
  section: string;
  profiles: ProfileName[];
  /** Seed text (verbatim from the seed `source` names) that states the requirement; every seed-sourced MUST has one. */
  quote?: string | string[];
  /** What a SHOULD or MAY rests on beyond its quote: the official OpenAPI file, a later API version, observed behaviour… */
  basis?: RequirementBasis[];
  /** Why this level, when it is not simply what the seed says. */
  rationale?: string;
  /**
   * Where the profiles' documents differ: one source per group of profiles (each profile in exactly one). The fields
   * above are then those of the first source; `requirementFor` (src/requirements.ts) gives the one of a profile.
   */
  sources?: RequirementSource[];
}

/** One profile group's evidence for a requirement: its document, section, words and level. */
export interface RequirementSource {
  profiles: ProfileName[];
  level: Level;
  source: string;
  section: string;
  /** The statement as this source's document puts it, where it differs from the requirement's. */
  statement?: string;
  quote?: string | string[];
  basis?: RequirementBasis[];
  rationale?: string;
}

export type RequirementBasis = 'official-openapi' | 'later-api-version' | 'observed' | 'other-docs' | 'seed-example' | 'seed-implied' | 'seed-allows-less';

export interface CheckSpec {
  check: string;
  requirement: string;
  /** Remaining keys are the check's arguments, validated against the check's own args schema. */
  args: Record<string, unknown>;
}

/** A multipart/form-data body: text fields and files from cases/fixtures/. */
export interface MultipartSpec {
  fields?: Record<string, string | number | boolean>;
  files?: Record<string, { fixture: string; filename?: string; contentType?: string }>;
}

/** Bounds on reading one SSE response. */
export interface StreamLimits {
  /** No byte for this long ends the stream as hung. */
  idleTimeoutMs: number;
  /** The whole stream must end within this long after the request started. */
  totalTimeoutMs: number;
  maxEvents: number;
}

export interface RequestSpec {
  /** `default` sends the profile's credential, `none` omits it, `wrong` sends a syntactically valid wrong one. */
  auth?: 'default' | 'none' | 'wrong' | 'api-key' | 'bearer';
  /** `default` = the profile's api-version, `none` = omit the query parameter, anything else is sent as given. */
  apiVersion?: string;
  /** `default` = the target's deployment for the operation's capability; anything else is sent as given. */
  deployment?: string;
  headers?: Record<string, string>;
  /** Extra query parameters. */
  query?: Record<string, string>;
  body?: unknown;
  multipart?: MultipartSpec;
  /** false: a 429 is the subject of the case and is judged, not retried (default true). */
  retryOn429?: boolean;
  /** A body sent byte-for-byte instead of JSON (malformed-JSON cases). */
  rawBody?: string;
  contentType?: string;
  /** Parts of the body derived from the target's answer to a first request (src/engine/derive.ts). */
  derive?: DeriveSpec;
  /** JSON pointers into `body` of keys the contract does not define, sent on purpose (otherwise a load error). */
  undefinedKeys?: string[];
}

/** What a derived case takes from the first answer. */
export interface DeriveSpec {
  /** Stop sequences chosen from the first answer's text (the first request omits `stop`): one is sent as a string. */
  stop: { sequences: number };
}

export interface CaseSpec {
  id: string;
  title: string;
  /** cases/… path, for the report's "go to the case" link. */
  file: string;
  operation: OperationId;
  requirement: string;
  level: Level;
  seed: string;
  profiles: ProfileName[];
  /** Optional features (src/features.ts) the case exercises. */
  needs: string[];
  /** The outcome depends on the model: run k times and report the pass rate. */
  repeat: boolean;
  request: RequestSpec;
  expect: CheckSpec[];
}

export interface RecordedRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: unknown;
  bodyText?: string;
  /** Multipart bodies are recorded as their fields and file names and sizes, not their bytes. */
  multipart?: { fields: Record<string, string>; files: Record<string, { filename: string; contentType: string; bytes: number }> };
}

export interface RecordedResponse {
  status: number;
  headers: Record<string, string>;
  /** Body decoded as UTF-8 (truncated for the report when very large). */
  bodyText: string;
  bodyBytes: number;
  truncated: boolean;
  /** The body broke off (timeout, reset) before it ended: why. What arrived is in bodyText. */
  incomplete?: string;
  /** The body is not valid UTF-8 (JSON must be, RFC 8259 §8.1); bodyText shows U+FFFD where bytes were invalid. */
  invalidUtf8?: boolean;
  /** Parsed JSON when the body is JSON; undefined otherwise. */
  json?: unknown;
  jsonError?: string;
  /** Present when the response was text/event-stream: the parsed events and the reader's diagnostics. */
  sse?: RecordedStream;
}

export interface RecordedStream {
  events: import('./sse/types.ts').SseEvent[];
  /** In a report: events left out of a long stream (the first ones and the last ones are kept). */
  eventsNotShown?: { from: number; count: number };
  diagnostics: import('./sse/types.ts').SseDiagnostics;
  timings: import('./sse/types.ts').SseTimings;
  end: import('./sse/types.ts').SseEnd;
}

export interface Exchange {
  request: RecordedRequest;
  response?: RecordedResponse;
  /** Transport failure (refused, reset, timeout…) when there is no complete response. */
  transportError?: string;
  timings: { startedAt: number; headersMs?: number; totalMs: number };
  /**
   * Every attempt, in the order sent, when there was more than one: the verdict is the first attempt's unless
   * `outcome` says why another was sent (a 429 waited out, a keep-alive race, a replay after an outage).
   */
  attempts?: Attempt[];
  /** What the target-health monitor learnt from this request (e.g. the target stopped answering after it). */
  health?: { role: string; note: string };
  /** A derived case's first request, whose answer this one was built from (src/engine/derive.ts). */
  derivedFrom?: Exchange;
  /** Why a derived case's real request could not be built: this exchange is then the first request's. */
  underivable?: string;
}

export interface Attempt {
  /** `judged` for the attempt the checks saw; otherwise why another attempt followed. */
  outcome: string;
  status?: number;
  bodyBytes?: number;
  transportError?: string;
  timings: Exchange['timings'];
  waitMs?: number;
  waitSource?: string;
}

export interface CheckResult {
  /** Stable within a run: `<case id>/<check>[#n]`. */
  id: string;
  check: string;
  requirement: string;
  level: Level;
  status: Status;
  expected: unknown;
  actual: unknown;
  message: string;
}

export interface CaseResult {
  id: string;
  title: string;
  file: string;
  operation: OperationId;
  profile: ProfileName;
  requirement: string;
  requirements: string[];
  level: Level;
  seed: string;
  status: Status;
  skipReason?: string;
  /** Why the case produced no checks when it errored outside the engine (a bug of the suite). */
  runError?: string;
  /** Why the engine did not judge the case (the target stopped answering, the run was interrupted): status error. */
  notJudged?: string;
  checks: CheckResult[];
  exchange?: Exchange;
  /** For `repeat: true` cases: how many runs there were and how many passed. */
  repeat?: { runs: number; passed: number };
  durationMs: number;
}
