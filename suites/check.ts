// The check API suites are written with: defineCheck(definition, async (ctx) => { ... }).
// A check is a vitest test carrying its definition in task meta; the reports read verdicts from there:
// passed, failed, skipped (with the reason) and warn (the test passes, ctx.warn() recorded a fact).
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { inject, test, type TestContext } from 'vitest';
import * as allure from 'allure-js-commons';
import type { Target } from '../lib/target.ts';
import type { SecurityPolicy } from '../policies/security-policy.ts';
import type { CapabilityName, CheckDefinition } from './check-definition.ts';
import { skipReasonFor } from './check-gate.ts';
import { CheckHttp } from './check-http.ts';
import { EvidenceRecorder } from './evidence.ts';
import { redactText, SecretRegistry } from '../lib/redact.ts';
import type { RunContext } from './run-context.ts';
import './run-context.ts';
import { checkFixtures, type CheckFixtures } from './support/check-fixtures.ts';

export interface CheckWarning {
  /** What the check found, e.g. "any cosign signature counts as signed, whatever the key". */
  fact: string;
  /** Where the fact comes from, e.g. "goharbor/harbor src/controller/artifact/...". */
  source: string;
}

/** Stored in the vitest task meta; read by reports/ in the main process. */
export interface CheckTaskMeta {
  check: CheckDefinition;
  warnings: CheckWarning[];
}

declare module 'vitest' {
  interface TaskMeta {
    harborCheck?: CheckTaskMeta;
  }
}

/** What a check body gets; `api`, `registry`, `project()` and `robot()` are fixtures (suites/support/check-fixtures.ts). */
export interface CheckContext extends CheckFixtures {
  readonly target: Target;
  readonly runId: string;
  readonly check: CheckDefinition;
  /** The security baseline of the run (--policy, else policies/default-policy.json), parsed once by the CLI. */
  readonly policy: SecurityPolicy;
  readonly evidence: EvidenceRecorder;
  /** HTTP to the target; every exchange is recorded (redacted) as evidence. */
  readonly http: CheckHttp;
  readonly secrets: SecretRegistry;
  readonly signal: AbortSignal;
  /** Record a known weakness: the check still passes, its verdict becomes `warn`. */
  warn(fact: string, source: string): void;
  /** Skip the check with the reason in the report unless the capability (or condition) holds. */
  skipUnless(capability: CapabilityName | boolean, reason: string): void;
  skip(reason: string): never;
  /** Register a secret created during the check (robot secret, token) so evidence never shows it. */
  secret(value: string): void;
  /** Runs after the check, also when it failed; a failing cleanup fails the check. Last in, first out. */
  cleanup(fn: () => Promise<void> | void): void;
  /** A named step (Allure step + timing evidence). */
  step<T>(name: string, fn: () => Promise<T>): Promise<T>;
  /** A name unique to this run and check, valid as a Harbor project name. */
  resourceName(suffix?: string): string;
}

export type CheckBody = (ctx: CheckContext) => Promise<void>;

/**
 * A check: its definition (timeout and all) comes from the suite's catalog. `options.timeoutMs` is kept for
 * checks written before the catalog carried `timeoutMs`; set the timeout in catalog.ts instead.
 */
export function defineCheck(check: CheckDefinition, body: CheckBody, options: { timeoutMs?: number } = {}): void {
  const run = inject('run');
  if (!run) throw new Error('conformance suites run through `harbor-conformance run` (no run context was provided)');
  if (run.selectedChecks && !run.selectedChecks.includes(check.id)) return;
  test(`${check.id} ${check.title}`, { timeout: options.timeoutMs ?? check.timeoutMs }, async (testContext) => {
    await runCheck(check, body, testContext, run);
  });
}

