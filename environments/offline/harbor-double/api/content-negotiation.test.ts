import { describe, expect, it } from 'vitest';
import { negotiateContentType, unsupportedMediaTypeMessage } from './content-negotiation.ts';

// GET /api/v2.0/ping of real Harbor v2.15.2 (built from goharbor/harbor, probed with curl) offers [text/plain application/json]
const PING = ['text/plain', 'application/json'];

describe('negotiateContentType (go-openapi, as real Harbor answers /ping)', () => {
  it.each([
    [undefined, 'text/plain'],
    ['*/*', 'text/plain'],
    ['text/plain', 'text/plain'],
    ['application/json', 'application/json'],
    // a tie goes to the earlier offer, not to the earlier Accept entry
    ['application/json, text/plain', 'text/plain'],
    ['text/plain, application/json', 'text/plain'],
    ['application/json, text/plain;q=0.5', 'application/json'],
    ['application/*', 'application/json'],
    ['text/plain;q=0, */*', 'text/plain'],
  ])('Accept %s → %s', (accept, expected) => {
    expect(negotiateContentType(accept, PING)).toBe(expected);
  });

  it('finds nothing for a type Harbor does not offer', () => {
    expect(negotiateContentType('text/html', PING)).toBeUndefined();
    expect(negotiateContentType('application/xml', PING)).toBeUndefined();
  });

  it('words the 422 message as go-openapi does', () => {
    expect(unsupportedMediaTypeMessage(PING)).toBe(
      'validation failure list:\nunsupported media type requested, only [text/plain application/json] are available',
    );
  });
});
