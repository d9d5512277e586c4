/**
 * What a report keeps of a case: redacted, and bounded, so that a full run with failures stays small enough to
 * open and to upload from CI. The checks have already seen everything; the report keeps at most
 * ARTIFACT_LIMITS of any one thing, and says what it cut and how much (docs/results-json.md#bounded-artifacts).
 */
import type { CheckResult, Exchange, RecordedResponse } from '../model.ts';
import type { Redactor } from '../redact.ts';

export const ARTIFACT_LIMITS = {
  /** Characters of one response body (requests are the suite's own and kept whole). */
  bodyChars: 8 * 1024,
  /** The parsed JSON of a response is kept beside its text only when the text is this short. */
  parsedJsonChars: 4 * 1024,
  /** Stream events: the first and the last ones are kept. */
  firstEvents: 40,
  lastEvents: 10,
  /** Characters of one stream event's data. */
  eventDataChars: 1024,
  /** Characters of a check's expected or actual value, as JSON. */
  checkValueChars: 2 * 1024,
} as const;

export function redactExchange(exchange: Exchange, redactor: Redactor): Exchange {
  return {
    request: {
      ...exchange.request,
      url: redactor.text(exchange.request.url),
      headers: redactor.headers(exchange.request.headers),
      // The request is the suite's own (bounded by its cases) and its curl must reproduce it: it is kept whole.
      body: redactor.requestBody(exchange.request.body),
      bodyText: exchange.request.bodyText === undefined ? undefined : redactor.text(exchange.request.bodyText),
      multipart: exchange.request.multipart && redactor.requestBody(exchange.request.multipart),
    },
    response: exchange.response && boundedResponse(exchange.response, redactor),
    transportError: exchange.transportError && redactor.text(exchange.transportError),
    timings: exchange.timings,
    ...(exchange.attempts ? { attempts: exchange.attempts.map((a) => ({ ...a, ...(a.transportError ? { transportError: redactor.text(a.transportError) } : {}) })) } : {}),
    ...(exchange.health ? { health: exchange.health } : {}),
    ...(exchange.derivedFrom ? { derivedFrom: redactExchange(exchange.derivedFrom, redactor) } : {}),
    ...(exchange.underivable !== undefined ? { underivable: redactor.text(exchange.underivable) } : {}),
  };
}

function boundedResponse(response: RecordedResponse, redactor: Redactor): RecordedResponse {
  const { sse, json, ...rest } = response;
  const text = redactor.text(response.bodyText);
  return {
    ...rest,
    headers: redactor.headers(response.headers),
    bodyText: cut(text, ARTIFACT_LIMITS.bodyChars),
    // The text already shows a large body; its parsed twin would only double it.
    ...(json !== undefined && response.bodyText.length <= ARTIFACT_LIMITS.parsedJsonChars ? { json: redactor.value(json) } : {}),
    ...(sse ? { sse: redactor.value(boundedStream(sse)) } : {}),
  };
}

function boundedStream(sse: NonNullable<RecordedResponse['sse']>): NonNullable<RecordedResponse['sse']> {
  const { firstEvents, lastEvents, eventDataChars } = ARTIFACT_LIMITS;
  const all = sse.events;
  const kept = all.length > firstEvents + lastEvents ? [...all.slice(0, firstEvents), ...all.slice(-lastEvents)] : all;
  return {
    ...sse,
    events: kept.map((e) => (e.data.length > eventDataChars ? { ...e, data: cut(e.data, eventDataChars) } : e)),
    ...(kept.length < all.length ? { eventsNotShown: { from: firstEvents, count: all.length - kept.length } } : {}),
  };
}

/** A check's expected and actual values, each at most checkValueChars as JSON. */
export function boundedChecks(checks: CheckResult[]): CheckResult[] {
  return checks.map((c) => ({ ...c, expected: boundedValue(c.expected, ARTIFACT_LIMITS.checkValueChars), actual: boundedValue(c.actual, ARTIFACT_LIMITS.checkValueChars) }));
}

/** A value kept as is when small; otherwise the start of its JSON text, saying how much was cut. */
function boundedValue(value: unknown, limit: number): unknown {
  if (value === undefined || value === null || typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'string') return cut(value, limit);
  const text = JSON.stringify(value);
  return text === undefined || text.length <= limit ? value : cut(text, limit);
}

export const CUT_MARKER = '… [cut:';

/** The first `limit` characters and a marker saying how many more there were. */
export function cut(text: string, limit: number): string {
  return text.length > limit ? `${text.slice(0, limit)}\n${CUT_MARKER} ${text.length - limit} more characters of ${text.length} not kept in the report]` : text;
}
