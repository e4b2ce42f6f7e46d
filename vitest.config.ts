import { defineConfig } from 'vitest/config';

// `npm test`: the harness's own tests, beside the code they test. Two projects:
// - unit: no shared stack (a test may still start what it needs itself, e.g. a host docker-registry);
// - stack: `*.stack.test.ts`, run against one offline Harbor stack started by the global setup and
//   handed over with inject('target') (HC_TEST_TARGET_JSON=<Target JSON> uses a stack started by hand).
// The conformance suites in suites/ (`*.conformance.ts`) are the product; the CLI runs them.
const include = ['{lib,environments,fixtures,load,policies,reports,scripts,suites}/**/*.test.ts'];

export default defineConfig({
  test: {
    // generous: on a loaded 2-core CI machine a test that starts a child Node has taken over a minute
    testTimeout: 180_000,
    hookTimeout: 600_000,
    // The machine has 2 cores and several tests start Docker stacks: one file at a time.
    fileParallelism: false,
    reporters: ['default', './scripts/testing/closing-line-reporter.ts'],
    projects: [
      { extends: true, test: { name: 'unit', include, exclude: ['**/*.stack.test.ts', '**/node_modules/**'] } },
      {
        extends: true,
        test: {
          name: 'stack',
          include: ['{lib,environments,fixtures,load,policies,reports,scripts,suites}/**/*.stack.test.ts'],
          globalSetup: ['environments/offline/test-stack.global-setup.ts'],
        },
      },
    ],
  },
});
