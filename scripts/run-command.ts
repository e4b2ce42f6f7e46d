// `harbor-conformance run`: environment up, suites, reports, environment down — and the exit code:
// 0 every check passed (warn counts as passed), 1 a check failed, 2 the run could not be made.
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Vitest } from 'vitest/node';
import type { Environment } from '../environments/environment.ts';
import { EnvironmentError } from '../environments/environment.ts';
import { redactText, SecretRegistry } from '../lib/redact.ts';
import type { Target } from '../lib/target.ts';
import { generateAllureReport } from '../reports/allure-report.ts';
import { findChromium, screenshotSummary } from '../reports/summary-screenshot.ts';
import { ProgressReporter } from '../reports/progress-reporter.ts';
import { ResultsCollector } from '../reports/results-collector.ts';
import { newRunId } from '../reports/run-id.ts';
import { describeFinding, scanForSecrets } from '../reports/secret-scan.ts';
import { buildSummary, exitCodeFor, type Summary } from '../reports/summary.ts';
import { missingToolsLine, toolInventory } from '../lib/tools/tool-inventory.ts';
import { renderVerdictTable } from '../reports/verdict-table.ts';
import { writeSummaries } from '../reports/write-summaries.ts';
import { loadCatalog } from '../suites/catalog.ts';
import { PolicyError, policyForRun } from '../policies/security-policy.ts';
import { ConfigError, type RunConfig } from './config.ts';
import { applyDeploymentSettings, systemSettingsOf } from './deployment-settings.ts';
import { loadKeptEnvironment, saveKeptEnvironment } from './environment-state.ts';
import { startEnvironmentGuarded } from './environments.ts';
import { repoRoot, runSuites } from './run-vitest.ts';
import { selectChecks } from './selection.ts';
import { describeSealed, sealRun, teamKeyFor } from './evidence-command.ts';

export const harnessVersion: string = (
  JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }
).version;

export interface RunIo {
  /** Progress for a person (stderr); not called when quiet. */
  progress: (line: string) => void;
  /** The result (stdout): verdict table, where the reports are. */
  out: (line: string) => void;
  color: boolean;
}

/** Lets a signal handler stop a run: aborts environment start-up and cancels the vitest run. */
export class RunControl {
  readonly #abort = new AbortController();
  /** The vitest runs in progress (the selftest has one per stack): an interrupt cancels them all. */
  readonly #vitests = new Set<Vitest>();
  interruptedBy: string | undefined;

  get signal(): AbortSignal {
    return this.#abort.signal;
  }

  abort(reason: Error): void {
    this.#abort.abort(reason);
  }

