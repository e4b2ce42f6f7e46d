// Signing: cosign and notation signatures as Harbor records them (accessories), and Harbor's content-trust
// pull blocker (enable_content_trust_cosign / enable_content_trust), with the limits of what it guarantees
// reported as `warn`. Facts: goharbor/harbor src/server/middleware/contenttrust/, src/server/middleware/cosign/,
// src/pkg/accessory/@v2.15.x.
import { defineCatalog } from '../check-definition.ts';

const trustedImages = 'NIST SP 800-190 4.1.5'; // use of untrusted images: only signed, trusted images run
const registryAccess = 'NIST SP 800-190 4.2.3'; // registry: authentication and authorization restrictions
const signedComponents = 'NIST SP 800-53 CM-14'; // signed components: refuse what is not signed
const integrity = 'NIST SP 800-53 SI-7(15)'; // code authentication by signature
const integrityInformation = 'NIST SP 800-218 PS.2.1'; // SSDF: integrity verification information for consumers
const slsaVerification = 'SLSA v1.0 verifying artifacts'; // consumers verify what they pull, with the expected key

export const catalog = defineCatalog('signing', {
  cosignListed: {
    id: 'SIGN-001',
    title:
      'a cosign-signed image is listed once, with its signature.cosign accessory, and the referrers API returns the signature',
    controls: [trustedImages, integrityInformation],
    mutating: true,
    requires: ['cosign'],
    evidence: [
      'push and `.sig` signature exchanges',
      'artifact list (with_accessory), accessories and referrers exchanges',
      'image and signature digests',
    ],
    remediation:
      'Upgrade to Harbor >= v2.5.0, which records cosign signatures as accessories; before that they are plain artifacts and content trust cannot see them.',
    caughtBy: ['signature-accessories-not-recorded'],
  },
  notationListed: {
    id: 'SIGN-002',
    title:
      'a notation-signed image is listed once, with its signature.notation accessory, and the referrers API returns the signature',
    controls: [trustedImages, integrityInformation],
    mutating: true,
    requires: ['notation'],
    evidence: [
      'push and notation referrer exchanges (OCI-Subject)',
      'artifact list (with_accessory), accessories and referrers exchanges',
      'image and signature digests',
    ],
    remediation:
      'Upgrade to a Harbor that records notation signatures (OCI referrers with a subject) as signature.notation accessories.',
    caughtBy: ['signature-accessories-not-recorded'],
  },
  cosignBundle: {
    id: 'SIGN-003',
    title:
      "a cosign 3 bundle signature (cosign's default format) is recorded as signature.cosign and satisfies enable_content_trust_cosign",
    controls: [trustedImages, signedComponents],
    mutating: true,
    requires: ['cosign'],
    evidence: ['bundle referrer push exchange', 'accessories exchange', 'manifest pulls under the cosign policy'],
    remediation:
      "Upgrade to Harbor >= v2.15.0 before signing with cosign 3's bundle format, or sign with --new-bundle-format=false for older Harbor.",
    caughtBy: ['cosign-bundle-not-recognised', 'content-trust-not-enforced'],
  },
  cosignPolicy: {
    id: 'SIGN-004',
    title:
      "with enable_content_trust_cosign, an unsigned image is refused (GET and HEAD, tag and digest) with 412 and Harbor's message, and the signed image pulls",
    controls: [trustedImages, signedComponents, integrity],
    mutating: true,
    requires: ['cosign'],
    evidence: [
      'manifest GET/HEAD exchanges by tag and digest (412 PROJECTPOLICYVIOLATION, then 200)',
      'image and signature digests',
    ],
    remediation:
      "Turn on cosign under the project's deployment security (enable_content_trust_cosign) and run Harbor >= v2.3.0 so HEAD requests are checked too.",
    caughtBy: ['content-trust-not-enforced', 'content-trust-head-not-enforced'],
  },
  notationPolicy: {
    id: 'SIGN-005',
    title:
      "with enable_content_trust, an image without a notation signature is refused (GET and HEAD, tag and digest) with 412 and Harbor's message, a cosign signature does not count, and the notation-signed image pulls",
    controls: [trustedImages, signedComponents, integrity],
    mutating: true,
    requires: ['notation'],
    evidence: ['manifest GET/HEAD exchanges by tag and digest (412, then 200)', 'image and signature digests'],
    remediation:
      "Turn on notation under the project's deployment security (enable_content_trust) and sign with notation: a cosign signature does not satisfy it.",
    caughtBy: ['content-trust-not-enforced'],
  },
  sysadminBasicAuth: {
    id: 'SIGN-006',
    title: 'a system admin sending basic-auth credentials straight to /v2 is not exempt from content trust',
    controls: [trustedImages, registryAccess, signedComponents],
    mutating: true,
    requires: ['cosign'],
    evidence: ['manifest GET/HEAD with basic-auth credentials (412 PROJECTPOLICYVIOLATION and its body)'],
    remediation:
      'Upgrade past https://github.com/goharbor/harbor/issues/13889 (fixed in 2.0.6, 2.1.3, 2.2.0): administrators with basic auth must not bypass content trust.',
    caughtBy: ['content-trust-admin-basic-auth-exempt'],
  },
  signatureDeleted: {
    id: 'SIGN-007',
    title: 'deleting the signature makes the image unpullable again under content trust',
    controls: [trustedImages, signedComponents],
    mutating: true,
    requires: ['cosign'],
    evidence: ['pulls before and after DELETE of the signature artifact', 'accessories before and after'],
    remediation:
      'Protect signatures from deletion (immutability rules, restricted delete permissions): deleting one makes the image unpullable under content trust.',
    caughtBy: ['content-trust-not-enforced'],
  },
  indexChildren: {
    id: 'SIGN-008',
    title: 'a child of a signed index pulled by digest needs its own signature (warn: no inheritance at pull time)',
    controls: [trustedImages, signedComponents],
    mutating: true,
    requires: ['cosign'],
    evidence: ['index and child manifest pulls under the cosign policy', 'index, children and signature digests'],
    remediation:
      'Sign multi-arch images recursively (cosign sign --recursive) or sign each child: Harbor checks the signature of the manifest actually pulled.',
    caughtBy: ['content-trust-not-enforced'],
    expectWarn: true,
    // real Harbor v2.15.2 (built from source, 2 busy cores) needed > 120 s: each manifest PUT ~4 s (artifact
    // processing in core), each token ~3.8 s (user passwords are PBKDF2-SHA256 with 600 000 rounds,
    // goharbor/harbor src/common/utils/encrypt.go@v2.15.x)
    timeoutMs: 300_000,
  },
  anyKey: {
    id: 'SIGN-009',
    title:
      "a signature by a key the team does not trust still counts as signed (warn: Harbor checks presence, not trust); verification with the team's public key rejects it",
    controls: [trustedImages, integrity, integrityInformation, slsaVerification],
    mutating: true,
    requires: ['cosign'],
    evidence: [
      'pulls of images signed by the team key and by a stranger key',
      'cosign verification results with the team public key',
    ],
    remediation:
      'Verify signatures with the team key at deploy time (cosign verify --key, an admission policy): Harbor only checks that a signature exists.',
    caughtBy: ['content-trust-not-enforced'],
    expectWarn: true,
    // real Harbor v2.15.2 (built from source, 2 busy cores) needed > 120 s: each manifest PUT ~4 s (artifact
    // processing in core), each token ~3.8 s (user passwords are PBKDF2-SHA256 with 600 000 rounds,
    // goharbor/harbor src/common/utils/encrypt.go@v2.15.x)
    timeoutMs: 300_000,
  },
  signingToolAgent: {
    id: 'SIGN-010',
    title:
      'no account skips the content-trust policy by sending a cosign or notation User-Agent, with push or without (GHSA-wrw5-gmvj-gf23, fixed in 2.13.6 / 2.14.5 / 2.15.3)',
    controls: [trustedImages, registryAccess],
    mutating: true,
    requires: ['cosign'],
    remediation:
      'Upgrade to Harbor 2.13.6 / 2.14.5 / 2.15.3 or later (GHSA-wrw5-gmvj-gf23); on a fixed release leave CONTENT_TRUST_LEGACY_SIGNER_PULL_ENABLED unset on core.',
    caughtBy: ['GHSA-wrw5-gmvj-gf23', 'previous-patch-v2.15.2'],
    evidence: ['robot account creation (secret redacted)', 'manifest pulls with ordinary and signing-tool User-Agents'],
  },
  clientsShowMessage: {
    id: 'SIGN-011',
    title: "docker and skopeo pulling an unsigned image under enable_content_trust_cosign fail with Harbor's message",
    controls: [trustedImages, signedComponents],
    mutating: true,
    requires: ['cosign'],
    evidence: ['docker pull / skopeo inspect output by tag and digest'],
    remediation:
      "Upgrade clients or Harbor when pulls of unsigned images fail without Harbor's message: developers need it to know the image must be signed.",
    caughtBy: ['content-trust-not-enforced'],
    timeoutMs: 300_000,
  },
  realToolSignatures: {
    id: 'SIGN-012',
    title:
      'signatures made by the real cosign v3 (bundle referrer), cosign v2 (.sig tag) and notation are recorded as signature accessories, verify, and let the image pull under content trust',
    controls: [trustedImages, signedComponents, integrityInformation],
    mutating: true,
    requires: ['cosign'],
    evidence: [
      "the real tools' commands and output",
      'accessories exchanges',
      'manifest pulls under the cosign policy',
      "harness verification of the tools' signatures",
    ],
    remediation:
      'If Harbor does not record a signature the real tool made, content trust refuses a correctly signed image: upgrade Harbor (bundle signatures need 2.15+) or sign in the `.sig` tag format (cosign --new-bundle-format=false).',
    caughtBy: ['cosign-bundle-not-recognised'],
    timeoutMs: 300_000,
  },
});
