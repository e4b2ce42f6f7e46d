// Tag retention: what a policy keeps and deletes (goharbor/harbor src/server/v2.0/handler/retention.go,
// src/pkg/retention/launcher.go, job.go, policy/alg/or/processor.go, policy/action/performer.go,
// src/lib/selector/selectors/doublestar/selector.go@v2.15.2), on seeded repositories with known push and pull times.
import { defineCatalog } from '../check-definition.ts';

const staleImages = 'NIST SP 800-190 4.2.2'; // registry: stale images (and immutable names for discrete versions)
const integrity = 'NIST SP 800-53 SI-7'; // software integrity
const retention = 'NIST SP 800-53 SI-12'; // information management and retention
const changeRestrictions = 'NIST SP 800-53 CM-5'; // access restrictions for change

const scenarioEvidence = [
  'the seeded artifacts and their fate (Markdown and HTML table, JSON)',
  'dry-run and run task logs, total/retained per task',
  'manifest and blob pulls of every survivor, manifest GET of every deleted digest',
];

export const catalog = defineCatalog('retention', {
  latestPushed: {
    id: 'RET-001',
    title:
      'latestPushedK keeps the K most recently pushed artifacts (untagged ones excluded by {"untagged":false}): the dry run logs exactly the RETAIN/DEL/IMMUTABLE set and deletes nothing, the run deletes exactly the DEL set, every survivor pulls whole',
    controls: [staleImages, retention, integrity],
    mutating: true,
    evidence: scenarioEvidence,
    remediation:
      'Run a Harbor whose retention honours dry runs and the tag selector\'s "untagged" setting (see goharbor/harbor#20996, #22051), and try every new rule as a dry run first.',
    caughtBy: ['retention-untagged-extras-ignored', 'retention-dry-run-deletes'],
  },
  latestPulled: {
    id: 'RET-002',
    title: 'latestPulledN keeps the N most recently pulled artifacts (by pull time, never-pulled last)',
    controls: [staleImages, retention],
    mutating: true,
    evidence: scenarioEvidence,
    remediation:
      'Check that Harbor records pull times (pulls through core, not straight from the registry; pulls by replication and HEAD requests do not count) before relying on pull-based retention rules.',
    caughtBy: ['retention-pull-rules-use-push-time'],
  },
  pushedWithin: {
    id: 'RET-003',
    title:
      'nDaysSinceLastPush keeps what was pushed within N days (untagged ones included by default); an older immutable tag survives and is logged IMMUTABLE',
    controls: [staleImages, retention, changeRestrictions],
    mutating: true,
    evidence: scenarioEvidence,
    remediation:
      'Run a Harbor whose retention dry run deletes nothing (goharbor/harbor#20996) and keep release tags under an immutability rule so a time-based rule never removes them.',
    caughtBy: ['retention-dry-run-deletes'],
  },
  pulledWithin: {
    id: 'RET-004',
    title: 'nDaysSinceLastPull keeps what was pulled within N days; a never-pulled artifact is never kept by it',
    controls: [staleImages, retention],
    mutating: true,
    evidence: scenarioEvidence,
    remediation:
      'Make sure pulls go through Harbor core so pull times are recorded; a rule on pull times deletes images that are in use when the times are missing or wrong.',
    caughtBy: ['retention-pull-rules-use-push-time'],
  },
  alwaysAndSelectors: {
    id: 'RET-005',
    title:
      'always with several rules and selectors: the tag selectors of a rule are ANDed, the rules ORed, and an untagged artifact is kept or deleted as each selector\'s {"untagged"} says (wait-free: also against real Harbor)',
    controls: [retention, integrity],
    mutating: true,
    evidence: scenarioEvidence,
    remediation:
      'Write retention rules knowing that rules add up (OR) while the selectors of one rule narrow it (AND), and set "untagged" on every tag selector explicitly; verify with a dry run.',
    caughtBy: ['retention-rules-anded', 'retention-untagged-extras-ignored'],
  },
  teamPolicy: {
    id: 'RET-006',
    title:
      "the team's own retention rules (policy file `retention`) on a seeded copy of their repositories keep and delete exactly what Harbor's semantics give, with their immutable rules; the policy API answers as Harbor does (five templates, retention_id, one policy per project, 15 rules, conflicts, the schedule)",
    controls: [retention, staleImages, changeRestrictions],
    mutating: true,
    evidence: [...scenarioEvidence, 'POST/GET /retentions exchanges, /retentions/metadatas'],
    remediation:
      "Review the table: every row marked WRONG is an artifact Harbor would keep or delete against what the team's rules say; fix the rules (or the Harbor release) before the schedule runs them.",
    caughtBy: ['retention-rules-anded', 'retention-deletes-immutable-tags'],
  },
  nestedImmutable: {
    id: 'RET-007',
    title:
      'immutable tags survive retention and are logged IMMUTABLE, also in nested repositories (team/a/b/c under `team/**`) (wait-free: also against real Harbor)',
    controls: [staleImages, changeRestrictions, integrity, retention],
    mutating: true,
    evidence: scenarioEvidence,
    remediation:
      'Protect release tags with immutability rules whose repository patterns use `**` for nested repositories, and run a Harbor whose retention honours them (goharbor/harbor#10506).',
    caughtBy: ['retention-deletes-immutable-tags', 'retention-nested-repositories-skipped'],
  },
});
