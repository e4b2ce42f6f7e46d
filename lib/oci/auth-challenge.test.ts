import { describe, expect, it } from 'vitest';
import { findChallenge, parseWwwAuthenticate } from './auth-challenge.ts';

describe('WWW-Authenticate parsing', () => {
  it('parses Harbor’s bearer challenge', () => {
    const header =
      'Bearer realm="https://harbor.example/service/token",service="harbor-registry",scope="repository:p1/app:pull,push"';
    expect(parseWwwAuthenticate(header)).toEqual([
      {
        scheme: 'bearer',
        params: {
          realm: 'https://harbor.example/service/token',
          service: 'harbor-registry',
          scope: 'repository:p1/app:pull,push',
        },
      },
    ]);
  });

  it('parses Basic, unquoted values, escapes, error params and several challenges', () => {
    expect(parseWwwAuthenticate('Basic realm="harbor"')).toEqual([{ scheme: 'basic', params: { realm: 'harbor' } }]);
    expect(parseWwwAuthenticate('Bearer realm=http://h/t, service=reg')).toEqual([
      { scheme: 'bearer', params: { realm: 'http://h/t', service: 'reg' } },
    ]);
    expect(parseWwwAuthenticate('Bearer realm="a\\"b",error="insufficient_scope"')[0]?.params).toEqual({
      realm: 'a"b',
      error: 'insufficient_scope',
    });
    const both = parseWwwAuthenticate(
      'Basic realm="r1", Bearer realm="http://h/token",service="s",scope="repository:a:pull repository:b:pull"',
    );
    expect(both.map((c) => c.scheme)).toEqual(['basic', 'bearer']);
    expect(findChallenge('Basic realm="r1", Bearer realm="x"', 'bearer')?.params.realm).toBe('x');
    expect(findChallenge(undefined, 'basic')).toBeUndefined();
    expect(both[1]?.params.scope?.split(' ')).toEqual(['repository:a:pull', 'repository:b:pull']);
  });
});
