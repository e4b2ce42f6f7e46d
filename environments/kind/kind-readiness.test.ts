// Readiness against Kubernetes API answers in testing/api-answers/ (DeploymentList, StatefulSetList,
// JobList, PodList, EventList as the API serves them), through the real client over HTTP.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { KubeClusterApi } from '../../lib/kubernetes/kube-cluster-api.ts';
import { EnvironmentError } from '../environment.ts';
import { CHART_WORKLOADS, STAND_IN_WORKLOADS } from './kind-environment.ts';
import { blockingWorkload, notReadyLine, workloadStates } from './kind-readiness.ts';
import { waitForWorkloads } from './kind-readiness-watch.ts';
import { startFakeKubeApi, type FakeKubeApi } from '../../lib/kubernetes/testing/fake-kube-api.ts';
import { API_ANSWERS_DIR, readAnswers } from './testing/api-answers.ts';

const ALL = [...STAND_IN_WORKLOADS, ...CHART_WORKLOADS];
let fake: FakeKubeApi | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function apiFor(...scenarios: string[]) {
  fake = await startFakeKubeApi(scenarios.map(readAnswers));
  return { fake, api: KubeClusterApi.fromString(fake.kubeconfig) };
}

const previousLog = readFileSync(join(API_ANSWERS_DIR, 'core-crash-loop.previous-log.txt'), 'utf8');

