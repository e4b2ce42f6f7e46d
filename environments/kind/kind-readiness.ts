// Whether the workloads of a namespace are ready, judged from what the Kubernetes API answers (lists of
// deployments, statefulsets, jobs, pods and events), and — when one never becomes ready — the one line
// that says why: its replicas, its pods' states, its last events and its last log lines.
// Pure: kind-readiness-watch.ts fetches the snapshot, tests feed recorded answers.
import type { CoreV1Event, V1Pod } from '@kubernetes/client-node';
import type { ClusterSnapshot, WorkloadKind } from '../../lib/kubernetes/kube-cluster-api.ts';

export interface WorkloadState {
  kind: WorkloadKind;
  name: string;
  ready: boolean;
  /** e.g. "0/1 available", "succeeded" */
  summary: string;
  /** A state no wait will change (an image that cannot be pulled, a config error): stop waiting now. */
  hopeless?: string;
}

/** Container waiting reasons that do not resolve by themselves. */
const HOPELESS_REASONS = new Set([
  'ErrImageNeverPull',
  'InvalidImageName',
  'CreateContainerConfigError',
  'CreateContainerError',
]);
/** A pull back-off is hopeless only for a cause no retry changes (a rate limit or a slow registry may pass). */
const PULL_REASONS = new Set(['ImagePullBackOff', 'ErrImagePull']);
const PERMANENT_PULL_FAILURE = /no such host|not found|manifest unknown|unauthorized|denied|forbidden/i;

export function workloadStates(snapshot: ClusterSnapshot): WorkloadState[] {
  const states: WorkloadState[] = [];
  for (const d of snapshot.deployments) {
    const want = d.spec?.replicas ?? 1;
    const s = d.status ?? {};
    const current = (s.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0);
    const ready =
      current && (s.updatedReplicas ?? 0) >= want && (s.availableReplicas ?? 0) >= want && (s.replicas ?? 0) <= want;
    states.push(
      withHope(
        snapshot,
        { kind: 'Deployment', name: name(d), ready, summary: `${s.availableReplicas ?? 0}/${want} available` },
        d.spec?.selector?.matchLabels,
      ),
    );
  }
  for (const st of snapshot.statefulSets) {
    const want = st.spec?.replicas ?? 1;
    const s = st.status;
    const current =
      (s?.observedGeneration ?? 0) >= (st.metadata?.generation ?? 0) &&
      (!s?.updateRevision || s.currentRevision === s.updateRevision);
    const ready = current && (s?.readyReplicas ?? 0) >= want;
    states.push(
      withHope(
        snapshot,
        { kind: 'StatefulSet', name: name(st), ready, summary: `${s?.readyReplicas ?? 0}/${want} ready` },
        st.spec?.selector?.matchLabels,
      ),
    );
  }
  for (const j of snapshot.jobs) {
    const done = (j.status?.succeeded ?? 0) >= 1;
    const failed = j.status?.conditions?.find((c) => c.type === 'Failed' && c.status === 'True');
    const state: WorkloadState = {
      kind: 'Job',
      name: name(j),
      ready: done,
      summary: done ? 'succeeded' : `${j.status?.failed ?? 0} failed attempts`,
    };
    if (failed) state.hopeless = `job failed: ${failed.reason ?? ''} ${failed.message ?? ''}`.trim();
    states.push(done ? state : withHope(snapshot, state, j.spec?.selector?.matchLabels ?? { 'job-name': name(j) }));
  }
  return states;
}

function withHope(
  snapshot: ClusterSnapshot,
  state: WorkloadState,
  selector: Record<string, string> | undefined,
): WorkloadState {
  if (state.ready || state.hopeless) return state;
  for (const pod of podsOf(snapshot, selector)) {
    for (const c of [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]) {
      const reason = c.state?.waiting?.reason;
      const permanentPull =
        reason !== undefined &&
        PULL_REASONS.has(reason) &&
        PERMANENT_PULL_FAILURE.test(c.state?.waiting?.message ?? '');
      if (reason && (HOPELESS_REASONS.has(reason) || permanentPull))
        return {
          ...state,
          hopeless: `${name(pod)} ${c.name}: ${reason}${c.state?.waiting?.message ? ` (${oneLine(c.state.waiting.message, 200)})` : ''}`,
        };
    }
  }
  return state;
}

export function podsOf(snapshot: ClusterSnapshot, selector: Record<string, string> | undefined): V1Pod[] {
  if (!selector || Object.keys(selector).length === 0) return [];
  return snapshot.pods.filter((pod) => Object.entries(selector).every(([k, v]) => pod.metadata?.labels?.[k] === v));
}

