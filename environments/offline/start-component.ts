// Starts one component of a run's stack: on the run's network, labelled with the run id and the
// component, and when it never becomes ready, fails with one line naming it and quoting its last
// log lines (testcontainers removes such a container at once, so the lines are kept while it starts).
import type Docker from 'dockerode';
import type { GenericContainer } from 'testcontainers';
import { EnvironmentError } from '../environment.ts';
import { componentLogLines } from './container-log-lines.ts';
import { trackStart } from './in-flight-starts.ts';
import { LogTail } from './log-tail.ts';
import { runLabels } from './run-labels.ts';

/** What a run needs of a testcontainers container class. */
export type StartableContainer<S> = Pick<GenericContainer, 'withNetworkMode' | 'withLabels' | 'withLogConsumer'> & {
  start(): Promise<S>;
};

export interface ComponentStartContext {
  docker: Docker;
  runId: string;
  network: string;
  /** Aborted: no further start begins. A failed start aborts it with its EnvironmentError. */
  controller: AbortController;
  log: (line: string) => void;
  /** Names the stack in failure lines; default "offline stack". */
  stackName?: string;
}

const LAST_LINES = 6;

export async function startComponent<S>(
  context: ComponentStartContext,
  component: string,
  container: StartableContainer<S>,
): Promise<S> {
  const { controller } = context;
  controller.signal.throwIfAborted();
  const tail = new LogTail();
  container
    .withNetworkMode(context.network)
    .withLabels(runLabels(context.runId, component))
    .withLogConsumer(tail.consume);
  const t = Date.now();
  try {
    const started = await trackStart(controller, container.start());
    context.log(`  ${component} ready in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    return started;
  } catch (error) {
    controller.signal.throwIfAborted();
    await tail.drained(3_000);
    const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0]?.trim();
    let last = tail.last(LAST_LINES);
    // exited before its log consumer was attached: ask the engine (the container may still be there)
    if (last.length === 0)
      last = await componentLogLines(context.docker, context.runId, component, LAST_LINES).catch(() => []);
    const lines = last.join(' | ') || '(no output)';
    const failure = new EnvironmentError(
      `${context.stackName ?? 'offline stack'}: ${component} did not become ready (${reason}); its last log lines: ${lines}`,
    );
    controller.abort(failure);
    throw failure;
  }
}
