// Field changes the release notes, swagger or migrations announce for a jump: the inventory diff does not report
// them as findings. Anything else that changes across the upgrade is a finding.
import { crosses } from './release-range.ts';

export interface AnnouncedChange {
  /** Inventory kind (inventory.ts) and field path; `*` matches any object of the kind. */
  kind: string;
  field: string;
  release: string;
  what: string;
  source: string;
}

export const ANNOUNCED_CHANGES: readonly AnnouncedChange[] = [
  {
    kind: 'registry-endpoint',
    field: 'ca_certificate',
    release: '2.15.0',
    what: 'registry endpoints carry an optional per-endpoint CA certificate (absent when none is set)',
    source:
      'goharbor/harbor api/v2.0/swagger.yaml@v2.15.2 (Registry.ca_certificate); 0180_2.15.0_schema.up.sql; #22535',
  },
  {
    kind: 'project',
    field: 'metadata.proxy_cache_local_on_not_found',
    release: '2.15.0',
    what: 'proxy-cache projects may serve a cached copy when the upstream lost the tag',
    source: 'goharbor/harbor api/v2.0/swagger.yaml@v2.15.2 (ProjectMetadata.proxy_cache_local_on_not_found)',
  },
];

export function announcedFor(from: string, to: string): AnnouncedChange[] {
  return ANNOUNCED_CHANGES.filter((c) => crosses(from, to, c.release));
}

export function isAnnounced(
  changes: readonly AnnouncedChange[],
  kind: string,
  field: string,
): AnnouncedChange | undefined {
  return changes.find((c) => c.kind === kind && (c.field === field || field.startsWith(`${c.field}.`)));
}
