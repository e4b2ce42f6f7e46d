// The auth header a check gives a webhook target: `Bearer hcwh_<32 hex>`. The shape is one the run's secret scan
// knows (reports/secret-scan.ts), so the header is found wherever it leaks — recordings, evidence, reports.
import { randomBytes } from 'node:crypto';

export function webhookAuthHeader(): string {
  return `Bearer hcwh_${randomBytes(16).toString('hex')}`;
}
