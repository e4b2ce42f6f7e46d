// Harbor's own published security advisories, as data: one entry per advisory, evaluated by
// harbor-version.ts against the version a target reports. Summaries are written here, not copied.
//
// Sources, in order of authority:
//  - Harbor's release notes ("Security Advisories" section), e.g.
//    https://github.com/goharbor/harbor/releases/tag/v2.15.3 (also v2.14.5, v2.13.6, published 2026-10-06);
//  - Harbor's advisories https://github.com/goharbor/harbor/security/advisories/<GHSA> and the reviewed
//    copies in the GitHub Advisory Database https://github.com/advisories/<GHSA> (affected ranges, CVSS vectors).
// `confirmed` says which fields a primary source states; everything else is marked in `unconfirmed`.

export type AdvisorySeverity = 'low' | 'medium' | 'high' | 'critical';

export interface HarborAdvisory {
  /** Stable check id of the advisories suite. */
  checkId: string;
  /** Harbor's own advisory id (goharbor/harbor/security/advisories/...). */
  ghsa: string;
  /** The GitHub Advisory Database id when it differs from Harbor's own (older advisories were re-published). */
  databaseGhsa?: string;
  cve: string | null;
  severity: AdvisorySeverity;
  /** CVSS v3.1 vector and base score, where a source states them. */
  cvss: { vector: string | null; score: number | null };
  /** semver ranges of affected Harbor versions, one per release line where known. */
  affected: readonly string[];
  /** First fixed version per release line; empty when Harbor ships no fix. */
  fixed: readonly string[];
  published: string;
  /** One line, in our words. */
  summary: string;
  /** What the operator does about it (beyond "upgrade to the fixed version", which the check adds). */
  remediation: string;
  source: string;
  /** Fields a primary source does not state (ranges inferred, CVSS from a third party, ...). */
  unconfirmed?: string;
}

const GH = 'https://github.com/goharbor/harbor/security/advisories/';
const DB = 'https://github.com/advisories/';

/** The 2026-10-06 security release: fixed in 2.13.6, 2.14.5 and 2.15.3 (and 2.16.0). */
const OCT_2026_AFFECTED = ['<2.13.6', '>=2.14.0 <2.14.5', '>=2.15.0 <2.15.3'] as const;
const OCT_2026_FIXED = ['2.13.6', '2.14.5', '2.15.3'] as const;
const OCT_2026_RANGE_NOTE =
  'affected ranges inferred from the fixed versions in the release notes (earliest affected version not stated there)';

/** The 2022 permission-validation fixes: 1.10.13, 2.4.3, 2.5.2. */
const AUG_2022_AFFECTED = ['>=1.0.0 <1.10.13', '>=2.0.0 <2.4.3', '>=2.5.0 <2.5.2'] as const;
const AUG_2022_FIXED = ['1.10.13', '2.4.3', '2.5.2'] as const;

/** 2019-12 fixes: 1.8.6 and 1.9.3. */
const DEC_2019_AFFECTED = ['>=1.7.0 <1.8.6', '>=1.9.0 <1.9.3'] as const;
const DEC_2019_FIXED = ['1.8.6', '1.9.3'] as const;