/** Which workloads are missing from the snapshot (not created yet, or the chart names them differently). */
export function missingWorkloads(snapshot: ClusterSnapshot, expected: readonly string[]): string[] {
  const present = new Set(workloadStates(snapshot).map((s) => s.name));
  return expected.filter((n) => !present.has(n));
}

/** The pods' states of a workload, e.g. "harbor-core-5f7-x2b Running, core not ready, 3 restarts". */
export function describePods(pods: V1Pod[]): string {
  if (pods.length === 0) return 'no pod';
  return pods
    .map((pod) => {
      const parts = [pod.status?.phase ?? 'Unknown'];
      for (const c of [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]) {
        const waiting = c.state?.waiting?.reason;
        const terminated = c.state?.terminated;
        if (waiting) parts.push(`${c.name} ${waiting}`);
        else if (terminated)
          parts.push(
            `${c.name} terminated ${terminated.reason ?? ''} exit ${terminated.exitCode}`.replace(/\s+/g, ' '),
          );
        else if (!c.ready) parts.push(`${c.name} not ready`);
        if (c.restartCount) parts.push(`${c.restartCount} restarts`);
      }
      const unscheduled = pod.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False');
      if (unscheduled) parts.push(`unschedulable: ${oneLine(unscheduled.message ?? unscheduled.reason ?? '', 120)}`);
      return `${name(pod)} ${parts.join(', ')}`;
    })
    .join('; ');
}

/** The last events about a workload or its pods, newest last, deduplicated ("(x12)" for repeats). */
export function lastEvents(snapshot: ClusterSnapshot, workload: WorkloadState, pods: V1Pod[], count = 3): string[] {
  const names = new Set([workload.name, ...pods.map(name)]);
  // ReplicaSets are named <deployment>-<hash>: their events (FailedCreate…) belong to the deployment
  const about = (e: CoreV1Event) => {
    const involved = e.involvedObject?.name ?? '';
    return names.has(involved) || (e.involvedObject?.kind === 'ReplicaSet' && involved.startsWith(`${workload.name}-`));
  };
  const time = (e: CoreV1Event) =>
    Date.parse(String(e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? e.metadata?.creationTimestamp ?? 0)) || 0;
  return snapshot.events
    .filter(about)
    .sort((a, b) => time(a) - time(b))
    .slice(-count)
    .map((e) => `${e.reason ?? ''}: ${oneLine(e.message ?? '', 200)}${(e.count ?? 1) > 1 ? ` (x${e.count})` : ''}`);
}

/**
 * The one line for a component that never became ready: "harbor-core (Deployment) not ready after
 * 600 s: 0/1 available; pods: …; events: … | …; log harbor-core-…: … | …".
 */
export function notReadyLine(
  snapshot: ClusterSnapshot,
  workload: WorkloadState,
  logs: Record<string, string[]>,
  waitedMs: number,
): string {
  const selectorOf = (): Record<string, string> | undefined => {
    const all = [...snapshot.deployments, ...snapshot.statefulSets, ...snapshot.jobs];
    const found = all.find((w) => name(w) === workload.name);
    return found?.spec?.selector?.matchLabels ?? (workload.kind === 'Job' ? { 'job-name': workload.name } : undefined);
  };
  const pods = podsOf(snapshot, selectorOf());
  const why = workload.hopeless
    ? `cannot become ready (${workload.hopeless})`
    : `not ready after ${Math.round(waitedMs / 1000)} s`;
  const parts = [`${workload.name} (${workload.kind}) ${why}: ${workload.summary}`, `pods: ${describePods(pods)}`];
  const events = lastEvents(snapshot, workload, pods);
  if (events.length > 0) parts.push(`events: ${events.join(' | ')}`);
  for (const [pod, lines] of Object.entries(logs)) {
    // a log line's cause is at its end ("…: password authentication failed"): keep the tail
    if (lines.length > 0) parts.push(`log ${pod}: ${lines.map((l) => tailOf(l, 240)).join(' | ')}`);
  }
  return parts.join('; ');
}

/** The workload to explain when the wait ends: a hopeless one first, else the first not ready. */
export function blockingWorkload(states: WorkloadState[]): WorkloadState | undefined {
  return states.find((s) => s.hopeless) ?? states.find((s) => !s.ready);
}

function name(object: { metadata?: { name?: string } }): string {
  return object.metadata?.name ?? '?';
}

function tailOf(text: string, max: number): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `…${line.slice(-max)}` : line;
}

function oneLine(text: string, max: number): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max)}…` : line;
}