  interrupt(signalName: string): void {
    if (this.interruptedBy) return;
    this.interruptedBy = signalName;
    this.#abort.abort(new Error(`interrupted by ${signalName}`));
    for (const vitest of this.#vitests) void vitest.cancelCurrentRun('keyboard-input');
  }

  /** A vitest run to cancel on interrupt; forgotten once it is closed. */
  track(vitest: Vitest): void {
    this.#vitests.add(vitest);
    vitest.onClose(() => {
      this.#vitests.delete(vitest);
    });
  }
}

export interface RunOutcome {
  exitCode: 0 | 1 | 2;
  runDir?: string;
  summary?: Summary;
}

export async function runCommand(
  config: RunConfig & { reuse?: boolean; evidence?: { keyFile: string | undefined } },
  io: RunIo,
  control = new RunControl(),
): Promise<RunOutcome> {
  const runId = newRunId();
  const runDir = config.reportDir ?? join(repoRoot, 'reports', runId);
  const catalog = await loadCatalog();
  const selection = selectChecks(catalog, config.suites, config.checks);
  const policy = config.policy ? await readPolicy(config.policy) : null;
  const securityPolicy = validatePolicy(policy, config.policy);
  // The key is loaded before anything starts, so a bad --evidence-key fails in a second, not after the run.
  const evidenceKey = config.evidence ? await teamKeyFor(config.evidence.keyFile, io.progress) : undefined;

  let environment: Environment;
  if (config.keep && !config.reuse) {
    const kept = await loadKeptEnvironment();
    if (kept)
      throw new EnvironmentError(
        `--keep: an environment is already kept up (${kept.env} ${kept.runId}); run \`harbor-conformance env down\` first or use --reuse`,
      );
  }
  if (config.reuse) {
    const kept = await loadKeptEnvironment();
    if (!kept)
      throw new EnvironmentError('--reuse: no environment is kept up; start one with `harbor-conformance env up`');
    io.progress(`reusing the ${kept.env} environment ${kept.runId} (left up afterwards)`);
    environment = { target: kept.target, down: async () => {} };
  } else {
    io.progress(`run ${runId}: starting the ${config.env} environment`);
    environment = await startEnvironmentGuarded(
      config,
      {
        runId,
        ...(config.faultProfile ? { faultProfile: config.faultProfile } : {}),
        ...(config.port ? { harborPort: config.port } : {}),
        ...(config.scanner ? { scanner: config.scanner } : {}),
        systemSettings: systemSettingsOf(securityPolicy),
        log: io.progress,
        signal: control.signal,
      },
      (reason) => control.abort(reason),
    );
  }

  const target: Target = { ...environment.target, runId: config.reuse ? runId : environment.target.runId };
  const secrets = new SecretRegistry();
  if (target.admin.password.length >= 4) secrets.add(target.admin.password);
  if (target.registryStorage && target.registryStorage.s3.secretKey.length >= 4)
    secrets.add(target.registryStorage.s3.secretKey);
  const redact = (text: string) => redactText(text, secrets);
  try {
    control.signal.throwIfAborted();
    await applyDeploymentSettings(target, securityPolicy, io.progress);
    io.progress(
      `target: ${target.kind} Harbor ${target.harborVersion} at ${target.url}; ${selection.checks.length} checks in ${selection.files.length} suite file(s)`,
    );
    const realTools = await toolInventory();
    const missingTools = missingToolsLine(realTools);
    if (missingTools) io.out(missingTools);
    const collector = new ResultsCollector(redact);
    const started = new Date();
    await runSuites({
      files: selection.files,
      target,
      run: { runId: target.runId, runDir, selectedChecks: selection.selectedChecks, policy: securityPolicy },
      reporters: [collector, ...(config.quiet ? [] : [new ProgressReporter(io.progress)])],
      onCreated: (vitest) => control.track(vitest),
    });
    const finished = new Date();
    if (control.interruptedBy) throw new EnvironmentError(`run interrupted by ${control.interruptedBy}`);

    const summary = buildSummary({
      target,
      runId: target.runId,
      started,
      finished,
      harnessVersion,
      environment: config.reuse ? `${target.kind} (reused)` : config.env,
      checks: collector.results,
      realTools,
    });
    await writeSummaries(runDir, summary);
    io.progress('generating the Allure HTML report');
    const allure = await generateAllureReport(
      runDir,
      `Harbor conformance ${target.runId} — ${target.kind} ${target.harborVersion}`,
    );

    // A picture of summary.html for people who open the run directory in a CI artifact viewer.
    const screenshot = findChromium()
      ? await screenshotSummary(runDir).then(
          () => 'summary.png',
          (error: Error) => `summary.png not taken: ${error.message.split('\n')[0]}`,
        )
      : undefined;

    const leaks = await scanForSecrets(runDir, [target.admin.password]);
    io.out(renderVerdictTable(summary, { color: io.color }));
    for (const problem of collector.problems) io.out(`error outside any check (${problem.where}): ${problem.message}`);
    io.out(
      `reports: ${runDir} (summary.html, summary.md, summary.json, junit.xml, allure-results${allure.ok ? ', allure-report' : ''}${screenshot === 'summary.png' ? ', summary.png' : ''})`,
    );
    if (screenshot && screenshot !== 'summary.png') io.out(screenshot);
    if (!allure.ok) io.out(`Allure HTML report not generated: ${allure.why}`);
    if (leaks.length > 0) {
      io.out(`SECRET LEAK: ${leaks.map(describeFinding).join(', ')} — do not publish ${runDir}`);
      return { exitCode: 1, runDir, summary };
    }
    if (evidenceKey) for (const line of describeSealed(await sealRun(runDir, evidenceKey))) io.out(line);
    const exitCode = collector.problems.length > 0 ? 1 : exitCodeFor(summary);
    return { exitCode, runDir, summary };
  } finally {
    if (config.keep && !config.reuse && !control.interruptedBy) {
      await saveKeptEnvironment({
        env: config.env,
        runId: target.runId,
        startedAt: new Date().toISOString(),
        target: environment.target,
      });
      io.out(`environment ${target.runId} kept up (--keep): harbor-conformance env down removes it`);
    } else {
      io.progress(`tearing down the ${config.env} environment`);
      await environment.down();
    }
  }
}

/** The security policy (--policy, else policies/default-policy.json), validated before anything starts. */
export function validatePolicy(policy: unknown, path: string | undefined) {
  try {
    return policyForRun(policy);
  } catch (error) {
    if (error instanceof PolicyError)
      throw new ConfigError(error.problems.map((p) => (path ? p.replace(/^--policy/, `--policy ${path}`) : p)));
    throw error;
  }
}

export async function readPolicy(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new ConfigError([`--policy ${path}: ${(error as Error).message.split('\n')[0]}`]);
  }
}