async function runCheck(check: CheckDefinition, body: CheckBody, t: TestContext, run: RunContext): Promise<void> {
  const target = inject('target');
  const meta: CheckTaskMeta = { check, warnings: [] };
  t.task.meta.harborCheck = meta;
  await labelAllureResult(check, target);

  const gate = skipReasonFor(check, target);
  if (gate) {
    await t.annotate(`skipped: ${gate}`, 'skip');
    t.skip(gate);
  }

  const secrets = new SecretRegistry();
  registerSecret(secrets, target.admin.password);
  const evidence = new EvidenceRecorder(secrets);
  const cleanups: Array<() => Promise<void> | void> = [];
  // Annotations become JUnit <properties>, so warn verdicts and skip reasons reach CI systems too.
  const annotations: Promise<unknown>[] = [];
  const fixtures = checkFixtures({
    target,
    evidence,
    runId: run.runId,
    check,
    resourceName: (suffix) => ctx.resourceName(suffix),
    secret: (value) => ctx.secret(value),
    cleanup: (fn) => ctx.cleanup(fn),
    step: (name, fn) => ctx.step(name, fn),
  });
  const ctx: CheckContext = {
    target,
    runId: run.runId,
    check,
    policy: run.policy,
    get api() {
      return fixtures.api;
    },
    get registry() {
      return fixtures.registry;
    },
    project: (metadata) => fixtures.project(metadata),
    robot: (grant) => fixtures.robot(grant),
    evidence,
    http: new CheckHttp(target, evidence, t.signal),
    secrets,
    signal: t.signal,
    warn(fact, source) {
      meta.warnings.push({ fact: redactText(fact, secrets), source });
      t.task.meta.harborCheck = meta;
      evidence.note('warning', `${fact} (source: ${source})`);
      annotations.push(t.annotate(`WARN: ${redactText(fact, secrets)} (source: ${source})`, 'warning'));
    },
    skipUnless(capability, reason) {
      const holds = typeof capability === 'boolean' ? capability : target.capabilities[capability];
      if (!holds) t.skip(reason);
    },
    skip(reason): never {
      t.skip(reason);
      throw new Error('unreachable: vitest skip did not throw');
    },
    secret(value) {
      registerSecret(secrets, value);
    },
    cleanup(fn) {
      cleanups.push(fn);
    },
    async step(name, fn) {
      const started = performance.now();
      try {
        return await allure.step(name, fn);
      } finally {
        evidence.timing(name, performance.now() - started);
      }
    },
    resourceName(suffix) {
      return [run.runId, check.id.toLowerCase(), suffix].filter(Boolean).join('-');
    },
  };

  const started = performance.now();
  let failure: unknown;
  try {
    await body(ctx);
  } catch (error) {
    failure = error;
  }
  for (const fn of cleanups.reverse()) {
    try {
      await fn();
    } catch (error) {
      evidence.note('cleanup failed', error instanceof Error ? error.message : String(error));
      failure ??= new Error(`cleanup failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  evidence.timing('check', performance.now() - started);
  await Promise.allSettled(annotations);
  await saveEvidence(check, evidence, meta, run);
  if (failure !== undefined) throw failure;
}

function registerSecret(secrets: SecretRegistry, value: string): void {
  // Values under 4 characters are refused by the registry; they would garble evidence anyway.
  if (value.length >= 4) secrets.add(value);
}

async function labelAllureResult(check: CheckDefinition, target: Target): Promise<void> {
  await allure.allureId(check.id);
  await allure.feature(check.suite);
  await allure.epic(`Harbor ${target.harborVersion} (${target.kind})`);
  await allure.label('check_id', check.id);
  await allure.label('mutating', String(check.mutating));
  for (const control of check.controls) {
    await allure.label('control', control);
    const url = controlDocument(control);
    if (url) await allure.link(url, control, 'control');
  }
  await allure.tags(check.id, ...check.controls);
  await allure.parameter('target', `${target.kind} ${target.url}`);
}

/** Where a control's text is published, for the Allure link next to the label. */
function controlDocument(control: string): string | undefined {
  if (control.startsWith('NIST SP 800-190')) return 'https://csrc.nist.gov/pubs/sp/800/190/final';
  if (control.startsWith('NIST SP 800-53')) return 'https://csrc.nist.gov/pubs/sp/800/53/r5/upd1/final';
  if (control.startsWith('NIST SP 800-218') || control.startsWith('SSDF'))
    return 'https://csrc.nist.gov/pubs/sp/800/218/final';
  if (control.startsWith('SLSA')) return 'https://slsa.dev/spec/v1.0/levels';
  if (control.startsWith('CIS')) return 'https://www.cisecurity.org/benchmark/docker';
  return undefined;
}

async function saveEvidence(
  check: CheckDefinition,
  evidence: EvidenceRecorder,
  meta: CheckTaskMeta,
  run: RunContext,
): Promise<void> {
  const json = evidence.toJson();
  await allure.attachment(`evidence ${check.id}.json`, json, { contentType: 'application/json' });
  if (meta.warnings.length > 0) {
    await allure.label('verdict', 'warn');
    const text = meta.warnings.map((w) => `WARN ${w.fact}\n  source: ${w.source}`).join('\n');
    await allure.attachment('warnings.txt', text, { contentType: 'text/plain' });
  }
  const dir = join(run.runDir, 'evidence');
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, `${check.id}.json`), json);
}
