// summary.json: the run's verdict in one file (schema from issue 4). summary.md and summary.html render it.
import type { Target, TargetKind } from '../lib/target.ts';
import type { CheckResult, Verdict } from './check-result.ts';
import type { ToolStatus } from '../lib/tools/tool-inventory.ts';

export interface Summary {
  target: { kind: TargetKind; url: string; harbor_version: string };
  /** The scanner that made every scan finding of this run (null where the environment does not know it). */
  scanner: { name: string; vendor: string; version: string; database_updated_at: string | null } | null;
  run: {
    id: string;
    started: string;
    finished: string;
    harness_version: string;
    environment: string;
    /** Offline only: the Harbor double's fault profile switched on for this run, else null. */
    fault_profile: string | null;
    /** The real tools (cosign, notation, crane, the OCI conformance program…): built, from PATH with its version, or missing. */
    real_tools?: ToolStatus[];
  };
  checks: CheckResult[];
  totals: Record<Verdict, number> & { total: number };
}

export interface SummaryInput {
  target: Pick<Target, 'kind' | 'url' | 'harborVersion' | 'faultProfile' | 'scanner'>;
  runId: string;
  started: Date;
  finished: Date;
  harnessVersion: string;
  environment: string;
  checks: CheckResult[];
  realTools?: ToolStatus[];
}

export function buildSummary(input: SummaryInput): Summary {
  const totals = { passed: 0, failed: 0, warn: 0, skipped: 0, total: input.checks.length };
  for (const check of input.checks) totals[check.status] += 1;
  return {
    target: { kind: input.target.kind, url: input.target.url, harbor_version: input.target.harborVersion },
    scanner: input.target.scanner
      ? {
          name: input.target.scanner.name,
          vendor: input.target.scanner.vendor,
          version: input.target.scanner.version,
          database_updated_at: input.target.scanner.databaseUpdatedAt ?? null,
        }
      : null,
    run: {
      id: input.runId,
      started: input.started.toISOString(),
      finished: input.finished.toISOString(),
      harness_version: input.harnessVersion,
      environment: input.environment,
      fault_profile: input.target.faultProfile ?? null,
      ...(input.realTools ? { real_tools: input.realTools } : {}),
    },
    checks: input.checks,
    totals,
  };
}

/** The line every report leads with, so an offline run is never mistaken for real Harbor. */
export function targetDisclaimer(summary: Summary): string {
  const base = `Target: ${summary.target.kind} Harbor ${summary.target.harbor_version} at ${summary.target.url}`;
  if (summary.target.kind === 'offline') {
    const fault = summary.run.fault_profile ? `, fault profile "${summary.run.fault_profile}" switched on` : '';
    return `${base} — the offline stand-in (Harbor double built by this harness${fault}), not a certification of real Harbor.`;
  }
  return `${base}.`;
}

/** 0 when nothing failed (warn counts as passed), 1 otherwise. */
export function exitCodeFor(summary: Summary): 0 | 1 {
  return summary.totals.failed > 0 ? 1 : 0;
}

/** "Trivy 0.74.0 (Aqua Security), DB 2026-12-01T09:00:00Z": the scanner line of every report. */
export function scannerLine(summary: Summary): string {
  const s = summary.scanner;
  if (!s) return 'not known to the harness';
  return `${s.name} ${s.version} (${s.vendor}), vulnerability DB ${s.database_updated_at ?? 'date unknown'}`;
}
