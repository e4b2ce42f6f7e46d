// Run ids: hc-YYYYMMDD-HHMMSS-xxxx (UTC time + 4 random base-36 chars). Valid Harbor project names and
// Docker label values, sortable by time, and matched by .gitignore (reports/hc-*/).
import { randomBytes } from 'node:crypto';

export const runIdPattern = /^hc-\d{8}-\d{6}-[a-z0-9]{4}$/;

export function newRunId(now: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const date = `${now.getUTCFullYear()}${pad(now.getUTCMonth() + 1)}${pad(now.getUTCDate())}`;
  const time = `${pad(now.getUTCHours())}${pad(now.getUTCMinutes())}${pad(now.getUTCSeconds())}`;
  const suffix = [...randomBytes(4)].map((b) => (b % 36).toString(36)).join('');
  return `hc-${date}-${time}-${suffix}`;
}
