import { describe, expect, test } from 'vitest';
import { actionForMethod, challengeScope, classifyV2Path } from './v2-path.ts';

describe('classifyV2Path', () => {
  test.each([
    ['/v2/', { kind: 'login' }],
    ['/v2/_catalog', { kind: 'catalog' }],
    ['/v2/p/app/manifests/v1', { kind: 'manifest', repository: 'p/app', reference: 'v1' }],
    ['/v2/p/team/app/manifests/sha256:abc', { kind: 'manifest', repository: 'p/team/app', reference: 'sha256:abc' }],
    ['/v2/p/app/blobs/uploads/', { kind: 'blob-upload', repository: 'p/app', uploadId: undefined }],
    ['/v2/p/app/blobs/uploads/1234-abcd', { kind: 'blob-upload', repository: 'p/app', uploadId: '1234-abcd' }],
    ['/v2/p/app/blobs/sha256:abc', { kind: 'blob', repository: 'p/app', digest: 'sha256:abc' }],
    ['/v2/p/app/tags/list', { kind: 'tags', repository: 'p/app' }],
    ['/v2/p/app/referrers/sha256:abc', { kind: 'referrers', repository: 'p/app', digest: 'sha256:abc' }],
    ['/v2/P/app/manifests/v1', { kind: 'unknown' }],
  ])('%s', (path, expected) => expect(classifyV2Path(path)).toEqual(expected));
});

describe('actions and challenge scopes', () => {
  test('writes need push, shown to clients as pull,push', () => {
    expect(actionForMethod('PATCH')).toBe('push');
    expect(challengeScope('p/app', 'push')).toBe('repository:p/app:pull,push');
    expect(challengeScope('p/app', 'delete')).toBe('repository:p/app:delete');
    expect(actionForMethod('OPTIONS')).toBeUndefined();
  });
});
