import { describe, expect, test } from 'vitest';
import { decidePull, thresholdOf, type ArtifactState, type Caller, type PolicySettings } from './pull-decision.ts';

const settings = (over: Partial<PolicySettings>): PolicySettings => ({
  name: 's',
  preventVul: false,
  cosign: false,
  notation: false,
  allowlist: { items: [], expired: false },
  ...over,
});
const artifact = (over: Partial<ArtifactState>): ArtifactState => ({
  name: 'a',
  scannable: true,
  signedBy: [],
  isSignature: false,
  isImageIndex: false,
  ...over,
});
const robot = (over: Partial<Caller> = {}): Caller => ({
  name: 'r',
  auth: 'bearer',
  push: false,
  scannerPull: false,
  userAgent: 'docker',
  ...over,
});
const high = {
  status: 'Success',
  findings: [
    { id: 'CVE-1', severity: 'High' as const },
    { id: 'CVE-2', severity: 'Low' as const },
  ],
};

describe('Harbor pull decision (v2.15.2 middleware order)', () => {
  test('cosign is checked before notation and before the vulnerability rules', () => {
    const both = settings({ cosign: true, notation: true, preventVul: true, severity: 'low' });
    expect(decidePull(both, artifact({}), robot()).message).toBe('The image is not signed by cosign.');
    expect(decidePull(both, artifact({ signedBy: ['cosign'] }), robot()).message).toBe(
      'The image is not signed by notation.',
    );
    expect(decidePull(both, artifact({ signedBy: ['cosign', 'notation'] }), robot()).rule).toBe('R5 unscanned');
  });
  test('a signer User-Agent exempts no one (GHSA-wrw5-gmvj-gf23 fixed); a scanner-pull token and a signature are exempt', () => {
    const cosign = settings({ cosign: true });
    expect(decidePull(cosign, artifact({}), robot({ push: true, userAgent: 'cosign/2' })).status).toBe(412);
    expect(decidePull(cosign, artifact({}), robot({ push: true, auth: 'basic', userAgent: 'cosign/2' })).status).toBe(
      412,
    );
    expect(decidePull(cosign, artifact({}), robot({ scannerPull: true })).status).toBe(200);
    expect(decidePull(cosign, artifact({}), robot({ scannerPull: true, auth: 'basic' })).status).toBe(412);
    expect(decidePull(cosign, artifact({ isSignature: true }), robot()).status).toBe(200);
  });
  test('thresholds are inclusive, allowlists remove findings unless expired', () => {
    expect(
      decidePull(settings({ preventVul: true, severity: 'high' }), artifact({ scan: high }), robot()).message,
    ).toMatch(/^current image with 2 vulnerabilities cannot be pulled .*"High" or higher/);
    expect(
      decidePull(settings({ preventVul: true, severity: 'critical' }), artifact({ scan: high }), robot()).status,
    ).toBe(200);
    expect(
      decidePull(
        settings({ preventVul: true, severity: 'high', allowlist: { items: ['CVE-1'], expired: false } }),
        artifact({ scan: high }),
        robot(),
      ).status,
    ).toBe(200);
    expect(
      decidePull(
        settings({ preventVul: true, severity: 'low', allowlist: { items: ['CVE-1'], expired: false } }),
        artifact({ scan: high }),
        robot(),
      ).message,
    ).toMatch(/with 1 vulnerability cannot/);
    expect(
      decidePull(
        settings({ preventVul: true, severity: 'high', allowlist: { items: ['CVE-1'], expired: true } }),
        artifact({ scan: high }),
        robot(),
      ).status,
    ).toBe(412);
  });
  test('unset severity is Unknown; negligible is None', () => {
    expect(thresholdOf(undefined)).toBe('Unknown');
    expect(thresholdOf('negligible')).toBe('None');
    expect(thresholdOf('HIGH')).toBe('High');
  });
});
