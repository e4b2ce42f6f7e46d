import { describe, expect, it } from 'vitest';
import { baselineViolations } from './project-baseline.ts';

describe('project baseline', () => {
  const baseline = {
    auto_scan: 'true',
    prevent_vul: 'true',
    severity: 'high',
    enable_content_trust_cosign: 'true',
  } as const;
  it('accepts a project at or stricter than the baseline, reading booleans as Harbor does', () => {
    expect(
      baselineViolations(
        { auto_scan: 'TRUE', prevent_vul: '1', severity: 'medium', enable_content_trust_cosign: 'true' },
        baseline,
      ),
    ).toEqual([]);
    expect(
      baselineViolations({ auto_scan: 'true', prevent_vul: 'true', enable_content_trust_cosign: 'true' }, baseline),
    ).toEqual([]);
  });
  it('names each key a project misses', () => {
    expect(baselineViolations({ public: 'false', severity: 'critical' }, baseline)).toEqual([
      'auto_scan is unset (baseline true)',
      'prevent_vul is unset (baseline true)',
      'severity is critical (baseline high or stricter)',
      'enable_content_trust_cosign is unset (baseline true)',
    ]);
    expect(baselineViolations({}, { reuse_sys_cve_allowlist: 'false' })).toEqual([
      'reuse_sys_cve_allowlist is unset (baseline false)',
    ]);
  });
});
