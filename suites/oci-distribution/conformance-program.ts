// Runs the OCI distribution-spec conformance program (github.com/opencontainers/distribution-spec/conformance,
// built by the bootstrap) against a registry and reads back its junit.xml. Its settings are environment
// variables (its README, "Environment Variables"); the password is one too, never an argument. With
// `mutating: false` it only reads: no push, no delete, and then only the tests that need no content run.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import type { Credentials } from '../../lib/target.ts';
import type { ResolvedTool } from '../../lib/tools/go-tools.ts';
import { type ProgramTest, parseJunit } from './conformance-results.ts';

export interface ConformanceProgramOptions {
  program: ResolvedTool;
  /** host:port of the registry. */
  registryHost: string;
  tls: 'enabled' | 'insecure' | 'disabled';
  /** Two repositories the program may fill and empty (mount tests copy from the second into the first). */
  repositories: [string, string];
  credentials?: Credentials;
  mutating: boolean;
  resultsDir: string;
  timeoutMs: number;
  /** Stop the program when it reports no finished test for this long (a request the registry never answers). */
  stallMs?: number;
  signal?: AbortSignal;
}

export interface ConformanceProgramRun {
  tests: ProgramTest[];
  /** The program's summary (stdout: configuration with credentials masked, and the counts). */
  summary: string;
  /** Its warnings log (stderr). */
  log: string;
  exitCode: number;
  seconds: number;
}

export async function runConformanceProgram(options: ConformanceProgramOptions): Promise<ConformanceProgramRun> {
  await mkdir(options.resultsDir, { recursive: true });
  await rm(join(options.resultsDir, 'junit.xml'), { force: true }); // never read a previous run's results
  // An empty configuration of our own, so no oci-conformance.yaml of the user's is read by accident; the
  // environment variables below set everything.
  const configuration = join(options.resultsDir, 'oci-conformance.yaml');
  await writeFile(configuration, '{}\n');
  const readOnly = options.mutating
    ? {}
    : {
        OCI_API_PUSH: 'false',
        OCI_API_BLOBS_DELETE: 'false',
        OCI_API_MANIFESTS_DELETE: 'false',
        OCI_API_TAGS_DELETE: 'false',
      };
  const started = performance.now();
  const child = execa(options.program.path, [], {
    cwd: options.resultsDir,
    reject: false,
    timeout: options.timeoutMs,
    ...(options.signal ? { cancelSignal: options.signal } : {}),
    env: {
      OCI_REGISTRY: options.registryHost,
      OCI_TLS: options.tls,
      OCI_REPO1: options.repositories[0],
      OCI_REPO2: options.repositories[1],
      OCI_USERNAME: options.credentials?.username ?? '',
      OCI_PASSWORD: options.credentials?.password ?? '',
      OCI_RESULTS_DIR: options.resultsDir,
      OCI_VERSION: '1.1',
      // info: one line per finished test, which is how a stalled run is told from a slow one.
      OCI_LOG: 'info',
      OCI_CONFIGURATION: configuration,
      ...readOnly,
    },
    extendEnv: true,
  });
  let lastTest = '(none yet)';
  let lastProgress = performance.now();
  let stalled = false;
  child.stderr?.on('data', (chunk: Buffer) => {
    const names = [...chunk.toString('utf8').matchAll(/ name="([^"]+)"/g)];
    if (names.length > 0) {
      lastTest = names[names.length - 1]![1]!;
      lastProgress = performance.now();
    }
  });
  const stallMs = options.stallMs ?? 300_000;
  const watchdog = setInterval(() => {
    if (performance.now() - lastProgress > stallMs) {
      stalled = true;
      child.kill('SIGTERM');
    }
  }, 5_000);
  const result = await child.finally(() => clearInterval(watchdog));
  const seconds = (performance.now() - started) / 1000;
  const junit = await readFile(join(options.resultsDir, 'junit.xml'), 'utf8').catch(() => undefined);
  if (junit === undefined) {
    const why = stalled
      ? `no test finished for ${Math.round(stallMs / 1000)} s after "${lastTest}": a request the registry never answered; stopped after ${Math.round(seconds)} s`
      : result.timedOut
        ? `timed out after ${Math.round(seconds)} s, last finished test "${lastTest}"`
        : `exit ${result.exitCode}: ${`${result.stderr}`.split('\n').slice(-3).join(' ')}`;
    throw new Error(`the OCI conformance program wrote no junit.xml (${why})`);
  }
  return {
    tests: parseJunit(junit),
    summary: `${result.stdout}`,
    log: `${result.stderr}`,
    exitCode: result.exitCode ?? -1,
    seconds,
  };
}
