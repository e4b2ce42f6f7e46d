// Harbor's pull decision as a table (pull-decision.ts: rules R1-R8 from the manifest middleware order),
// probed against the target on every combination of settings, artifact state, caller and request that can differ.
import { defineCatalog } from '../check-definition.ts';

export const catalog = defineCatalog('pull-policy', {
  contentTrust: {
    id: 'PULL-001',
    title:
      'content trust (cosign, notation, both) refuses exactly the unsigned pulls Harbor refuses, with its message, for every caller and request',
    controls: ['NIST SP 800-190 4.1.5', 'SLSA v1.0 Build L2', 'NIST SP 800-53 SI-7'],
    mutating: true,
    requires: ['scanner', 'cosign', 'notation'],
    evidence: [
      'the table of settings × artifact × caller × request with expected and actual answer',
      'differing cells',
    ],
    remediation:
      "Unsigned images are pulled (or signed ones refused) against the project's content-trust setting: upgrade Harbor and check that every pull goes through harbor-core, never a proxy cache or distribution directly.",
    caughtBy: ['content-trust-head-not-enforced', 'GHSA-wrw5-gmvj-gf23'],
    timeoutMs: 600_000,
  },
  vulnerabilityPrevention: {
    id: 'PULL-002',
    title:
      'prevent_vul refuses exactly what Harbor refuses at each threshold, with CVE allowlists (project, expired, system), for every caller and request',
    controls: ['NIST SP 800-190 4.1.1', 'NIST SP 800-53 RA-5', 'NIST SP 800-53 SI-2'],
    mutating: true,
    requires: ['scanner', 'cosign', 'notation'],
    evidence: [
      'the table of settings × artifact × caller × request with expected and actual answer',
      'differing cells',
    ],
    remediation:
      "Vulnerable or unscanned images are pulled past prevent_vul (or clean ones refused): upgrade Harbor, keep the scanner reachable from core, and review the allowlists' expiry.",
    caughtBy: ['severity-threshold-exclusive', 'scan-error-allows-pull', 'GHSA-wrw5-gmvj-gf23'],
    timeoutMs: 600_000,
  },
});
