// Compares the inventories before and after the upgrade. A finding is: an object that is gone, a field whose value
// changed (or appeared, or went) that no release note announces, an artifact that no longer pulls byte for byte,
// a policy that was enabled and is not any more. Announced changes are listed apart, as notes.
import type { AnnouncedChange } from './announced-changes.ts';
import { isAnnounced } from './announced-changes.ts';
import { INVENTORY_KINDS, type Inventory, type InventoryKind } from './inventory.ts';

export type FindingType = 'missing' | 'changed' | 'not-pulling' | 'disabled' | 'scan-report-lost';

export interface Finding {
  type: FindingType;
  kind: InventoryKind;
  key: string;
  field?: string;
  before?: unknown;
  after?: unknown;
  message: string;
}

export interface AnnouncedDifference {
  kind: InventoryKind;
  key: string;
  field: string;
  change: AnnouncedChange;
}

export interface InventoryDiff {
  findings: Finding[];
  announced: AnnouncedDifference[];
  /** Objects compared per kind (those present before). */
  compared: Record<InventoryKind, number>;
}

/** Nested JSON as dotted paths (arrays stay whole values: order and content compared at once). */
export function flatten(value: unknown, prefix = ''): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { [prefix]: value };
  const out: Record<string, unknown> = {};
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0 && prefix) out[prefix] = {};
  for (const [key, inner] of entries) Object.assign(out, flatten(inner, prefix ? `${prefix}.${key}` : key));
  return out;
}

const show = (value: unknown): string => (value === undefined ? '(absent)' : JSON.stringify(value));

export function diffInventories(
  before: Inventory,
  after: Inventory,
  announced: readonly AnnouncedChange[],
): InventoryDiff {
  const findings: Finding[] = [];
  const notes: AnnouncedDifference[] = [];
  const compared = Object.fromEntries(INVENTORY_KINDS.map((k) => [k, 0])) as Record<InventoryKind, number>;
  for (const kind of INVENTORY_KINDS) {
    for (const [key, old] of Object.entries(before.objects[kind])) {
      compared[kind] += 1;
      const now = after.objects[kind][key];
      if (!now) {
        findings.push({ type: 'missing', kind, key, message: `${kind} ${key} is gone after the upgrade` });
        continue;
      }
      const a = flatten(old);
      const b = flatten(now);
      for (const field of new Set([...Object.keys(a), ...Object.keys(b)])) {
        if (JSON.stringify(a[field]) === JSON.stringify(b[field])) continue;
        const change = isAnnounced(announced, kind, field);
        if (change) {
          notes.push({ kind, key, field, change });
          continue;
        }
        const finding = classify(kind, key, field, a[field], b[field]);
        // a lost report shows in every field of it: one finding per artifact
        if (finding.type === 'scan-report-lost' && findings.some((f) => f.type === finding.type && f.key === key))
          continue;
        findings.push(finding);
      }
    }
  }
  return { findings, announced: notes, compared };
}

function classify(kind: InventoryKind, key: string, field: string, before: unknown, after: unknown): Finding {
  const base = { kind, key, field, before, after };
  if (kind === 'artifact' && field === 'pull' && String(after).startsWith('failed'))
    return { ...base, type: 'not-pulling', message: `artifact ${key} no longer pulls byte for byte: ${String(after)}` };
  if (
    kind === 'artifact' &&
    (field === 'scan' || field.startsWith('scan.')) &&
    (after === 'not scanned' || after === undefined)
  )
    return {
      ...base,
      type: 'scan-report-lost',
      message: `artifact ${key} lost its scan report: it is "not scanned" after the upgrade`,
    };
  if (
    (field === 'enabled' && before === true && after !== true) ||
    (field === 'disabled' && before === false && after === true)
  )
    return { ...base, type: 'disabled', message: `${kind} ${key} was enabled and is disabled after the upgrade` };
  return {
    ...base,
    type: 'changed',
    message: `${kind} ${key}: ${field} changed from ${show(before)} to ${show(after)} (not announced)`,
  };
}
