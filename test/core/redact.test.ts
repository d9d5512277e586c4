import { describe, expect, it } from 'vitest';
import { REDACTED, Redactor } from '../../src/redact.ts';

describe('Redactor', () => {
  const r = new Redactor(['super-secret-key-123']);

  it('replaces a known secret anywhere in text, also URL- and JSON-escaped', () => {
    expect(r.text('key=super-secret-key-123&x=1')).toBe(`key=${REDACTED}&x=1`);
    const tricky = new Redactor(['a/b"c+d=secret']);
    expect(tricky.text(`u?k=${encodeURIComponent('a/b"c+d=secret')}`)).toBe(`u?k=${REDACTED}`);
    expect(tricky.text(JSON.stringify({ k: 'a/b"c+d=secret' }))).toBe(`{"k":"${REDACTED}"}`);
  });

  it('redacts credential headers whatever their value, keeping the scheme', () => {
    expect(r.headers({ 'api-key': 'anything', Authorization: 'Bearer xyz', 'content-type': 'application/json' })).toEqual({
      'api-key': REDACTED,
      Authorization: `Bearer ${REDACTED}`,
      'content-type': 'application/json',
    });
  });

  const body = { data_sources: [{ parameters: { authentication: { type: 'api_key', key: 'search-key-value' } } }, { parameters: { authentication: { connection_string: 'mongodb://u:p@h' } } }] };

  it('redacts secret-named request-body fields (On Your Data key, connection_string) at any depth', () => {
    const out = JSON.stringify(r.requestBody(body));
    expect(out).not.toContain('search-key-value');
    expect(out).not.toContain('mongodb://u:p@h');
    expect(out).toContain('"type":"api_key"');
  });

  it('treats the secrets of a request as known values, so a target echoing them is redacted too', () => {
    const echo = { error: { message: 'bad key search-key-value for mongodb://u:p@h' } };
    const out = JSON.stringify(r.withSecretsIn(body).value(echo));
    expect(out).not.toContain('search-key-value');
    expect(out).not.toContain('mongodb://u:p@h');
  });

  it('keeps response evidence whose field name merely looks secret (a logprobs token)', () => {
    const logprobs = { content: [{ token: 'Hello', logprob: -0.1 }] };
    expect(r.value(logprobs)).toEqual(logprobs);
  });

  it('does not treat very short values as secrets', () => {
    expect(new Redactor(['abc']).text('abcabc')).toBe('abcabc');
  });

  it('redacts a secret learnt during the run (a renewed token), also in the redactors derived before it was learnt', () => {
    const run = new Redactor(['first-token-abcdef']);
    const perCase = run.withSecretsIn({ data_sources: [{ parameters: { key: 'case-secret-123456' } }] });
    run.add('renewed-token-987654');
    expect(perCase.text('renewed-token-987654 first-token-abcdef case-secret-123456')).toBe(`${REDACTED} ${REDACTED} ${REDACTED}`);
  });

  it('redacts the headers named secret (gateway headers from the environment) whatever their value', () => {
    const gateway = new Redactor([], { headers: ['X-Gateway-Key'] });
    expect(gateway.headers({ 'x-gateway-key': 'abc', 'x-tenant': 'contoso' })).toEqual({ 'x-gateway-key': REDACTED, 'x-tenant': 'contoso' });
    expect(gateway.withSecretsIn({ key: 'some-body-key-value' }).headers({ 'x-gateway-key': 'abc' })).toEqual({ 'x-gateway-key': REDACTED });
  });
});
