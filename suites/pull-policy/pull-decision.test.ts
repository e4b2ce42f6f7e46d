import { describe, expect, test } from 'vitest';
import {
  decidePull as decide,
  harborReleaseOf,
  indexScanOf,
  thresholdOf,
  type ArtifactState,
  type Caller,
  type PolicySettings,
} from './pull-decision.ts';

const v2152 = harborReleaseOf('v2.15.2-abc');
const decidePull = (s: PolicySettings, a: ArtifactState, c: Caller) => decide(s, a, c, v2152);
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
  test('a push token with a signer User-Agent is exempt, basic auth never', () => {
    const cosign = settings({ cosign: true });
    expect(decidePull(cosign, artifact({}), robot({ push: true, userAgent: 'cosign/2' })).status).toBe(200);
    expect(decidePull(cosign, artifact({}), robot({ push: true, auth: 'basic', userAgent: 'cosign/2' })).status).toBe(
      412,
    );
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
  test('an index with every child reported is allowed (R6); one unreported child leaves it unscanned (R5)', () => {
    const low = settings({ preventVul: true, severity: 'low' });
    const scanned = indexScanOf([high, { status: 'Success', findings: [] }]);
    expect(scanned?.status).toBe('Success');
    expect(decidePull(low, artifact({ isImageIndex: true, scan: scanned }), robot()).rule).toBe('R6 image index');
    const partial = indexScanOf([high, undefined]);
    expect(partial).toBeUndefined();
    expect(decidePull(low, artifact({ isImageIndex: true, scan: partial }), robot()).rule).toBe('R5 unscanned');
    expect(indexScanOf([{ status: 'Error', findings: [] }, high])?.status).toBe('Success');
    expect(
      indexScanOf([
        { status: 'Error', findings: [] },
        { status: 'Running', findings: [] },
      ])?.status,
    ).toBe('Running');
    expect(
      indexScanOf([
        { status: 'Pending', findings: [] },
        { status: 'Error', findings: [] },
      ])?.status,
    ).toBe('Error');
  });
  test('a scan that did not succeed refuses with its status (R7), unless exempt', () => {
    const error = artifact({ scan: { status: 'Error', findings: [] } });
    expect(decidePull(settings({ preventVul: true, severity: 'critical' }), error, robot()).message).toBe(
      'current image with "Error" status of vulnerability scanning cannot be pulled due to configured policy in \'Prevent images with vulnerability severity of "Critical" or higher from running.\' To continue with pull, please contact your project administrator for help.',
    );
    expect(
      decidePull(settings({ preventVul: true }), error, robot({ push: true, userAgent: 'notation-go/1' })).status,
    ).toBe(200);
  });
  test('since the GHSA-wrw5-gmvj-gf23 fix a signer User-Agent exempts from neither policy', () => {
    const fixed = harborReleaseOf('v2.15.3-double');
    expect(fixed.signerUserAgentExempt).toBe(false);
    expect(harborReleaseOf('v2.14.4').signerUserAgentExempt).toBe(true);
    expect(harborReleaseOf('v2.14.5').signerUserAgentExempt).toBe(false);
    expect(harborReleaseOf('v2.13.5-1').signerUserAgentExempt).toBe(true);
    const signer = robot({ push: true, userAgent: 'cosign/2' });
    expect(decide(settings({ cosign: true }), artifact({}), signer, fixed).status).toBe(412);
    expect(decide(settings({ preventVul: true }), artifact({}), signer, fixed).rule).toBe('R5 unscanned');
    expect(decide(settings({ cosign: true }), artifact({ isSignature: true }), signer, fixed).status).toBe(200);
  });
  test('unset severity is Unknown; negligible is None', () => {
    expect(thresholdOf(undefined)).toBe('Unknown');
    expect(thresholdOf('negligible')).toBe('None');
    expect(thresholdOf('HIGH')).toBe('High');
  });
});
