// vitest globalSetup of `npm test`: one offline stack for the whole run, handed to the tests as
// inject('target'), torn down at the end (and by a detached reaper on Ctrl-C / SIGTERM).
// HC_TEST_TARGET_JSON=<a Target as JSON> skips the stack and provides that Target instead, for a
// development loop against a stack or double started by hand.
import { randomBytes } from 'node:crypto';
import type { TestProject } from 'vitest/node';
import type { Target } from '../../lib/target.ts';
import type { Environment } from '../environment.ts';
import { startOfflineEnvironment } from './offline-environment.ts';
import { spawnRunReaper } from './run-reaper.ts';

declare module 'vitest' {
  interface ProvidedContext {
    /** The Harbor under test (see lib/target.ts). */
    target: Target;
  }
}

let environment: Environment | undefined;
let onSignal: (() => void) | undefined;

export async function setup(project: TestProject): Promise<void> {
  const given = process.env.HC_TEST_TARGET_JSON;
  if (given) {
    project.provide('target', parseTarget(given));
    return;
  }
  const runId = `hc-test-${timestamp()}-${randomBytes(2).toString('hex')}`;
  const quiet = process.env.CI && process.env.HC_VERBOSE !== '1';
  environment = await startOfflineEnvironment({
    runId,
    log: quiet ? undefined : (line) => process.stderr.write(`[offline stack] ${line}\n`),
  });
  // vitest exits 1 ms after a signal: a detached process removes the stack
  onSignal = () => void spawnRunReaper(runId);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  project.provide('target', environment.target);
}

export async function teardown(): Promise<void> {
  if (onSignal) {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  await environment?.down();
  environment = undefined;
}

function parseTarget(json: string): Target {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    throw new Error(`HC_TEST_TARGET_JSON is not JSON (${(error as Error).message}): unset it or give a Target`);
  }
  const target = value as Partial<Target>;
  if (
    typeof target?.url !== 'string' ||
    typeof target.registryHost !== 'string' ||
    typeof target.admin?.password !== 'string'
  ) {
    throw new Error('HC_TEST_TARGET_JSON lacks url, registryHost or admin: give a whole Target (lib/target.ts)');
  }
  return value as Target;
}

function timestamp(): string {
  return new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 13); // 20261123-0853
}
