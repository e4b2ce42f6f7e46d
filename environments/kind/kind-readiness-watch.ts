// Follows a namespace through the Kubernetes API until every workload is ready, stopping early on a
// state no wait will change; a component that never becomes ready ends the start with one line: its
// replicas, pods, last events and last log lines (kind-readiness.ts decides, this file fetches).
import { pollUntil, PollTimeoutError } from '../../lib/poll.ts';
import { EnvironmentError } from '../environment.ts';
import {
  blockingWorkload,
  missingWorkloads,
  notReadyLine,
  podsOf,
  workloadStates,
  type WorkloadState,
} from './kind-readiness.ts';
import type { ClusterSnapshot } from '../../lib/kubernetes/kube-cluster-api.ts';

/** What the watch needs from the API (KubeClusterApi, or a recorded one in tests). */
export interface ReadinessSource {
  snapshot(namespace: string): Promise<ClusterSnapshot>;
  podLogTail(
    namespace: string,
    pod: string,
    container: string | undefined,
    lines: number,
    previous?: boolean,
  ): Promise<string[]>;
}

export interface ReadinessWatch {
  namespace: string;
  /** Workloads that must exist (the chart's and the stand-ins'), e.g. harbor-core. */
  expected: readonly string[];
  timeoutMs: number;
  intervalMs?: number;
  /** Prefix of the error line, e.g. "kind Harbor hc-…". */
  what: string;
  signal?: AbortSignal;
  log?: (line: string) => void;
}

const LOG_LINES = 3;

type Outcome = { ready: WorkloadState[] } | { hopeless: WorkloadState };

export async function waitForWorkloads(source: ReadinessSource, watch: ReadinessWatch): Promise<WorkloadState[]> {
  const started = Date.now();
  let last: ClusterSnapshot | undefined;
  let reported = '';
  let outcome: Outcome;
  try {
    outcome = (await pollUntil<Outcome | undefined>(
      async () => {
        last = await source.snapshot(watch.namespace);
        const states = workloadStates(last);
        const hopeless = states.find((s) => s.hopeless);
        if (hopeless) return { hopeless };
        const missing = missingWorkloads(last, watch.expected);
        const notReady = states.filter((s) => !s.ready).map((s) => s.name);
        const progress = `${states.length - notReady.length}/${states.length} ready${notReady.length ? `, waiting for ${notReady.join(', ')}` : ''}${missing.length ? `, not created yet: ${missing.join(', ')}` : ''}`;
        if (progress !== reported) watch.log?.(`  ${progress}`);
        reported = progress;
        return missing.length === 0 && notReady.length === 0 ? { ready: states } : undefined;
      },
      {
        timeoutMs: watch.timeoutMs,
        intervalMs: watch.intervalMs ?? 2_000,
        describe: `the workloads of namespace ${watch.namespace}`,
        // an API error (the server restarting, a timeout) is remembered and retried until the deadline
        retryOnError: true,
        accept: (value) => value !== undefined,
        ...(watch.signal ? { signal: watch.signal } : {}),
      },
    )) as Outcome;
  } catch (error) {
    if (!(error instanceof PollTimeoutError)) throw error;
    if (!last) {
      const why = error.lastError instanceof Error ? error.lastError.message : String(error.lastError);
      throw new EnvironmentError(
        `${watch.what}: the Kubernetes API never answered within ${Math.round(watch.timeoutMs / 1000)} s (${why})`,
      );
    }
    const missing = missingWorkloads(last, watch.expected);
    const blocking = blockingWorkload(workloadStates(last));
    if (!blocking) {
      throw new EnvironmentError(
        `${watch.what}: ${missing.join(', ')} never created within ${Math.round(watch.timeoutMs / 1000)} s (the chart or the stand-ins did not make them)`,
      );
    }
    throw await explain(source, watch, last, blocking, started);
  }
  if ('hopeless' in outcome) throw await explain(source, watch, last, outcome.hopeless, started);
  return outcome.ready;
}

async function explain(
  source: ReadinessSource,
  watch: ReadinessWatch,
  snapshot: ClusterSnapshot | undefined,
  workload: WorkloadState,
  started: number,
): Promise<EnvironmentError> {
  const logs: Record<string, string[]> = {};
  if (snapshot) {
    const all = [...snapshot.deployments, ...snapshot.statefulSets, ...snapshot.jobs];
    const selector = all.find((w) => w.metadata?.name === workload.name)?.spec?.selector?.matchLabels;
    for (const pod of podsOf(snapshot, selector).slice(0, 2)) {
      const podName = pod.metadata?.name ?? '';
      const status = pod.status?.containerStatuses?.find((c) => !c.ready) ?? pod.status?.containerStatuses?.[0];
      if (!status?.state?.running && !status?.lastState?.terminated) continue; // nothing ran: no log to read
      const previous = !status.state?.running && Boolean(status.lastState?.terminated);
      logs[podName] = await source
        .podLogTail(watch.namespace, podName, status.name, LOG_LINES, previous)
        .catch(() => []);
    }
  }
  const line = snapshot
    ? notReadyLine(snapshot, workload, logs, Date.now() - started)
    : `${workload.name}: ${workload.hopeless ?? 'not ready'}`;
  return new EnvironmentError(`${watch.what}: ${line}`);
}
