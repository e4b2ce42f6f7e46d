import { describe, expect, it } from 'vitest';
import { NOT_SIGNED_BY_COSIGN, expectAllowed, expectRefused, showPulls, type PullOutcome } from './signed-pulls.ts';

const refusedGet: PullOutcome = { how: 'token', method: 'GET', reference: 'v1', status: 412, code: 'PROJECTPOLICYVIOLATION', message: NOT_SIGNED_BY_COSIGN };
const refusedHead: PullOutcome = { how: 'token', method: 'HEAD', reference: 'v1', status: 412, code: '', message: '' };
const allowed: PullOutcome = { how: 'token', method: 'GET', reference: 'v1', status: 200, code: '', message: '', digest: 'sha256:aa' };

describe('signed pulls', () => {
  it('accepts a 412 with the message on GET and a bare 412 on HEAD as refused', () => {
    expect(() => expectRefused([refusedGet, refusedHead], NOT_SIGNED_BY_COSIGN, 'x')).not.toThrow();
  });

  it('rejects a pull that got through, or a refusal with another message', () => {
    expect(() => expectRefused([refusedGet, allowed], NOT_SIGNED_BY_COSIGN, 'unsigned')).toThrow(/unsigned: expected 412[\s\S]*GET v1 → 200/);
    expect(() => expectRefused([{ ...refusedGet, message: 'other' }], NOT_SIGNED_BY_COSIGN, 'x')).toThrow(/412 PROJECTPOLICYVIOLATION: other/);
  });

  it('needs 200 and the expected digest for allowed pulls', () => {
    expect(() => expectAllowed([allowed], 'sha256:aa', 'x')).not.toThrow();
    expect(() => expectAllowed([allowed], 'sha256:bb', 'x')).toThrow(/expected 200 with sha256:bb/);
    expect(() => expectAllowed([refusedHead], 'sha256:aa', 'x')).toThrow();
  });

  it('shows one line per pull', () => {
    expect(showPulls([refusedGet, refusedHead])).toBe(`token GET v1 → 412 PROJECTPOLICYVIOLATION: ${NOT_SIGNED_BY_COSIGN}\ntoken HEAD v1 → 412`);
  });
});
