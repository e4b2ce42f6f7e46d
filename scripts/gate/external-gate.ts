// The gate on an external Harbor (a staging copy), in two phases around the team's own upgrade: `--phase before`
// seeds and inventories (and runs the suites) and writes gate-state.json; `--phase after --state` inventories again,
// judges, writes the report and removes the estate.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { redactText, SecretRegistry } from '../../lib/redact.ts';
import { newRunId } from '../../reports/run-id.ts';
import { loadRunConfig } from '../config.ts';
import { startEnvironmentGuarded } from '../environments.ts';
import type { RunControl, RunIo } from '../run-command.ts';
import { GateInputError, type GatePlan } from './gate-plan.ts';
import { gateSession, inventoryOf, reportedHarborVersion } from './gate-session.ts';
import type { Inventory } from './inventory.ts';
import { emptyEstate, removeEstate, seedEstate, type SeededEstate } from './seed-estate.ts';
import { gateSuiteSelection, runSuiteSelection, suitesDir } from './suite-verdicts.ts';
import type { CheckResult } from '../../reports/check-result.ts';
import { judgeUpgrade, reportOutcome, targetSecrets } from './judge-upgrade.ts';
import type { GateFlags } from './run-gate.ts';

const seconds = (since: number) => (performance.now() - since) / 1000;

interface ExternalState {
  runId: string;
  plan: GatePlan;
  estate: SeededEstate;
  before: Inventory;
  suites: string[];
  verdictsBefore: CheckResult[];
  started: string;
  timings: Record<string, number>;
}

/** External Harbor: `--phase before` seeds and inventories; the team upgrades; `--phase after --state` judges. */
export async function runExternalPhase(
  plan: GatePlan,
  flags: GateFlags,
  io: RunIo,
  control: RunControl,
): Promise<0 | 1 | 2> {
  if (!flags.phase)
    throw new GateInputError(
      'gate --env external needs --phase before (seed, inventory) or --phase after --state <gate-state.json>',
    );
  const config = loadRunConfig({
    env: 'external',
    ...(flags.url ? { url: flags.url } : {}),
    ...(flags.username ? { username: flags.username } : {}),
    ...(flags.allowMutating ? { allowMutating: true } : {}),
    ...(flags.config ? { config: flags.config } : {}),
  });
  if (!config.allowMutating)
    throw new GateInputError('gate --env external seeds run-id-named projects: pass --allow-mutating');
  const secrets = new SecretRegistry();
  const say = (line: string) => io.progress(redactText(line, secrets));
  const redact = (text: string) => redactText(text, secrets);
  const state = flags.phase === 'after' ? await readState(flags.state) : undefined;
  const suites = state?.suites ?? (await gateSuiteSelection(flags.suites));
  const runId = state?.runId ?? newRunId();
  const runDir = resolve(flags.reportDir ?? join('reports', runId));
  const environment = await startEnvironmentGuarded(config, { runId, log: say, signal: control.signal }, (r) =>
    control.abort(r),
  );
  const target = environment.target;
  secrets.add(target.admin.password);
  const session = gateSession(target, runId);
  if (!state) {
    const estate = emptyEstate(session.prefix);
    const t = performance.now();
    try {
      await seedEstate(target, session.api, session.registry, session.prefix, estate, { signal: control.signal });
      const before = await inventoryOf(session);
      const verdictsBefore = await runSuiteSelection(target, suites, suitesDir(runDir, 'before'), redact, control);
      await mkdir(runDir, { recursive: true });
      const file = join(runDir, 'gate-state.json');
      const saved: ExternalState = {
        runId,
        plan,
        estate,
        before,
        suites,
        verdictsBefore,
        started: new Date().toISOString(),
        timings: { 'seed and inventory': seconds(t) },
      };
      await writeFile(file, redactText(JSON.stringify(saved, null, 2), secrets), { mode: 0o600 });
      io.out(
        `seeded ${estate.seeded.length} object(s) into ${session.prefix}-* on ${await reportedHarborVersion(session)}; upgrade the Harbor now, then:`,
      );
      io.out(
        `  harbor-conformance gate --env external --from ${plan.from} --to ${plan.to} --allow-mutating --phase after --state ${file}`,
      );
      return 0;
    } catch (error) {
      await removeEstate(session.api, estate).catch(() => []);
      throw error;
    }
  }
  try {
    const t = performance.now();
    const after = await inventoryOf(session);
    const verdictsAfter = await runSuiteSelection(target, suites, suitesDir(runDir, 'after'), redact, control);
    const outcome = judgeUpgrade({
      runId,
      verdicts: { suites, before: state.verdictsBefore, after: verdictsAfter },
      plan: state.plan,
      session,
      estate: state.estate,
      before: state.before,
      after,
      started: new Date(state.started),
      timings: { ...state.timings, 'inventory after': seconds(t) },
      harborImages: true,
    });
    return await reportOutcome(runDir, outcome, secrets, io, targetSecrets(target));
  } finally {
    for (const problem of await removeEstate(session.api, state.estate)) say(`gate: could not remove ${problem}`);
  }
}

async function readState(file: string | undefined): Promise<ExternalState> {
  if (!file) throw new GateInputError('--phase after needs --state <gate-state.json> (written by --phase before)');
  try {
    return JSON.parse(await readFile(file, 'utf8')) as ExternalState;
  } catch (error) {
    throw new GateInputError(
      `--state ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : 'not a gate state file'}`,
    );
  }
}
