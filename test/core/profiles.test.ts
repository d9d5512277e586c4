import { describe, expect, it } from 'vitest';
import { authHeaders, keyScheme, operationUrl, WRONG_KEY } from '../../src/profiles.ts';

describe('operationUrl', () => {
  it('builds the azure-openai deployment URL with api-version', () => {
    expect(operationUrl({ profile: 'azure-openai', endpoint: 'https://r.openai.azure.com/', operation: 'chat.completions', deployment: 'gpt 4', apiVersion: '2024-06-01' })).toBe(
      'https://r.openai.azure.com/openai/deployments/gpt%204/chat/completions?api-version=2024-06-01',
    );
  });

  it('omits api-version when asked', () => {
    expect(operationUrl({ profile: 'azure-openai', endpoint: 'http://h', operation: 'embeddings', deployment: 'd' })).toBe('http://h/openai/deployments/d/embeddings');
  });

  it('builds the model-inference URL', () => {
    expect(operationUrl({ profile: 'model-inference', endpoint: 'https://m.inference.ai.azure.com', operation: 'completions', deployment: 'x', apiVersion: '2024-04-01-preview' })).toBe(
      'https://m.inference.ai.azure.com/completions?api-version=2024-04-01-preview',
    );
  });

  it('adds /v1 for the openai profile unless the endpoint already ends with it', () => {
    expect(operationUrl({ profile: 'openai', endpoint: 'http://h:8000', operation: 'completions', deployment: 'm' })).toBe('http://h:8000/v1/completions');
    expect(operationUrl({ profile: 'openai', endpoint: 'http://h:8000/v1/', operation: 'audio.translations', deployment: 'm' })).toBe('http://h:8000/v1/audio/translations');
  });
});

describe('authHeaders', () => {
  it('uses api-key for azure-openai and Bearer for the others', () => {
    expect(authHeaders(keyScheme('azure-openai'), 'default', 'k')).toEqual({ 'api-key': 'k' });
    expect(authHeaders(keyScheme('openai'), 'default', 'k')).toEqual({ authorization: 'Bearer k' });
    expect(authHeaders(keyScheme('model-inference'), undefined, 'k')).toEqual({ authorization: 'Bearer k' });
  });

  it('sends nothing for none, a fixed wrong key for wrong', () => {
    expect(authHeaders('api-key', 'none', 'k')).toEqual({});
    expect(authHeaders('api-key', 'wrong', 'k')).toEqual({ 'api-key': WRONG_KEY });
  });
});
