// The gate's verdicts as checks (the same CheckResult the run reports use): one per kind of loss the inventory diff
// finds, one for the upgraded Harbor itself, and one per known breakage the jump crosses.
import type { CheckResult } from '../../reports/check-result.ts';
import type { Finding, FindingType, InventoryDiff } from './inventory-diff.ts';
import type { KnownBreakage } from './known-breakages.ts';
import type { VerdictChange } from './suite-verdicts.ts';

interface DiffCheck {
  id: string;
  type: FindingType;
  title: string;
  remediation: string;
}

export const DIFF_CHECKS: readonly DiffCheck[] = [
  {
    id: 'GATE-001',
    type: 'missing',
    title: 'Every seeded object is still there after the upgrade',
    remediation: 'Do not upgrade: restore the backup under --from and report the migration that drops the objects.',
  },
  {
    id: 'GATE-002',
    type: 'changed',
    title: 'No field changes across the upgrade that the release notes do not announce',
    remediation:
      'Compare the changed fields with the release notes; re-apply the settings after the upgrade or hold it.',
  },
  {
    id: 'GATE-003',
    type: 'not-pulling',
    title: 'Every artifact pulls byte for byte after the upgrade',
    remediation:
      "Do not upgrade: an artifact that no longer pulls breaks deployments; check the registry's storage settings.",
  },
  {
    id: 'GATE-004',
    type: 'disabled',
    title: 'No policy that was enabled is disabled by the upgrade',
    remediation: 'Re-enable the policies after the upgrade (and read the reason Harbor wrote into their description).',
  },
  {
    id: 'GATE-005',
    type: 'scan-report-lost',
    title: 'Scan reports survive the upgrade',
    remediation:
      'Plan a scan of every artifact right after the upgrade: until then prevent_vul has no report to judge by.',
  },
];

const MAX_REASON = 600;

function reasonOf(findings: readonly Finding[]): string {
  const text = findings.map((f) => f.message).join('; ');
  return text.length > MAX_REASON ? `${text.slice(0, MAX_REASON)}… (${findings.length} findings)` : text;
}

export function diffChecks(diff: InventoryDiff, durationMs: number): CheckResult[] {
  return DIFF_CHECKS.map((check) => {
    const found = diff.findings.filter((f) => f.type === check.type);
    return {
      id: check.id,
      title: check.title,
      suite: 'gate',
      status: found.length > 0 ? 'failed' : 'passed',
      reason: found.length > 0 ? reasonOf(found) : null,
      controls: ['NIST SP 800-190 4.5.1', 'SSDF PO.5'],
      duration_ms: durationMs,
      ...(found.length > 0 ? { remediation: check.remediation } : {}),
    };
  });
}

export function versionCheck(expected: string, reported: string, healthy: boolean, durationMs: number): CheckResult {
  const ok = healthy && reported.startsWith(expected);
  return {
    id: 'GATE-006',
    title: 'The upgraded Harbor is healthy and reports the --to release',
    suite: 'gate',
    status: ok ? 'passed' : 'failed',
    reason: ok
      ? null
      : `health ${healthy ? 'healthy' : 'not healthy'}, systeminfo harbor_version ${reported}, expected ${expected}`,
    controls: ['SSDF PO.5'],
    duration_ms: durationMs,
    ...(ok ? {} : { remediation: "Read core's log of the first start at --to: the migration or a component failed." }),
  };
}

/** warn: applies to this jump, do what it says first; skipped: needs Harbor's own images and the target has none. */
export function breakageChecks(breakages: readonly KnownBreakage[], harborImages: boolean): CheckResult[] {
  return breakages.map((b) => ({
    id: b.id,
    title: `Known breakage (${b.release}): ${b.title}`,
    suite: 'gate',
    status: b.scope === 'harbor-images' && !harborImages ? 'skipped' : 'warn',
    reason:
      b.scope === 'harbor-images' && !harborImages
        ? `applies to Harbor's own images only; this target has none (${b.breaks.slice(0, 160)}…). Before upgrading: ${b.before}`
        : `${b.breaks} Before upgrading: ${b.before} (sources: ${b.sources.join('; ')})`,
    controls: ['SSDF PO.5'],
    duration_ms: 0,
    remediation: b.before,
  }));
}

/** failed when a suite check that passed (or warned) before the upgrade fails after it; other changes are listed. */
export function verdictCheck(changes: readonly VerdictChange[]): CheckResult {
  const regressions = changes.filter((c) => c.after === 'failed' && (c.before === 'passed' || c.before === 'warn'));
  return {
    id: 'GATE-007',
    title: 'No suite check that passed before the upgrade fails after it',
    suite: 'gate',
    status: regressions.length > 0 ? 'failed' : 'passed',
    reason:
      changes.length === 0
        ? null
        : changes
            .map((c) => `${c.id} ${c.before} → ${c.after}${c.after === 'failed' ? ` (${c.reason ?? ''})` : ''}`)
            .join('; ')
            .slice(0, MAX_REASON),
    controls: ['SSDF PO.5'],
    duration_ms: 0,
    ...(regressions.length > 0
      ? {
          remediation:
            "Read the failing checks' remediation: the candidate release behaves differently on this estate.",
        }
      : {}),
  };
}

/** --rollback: the backup restored under --from gives back the estate as it was, every artifact pulling again. */
export function rollbackCheck(diff: InventoryDiff): CheckResult {
  const found = diff.findings;
  return {
    id: 'GATE-008',
    title: 'Restoring the backup under --from gives the estate back, every artifact pulling byte for byte',
    suite: 'gate',
    status: found.length > 0 ? 'failed' : 'passed',
    reason: found.length > 0 ? reasonOf(found) : null,
    controls: ['NIST SP 800-190 4.5.1', 'SSDF PO.5'],
    duration_ms: 0,
    ...(found.length > 0
      ? { remediation: 'The backup does not restore the estate: fix the backup procedure before upgrading.' }
      : {}),
  };
}
