// Which engine the offline stack's scanner runs: real Trivy by default, the built-in matcher when asked
// (--scanner builtin / HC_SCANNER=builtin) or when Trivy was never built here (no Go: said in one line, and
// every report names the scanner that made its findings).
import { missingToolReason, resolveGoTool } from '../../lib/tools/go-tools.ts';
import { EnvironmentError } from '../environment.ts';
import type { OfflineImageName } from './images/offline-images.ts';

export type ScannerEngine = 'trivy' | 'builtin';

export function chooseScannerEngine(requested: ScannerEngine | undefined, log: (line: string) => void): ScannerEngine {
  if (requested === 'builtin') return 'builtin';
  const missing = (['trivy', 'trivy-db'] as const).filter((tool) => !resolveGoTool(tool));
  if (missing.length === 0) return 'trivy';
  const reason = missing.map((tool) => missingToolReason(tool)).join('; ');
  if (requested === 'trivy')
    throw new EnvironmentError(`--scanner trivy: ${reason}; run scripts/tools/build-go-tools.sh trivy trivy-db`);
  log(`scanner: real Trivy is not available (${reason}); the stack scans with the built-in matcher`);
  return 'builtin';
}

export function scannerImageOf(engine: ScannerEngine): OfflineImageName {
  return engine === 'trivy' ? 'trivy-scanner' : 'fixture-scanner';
}
