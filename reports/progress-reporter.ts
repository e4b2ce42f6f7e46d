// Progress a person can follow: one line per suite file and per finished check. Silent when quiet (CI).
import type { UserConsoleLog } from 'vitest';
import type { Reporter, TestCase, TestModule } from 'vitest/node';
import type { CheckTaskMeta } from '../suites/check.ts';

export class ProgressReporter implements Reporter {
  readonly #log: (line: string) => void;

  constructor(log: (line: string) => void) {
    this.#log = log;
  }

  onTestModuleStart(module: TestModule): void {
    this.#log(`suite ${module.relativeModuleId}`);
  }

  onTestCaseResult(testCase: TestCase): void {
    const result = testCase.result();
    const meta = testCase.meta().harborCheck as CheckTaskMeta | undefined;
    const warn = result.state === 'passed' && (meta?.warnings.length ?? 0) > 0;
    const mark = warn ? '!' : { passed: '✓', failed: '✗', skipped: '-', pending: '…' }[result.state];
    const ms = Math.round(testCase.diagnostic()?.duration ?? 0);
    const extra = result.state === 'skipped' && result.note ? ` — ${result.note}` : '';
    this.#log(`  ${mark} ${testCase.name} (${ms} ms)${extra}`);
  }

  /** What a check prints for the person watching (e.g. times to answer, a table), under its suite. */
  onUserConsoleLog(log: UserConsoleLog): void {
    if (log.type !== 'stdout') return;
    for (const line of log.content.replace(/\n+$/, '').split('\n')) this.#log(`    ${line}`);
  }
}
