// `npm run bench:scanners`: what a scan of each distro fixture costs with real Trivy and with the built-in
// matcher, measured side by side in one run: both engines scan the same pushed image from the same host
// registry (Basic auth, as Harbor hands over), --rounds times each, alternating; the table shows the median
// per engine and the ratio. Options: --rounds N (default 3), --verbose.
import { Command } from 'commander';
import { startLocalRegistry, hasDockerRegistryBinary } from '../lib/oci/local-registry.ts';
import { RegistryClient } from '../lib/oci/registry-client.ts';
import { DISTRO_FIXTURE_NAMES, buildDistroImage } from '../fixtures/distro/distro-fixtures.ts';
import { pushImage } from '../fixtures/images/push-image.ts';
import { createBuiltinEngine } from '../fixtures/scanner/builtin-engine.ts';
import type { ScanEngine, ValidScanRequest } from '../fixtures/scanner/scan-engine.ts';
import { hostTrivyMissing, startHostTrivyEngine } from '../fixtures/scanner/testing/host-trivy-engine.ts';

const options = new Command('bench-scanners')
  .description('scan time of each distro fixture with real Trivy vs the built-in matcher')
  .option('--rounds <n>', 'scans per fixture and engine', '3')
  .option('--verbose', 'print every scan')
  .parse()
  .opts<{ rounds: string; verbose?: boolean }>();

const rounds = Number(options.rounds);
if (!Number.isInteger(rounds) || rounds < 1) {
  process.stderr.write(`bench-scanners: --rounds ${JSON.stringify(options.rounds)} is not a whole number ≥ 1\n`);
  process.exit(2);
}
const missing = !hasDockerRegistryBinary()
  ? 'no docker-registry binary (apt-get install docker-registry)'
  : hostTrivyMissing();
if (missing) {
  process.stderr.write(`bench-scanners: ${missing}\n`);
  process.exit(2);
}

const user = { username: 'robot$bench', password: 'Bench-Secret-1' };
const authorization = `Basic ${Buffer.from(`${user.username}:${user.password}`).toString('base64')}`;
const registry = await startLocalRegistry({ auth: { kind: 'htpasswd', users: { [user.username]: user.password } } });
const trivy = await startHostTrivyEngine((line) => process.stderr.write(`${line}\n`));
try {
  const client = new RegistryClient({ baseUrl: registry.url, credentials: user });
  const requests = new Map<string, ValidScanRequest>();
  for (const name of DISTRO_FIXTURE_NAMES) {
    const pushed = await pushImage(
      client,
      `bench/${name}`,
      'v1',
      buildDistroImage(name, name.startsWith('debian') ? 'docker' : 'oci'),
    );
    requests.set(name, {
      registry: { url: registry.url, authorization },
      artifact: { repository: `bench/${name}`, digest: pushed.digest, mime_type: pushed.mediaType },
    });
  }
  const engines: ScanEngine[] = [createBuiltinEngine(), trivy.engine];
  const timeScan = async (engine: ScanEngine, request: ValidScanRequest) => {
    const t = performance.now();
    const { report } = await engine.scan(request);
    return { ms: performance.now() - t, findings: report.vulnerabilities?.length ?? 0 };
  };
  // one unmeasured scan per engine: Trivy's first run opens its DB and layer cache
  for (const engine of engines) await timeScan(engine, requests.get('alpine-vulnerable')!);

  const rows: string[][] = [];
  for (const [name, request] of requests) {
    const samples = new Map<string, number[]>(engines.map((e) => [e.engine, []]));
    const findings = new Map<string, number>();
    for (let round = 0; round < rounds; round++) {
      for (const engine of round % 2 === 0 ? engines : [...engines].reverse()) {
        const { ms, findings: n } = await timeScan(engine, request);
        samples.get(engine.engine)!.push(ms);
        findings.set(engine.engine, n);
        if (options.verbose) process.stderr.write(`  ${name} ${engine.engine}: ${ms.toFixed(0)} ms, ${n} findings\n`);
      }
    }
    const builtin = median(samples.get('builtin')!);
    const real = median(samples.get('trivy')!);
    rows.push([
      name,
      `${builtin.toFixed(0)} ms`,
      `${real.toFixed(0)} ms`,
      `${(real / builtin).toFixed(1)}×`,
      `${findings.get('builtin')} / ${findings.get('trivy')}`,
    ]);
  }
  const header = [
    'fixture',
    'built-in (median)',
    `Trivy ${trivy.engine.scanner.version} (median)`,
    'Trivy / built-in',
    'findings built-in / Trivy',
  ];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(
    `scan time per fixture, ${rounds} rounds each, both engines in one run (DB ${trivy.db.hash}, built ${trivy.db.metadata.UpdatedAt})`,
  );
  console.log(line(header));
  for (const row of rows) console.log(line(row));
} finally {
  await trivy.remove();
  await registry.stop();
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
