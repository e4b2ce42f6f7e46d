import { defineConfig } from 'vitest/config';

// `npm test`: the harness's own tests (unit and integration), beside the code they test.
// The conformance suites in suites/ are the product; the CLI runs them with vitest.conformance.config.ts.
export default defineConfig({
  test: {
    include: ['{lib,environments,fixtures,load,reports,scripts}/**/*.test.ts'],
    // One offline Harbor stack for the whole run: tests get it with inject('target')
    // (HC_TEST_TARGET_JSON=<Target JSON> uses a stack started by hand instead).
    globalSetup: ['environments/offline/test-stack.global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 600_000,
    // The offline stack is one per process and the machine has 2 cores: run files one after another.
    fileParallelism: false,
    reporters: process.env.CI ? ['default'] : ['default'],
  },
});
