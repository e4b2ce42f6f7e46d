// Tag immutability: immutable tag rules (goharbor/harbor src/server/v2.0/handler/immutable.go,
// src/pkg/immutable/match/rule/match.go@v2.15.x) and every place Harbor enforces them — the manifest push
// middleware (src/server/middleware/immutable/pushmf.go), the tag controller's Ensure and Delete
// (src/controller/tag/controller.go) behind the tag, artifact, copy and repository APIs, and /v2 DELETE
// (src/server/registry/manifest.go).
import { defineCatalog } from '../check-definition.ts';

const immutableNames = 'NIST SP 800-190 4.2.2'; // registry: immutable names that specify discrete versions
const changeRestrictions = 'NIST SP 800-53 CM-5'; // access restrictions for change
const integrity = 'NIST SP 800-53 SI-7'; // software integrity
const tamperProtection = 'NIST SP 800-218 PS.1.1'; // SSDF: protect released code from unauthorized change

export const catalog = defineCatalog('immutability', {
  ruleApi: {
    id: 'IMM-001',
    title:
      "the immutable tag rule API answers as Harbor does (201 + Location, the rule listed as sent, 409 for an identical rule, 400 for a PUT whose id differs from the path, a PUT rewrites the rule) and another project's rule is neither listed, changed, deleted nor applied through this project",
    controls: [changeRestrictions],
    mutating: true,
    evidence: ['rule POST/GET/PUT/DELETE exchanges of two run-id projects', 'pushes to the unprotected tag'],
    remediation:
      'Upgrade to Harbor >= v2.5.2 (v2.4.3, v1.10.13): before GHSA-8c6p-v837-77f6 was fixed, a project administrator could rewrite the immutability rules of any project by id.',
    caughtBy: ['immutable-rule-project-unchecked'],
  },
  overwrite: {
    id: 'IMM-002',
    title:
      'no way of writing an existing immutable tag succeeds: a manifest PUT with the same or another digest is refused with 412 PRECONDITION "Failed to process request due to \'<repo>:<tag>\' configured as immutable.", the tag API cannot re-create it, a copy onto it is refused with 412 "the tag <t> configured as immutable, cannot be updated"; a new matching tag and a push by digest are accepted',
    controls: [immutableNames, integrity, tamperProtection],
    mutating: true,
    evidence: [
      'manifest PUT exchanges onto the immutable tag (same digest, other digest, docker and OCI media types)',
      'tag create and artifact copy exchanges',
      'the digest the tag names afterwards',
    ],
    remediation:
      'Keep Harbor core in front of the registry for every push (no direct access to distribution) and run a Harbor whose immutable middleware refuses every push onto an existing immutable tag (v1.10 and later).',
    caughtBy: ['immutable-same-digest-repush-allowed'],
  },
  deletion: {
    id: 'IMM-003',
    title:
      'no way of deleting an immutable tag succeeds: tag delete, artifact delete by tag and by digest, repository delete and /v2 DELETE by digest answer 412 "the tag <t> configured as immutable, cannot be deleted", /v2 DELETE by tag answers 400 UNSUPPORTED, and the image still pulls; a mutable tag of the same artifact can be deleted',
    controls: [immutableNames, changeRestrictions, tamperProtection],
    mutating: true,
    evidence: ['every delete exchange and its answer', 'the manifest pulled afterwards'],
    remediation:
      'Run a Harbor that checks immutability on every delete path (tag, artifact, repository, /v2); restrict delete permissions (project maintainer and above) to the people who may lift an immutability rule.',
    caughtBy: ['immutable-tags-deletable-via-artifact-api'],
  },
  nested: {
    id: 'IMM-004',
    title:
      'rules protect nested repositories (a/b/c) as doublestar patterns say: `**` and `team/**` cross "/", `team/*` does not; the nested tag is listed immutable, cannot be re-pushed nor its artifact deleted',
    controls: [immutableNames, integrity],
    mutating: true,
    evidence: ['with_immutable_status listings of flat and nested repositories', 'push and delete exchanges'],
    remediation:
      'Write repository patterns with `**` for nested repositories (`team/**`, not `team/*`) and check each with with_immutable_status=true; a Harbor whose matcher does not cross "/" leaves nested repositories unprotected.',
    caughtBy: ['immutable-nested-repositories-unprotected'],
  },
  everySelector: {
    id: 'IMM-005',
    title:
      'every repository selector and every tag selector of one rule protects (the first and the later ones): tags named only by a later selector cannot be re-pushed',
    controls: [immutableNames, integrity],
    mutating: true,
    evidence: [
      'the rule with two repository and two tag selectors',
      'with_immutable_status listings and re-push exchanges',
    ],
    remediation:
      'Upgrade to Harbor v2.15.3, v2.14.5 or v2.13.6 (GHSA-27f2-qg57-2gwg); until then split every multi-selector immutability rule into one rule per repository and tag selector.',
    caughtBy: ['GHSA-27f2-qg57-2gwg', 'previous-patch-v2.15.2'],
  },
  disabled: {
    id: 'IMM-006',
    title:
      'a disabled rule protects nothing and a re-enabled one protects again; a PUT that changes `disabled` changes only the flag (the rest of its body is ignored, as Harbor does)',
    controls: [changeRestrictions, integrity],
    mutating: true,
    evidence: ['rule PUT exchanges (disable, enable)', 'with_immutable_status listings and pushes in between'],
    remediation:
      "Disable a rule only while a change is meant to overwrite its tags, and change a rule's selectors in a PUT of its own: a PUT that also flips `disabled` drops the other changes.",
    caughtBy: ['immutable-disabled-rules-enforced'],
  },
});
