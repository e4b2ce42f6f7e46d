import type { Target } from '../lib/target.ts';

/** Where the test-only fault control endpoint of the offline Harbor double listens, and its bearer token. */
export interface FaultControl {
  url: string;
  token: string;
}

/** What every provisioner (offline, official, kind, external) hands back. */
export interface Environment {
  target: Target;
  /** Offline only, when asked for with `faultControl`: switches fault profiles on the running double. Never in the Target. */
  faultControl?: FaultControl;
  /** Removes everything the environment created for this run (idempotent). */
  down(): Promise<void>;
}

export interface EnvironmentOptions {
  /** Run id, e.g. hc-20261123-0853-k3f9; labels every container, network and volume. */
  runId: string;
  /** Offline only: named defect of the Harbor double to switch on. */
  faultProfile?: string;
  /** Offline only: enable the double's test-only fault control endpoint (the selftest switches profiles with it). */
  faultControl?: boolean;
  /** Offline only: the host port Harbor listens on (127.0.0.1); default a free one. */
  harborPort?: number;
  /**
   * The policy's system settings, for an environment that deploys them with Harbor's own configuration
   * (kind: the chart's core.configureUserSettings). The run also applies them through the API afterwards.
   */
  systemSettings?: Record<string, string | boolean | number>;
  /** Offline only: the scanner's engine, real Trivy (default) or the built-in matcher. */
  scanner?: 'trivy' | 'builtin';
  /** Offline only: the Harbor release the double emulates (harbor-double/upgrade/emulated-versions.ts; the gate's --from). */
  doubleHarborVersion?: string;
  /** Progress lines for a person (image builds, each component ready); quiet in CI. */
  log?: (line: string) => void;
  signal?: AbortSignal;
}

/** A failure the user can act on: the CLI prints `message` as one line and exits 2. */
export class EnvironmentError extends Error {
  override name = 'EnvironmentError';
}
