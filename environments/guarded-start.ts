// Starting a stack of containers so that nothing of the run outlives a failure or an interruption.
// Shared by the provisioners that own their containers (offline, official).
import { EnvironmentError } from './environment.ts';
import type { ChildProcess } from 'node:child_process';
import { settleStarts } from './offline/in-flight-starts.ts';
import { spawnRunReaper } from './offline/run-reaper.ts';

/**
 * How long an aborted start waits for component starts still under way before its last sweep. What must
 * land before that sweep is a container create call in flight (seconds at most); a readiness wait of a
 * container the first sweep removed need not be waited out (testcontainers 12's HTTP wait takes a failed
 * inspect of a removed container for "not ready yet" and polls until its own startup timeout), so this is not a readiness timeout.
 */
const SETTLE_MS = 20_000;
/**
 * After Ctrl-C / SIGTERM the detached reaper sweeps again once this process is gone, so the process need not
 * wait out a readiness wait that a removed container leaves polling (testcontainers' waits have their own,
 * longer timeouts): it exits within seconds and the reaper finishes the removal.
 */
const SIGNAL_SETTLE_MS = 5_000;

export interface GuardedStartOptions {
  runId: string;
  /** How messages name the stack, e.g. "offline stack". */
  stackName: string;
  /**
   * The caller's signal. A caller that passes one (the CLI) owns SIGINT/SIGTERM and aborts through it;
   * without one, Ctrl-C / SIGTERM during the start hands the run to a detached reaper (it finishes even
   * if the process is made to exit at once, as vitest does) and the process exits like the signal would.
   */
  signal?: AbortSignal | undefined;
  log: (line: string) => void;
  /** Removes everything of the run; called before and after the starts still in flight have settled. */
  sweep: () => Promise<void>;
  /** The detached process that removes an interrupted run; default the docker-label sweep (offline/remove-run.ts). */
  reaper?: (runId: string) => ChildProcess;
}

/** Runs `start`; on any failure or abort, sweeps the run and throws one EnvironmentError line. */
export async function guardedStart<T>(
  options: GuardedStartOptions,
  start: (controller: AbortController) => Promise<T>,
): Promise<T> {
  const { runId, stackName, log } = options;
  const controller = new AbortController();
  const forwardAbort = () => controller.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', forwardAbort, { once: true });

  const ownSignals = options.signal === undefined;
  let interrupted: Promise<void> | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (interrupted) return;
    log(`${signal} while starting: removing everything of run ${runId}`);
    process.exitCode = signal === 'SIGINT' ? 130 : 143;
    controller.abort(new EnvironmentError(`${stackName} start of run ${runId} was interrupted by ${signal}`));
    // The reaper outlives this process (vitest may exit it at once) and sweeps again once it is gone:
    // a create call this process had in flight can only land before that. Here, the starts under way are
    // let settle (the reaper's first sweep makes their readiness waits fail fast), then the process exits.
    (options.reaper ?? spawnRunReaper)(runId);
    interrupted = settleStarts(controller, SIGNAL_SETTLE_MS).then(() => process.exit());
  };
  if (ownSignals) {
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }

  try {
    return await start(controller);
  } catch (error) {
    if (interrupted) await interrupted; // exits the process once the reaper is done
    if (!controller.signal.aborted) controller.abort(error);
    // Sweep what exists (starts waiting for readiness then fail fast), let the starts under way settle,
    // and sweep again: a container created while the abort was handled must not outlive the run.
    await options.sweep().catch(() => {});
    if (!(await settleStarts(controller, SETTLE_MS)))
      log(`run ${runId}: component starts still under way after ${SETTLE_MS / 1000} s; sweeping anyway`);
    await options.sweep().catch(() => {});
    if (options.signal?.aborted) {
      const reason = controller.signal.reason;
      throw reason instanceof EnvironmentError
        ? reason
        : new EnvironmentError(`${stackName} start of run ${runId} was cancelled`);
    }
    throw error instanceof EnvironmentError
      ? error
      : new EnvironmentError(`${stackName} ${runId} did not start: ${firstLine(error)}`, { cause: error });
  } finally {
    options.signal?.removeEventListener('abort', forwardAbort);
    if (ownSignals && !interrupted) {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  }
}

export function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0]?.trim() ?? text;
}

/** The Harbor host port a caller asked for (--port / HC_PORT) is taken. */
export function harborPortInUse(port: number): EnvironmentError {
  return new EnvironmentError(
    `port ${port} on 127.0.0.1 is already in use: stop what listens there or choose another Harbor port (--port / HC_PORT)`,
  );
}
