// How vitest outcomes become verdicts, and when a check is skipped before it runs.
import { describe, expect, it } from 'vitest';
import type { Target } from '../lib/target.ts';
import type { CheckDefinition } from '../suites/check-definition.ts';
import { skipReasonFor } from '../suites/check-gate.ts';
import { verdictOf } from './check-result.ts';

const check: CheckDefinition = {
  id: 'SEC-001',
  title: 'admin password is not the default',
  suite: 'security-defaults',
  controls: ['NIST SP 800-190 4.2.3'],
  mutating: false,
  remediation: 'Change the admin password.',
  caughtBy: ['default-admin-password'],
  expectWarn: false,
  timeoutMs: 120_000,
  cpuBound: false,
};
const meta = (warnings: Array<{ fact: string; source: string }> = []) => ({ check, warnings });

describe('verdictOf', () => {
  it('maps a passing check to passed, with its definition', () => {
    expect(
      verdictOf({ name: 'SEC-001 admin…', suiteFromFile: 'x', state: 'passed', meta: meta(), durationMs: 12.6 }),
    ).toEqual({
      id: 'SEC-001',
      title: 'admin password is not the default',
      suite: 'security-defaults',
      status: 'passed',
      reason: null,
      controls: ['NIST SP 800-190 4.2.3'],
      duration_ms: 13,
    });
  });

  it('maps a passing check with warnings to warn, the facts and sources as the reason', () => {
    const result = verdictOf({
      name: 'SEC-001',
      suiteFromFile: 'x',
      state: 'passed',
      meta: meta([
        {
          fact: 'any cosign signature counts as signed',
          source: 'goharbor/harbor src/server/middleware/contenttrust/contentrust.go@v2.15.x',
        },
        {
          fact: 'scanner down lets unscanned images through',
          source: 'goharbor/harbor src/server/middleware/vulnerable/vulnerable.go@v2.15.x',
        },
      ]),
    });
    expect(result.status).toBe('warn');
    expect(result.reason).toBe(
      'any cosign signature counts as signed (source: goharbor/harbor src/server/middleware/contenttrust/contentrust.go@v2.15.x); scanner down lets unscanned images through (source: goharbor/harbor src/server/middleware/vulnerable/vulnerable.go@v2.15.x)',
    );
  });

  it('maps a failure to failed with the first lines of the first error, redacted', () => {
    const result = verdictOf(
      {
        name: 'SEC-001',
        suiteFromFile: 'x',
        state: 'failed',
        meta: meta(),
        errors: [{ message: 'expected 401 for password hunter22\n  got 200\n\n- Expected\n+ Received\nlots of diff' }],
      },
      (text) => text.replaceAll('hunter22', '[REDACTED]'),
    );
    expect(result.status).toBe('failed');
    expect(result.reason).toBe('expected 401 for password [REDACTED] got 200');
  });

  it('keeps the skip reason the check gave, and calls an unrun check skipped', () => {
    expect(
      verdictOf({ name: 'SEC-001', suiteFromFile: 'x', state: 'skipped', note: 'no scanner', meta: meta() }),
    ).toMatchObject({ status: 'skipped', reason: 'no scanner' });
    expect(verdictOf({ name: 'SEC-001', suiteFromFile: 'x', state: 'pending', meta: meta() })).toMatchObject({
      status: 'skipped',
      reason: 'not run: the run ended before this check',
    });
  });

  it('falls back to the test name and file for a test written without defineCheck', () => {
    expect(verdictOf({ name: 'XYZ-009 something else', suiteFromFile: 'smoke', state: 'passed' })).toMatchObject({
      id: 'XYZ-009',
      title: 'something else',
      suite: 'smoke',
      controls: [],
    });
  });
});

describe('skipReasonFor', () => {
  const target = (mutating: boolean, scanner = true) =>
    ({
      kind: 'external',
      capabilities: { mutating, scanner, cosign: true, notation: true, faultInjection: false },
    }) as Target;

  it('skips a mutating check on a read-only target, saying how to allow it', () => {
    expect(skipReasonFor({ ...check, mutating: true }, target(false))).toBe(
      'mutating check skipped: the external target is read-only (allow changes with --allow-mutating)',
    );
    expect(skipReasonFor({ ...check, mutating: true }, target(true))).toBeUndefined();
  });

  it('skips a check whose capability is missing, naming it', () => {
    expect(skipReasonFor({ ...check, requires: ['scanner', 'faultInjection'] }, target(true, false))).toBe(
      'the external target lacks capability scanner, faultInjection',
    );
  });
});
