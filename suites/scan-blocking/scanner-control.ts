// The scanner container, where the environment owns it (Target.faults): stop and start it (fault
// injection), and the offline fixture scanner's test-only advisory endpoint (/fixture/advisories).
import Docker from 'dockerode';
import type { Target } from '../../lib/target.ts';
import { scannerUrlOf } from '../../fixtures/scanner/testing/scanner-url.ts';

export function scannerContainer(target: Target): string | undefined {
  return target.faults?.kind === 'docker' ? target.faults.containers.scanner : undefined;
}

export async function stopScanner(target: Target): Promise<void> {
  const id = scannerContainer(target);
  if (!id) throw new Error(`the target names no scanner container`);
  await new Docker().getContainer(id).stop({ t: 2 });
}

/** Starts the scanner container again (a running one is fine). */
export async function startScanner(target: Target): Promise<void> {
  const id = scannerContainer(target);
  if (!id) throw new Error(`the target names no scanner container`);
  const container = new Docker().getContainer(id);
  if ((await container.inspect()).State.Running) return;
  await container.start();
}

/**
 * The URL of the fixture scanner's /fixture/advisories when this target has one (offline stack), or
 * the reason it cannot be used: real Trivy's advisory database cannot be changed by the harness.
 */
export async function fixtureAdvisoriesUrl(target: Target): Promise<{ url: string } | { reason: string }> {
  if (!scannerContainer(target)) return { reason: `the target gives no access to its scanner's advisory data` };
  const base = await scannerUrlOf(target).catch(() => undefined);
  if (!base) return { reason: `the scanner container of the target publishes no port the harness can reach` };
  const url = `${base}/fixture/advisories`;
  const response = await fetch(url).catch(() => undefined);
  if (response?.status !== 200) {
    return {
      reason: `the scanner of the target has no /fixture/advisories (status ${response?.status ?? 'unreachable'}): only the offline fixture scanner lets the harness change advisories`,
    };
  }
  await response.arrayBuffer();
  return { url };
}

export async function readAdvisories(url: string): Promise<unknown[]> {
  const response = await fetch(url);
  if (response.status !== 200) throw new Error(`GET ${url} answered ${response.status}`);
  return (await response.json()) as unknown[];
}

export async function replaceAdvisories(url: string, advisories: unknown[]): Promise<void> {
  const response = await fetch(url, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(advisories),
  });
  if (response.status !== 204)
    throw new Error(`PUT ${url} answered ${response.status}: ${(await response.text()).slice(0, 300)}`);
}
