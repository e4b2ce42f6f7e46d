// Runs the selected suite files with vitest's Node API, providing the Target and the run context.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createVitest, type Reporter, type Vitest } from 'vitest/node';
import type { Target } from '../lib/target.ts';
import type { RunContext } from '../suites/run-context.ts';

export const repoRoot = fileURLToPath(new URL('..', import.meta.url));

export interface VitestRunOptions {
  files: string[];
  target: Target;
  run: RunContext;
  /** Reporters given as objects (progress, results collector); JUnit and Allure are added here. */
  reporters: Reporter[];
  /** Called once vitest exists, before tests run: lets a signal handler cancel the run. */
  onCreated?: (vitest: Vitest) => void;
}

export async function runSuites(options: VitestRunOptions): Promise<void> {
  const reporters = [
    ...options.reporters,
    [
      'junit',
      { outputFile: join(options.run.runDir, 'junit.xml'), suiteName: `harbor-conformance ${options.run.runId}` },
    ],
    ['allure-vitest/reporter', { resultsDir: join(options.run.runDir, 'allure-results') }],
  ];
  const before = { SIGINT: process.listeners('SIGINT'), SIGTERM: process.listeners('SIGTERM') };
  // Vitest's logger registers `process.once` SIGINT/SIGTERM handlers that exit the process 1 ms later; a signal
  // while createVitest is still resolving its config would exit before the CLI tears the environment down (a
  // Ctrl-C right as a suite run starts left the stack up). Those registrations are dropped while it is created.
  const once = process.once;
  process.once = function (this: NodeJS.Process, event: string | symbol, listener: (...args: unknown[]) => void) {
    if (event === 'SIGINT' || event === 'SIGTERM') return this;
    return once.call(this, event, listener);
  } as typeof process.once;
  const vitest = await createVitest({
    root: repoRoot,
    config: join(repoRoot, 'vitest.conformance.config.ts'),
    run: true,
    watch: false,
    // The CLI decides the exit code from the verdicts; vitest must not.
    passWithNoTests: true,
    reporters: reporters as never,
    provide: { target: options.target, run: options.run },
  }).finally(() => {
    process.once = once;
  });
  // Vitest's logger exits the process on SIGINT/SIGTERM; the CLI must tear the environment down first,
  // so it handles those signals itself (cancelling the run through onCreated's vitest).
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    for (const listener of process.listeners(signal))
      if (!before[signal].includes(listener)) process.off(signal, listener);
  }
  options.onCreated?.(vitest);
  try {
    await vitest.start(options.files);
  } finally {
    await vitest.close();
  }
}
