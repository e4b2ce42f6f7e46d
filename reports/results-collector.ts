// A vitest reporter that turns the finished run into CheckResults (in file order) and keeps the errors
// that happened outside any check (a suite file that did not load, an unhandled rejection).
import type { Reporter, TestModule, TestCase } from 'vitest/node';
import { verdictOf, type CheckResult } from './check-result.ts';
import type { CheckTaskMeta } from '../suites/check.ts';

export interface RunProblem {
  where: string;
  message: string;
}

export class ResultsCollector implements Reporter {
  results: CheckResult[] = [];
  problems: RunProblem[] = [];
  interrupted = false;
  readonly #redact: (text: string) => string;

  constructor(redact: (text: string) => string) {
    this.#redact = redact;
  }

  onTestRunEnd(
    testModules: ReadonlyArray<TestModule>,
    unhandledErrors: ReadonlyArray<{ message?: string; name?: string }>,
    reason: string,
  ): void {
    this.interrupted = reason === 'interrupted';
    this.results = [];
    this.problems = [];
    for (const module of testModules) {
      const file = module.moduleId;
      for (const error of module.errors())
        this.problems.push({ where: file, message: this.#redact(firstLine(error.message ?? String(error))) });
      for (const testCase of module.children.allTests()) this.results.push(this.#toResult(testCase, file));
    }
    for (const error of unhandledErrors) {
      this.problems.push({
        where: 'unhandled error',
        message: this.#redact(firstLine(error.message ?? error.name ?? 'unknown error')),
      });
    }
  }

  #toResult(testCase: TestCase, file: string): CheckResult {
    const result = testCase.result();
    const meta = testCase.meta().harborCheck as CheckTaskMeta | undefined;
    return verdictOf(
      {
        name: testCase.name,
        suiteFromFile: /suites\/([^/]+)\//.exec(file)?.[1] ?? 'unknown',
        state: result.state,
        ...(result.state === 'skipped' && result.note ? { note: result.note } : {}),
        ...(result.errors ? { errors: result.errors } : {}),
        ...(meta ? { meta } : {}),
        durationMs: testCase.diagnostic()?.duration ?? 0,
      },
      this.#redact,
    );
  }
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}