export const harborAdvisories: readonly HarborAdvisory[] = [
  // --- 2026-10-06: fixed in 2.13.6 / 2.14.5 / 2.15.3 ---
  {
    checkId: 'ADV-001',
    ghsa: 'GHSA-wrw5-gmvj-gf23',
    cve: null,
    severity: 'medium',
    cvss: { vector: null, score: null },
    affected: OCT_2026_AFFECTED,
    fixed: OCT_2026_FIXED,
    published: '2026-10-06',
    summary:
      'Any account with push on a project skipped the content-trust and vulnerability pull policies by sending a User-Agent containing "cosign" or "notation".',
    remediation:
      'After upgrading, leave CONTENT_TRUST_LEGACY_SIGNER_PULL_ENABLED unset on core unless signing unsigned images in place is required; until then treat push credentials as able to pull unsigned and blocked images.',
    source: `${GH}GHSA-wrw5-gmvj-gf23`,
    unconfirmed: `${OCT_2026_RANGE_NOTE}; CVSS not found`,
  },
  {
    checkId: 'ADV-002',
    ghsa: 'GHSA-qj39-pjf2-wmrc',
    cve: null,
    severity: 'high',
    cvss: { vector: null, score: 8.3 },
    affected: OCT_2026_AFFECTED,
    fixed: OCT_2026_FIXED,
    published: '2026-10-06',
    summary:
      'Dot segments in /v2/ paths were authorised against the repository as written but served after resolution, so manifests of other (private) projects could be read, pushed or deleted.',
    remediation:
      'Until upgraded, reject /v2/ requests whose path contains "/./", "/../" or "%2e" at the reverse proxy or ingress.',
    source: `${GH}GHSA-qj39-pjf2-wmrc`,
    unconfirmed: `${OCT_2026_RANGE_NOTE}; CVSS 8.3 from a third-party summary of the advisory`,
  },
  {
    checkId: 'ADV-003',
    ghsa: 'GHSA-w5fq-xrhj-j7g2',
    cve: null,
    severity: 'high',
    cvss: { vector: null, score: 7.2 },
    affected: OCT_2026_AFFECTED,
    fixed: OCT_2026_FIXED,
    published: '2026-10-06',
    summary: 'A system robot holding user:update could set the system-administrator flag of any user, itself included.',
    remediation:
      'Remove user:update from system robots that do not need it and rotate their secrets; review who holds the sysadmin flag.',
    source: `${GH}GHSA-w5fq-xrhj-j7g2`,
    unconfirmed: `${OCT_2026_RANGE_NOTE}; CVSS 7.2 from a third-party summary of the advisory`,
  },
  {
    checkId: 'ADV-004',
    ghsa: 'GHSA-xq2m-cj8w-56v5',
    cve: null,
    severity: 'high',
    cvss: { vector: null, score: 7.2 },
    affected: OCT_2026_AFFECTED,
    fixed: OCT_2026_FIXED,
    published: '2026-10-06',
    summary:
      "A system robot covering all projects with a project-resource permission got it as a global wildcard, including the ungrantable robot:update, and could take over other projects' robots.",
    remediation:
      'Remove project permissions from "cover all projects" robots, grant the specific resources instead, and rotate those robots\' secrets.',
    source: `${GH}GHSA-xq2m-cj8w-56v5`,
    unconfirmed: `${OCT_2026_RANGE_NOTE}; CVSS 7.2 from a third-party summary of the advisory`,
  },
  {
    checkId: 'ADV-005',
    ghsa: 'GHSA-xvh7-74g6-29xw',
    cve: null,
    severity: 'high',
    cvss: { vector: null, score: 7.5 },
    affected: OCT_2026_AFFECTED,
    fixed: OCT_2026_FIXED,
    published: '2026-10-06',
    summary:
      'Under http_auth, an identity from the authentication proxy named like a local system administrator (e.g. "admin") was treated as sysadmin on /v2/.',
    remediation:
      'Do not let the identity provider issue the user name "admin" (or any local sysadmin name); after upgrading, list proxy admins in http_authproxy_admin_usernames/groups.',
    source: `${GH}GHSA-xvh7-74g6-29xw`,
    unconfirmed: `${OCT_2026_RANGE_NOTE}; CVSS 7.5 from a third-party summary of the advisory`,
  },
  {
    checkId: 'ADV-006',
    ghsa: 'GHSA-27f2-qg57-2gwg',
    cve: null,
    severity: 'medium',
    cvss: { vector: null, score: null },
    affected: OCT_2026_AFFECTED,
    fixed: OCT_2026_FIXED,
    published: '2026-10-06',
    summary:
      'An immutable-tag rule with several repository or tag selectors was evaluated on its first selector only, so tags matched by the others could be overwritten.',
    remediation: 'Until upgraded, split multi-selector immutability rules into one rule per selector.',
    source: `${GH}GHSA-27f2-qg57-2gwg`,
    unconfirmed: `${OCT_2026_RANGE_NOTE}; CVSS not found`,
  },
  {
    checkId: 'ADV-007',
    ghsa: 'GHSA-2phj-cp9f-qq6w',
    cve: null,
    severity: 'high',
    cvss: { vector: null, score: 8.5 },
    affected: ['>=1.7.0 <2.13.6', '>=2.14.0 <2.14.5', '>=2.15.0 <2.15.3'],
    fixed: OCT_2026_FIXED,
    published: '2026-10-06',
    summary:
      'A project admin could point webhooks at internal, loopback, link-local or cloud-metadata addresses, and error responses surfaced in the execution log (SSRF).',
    remediation:
      'Restrict jobservice egress to real webhook targets and block 169.254.169.254; after upgrading keep HARBOR_ALLOW_PRIVATE_NETWORK_ACCESS unset unless every project admin is trusted.',
    source: `${GH}GHSA-2phj-cp9f-qq6w`,
    unconfirmed:
      'severity medium in the release notes, raised to high with CVSS 8.5 on 2026-10-07 per a third-party summary; range >=1.7.0 from a third-party write-up',
  },
  {
    checkId: 'ADV-008',
    ghsa: 'GHSA-884q-mjcg-86x4',
    cve: null,
    severity: 'medium',
    cvss: { vector: null, score: null },
    affected: OCT_2026_AFFECTED,
    fixed: OCT_2026_FIXED,
    published: '2026-10-06',
    summary:
      "Core's bearer-authorisation request to a scanner skipped TLS verification and read the whole response body.",
    remediation: 'Reach scanner adapters over a trusted network path until upgraded.',
    source: `${GH}GHSA-884q-mjcg-86x4`,
    unconfirmed: `${OCT_2026_RANGE_NOTE}; CVSS not found`,
  },
  {
    checkId: 'ADV-009',
    ghsa: 'GHSA-jw3v-7jvc-pfmx',
    cve: null,
    severity: 'medium',
    cvss: { vector: null, score: null },
    affected: OCT_2026_AFFECTED,
    fixed: OCT_2026_FIXED,
    published: '2026-10-06',
    summary:
      'Jobservice decompressed webhook error responses without a bound, so a hostile endpoint could exhaust its memory.',
    remediation: 'Restrict who can configure webhooks (project creation limited to admins) until upgraded.',
    source: `${GH}GHSA-jw3v-7jvc-pfmx`,
    unconfirmed: `${OCT_2026_RANGE_NOTE}; CVSS not found`,
  },
  {
    checkId: 'ADV-010',
    ghsa: 'GHSA-vwvv-675v-p6rr',
    cve: 'CVE-2026-92770',
    severity: 'medium',
    cvss: { vector: null, score: null },
    affected: OCT_2026_AFFECTED,
    fixed: OCT_2026_FIXED,
    published: '2026-10-06',
    summary:
      "The scanner registration's access_cred could be used as a query filter, letting a project admin infer the scanner credential character by character.",
    remediation: 'After upgrading, rotate the scanner adapter credentials if untrusted users could create projects.',
    source: `${GH}GHSA-vwvv-675v-p6rr`,
    unconfirmed: `${OCT_2026_RANGE_NOTE}; CVE id from a third-party summary; CVSS not found`,
  },
  {
    checkId: 'ADV-011',
    ghsa: 'GHSA-wjpm-hv5w-gxr6',
    cve: null,
    severity: 'medium',
    cvss: { vector: null, score: null },
    affected: OCT_2026_AFFECTED,
    fixed: OCT_2026_FIXED,
    published: '2026-10-06',
    summary:
      "Harbor's registry client followed the Location header of a chunked upload without checking it still pointed at the configured registry.",
    remediation:
      'Replicate only to registries you trust; note the v2.14.5 fix breaks push replication to AWS ECR until the next patch (goharbor/harbor#24113).',
    source: `${GH}GHSA-wjpm-hv5w-gxr6`,
    unconfirmed: `${OCT_2026_RANGE_NOTE}; CVSS not found`,
  },
  {
    checkId: 'ADV-012',
    ghsa: 'GHSA-xgp2-5vxg-rgh2',
    cve: null,
    severity: 'medium',
    cvss: { vector: null, score: null },
    affected: OCT_2026_AFFECTED,
    fixed: OCT_2026_FIXED,
    published: '2026-10-06',
    summary:
      "The replication client followed a remote registry's pagination Link header to any host, sending the registry credentials along (SSRF and credential disclosure).",
    remediation: 'Replicate only from registries you trust and rotate replication credentials of untrusted endpoints.',
    source: `${GH}GHSA-xgp2-5vxg-rgh2`,
    unconfirmed: `${OCT_2026_RANGE_NOTE}; CVSS not found`,
  },
  {
    checkId: 'ADV-013',
    ghsa: 'GHSA-3x7c-wf86-mjx6',
    cve: null,
    severity: 'low',
    cvss: { vector: null, score: null },
    affected: OCT_2026_AFFECTED,
    fixed: OCT_2026_FIXED,
    published: '2026-10-06',
    summary: 'When the auth-mode lookup failed, the security middleware carried on instead of refusing the request.',
    remediation: 'Keep the database reachable and monitored; upgrade.',
    source: `${GH}GHSA-3x7c-wf86-mjx6`,
    unconfirmed: `${OCT_2026_RANGE_NOTE}; CVSS not found`,
  },
  // --- no fix shipped ---
  {
    checkId: 'ADV-014',
    ghsa: 'GHSA-hj7x-hmf2-hc2p',
    cve: 'CVE-2026-4404',
    severity: 'critical',
    cvss: { vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:L', score: null },
    affected: ['>=0.0.0'],
    fixed: [],
    published: '2026-03-23',
    summary:
      "The installer's default admin password (Harbor12345) keeps working until someone changes it; nothing forces a change.",
    remediation:
      'Change the admin password (harbor_admin_password / harborAdminPassword) before exposing Harbor, and verify Harbor12345 is refused.',
    source: `${DB}GHSA-hj7x-hmf2-hc2p`,
    unconfirmed:
      'a GitHub Advisory Database entry (NVD CVE-2026-4404) rather than a Harbor advisory; no fixed version listed',
  },
  // --- earlier advisories (do not affect the 2.15 line; skipped there) ---
  {
    checkId: 'ADV-015',
    ghsa: 'GHSA-prh4-vhfh-24mj',
    cve: null,
    severity: 'medium',
    cvss: { vector: null, score: null },
    affected: ['>=2.13.0 <2.13.5', '>=2.14.0 <2.14.3'],
    fixed: ['2.13.5', '2.14.3', '2.15.0'],
    published: '2026-03-25',
    summary:
      'The LDAP password and OIDC client secret were written unredacted into the audit log of configuration updates.',
    remediation: 'Rotate the LDAP bind password and OIDC secret, and purge old configuration audit entries.',
    source: `${GH}GHSA-prh4-vhfh-24mj`,
    unconfirmed: 'ranges and fixed versions from a third-party advisory roster; not checked against the advisory page',
  },
  {
    checkId: 'ADV-016',
    ghsa: 'GHSA-h27m-3qw8-3pw8',
    cve: 'CVE-2025-30086',
    severity: 'medium',
    cvss: { vector: 'CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:N/A:N', score: 4.9 },
    affected: ['<2.12.4', '>=2.13.0 <2.13.1'],
    fixed: ['2.12.4', '2.13.1'],
    published: '2025-07-23',
    summary:
      'The q filter of GET /api/v2.0/users accepted any column, so an administrator could extract password hashes and salts (ORM leak).',
    remediation: 'Review administrator accounts; rotate local passwords if admin credentials may have been misused.',
    source: `${GH}GHSA-h27m-3qw8-3pw8`,
  },
  {
    checkId: 'ADV-017',
    ghsa: 'GHSA-f9vc-vf3r-pqqq',
    cve: 'CVE-2025-32019',
    severity: 'medium',
    cvss: { vector: 'CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:C/C:L/I:N/A:N', score: null },
    affected: ['<2.12.4', '>=2.13.0 <2.13.1'],
    fixed: ['2.12.4', '2.13.1'],
    published: '2025-07-23',
    summary: "Repository descriptions could carry script that ran in other users' browsers (stored XSS).",
    remediation: 'Review repository descriptions for injected markup.',
    source: `${GH}GHSA-f9vc-vf3r-pqqq`,
    unconfirmed:
      'the database lists pseudo-version ranges and the advisory text names 2.11.3/2.12.3 as patched: ranges simplified to the 2.12.4/2.13.1 fixes',
  },
  {
    checkId: 'ADV-018',
    ghsa: 'GHSA-hw28-333w-qxp3',
    cve: 'CVE-2024-22278',
    severity: 'high',
    cvss: { vector: 'CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:C/C:L/I:L/A:N', score: null },
    affected: ['<2.9.5', '>=2.10.0 <2.10.3'],
    fixed: ['2.9.5', '2.10.3', '2.11.0'],
    published: '2024-07-31',
    summary:
      'A project maintainer could create, change or delete project metadata (configuration) through the metadatas API.',
    remediation: 'Review project configurations changed by maintainers.',
    source: `${GH}GHSA-hw28-333w-qxp3`,
    unconfirmed: 'severity high in the database, medium in the advisory text',
  },
  {
    checkId: 'ADV-019',
    ghsa: 'GHSA-vw63-824v-qf2j',
    cve: 'CVE-2024-22261',
    severity: 'low',
    cvss: { vector: null, score: null },
    affected: ['>=2.8.1 <2.8.6', '>=2.9.0 <2.9.4', '>=2.10.0 <2.10.2'],
    fixed: ['2.8.6', '2.9.4', '2.10.2'],
    published: '2024-05-31',
    summary: 'SQL injection through the scan log / job API filters.',
    remediation: 'Upgrade.',
    source: `${GH}GHSA-vw63-824v-qf2j`,
    unconfirmed: 'ranges from a third-party advisory roster',
  },
  {
    checkId: 'ADV-020',
    ghsa: 'GHSA-5757-v49g-f6r7',
    cve: 'CVE-2024-22244',
    severity: 'medium',
    cvss: { vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:L/I:N/A:N', score: null },
    affected: ['<2.8.5', '>=2.9.0 <2.9.3', '>=2.10.0 <2.10.1'],
    fixed: ['2.8.5', '2.9.3', '2.10.1'],
    published: '2024-06-02',
    summary:
      'Under OIDC, the redirect_url after login was not constrained, so a crafted login link sent users to any site (open redirect).',
    remediation: 'Upgrade.',
    source: `${GH}GHSA-5757-v49g-f6r7`,
  },
  {
    checkId: 'ADV-021',
    ghsa: 'GHSA-mq6f-5xh5-hgcf',
    cve: 'CVE-2023-20902',
    severity: 'medium',
    cvss: { vector: 'CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:N', score: null },
    affected: ['<1.10.18', '>=2.0.0 <2.7.3', '>=2.8.0 <2.8.3'],
    fixed: ['1.10.18', '2.7.3', '2.8.3'],
    published: '2023-10-10',
    summary: 'Jobservice compared its shared secret in non-constant time, exposing it to a timing attack.',
    remediation: 'Rotate the jobservice secret after upgrading.',
    source: `${GH}GHSA-mq6f-5xh5-hgcf`,
  },
  {
    checkId: 'ADV-022',
    ghsa: 'GHSA-j7jh-fmcm-xxwv',
    cve: null,
    severity: 'high',
    cvss: { vector: null, score: null },
    affected: [],
    fixed: [],
    published: '2023-03-31',
    summary:
      'The harbor-helm chart shipped insecure defaults (fixed in chart versions 1.3.18, 1.9.6, 1.10.4, 1.11.1, not in Harbor versions).',
    remediation: 'Upgrade the harbor-helm chart to a fixed chart version.',
    source: `${GH}GHSA-j7jh-fmcm-xxwv`,
    unconfirmed: 'affects harbor-helm chart versions, which a Harbor version cannot show: the check is always skipped',
  },
  {
    checkId: 'ADV-023',
    ghsa: 'GHSA-8c6p-v837-77f6',
    cve: 'CVE-2022-31669',
    severity: 'medium',
    cvss: { vector: 'CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:N/I:L/A:L', score: 6.4 },
    affected: AUG_2022_AFFECTED,
    fixed: AUG_2022_FIXED,
    published: '2022-08-29',
    summary: "Updating an immutability rule by id did not check that the caller could access the rule's project.",
    remediation: 'Review immutability rules for unexpected changes.',
    source: `${GH}GHSA-8c6p-v837-77f6`,
    unconfirmed: 'ranges assumed equal to the sibling 2022-08 advisories',
  },
  {
    checkId: 'ADV-024',
    ghsa: 'GHSA-3637-v6vq-xqqw',
    cve: 'CVE-2022-31670',
    severity: 'high',
    cvss: { vector: 'CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:N/I:H/A:N', score: null },
    affected: AUG_2022_AFFECTED,
    fixed: AUG_2022_FIXED,
    published: '2022-09-16',
    summary: "Updating a tag-retention policy by id did not check that the caller could access the policy's project.",
    remediation: 'Review retention policies for unexpected changes.',
    source: `${GH}GHSA-3637-v6vq-xqqw`,
  },
  {
    checkId: 'ADV-025',
    ghsa: 'GHSA-jf8p-3vjh-pq94',
    cve: 'CVE-2022-31666',
    severity: 'high',
    cvss: { vector: 'CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:N/A:N', score: null },
    affected: AUG_2022_AFFECTED,
    fixed: AUG_2022_FIXED,
    published: '2022-09-16',
    summary: 'Webhook policies (with their credentials) of other projects could be read by id.',
    remediation: 'Rotate credentials configured in webhook policies.',
    source: `${GH}GHSA-jf8p-3vjh-pq94`,
  },
  {
    checkId: 'ADV-026',
    ghsa: 'GHSA-xx9w-464f-7h6f',
    cve: 'CVE-2022-31667',
    severity: 'medium',
    cvss: { vector: 'CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:N/I:L/A:L', score: null },
    affected: AUG_2022_AFFECTED,
    fixed: AUG_2022_FIXED,
    published: '2022-09-16',
    summary: 'Robot accounts of other projects could be updated (disabled, re-permissioned) by id.',
    remediation: 'Review robot accounts for unexpected changes.',
    source: `${GH}GHSA-xx9w-464f-7h6f`,
  },
  {
    checkId: 'ADV-027',
    ghsa: 'GHSA-3wpx-625q-22j7',
    databaseGhsa: 'GHSA-r864-28pw-8682',
    cve: 'CVE-2022-31668',
    severity: 'high',
    cvss: { vector: 'CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:L/A:L', score: null },
    affected: ['>=2.0.0 <2.4.3', '>=2.5.0 <2.5.2'],
    fixed: ['2.4.3', '2.5.2'],
    published: '2022-08-29',
    summary: 'P2P preheat policies of other projects could be updated by id.',
    remediation: 'Review preheat policies for unexpected changes.',
    source: `${DB}GHSA-r864-28pw-8682`,
    unconfirmed: "Harbor's own id GHSA-3wpx-625q-22j7 from a third-party roster",
  },
  {
    checkId: 'ADV-028',
    ghsa: 'GHSA-q76q-q8hw-hmpw',
    cve: 'CVE-2022-31671',
    severity: 'medium',
    cvss: { vector: 'CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:N/A:N', score: null },
    affected: AUG_2022_AFFECTED,
    fixed: AUG_2022_FIXED,
    published: '2022-09-09',
    summary: 'P2P preheat execution logs of other projects could be read.',
    remediation: 'Upgrade.',
    source: `${GH}GHSA-q76q-q8hw-hmpw`,
  },
  {
    checkId: 'ADV-029',
    ghsa: 'GHSA-38r5-34mr-mvm7',
    cve: 'CVE-2020-29662',
    severity: 'medium',
    cvss: { vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N', score: null },
    affected: ['<2.0.5', '>=2.1.0 <2.1.2'],
    fixed: ['2.0.5', '2.1.2'],
    published: '2020-12-17',
    summary: 'GET /v2/_catalog/ (trailing slash) listed every repository without authentication.',
    remediation: 'Block /v2/_catalog/ at the proxy until upgraded.',
    source: `${GH}GHSA-38r5-34mr-mvm7`,
  },
  {
    checkId: 'ADV-030',
    ghsa: 'GHSA-q9p8-33wc-h432',
    cve: 'CVE-2020-13794',
    severity: 'medium',
    cvss: { vector: 'CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:L/I:N/A:N', score: null },
    affected: ['<2.0.3'],
    fixed: ['2.0.3'],
    published: '2020-09-28',
    summary: 'Non-admin users could list every user name and id through /api/users/search.',
    remediation: 'Upgrade.',
    source: `${GH}GHSA-q9p8-33wc-h432`,
  },
  {
    checkId: 'ADV-031',
    ghsa: 'GHSA-33p6-fx42-7rf5',
    cve: 'CVE-2020-13788',
    severity: 'low',
    cvss: { vector: null, score: null },
    affected: ['<2.0.1'],
    fixed: ['2.0.1'],
    published: '2020-07-17',
    summary:
      'A user able to edit projects could make Harbor probe ports of hosts on its internal network (limited SSRF).',
    remediation: 'Upgrade.',
    source: `${GH}GHSA-33p6-fx42-7rf5`,
    unconfirmed: 'range from the OSV/Bitnami record (<2.0.1)',
  },
  {
    checkId: 'ADV-032',
    ghsa: 'GHSA-q9x4-q76f-5h5j',
    cve: 'CVE-2019-19030',
    severity: 'medium',
    cvss: { vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N', score: null },
    affected: ['>=1.7.0 <1.10.3', '>=2.0.0 <2.0.1'],
    fixed: ['1.10.3', '2.0.1'],
    published: '2020-07-17',
    summary:
      'Unauthenticated callers could tell which resources exist from the status codes of API answers (enumeration).',
    remediation: 'Upgrade.',
    source: `${GH}GHSA-q9x4-q76f-5h5j`,
  },
  {
    checkId: 'ADV-033',
    ghsa: 'GHSA-3868-7c5x-4827',
    databaseGhsa: 'GHSA-q6cj-6jvq-jwmh',
    cve: 'CVE-2019-19023',
    severity: 'medium',
    cvss: { vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:L/A:N', score: null },
    affected: DEC_2019_AFFECTED,
    fixed: DEC_2019_FIXED,
    published: '2019-12-03',
    summary: 'Privilege escalation (details in the advisory).',
    remediation: 'Upgrade.',
    source: `${GH}GHSA-3868-7c5x-4827`,
  },
  {
    checkId: 'ADV-034',
    ghsa: 'GHSA-gcqm-v682-ccw6',
    databaseGhsa: 'GHSA-rffr-c932-cpxv',
    cve: 'CVE-2019-19025',
    severity: 'high',
    cvss: { vector: 'CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:C/C:H/I:L/A:N', score: null },
    affected: DEC_2019_AFFECTED,
    fixed: DEC_2019_FIXED,
    published: '2019-12-03',
    summary: 'The web interface had no cross-site request forgery protection.',
    remediation: 'Upgrade.',
    source: `${DB}GHSA-rffr-c932-cpxv`,
    unconfirmed: "Harbor's own id GHSA-gcqm-v682-ccw6 from a third-party roster",
  },
  {
    checkId: 'ADV-035',
    ghsa: 'GHSA-qcfv-8v29-469w',
    databaseGhsa: 'GHSA-jr34-mff8-pc6f',
    cve: 'CVE-2019-19029',
    severity: 'high',
    cvss: { vector: 'CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H', score: null },
    affected: DEC_2019_AFFECTED,
    fixed: DEC_2019_FIXED,
    published: '2019-12-03',
    summary: 'SQL injection through user-group requests.',
    remediation: 'Upgrade.',
    source: `${GH}GHSA-qcfv-8v29-469w`,
  },
  {
    checkId: 'ADV-036',
    ghsa: 'GHSA-rh89-vvrg-fg64',
    cve: 'CVE-2019-19026',
    severity: 'high',
    cvss: { vector: null, score: null },
    affected: DEC_2019_AFFECTED,
    fixed: DEC_2019_FIXED,
    published: '2019-12-03',
    summary: 'SQL injection through project quota requests.',
    remediation: 'Upgrade.',
    source: `${GH}GHSA-rh89-vvrg-fg64`,
    unconfirmed: 'ranges assumed equal to the sibling 2019-12 advisories',
  },
  {
    checkId: 'ADV-037',
    ghsa: 'GHSA-6qj9-33j4-rvhg',
    cve: 'CVE-2019-3990',
    severity: 'medium',
    cvss: { vector: null, score: null },
    affected: ['>=1.7.0 <1.8.6', '>=1.9.0 <1.9.3'],
    fixed: DEC_2019_FIXED,
    published: '2019-12-03',
    summary: 'Registered user accounts could be enumerated through the user API.',
    remediation: 'Upgrade.',
    source: `${GH}GHSA-6qj9-33j4-rvhg`,
    unconfirmed: 'ranges from a third-party advisory roster',
  },
  {
    checkId: 'ADV-038',
    ghsa: 'GHSA-x2r2-w9c7-h624',
    cve: 'CVE-2019-16919',
    severity: 'critical',
    cvss: { vector: null, score: null },
    affected: ['>=1.8.0 <1.8.4', '>=1.9.0 <1.9.1'],
    fixed: ['1.8.4', '1.9.1'],
    published: '2019-10-16',
    summary: 'Privilege escalation (details in the advisory).',
    remediation: 'Upgrade.',
    source: `${GH}GHSA-x2r2-w9c7-h624`,
    unconfirmed: 'ranges from a third-party advisory roster',
  },
  {
    checkId: 'ADV-039',
    ghsa: 'GHSA-fqvr-xx6w-m6m7',
    databaseGhsa: 'GHSA-9wvh-ff5f-xjpj',
    cve: 'CVE-2019-16097',
    severity: 'high',
    cvss: { vector: 'CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:N/I:H/A:N', score: null },
    affected: ['>=1.7.0 <1.7.6', '>=1.8.0 <1.8.3'],
    fixed: ['1.7.6', '1.8.3'],
    published: '2019-09-19',
    summary: 'With self-registration on, anyone could register an account with the admin role through POST /api/users.',
    remediation: 'Turn self-registration off (SEC-002) and review administrator accounts.',
    source: `${DB}GHSA-9wvh-ff5f-xjpj`,
    unconfirmed:
      "Harbor's own id GHSA-fqvr-xx6w-m6m7 from a third-party roster; the database range is <1.9.0-rc1, split here by the 1.7.6/1.8.3 fixes",
  },
];
