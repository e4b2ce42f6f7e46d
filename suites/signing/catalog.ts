// Signing: cosign and notation signatures as Harbor records them (accessories), and Harbor's content-trust
// pull blocker (enable_content_trust_cosign / enable_content_trust), with the limits of what it guarantees
// reported as `warn`. Facts: shared/harbor/policy-facts.md §5.3-§5.5, §6.
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
    title: 'a cosign-signed image is listed once, with its signature.cosign accessory, and the referrers API returns the signature',
    controls: [trustedImages, integrityInformation],
    mutating: true,
    requires: ['cosign'],
    evidence: ['push and `.sig` signature exchanges', 'artifact list (with_accessory), accessories and referrers exchanges', 'image and signature digests'],
  },
  notationListed: {
    id: 'SIGN-002',
    title: 'a notation-signed image is listed once, with its signature.notation accessory, and the referrers API returns the signature',
    controls: [trustedImages, integrityInformation],
    mutating: true,
    requires: ['notation'],
    evidence: ['push and notation referrer exchanges (OCI-Subject)', 'artifact list (with_accessory), accessories and referrers exchanges', 'image and signature digests'],
  },
  cosignBundle: {
    id: 'SIGN-003',
    title: "a cosign 3 bundle signature (cosign's default format) is recorded as signature.cosign and satisfies enable_content_trust_cosign",
    controls: [trustedImages, signedComponents],
    mutating: true,
    requires: ['cosign'],
    evidence: ['bundle referrer push exchange', 'accessories exchange', 'manifest pulls under the cosign policy'],
  },
  cosignPolicy: {
    id: 'SIGN-004',
    title: "with enable_content_trust_cosign, an unsigned image is refused (GET and HEAD, tag and digest) with 412 and Harbor's message, and the signed image pulls",
    controls: [trustedImages, signedComponents, integrity],
    mutating: true,
    requires: ['cosign'],
    evidence: ['manifest GET/HEAD exchanges by tag and digest (412 PROJECTPOLICYVIOLATION, then 200)', 'image and signature digests'],
  },
  notationPolicy: {
    id: 'SIGN-005',
    title: "with enable_content_trust, an image without a notation signature is refused (GET and HEAD, tag and digest) with 412 and Harbor's message, a cosign signature does not count, and the notation-signed image pulls",
    controls: [trustedImages, signedComponents, integrity],
    mutating: true,
    requires: ['notation'],
    evidence: ['manifest GET/HEAD exchanges by tag and digest (412, then 200)', 'image and signature digests'],
  },
  sysadminBasicAuth: {
    id: 'SIGN-006',
    title: 'a system admin sending basic-auth credentials straight to /v2 is not exempt from content trust',
    controls: [trustedImages, registryAccess, signedComponents],
    mutating: true,
    requires: ['cosign'],
    evidence: ['manifest GET/HEAD with basic-auth credentials (412 PROJECTPOLICYVIOLATION and its body)'],
  },
  signatureDeleted: {
    id: 'SIGN-007',
    title: 'deleting the signature makes the image unpullable again under content trust',
    controls: [trustedImages, signedComponents],
    mutating: true,
    requires: ['cosign'],
    evidence: ['pulls before and after DELETE of the signature artifact', 'accessories before and after'],
  },
  indexChildren: {
    id: 'SIGN-008',
    title: 'a child of a signed index pulled by digest needs its own signature (warn: no inheritance at pull time)',
    controls: [trustedImages, signedComponents],
    mutating: true,
    requires: ['cosign'],
    evidence: ['index and child manifest pulls under the cosign policy', 'index, children and signature digests'],
  },
  anyKey: {
    id: 'SIGN-009',
    title: "a signature by a key the team does not trust still counts as signed (warn: Harbor checks presence, not trust); verification with the team's public key rejects it",
    controls: [trustedImages, integrity, integrityInformation, slsaVerification],
    mutating: true,
    requires: ['cosign'],
    evidence: ['pulls of images signed by the team key and by a stranger key', 'cosign verification results with the team public key'],
  },
  signingToolAgent: {
    id: 'SIGN-010',
    title: 'accounts with push whose User-Agent contains cosign or notation skip the content-trust policy (warn); pull-only accounts do not',
    controls: [trustedImages, registryAccess],
    mutating: true,
    requires: ['cosign'],
    evidence: ['robot account creation (secret redacted)', 'manifest pulls with ordinary and signing-tool User-Agents'],
  },
  clientsShowMessage: {
    id: 'SIGN-011',
    title: "docker and skopeo pulling an unsigned image under enable_content_trust_cosign fail with Harbor's message",
    controls: [trustedImages, signedComponents],
    mutating: true,
    requires: ['cosign'],
    evidence: ['docker pull / skopeo inspect output by tag and digest'],
  },
  realToolSignatures: {
    id: 'SIGN-012',
    title: 'signatures made by the real cosign v3 (bundle referrer), cosign v2 (.sig tag) and notation are recorded as signature accessories, verify, and let the image pull under content trust',
    controls: [trustedImages, signedComponents, integrityInformation],
    mutating: true,
    requires: ['cosign'],
    evidence: ['the real tools\' commands and output', 'accessories exchanges', 'manifest pulls under the cosign policy', 'harness verification of the tools\' signatures'],
    remediation: 'If Harbor does not record a signature the real tool made, content trust refuses a correctly signed image: upgrade Harbor (bundle signatures need 2.15+) or sign in the `.sig` tag format (cosign --new-bundle-format=false).',
    caughtBy: ['cosign-bundle-not-recognised'],
    timeoutMs: 300_000,
  },
});
