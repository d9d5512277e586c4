/** What a report keeps of an exchange: redacted, with very large bodies and long streams cut. */
import type { Exchange } from '../model.ts';
import type { Redactor } from '../redact.ts';

export function redactExchange(exchange: Exchange, redactor: Redactor): Exchange {
  return {
    request: {
      ...exchange.request,
      url: redactor.text(exchange.request.url),
      headers: redactor.headers(exchange.request.headers),
      body: redactor.requestBody(exchange.request.body),
      bodyText: exchange.request.bodyText === undefined ? undefined : redactor.text(exchange.request.bodyText),
      multipart: exchange.request.multipart && redactor.requestBody(exchange.request.multipart),
    },
    response: exchange.response && {
      ...exchange.response,
      headers: redactor.headers(exchange.response.headers),
      bodyText: redactor.text(truncateForReport(exchange.response.bodyText)),
      // The parsed body is kept only when small: the text above already shows a large one.
      json: exchange.response.bodyText.length <= REPORT_BODY_LIMIT ? redactor.value(exchange.response.json) : undefined,
      sse: exchange.response.sse && redactor.value({ ...exchange.response.sse, events: exchange.response.sse.events.slice(0, REPORT_EVENT_LIMIT) }),
    },
    transportError: exchange.transportError && redactor.text(exchange.transportError),
    timings: exchange.timings,
    ...(exchange.attempts ? { attempts: exchange.attempts.map((a) => ({ ...a, ...(a.transportError ? { transportError: redactor.text(a.transportError) } : {}) })) } : {}),
    ...(exchange.health ? { health: exchange.health } : {}),
    ...(exchange.derivedFrom ? { derivedFrom: redactExchange(exchange.derivedFrom, redactor) } : {}),
    ...(exchange.underivable !== undefined ? { underivable: redactor.text(exchange.underivable) } : {}),
  };
}

const REPORT_BODY_LIMIT = 64 * 1024;
/** Stream events kept in the report per case (checks see them all). */
const REPORT_EVENT_LIMIT = 200;
function truncateForReport(text: string): string {
  return text.length > REPORT_BODY_LIMIT ? `${text.slice(0, REPORT_BODY_LIMIT)}\n… [${text.length - REPORT_BODY_LIMIT} more characters not shown]` : text;
}
