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
});