describe('workload states from the API answers', () => {
  it('every workload of the chart and the stand-ins is ready', async () => {
    const { api } = await apiFor('all-ready');
    const states = workloadStates(await api.snapshot('harbor'));
    expect(states.map((s) => s.name).sort()).toEqual([...ALL].sort());
    expect(states.filter((s) => !s.ready)).toEqual([]);
  });

  it('a crash-looping core is not ready, but not hopeless (it may still connect)', async () => {
    const { api } = await apiFor('core-crash-loop');
    const core = workloadStates(await api.snapshot('harbor')).find((s) => s.name === 'harbor-core');
    expect(core).toMatchObject({ ready: false, summary: '0/1 available' });
    expect(core?.hopeless).toBeUndefined();
  });

  it('a pull back-off for a cause a retry may clear (a rate limit) is waited out, not hopeless', async () => {
    const answers = readAnswers('nginx-image-pull-back-off') as unknown as {
      pods: {
        items: Array<{
          metadata: { name: string };
          status: { containerStatuses: Array<{ state: { waiting: { message: string } } }> };
        }>;
      };
    };
    const nginx = answers.pods.items.find((p) => p.metadata.name.startsWith('harbor-nginx'))!;
    nginx.status.containerStatuses[0]!.state.waiting.message =
      'Back-off pulling image "ghcr.io/goharbor/nginx-photon:v2.15.2": 429 Too Many Requests';
    const states = workloadStates({
      deployments: (answers as unknown as { deployments: { items: never[] } }).deployments.items,
      statefulSets: [],
      jobs: [],
      pods: answers.pods.items as never,
      events: [],
    });
    expect(states.find((s) => s.name === 'harbor-nginx')).toMatchObject({ ready: false });
    expect(states.find((s) => s.name === 'harbor-nginx')?.hopeless).toBeUndefined();
  });

  it('an image the cluster cannot pull is hopeless at once', async () => {
    const { api } = await apiFor('nginx-image-pull-back-off');
    const states = workloadStates(await api.snapshot('harbor'));
    expect(blockingWorkload(states)?.name).toBe('harbor-nginx');
    expect(blockingWorkload(states)?.hopeless).toMatch(
      /^harbor-nginx-\S+ nginx: ImagePullBackOff \(Back-off pulling image "ghcr.io\/goharbor\/nginx-photon:v2.15.2"/,
    );
  });

  it('a Job counts as ready once it succeeded, a Deployment once available at the current generation', async () => {
    const answers = readAnswers('all-ready') as unknown as {
      deployments: { items: Array<{ metadata: { generation: number } }> };
    };
    answers.deployments.items[0]!.metadata.generation = 2; // a new spec the controller has not observed
    const { api } = await apiFor('stand-ins-starting');
    const states = workloadStates(await api.snapshot('harbor'));
    expect(
      states
        .filter((s) => !s.ready)
        .map((s) => s.name)
        .sort(),
    ).toEqual(['hc-create-bucket', 'minio']);
    const stale = workloadStates({
      deployments: answers.deployments.items as never,
      statefulSets: [],
      jobs: [],
      pods: [],
      events: [],
    });
    expect(stale[0]?.ready).toBe(false);
  });

  it('the one line names replicas, pod state, the last events (repeats counted) and log lines', async () => {
    const { api } = await apiFor('core-crash-loop');
    const snapshot = await api.snapshot('harbor');
    const core = workloadStates(snapshot).find((s) => s.name === 'harbor-core')!;
    const line = notReadyLine(
      snapshot,
      core,
      { 'harbor-core-5f7b9c-corq2': previousLog.trim().split('\n').slice(-2) },
      600_000,
    );
    expect(line).not.toContain('\n');
    expect(line).toMatch(
      /^harbor-core \(Deployment\) not ready after 600 s: 0\/1 available; pods: harbor-core-5f7b9c-corq2 Running, core CrashLoopBackOff, 6 restarts; events: /,
    );
    expect(line).toContain('Unhealthy: Startup probe failed');
    expect(line).toContain('(x22)');
    // the ReplicaSet's event is the deployment's; the other pod's is not
    expect(line).not.toContain('Started container postgresql');
    expect(line).toContain('password authentication failed for user "postgres"');
  });
});

describe('waitForWorkloads', () => {
  it('follows the namespace until everything is ready, through an API that fails at first', async () => {
    const { fake, api } = await apiFor('stand-ins-starting', 'all-ready');
    fake.failNext = 2;
    const lines: string[] = [];
    const startingState = (l: string) =>
      l.includes('waiting for minio, hc-create-bucket') && l.includes('not created yet: harbor-core');
    // the cluster moves on once the waiter has got past the failing calls and reported the starting state
    // (keyed to what it saw, not to a count of requests: on a loaded machine those race the poll)
    const seen = setInterval(() => {
      if (lines.some(startingState)) fake.advance();
    }, 10);
    try {
      const states = await waitForWorkloads(api, {
        namespace: 'harbor',
        expected: ALL,
        timeoutMs: 10_000,
        intervalMs: 20,
        what: 'kind cluster hc-test',
        log: (l) => lines.push(l),
      });
      expect(states.every((s) => s.ready)).toBe(true);
    } finally {
      clearInterval(seen);
    }
    expect(lines.some(startingState)).toBe(true);
    expect(fake.failNext, 'the failing calls were made and outlived').toBe(0);
  });

  it('stops at once on a hopeless workload, in one line with its events', async () => {
    const { api } = await apiFor('nginx-image-pull-back-off');
    const t = Date.now();
    const error = await waitForWorkloads(api, {
      namespace: 'harbor',
      expected: ALL,
      timeoutMs: 60_000,
      intervalMs: 20,
      what: 'kind cluster hc-test',
    }).catch((e: unknown) => e);
    expect(Date.now() - t).toBeLessThan(5_000);
    expect(error).toBeInstanceOf(EnvironmentError);
    const message = (error as Error).message;
    expect(message).not.toContain('\n');
    expect(message).toMatch(
      /^kind cluster hc-test: harbor-nginx \(Deployment\) cannot become ready \(harbor-nginx-\S+ nginx: ImagePullBackOff/,
    );
    expect(message).toContain('Failed: Failed to pull image "ghcr.io/goharbor/nginx-photon:v2.15.2"');
  });

  it('at the deadline names the component with its last events and the log of its crashed container', async () => {
    const { fake, api } = await apiFor('core-crash-loop');
    fake.route = (request) =>
      request.path.startsWith('/api/v1/namespaces/harbor/pods/harbor-core-5f7b9c-corq2/log')
        ? { status: 200, body: previousLog.split('\n').slice(-3).join('\n') }
        : undefined;
    const error = await waitForWorkloads(api, {
      namespace: 'harbor',
      expected: ALL,
      timeoutMs: 2_000, // a deadline a loaded machine's first snapshots cannot miss
      intervalMs: 50,
      what: 'kind cluster hc-test',
    }).catch((e: unknown) => e);
    const message = (error as Error).message;
    expect(message).not.toContain('\n');
    expect(message).toMatch(/^kind cluster hc-test: harbor-core \(Deployment\) not ready after \d+ s: 0\/1 available/);
    expect(message).toContain('events: ');
    expect(message).toContain('log harbor-core-5f7b9c-corq2: ');
    expect(message).toContain('failed to initialize database');
    // the crashed instance's log: previous=true, container core, 3 lines
    const logRequest = fake.requests.find((r) => r.path.includes('/log'));
    expect(logRequest?.path).toMatch(/container=core/);
    expect(logRequest?.path).toMatch(/previous=true/);
    expect(logRequest?.path).toMatch(/tailLines=3/);
  });

  it('names workloads that were never created', async () => {
    const { api } = await apiFor('all-ready');
    const error = await waitForWorkloads(api, {
      namespace: 'harbor',
      expected: [...ALL, 'harbor-exporter'],
      timeoutMs: 1_500,
      intervalMs: 50,
      what: 'kind cluster hc-test',
    }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(
      /^kind cluster hc-test: harbor-exporter never created within [12] s \(the chart or the stand-ins did not make them\)$/,
    );
  });

  it('says so when the API never answers', async () => {
    const { fake, api } = await apiFor('all-ready');
    fake.failNext = 1_000;
    const error = await waitForWorkloads(api, {
      namespace: 'harbor',
      expected: ALL,
      timeoutMs: 200,
      intervalMs: 50,
      what: 'kind cluster hc-test',
    }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(
      /^kind cluster hc-test: the Kubernetes API never answered within \d+ s \(/,
    );
  });
});
