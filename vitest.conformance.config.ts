import { defineConfig } from 'vitest/config';

// The conformance suites (the product), run by `harbor-conformance run` through vitest's Node API.
// The CLI adds the reporters (progress, JUnit, Allure, summary) and provides `target` and `run`;
// running this config directly without the CLI fails with a clear message from suites/check.ts.
export default defineConfig({
  test: {
    include: ['suites/**/*.conformance.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    // One Harbor, checks that create projects: run files one after another, checks in order.
    fileParallelism: false,
    sequence: { concurrent: false },
    // A check that fails on a real Harbor must never be retried into a pass.
    retry: 0,
    reporters: [],
  },
});
