import { describe, expect, it } from 'vitest';
import { parseChallenges, scopesFor } from './remote-registry-client.ts';

describe('remote registry client', () => {
  it('parses bearer and basic challenges', () => {
    const c = parseChallenges([
      'Bearer realm="http://h/service/token",service="harbor-registry",scope="repository:a/b:pull"',
      'Basic realm="harbor"',
    ]);
    expect(c.get('bearer')).toEqual({
      realm: 'http://h/service/token',
      service: 'harbor-registry',
      scope: 'repository:a/b:pull',
    });
    expect(c.get('basic')).toEqual({ realm: 'harbor' });
    expect(parseChallenges(undefined).size).toBe(0);
  });

  it('asks for the scopes Harbor asks for', () => {
    expect(scopesFor('HEAD', '/v2/p/app/manifests/v1')).toEqual(['repository:p/app:pull']);
    expect(scopesFor('PUT', '/v2/p/app/manifests/v1')).toEqual(['repository:p/app:pull,push']);
    expect(scopesFor('DELETE', '/v2/p/app/manifests/sha256:ab')).toEqual(['repository:p/app:*']);
    expect(scopesFor('POST', '/v2/p/app/blobs/uploads/?mount=sha256:a&from=q/x')).toEqual([
      'repository:q/x:pull',
      'repository:p/app:pull,push',
    ]);
    expect(scopesFor('GET', '/v2/p/app/tags/list')).toEqual(['repository:p/app:pull']);
    expect(scopesFor('GET', '/v2/_catalog?n=1000')).toEqual(['registry:catalog:*']);
    expect(scopesFor('GET', '/v2/')).toEqual([]);
    expect(scopesFor('PUT', '/v2/p/app/blobs/uploads/3f2a?_state=x&digest=sha256:ab')).toEqual([
      'repository:p/app:pull,push',
    ]);
  });
});
