// Known upgrade breakages of Harbor, each with its source and what to do before upgrading. The gate lists every one
// the jump --from → --to crosses; where the estate shows whether it is affected (an inspector reads the seeded or
// existing objects), the gate says which objects, and an affected object fails the gate.
import { crosses } from './release-range.ts';

export interface KnownBreakage {
  id: string;
  /** The first release with the change. */
  release: string;
  title: string;
  /** What breaks, in Harbor's terms. */
  breaks: string;
  /** What the operator must do before upgrading. */
  before: string;
  /** Release notes, migration files, commits or issues (goharbor/harbor …). */
  sources: string[];
  /** Where it applies: only deployments with Harbor's own images (official, kind), or every one. */
  scope: 'harbor-images' | 'all';
}

export const KNOWN_BREAKAGES: readonly KnownBreakage[] = [
  {
    id: 'GATE-BRK-001',
    release: '2.15.2',
    title: 'harbor-db moves from PostgreSQL 15 to 18 in a patch release',
    breaks:
      'harbor-db:v2.15.2 runs pg_upgrade on the PostgreSQL 15 data directory at its first start ' +
      '(ENTRYPOINT ["/docker-entrypoint.sh","15","18"]); an external PostgreSQL is not upgraded, and a data ' +
      'directory that pg_upgrade cannot convert (extensions, a full disk: it needs room for a copy) stops the start.',
    before:
      'Back up the database with pg_dump, make sure the data volume has room for a second copy, and rehearse the ' +
      'first start of harbor-db:v2.15.2 on a copy of the volume; an external database needs no action.',
    sources: [
      'goharbor/harbor make/photon/db/Dockerfile@v2.15.2',
      'goharbor/harbor commit 8305433b (build: use dev-legacy tags to decouple 2.15 builds from main, #23360)',
    ],
    scope: 'harbor-images',
  },
  {
    id: 'GATE-BRK-002',
    release: '2.15.2',
    title: 'redis-photon is replaced by valkey-photon',
    breaks:
      'The cache/job-queue image is goharbor/valkey-photon from v2.15.2 on (valkey-server, user valkey); a values ' +
      'file, compose override or image mirror that pins redis-photon, or a volume owned by the redis user, keeps the ' +
      'old image or fails the start.',
    before:
      'Mirror goharbor/valkey-photon:<tag>, drop pinned redis-photon image overrides, and check that /var/lib/redis ' +
      'is writable by the valkey user; let job queues drain (no running replication/GC/scan jobs) before the switch.',
    sources: [
      'goharbor/harbor make/photon/valkey/Dockerfile@v2.15.2',
      'goharbor/harbor commit 3b21f688 (cherry-pick of #23157)',
    ],
    scope: 'harbor-images',
  },
  {
    id: 'GATE-BRK-003',
    release: '2.14.1',
    title: 'skip_audit_log_database is seeded from the audit log history',
    breaks:
      'The 2.14.1 migration writes skip_audit_log_database=false only when audit_log or audit_log_ext were ever used; ' +
      'otherwise no record is written and the default applies, so audit logging to the database can differ from ' +
      'before on an instance that never logged.',
    before:
      'Read GET /api/v2.0/configurations skip_audit_log_database before and after the upgrade and set it explicitly ' +
      'if the audit trail must stay in the database.',
    sources: ['goharbor/harbor make/migrations/postgresql/0171_2.14.1_schema.up.sql@v2.15.2', 'goharbor/harbor#22493'],
    scope: 'all',
  },
  {
    id: 'GATE-BRK-004',
    release: '2.15.0',
    title: "SYNC_QUOTA leaves core's environment template",
    breaks:
      'core no longer reads SYNC_QUOTA; a deployment that relied on it to recompute quota usage at start does not ' +
      'get the recount.',
    before: 'Drop SYNC_QUOTA from hand-written core environments; compare quota usage before and after the upgrade.',
    sources: ['goharbor/harbor commit 26b61390 (Remove unused SYNC_QUOTA from env.jinja template, #22280)'],
    scope: 'harbor-images',
  },
  {
    id: 'GATE-BRK-005',
    release: '2.15.0',
    title: 'P2P preheat policies saved with a string vulnerability filter no longer decode',
    breaks:
      'decodeFilters stopped converting a string severity of a vulnerability filter to a number (the workaround for ' +
      'the UI bug goharbor/harbor#12579): a preheat policy saved in that form fails to load after the upgrade.',
    before:
      'Open and save every P2P preheat policy with a vulnerability filter (the UI writes a number since the fix).',
    sources: ['goharbor/harbor src/pkg/p2p/preheat/models/policy/policy.go@v2.15.2', 'goharbor/harbor#22510'],
    scope: 'all',
  },
  {
    id: 'GATE-BRK-006',
    release: '2.15.3',
    title: 'cosign sign of unsigned images in content-trust projects is refused (GHSA-wrw5-gmvj-gf23 fix)',
    breaks:
      'With enable_content_trust_cosign the security fix stops exempting signing tools from the pull check, so ' +
      '`cosign sign` of an image that has no signature yet is refused until CONTENT_TRUST_LEGACY_SIGNER_PULL_ENABLED=true.',
    before:
      'Sign images before content trust is switched on for their project, or plan the opt-out variable for the ' +
      'signing pipeline (release notes v2.15.3).',
    sources: ['goharbor/harbor release notes v2.15.3 (GHSA-wrw5-gmvj-gf23)'],
    scope: 'all',
  },
  {
    id: 'GATE-BRK-007',
    release: '2.8.0',
    title: 'chartmuseum removal disables chart replication rules and deletes helm robot permissions',
    breaks:
      'The 2.8.0 migration sets enabled=false on replication rules whose resource filter is chart, disables webhook ' +
      'policies that only have chart events and deletes the helm-chart permissions of robots.',
    before: 'Move charts to OCI, re-create chart rules as OCI rules and re-issue robots before upgrading.',
    sources: ['goharbor/harbor make/migrations/postgresql/0110_2.8.0_schema.up.sql@v2.15.2'],
    scope: 'all',
  },
  {
    id: 'GATE-BRK-008',
    release: '2.2.0',
    title: 'scan reports are deleted by the 2.2.0 migration',
    breaks:
      'DELETE FROM scan_report: every artifact shows "Not Scanned" until scanned again, and prevent_vul has no ' +
      'report to judge.',
    before: 'Schedule a scan of all artifacts right after the upgrade (or keep pulls of critical images watched).',
    sources: ['goharbor/harbor make/migrations/postgresql/0050_2.2.0_schema.up.sql@v2.15.2'],
    scope: 'all',
  },
];

/** The breakages the jump crosses (all scopes; the report says which need Harbor's own images). */
export function breakagesFor(from: string, to: string): KnownBreakage[] {
  return KNOWN_BREAKAGES.filter((b) => crosses(from, to, b.release));
}
