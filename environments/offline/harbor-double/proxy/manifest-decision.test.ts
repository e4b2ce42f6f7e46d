import { describe, expect, it } from 'vitest';
import { decideManifest, type DecisionInput } from './manifest-decision.ts';

const base: DecisionInput = {
  localDigest: undefined,
  byDigest: false,
  upstream: undefined,
  localOnNotFound: false,
  cachedIndex: false,
};
const decide = (input: Partial<DecisionInput>) => decideManifest({ ...base, ...input }, 'p/r', 'v1');
const error = (rateLimited = false) => ({ kind: 'error' as const, rateLimited, message: 'dial tcp: refused' });

describe('proxy manifest decision (UseLocalManifest, handleManifest)', () => {
  it('answers a digest pull of a cached artifact locally, without the upstream', () => {
    expect(decide({ localDigest: 'sha256:a', byDigest: true })).toEqual({ serve: 'local' });
  });

  it('falls back to the local handler on an upstream error, cached or not', () => {
    expect(decide({ localDigest: 'sha256:a', upstream: error() }).serve).toBe('fallback-local');
    expect(decide({ upstream: error() }).serve).toBe('fallback-local');
  });

  it('serves the cached copy on 429 and answers 429 without one', () => {
    expect(decide({ localDigest: 'sha256:a', upstream: error(true) })).toEqual({ serve: 'local' });
    expect(decide({ upstream: error(true) })).toEqual({ serve: 'too-many-requests' });
  });

  it('answers 404 for a tag gone upstream unless proxy_cache_local_on_not_found keeps the cached copy', () => {
    expect(decide({ localDigest: 'sha256:a', upstream: { kind: 'not-found' } })).toEqual({
      serve: 'not-found',
      message: 'resource not found: repo p/r, tag v1 not found',
    });
    expect(decide({ localDigest: 'sha256:a', upstream: { kind: 'not-found' }, localOnNotFound: true })).toEqual({
      serve: 'local',
    });
    expect(decide({ upstream: { kind: 'not-found' }, localOnNotFound: true }).serve).toBe('not-found');
  });

  it('serves locally only when the cached digest is the upstream one; a cached index wins', () => {
    const found = { kind: 'found' as const, digest: 'sha256:b' };
    expect(decide({ localDigest: 'sha256:b', upstream: found })).toEqual({ serve: 'local' });
    expect(decide({ localDigest: 'sha256:a', upstream: found })).toEqual({ serve: 'upstream' });
    expect(decide({ upstream: found, cachedIndex: true })).toEqual({ serve: 'cached-index' });
  });
});
