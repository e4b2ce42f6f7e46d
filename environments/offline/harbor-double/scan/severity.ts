// Harbor's severity scale (src/pkg/scan/vuln/severity.go; goharbor/harbor src/pkg/scan/vuln/summary.go@v2.15.x): names normalised
// with ParseSeverityVersion3 and ordered by code.

export const SEVERITY_CODES: Record<string, number> = {
  None: 0,
  Unknown: 0,
  Negligible: 1,
  Low: 2,
  Medium: 3,
  High: 4,
  Critical: 5,
};

/** Title case; Negligible → None; anything unknown → Unknown. */
export function parseSeverity(value: string | undefined): string {
  const lower = (value ?? '').toLowerCase();
  if (lower === 'negligible') return 'None';
  const title = lower.charAt(0).toUpperCase() + lower.slice(1);
  return ['None', 'Unknown', 'Low', 'Medium', 'High', 'Critical'].includes(title) ? title : 'Unknown';
}

export function severityCode(value: string): number {
  return SEVERITY_CODES[value] ?? 99;
}
