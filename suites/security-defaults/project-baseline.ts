// Compares a project's metadata with the baseline, the way Harbor reads the keys (goharbor/harbor src/pkg/project/models/pro_meta.go@v2.15.x):
// booleans are true when "true"/"1" (any case), absent ones are false except reuse_sys_cve_allowlist
// (absent → true); a severity threshold at or below the baseline's blocks at least as much.
import type { ProjectMetadata } from '../../lib/harbor-api-types.ts';
import type { SecurityPolicy } from '../../policies/security-policy.ts';

type Baseline = SecurityPolicy['projectBaseline']['metadata'];

const SEVERITY_ORDER = ['none', 'low', 'medium', 'high', 'critical'];
const DEFAULT_TRUE = new Set(['reuse_sys_cve_allowlist']);

function isTrue(value: string | undefined, key: string): boolean {
  if (value === undefined) return DEFAULT_TRUE.has(key);
  return value.toLowerCase() === 'true' || value === '1';
}

/** The baseline keys this project does not meet, e.g. `prevent_vul is false (baseline true)`. */
export function baselineViolations(metadata: ProjectMetadata, baseline: Baseline): string[] {
  const violations: string[] = [];
  for (const [key, wanted] of Object.entries(baseline) as [keyof Baseline, string][]) {
    const actual = metadata[key];
    if (key === 'severity') {
      // Absent/unknown severity blocks every finding under prevent_vul: stricter than any threshold.
      const rank = actual === undefined ? -1 : SEVERITY_ORDER.indexOf(actual.toLowerCase());
      if (rank > SEVERITY_ORDER.indexOf(wanted))
        violations.push(`severity is ${actual} (baseline ${wanted} or stricter)`);
      continue;
    }
    const want = wanted === 'true';
    if (isTrue(actual, key) !== want) violations.push(`${key} is ${actual ?? 'unset'} (baseline ${wanted})`);
  }
  return violations;
}
