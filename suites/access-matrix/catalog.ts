// The access matrix: Harbor's permissions as data (harbor-rbac-policies.ts), asked every way Harbor can be
// asked — REST, /v2 verbs, the token service, /users/current/permissions, path spellings — by every kind of
// caller in every kind of project. One run of the whole matrix feeds every check; each judges its slice.
import { defineCatalog } from '../check-definition.ts';

const registryAccess = 'NIST SP 800-190 4.2.3';
const leastPrivilege = 'NIST SP 800-53 AC-6';
const enforcement = 'NIST SP 800-53 AC-3';

export const catalog = defineCatalog('access-matrix', {
  apiActions: {
    id: 'ACC-001',
    title: "every REST operation answers every caller in every kind of project as Harbor's policy tables say",
    controls: [registryAccess, enforcement, leastPrivilege],
    mutating: false,
    evidence: [
      'the matrix picture (HTML): identities × operations × project kinds, red cells linked to their exchange',
      'the list of differing cells',
    ],
    remediation:
      'A caller can do what its role or robot grant does not allow (or is refused what it should do): compare the red cells with the role tables of your Harbor version and upgrade or restore the RBAC configuration; never grant broader roles to work around it.',
    caughtBy: ['developer-deletes-artifacts'],
    timeoutMs: 300_000,
  },
  registryVerbs: {
    id: 'ACC-002',
    title:
      'every /v2 verb (GET, HEAD, upload POST/PATCH, manifest PUT/DELETE, cross-repository mount) is allowed exactly to the callers holding pull, push or delete',
    controls: [registryAccess, enforcement],
    mutating: false,
    evidence: ['the /v2 section of the matrix picture', 'the differing cells with their exchange'],
    remediation:
      'The registry answers a verb the caller is not granted: make sure every /v2 request passes through harbor-core (never expose distribution directly) and upgrade to a Harbor whose v2auth maps every verb to its action.',
    caughtBy: ['blob-mount-skips-source-pull'],
    timeoutMs: 300_000,
  },
  tokenGrants: {
    id: 'ACC-003',
    title:
      'the token service grants for each scope exactly the actions the caller holds (pull, push, delete; never scanner-pull)',
    controls: [registryAccess, leastPrivilege, 'NIST SP 800-53 IA-5'],
    mutating: false,
    evidence: ['the decoded access claim of each token against the expected actions'],
    remediation:
      'Tokens carry actions the caller does not hold: upgrade Harbor; until then restrict who can reach /service/token and shorten token_expiration.',
    caughtBy: ['token-grants-delete-with-push'],
    timeoutMs: 300_000,
  },
  currentPermissions: {
    id: 'ACC-004',
    title:
      "/users/current/permissions lists, per project and for the system, exactly what Harbor's tables allow the caller",
    controls: [enforcement, leastPrivilege],
    mutating: false,
    evidence: ['per caller and scope: the permissions missing and extra against the tables'],
    remediation:
      'Harbor reports permissions its evaluators do not grant (or hides granted ones): the UI and automation relying on it act on wrong rights; upgrade Harbor and report the differing cells.',
    caughtBy: ['developer-deletes-artifacts'],
    timeoutMs: 300_000,
  },
  pathSpellings: {
    id: 'ACC-005',
    title:
      'a denial stays a denial whatever the spelling of the path (trailing slash, duplicate slashes, percent-encoding, `..`, upper case)',
    controls: [registryAccess, enforcement],
    mutating: false,
    evidence: ['each spelling of each denied cell, with the status it got'],
    remediation:
      'A spelling of the path slips past the authorizer: put a normalising proxy in front (nginx merge_slashes on, reject encoded slashes and dot segments) and upgrade Harbor.',
    caughtBy: ['v2-dot-dot-authorized-on-first-segment'],
    timeoutMs: 300_000,
  },
  denialsIndistinguishable: {
    id: 'ACC-006',
    title: 'a denial tells an outsider no more than a project that does not exist would (same status, same body shape)',
    controls: [registryAccess, 'NIST SP 800-53 AC-14', 'NIST SP 800-53 SI-11'],
    mutating: false,
    evidence: [
      "per caller and operation: the answer for another team's private project beside the answer for a missing one",
    ],
    remediation:
      'Outsiders can tell which private projects exist: upgrade Harbor; on /v2 Harbor v2.15 itself answers missing projects with their own message, so keep project names free of confidential information.',
    caughtBy: ['missing-project-404-to-everyone'],
    expectWarn: true,
    timeoutMs: 300_000,
  },
});
