// What a running scanner adapter says about itself (GET /api/v1/metadata of the pluggable scanner API),
// for the Target and every report: name, vendor, version and the date of its vulnerability DB.
import type { ScannerInfo } from '../lib/target.ts';
import { EnvironmentError } from './environment.ts';

const DB_UPDATED = 'harbor.scanner-adapter/vulnerability-database-updated-at';

/** `exactAdvisorySet`: the environment knows the adapter scans with exactly fixtures/advisories. */
export async function describeScanner(
  url: string,
  exactAdvisorySet: boolean,
  signal?: AbortSignal,
): Promise<ScannerInfo> {
  const response = await fetch(`${url}/api/v1/metadata`, signal ? { signal } : {});
  if (!response.ok)
    throw new EnvironmentError(
      `the scanner adapter's metadata (${url}/api/v1/metadata) answered HTTP ${response.status}`,
    );
  const metadata = (await response.json()) as {
    scanner?: { name?: string; vendor?: string; version?: string };
    properties?: Record<string, string>;
  };
  const updatedAt = metadata.properties?.[DB_UPDATED];
  return {
    name: metadata.scanner?.name ?? 'Unknown',
    vendor: metadata.scanner?.vendor ?? 'Unknown',
    version: metadata.scanner?.version ?? 'Unknown',
    ...(updatedAt ? { databaseUpdatedAt: updatedAt } : {}),
    exactAdvisorySet,
  };
}
