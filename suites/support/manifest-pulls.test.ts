import { describe, expect, it } from 'vitest';
import { expectAllowed, expectRefused, showPulls, type PullOutcome } from './manifest-pulls.ts';

const MESSAGE = 'The image is not signed by cosign.';
const refusedGet: PullOutcome = {
  how: 'token',
  method: 'GET',
  reference: 'v1',
  status: 412,
  code: 'PROJECTPOLICYVIOLATION',
  message: MESSAGE,
};
const refusedHead: PullOutcome = { how: 'token', method: 'HEAD', reference: 'v1', status: 412, code: '', message: '' };
const allowed: PullOutcome = {
  how: 'token',
  method: 'GET',
  reference: 'v1',
  status: 200,
  code: '',
  message: '',
  digest: 'sha256:aa',
};

describe('manifest pulls', () => {
  it('accepts a 412 with the message on GET and a bare 412 on HEAD as refused', () => {
    expect(() => expectRefused([refusedGet, refusedHead], MESSAGE, 'x')).not.toThrow();
    expect(() => expectRefused([refusedGet, refusedHead], /not signed by (cosign|notation)/, 'x')).not.toThrow();
  });

  it('holds HEAD to the same status as GET: a HEAD that answers 200 is not refused', () => {
    expect(() => expectRefused([refusedGet, { ...refusedHead, status: 200 }], MESSAGE, 'head')).toThrow(
      /head: expected 412[\s\S]*HEAD v1 → 200/,
    );
  });

  it('rejects a pull that got through, a refusal with another message or another code', () => {
    expect(() => expectRefused([refusedGet, allowed], MESSAGE, 'unsigned')).toThrow(
      /unsigned: expected 412[\s\S]*GET v1 → 200/,
    );
    expect(() => expectRefused([{ ...refusedGet, message: 'other' }], MESSAGE, 'x')).toThrow(
      /412 PROJECTPOLICYVIOLATION: other/,
    );
    expect(() => expectRefused([{ ...refusedGet, message: 'other' }], /^The image/, 'x')).toThrow();
    expect(() => expectRefused([{ ...refusedGet, code: 'DENIED' }], MESSAGE, 'x')).toThrow(/412 DENIED/);
  });

  it('needs 200 and the expected digest for allowed pulls', () => {
    expect(() => expectAllowed([allowed], 'sha256:aa', 'x')).not.toThrow();
    expect(() => expectAllowed([allowed], 'sha256:bb', 'x')).toThrow(/expected 200 with sha256:bb/);
    expect(() => expectAllowed([refusedHead], 'sha256:aa', 'x')).toThrow();
  });

  it('shows one line per pull', () => {
    expect(showPulls([refusedGet, refusedHead])).toBe(
      `token GET v1 → 412 PROJECTPOLICYVIOLATION: ${MESSAGE}\ntoken HEAD v1 → 412`,
    );
  });
});
