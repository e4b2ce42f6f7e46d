// A Kubernetes API server for tests: answers the REST paths the harness calls with a test's recorded
// answers (e.g. environments/kind/testing/api-answers/), one snapshot after another, records every request,
// so the real @kubernetes/client-node client is exercised end to end (paths, verbs, deserialisation).
import { createServer, type IncomingMessage, type Server } from 'node:http';

export interface RecordedRequest {
  method: string;
  path: string;
  body: unknown;
}

/** One namespace's list answers (DeploymentList, StatefulSetList, JobList, PodList, EventList). */
export type Answers = Record<'deployments' | 'statefulSets' | 'jobs' | 'pods' | 'events', unknown>;

export interface FakeKubeApi {
  url: string;
  kubeconfig: string;
  requests: RecordedRequest[];
  /** Answers for the next snapshots: each list call takes the current one; `advance()` moves on. */
  scenario: Answers[];
  advance(): void;
  /** Extra routes: `GET /api/v1/namespaces/harbor/pods/x/log` → text, etc. Return undefined to 404. */
  route?: (request: RecordedRequest) => { status: number; body: unknown } | undefined;
  /** Fail the next n list calls with 503 (an API server restarting). */
  failNext: number;
  close(): Promise<void>;
}

const LISTS: Array<[RegExp, keyof Answers]> = [
  [/^\/apis\/apps\/v1\/namespaces\/[^/]+\/deployments$/, 'deployments'],
  [/^\/apis\/apps\/v1\/namespaces\/[^/]+\/statefulsets$/, 'statefulSets'],
  [/^\/apis\/batch\/v1\/namespaces\/[^/]+\/jobs$/, 'jobs'],
  [/^\/api\/v1\/namespaces\/[^/]+\/pods$/, 'pods'],
  [/^\/api\/v1\/namespaces\/[^/]+\/events$/, 'events'],
];

/** Discovery answers: KubernetesObjectApi looks up a kind's resource (plural, namespaced) before it creates one. */
const DISCOVERY: Record<string, { groupVersion: string; resources: Array<[string, string]> }> = {
  '/api/v1': {
    groupVersion: 'v1',
    resources: [
      ['namespaces', 'Namespace'],
      ['secrets', 'Secret'],
      ['services', 'Service'],
      ['pods', 'Pod'],
      ['events', 'Event'],
      ['configmaps', 'ConfigMap'],
    ],
  },
  '/apis/apps/v1': {
    groupVersion: 'apps/v1',
    resources: [
      ['deployments', 'Deployment'],
      ['statefulsets', 'StatefulSet'],
    ],
  },
  '/apis/batch/v1': { groupVersion: 'batch/v1', resources: [['jobs', 'Job']] },
  '/apis/networking.k8s.io/v1': {
    groupVersion: 'networking.k8s.io/v1',
    resources: [['networkpolicies', 'NetworkPolicy']],
  },
};

function discovery(path: string): unknown {
  const entry = DISCOVERY[path];
  if (!entry) return undefined;
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: entry.groupVersion,
    resources: entry.resources.map(([name, kind]) => ({
      name,
      singularName: kind.toLowerCase(),
      namespaced: kind !== 'Namespace',
      kind,
      verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
    })),
  };
}

async function readBody(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export async function startFakeKubeApi(scenario: Answers[] = []): Promise<FakeKubeApi> {
  let index = 0;
  const api: Partial<FakeKubeApi> & { requests: RecordedRequest[]; scenario: Answers[]; failNext: number } = {
    requests: [],
    scenario,
    failNext: 0,
  };
  const server: Server = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const recorded: RecordedRequest = {
      method: request.method ?? 'GET',
      path: `${url.pathname}${url.search}`,
      body: await readBody(request),
    };
    api.requests.push(recorded);
    const send = (status: number, body: unknown) => {
      const text = typeof body === 'string' ? body : JSON.stringify(body);
      response.writeHead(status, { 'content-type': typeof body === 'string' ? 'text/plain' : 'application/json' });
      response.end(text);
    };
    const custom = api.route?.(recorded);
    if (custom) return send(custom.status, custom.body);
    const discovered = recorded.method === 'GET' ? discovery(url.pathname) : undefined;
    if (discovered) return send(200, discovered);
    const list = LISTS.find(([pattern]) => pattern.test(url.pathname));
    if (list && recorded.method === 'GET') {
      if (api.failNext > 0) {
        api.failNext -= 1;
        return send(503, {
          kind: 'Status',
          apiVersion: 'v1',
          status: 'Failure',
          message: 'the server is currently unable to handle the request',
          reason: 'ServiceUnavailable',
          code: 503,
        });
      }
      const answers = api.scenario[Math.min(index, api.scenario.length - 1)];
      if (answers) return send(200, answers[list[1]]);
    }
    send(404, {
      kind: 'Status',
      apiVersion: 'v1',
      status: 'Failure',
      message: `${recorded.method} ${url.pathname} not found`,
      reason: 'NotFound',
      code: 404,
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const url = `http://127.0.0.1:${port}`;
  api.url = url;
  api.kubeconfig = `apiVersion: v1
kind: Config
clusters:
- name: fake
  cluster:
    server: ${url}
    insecure-skip-tls-verify: true
contexts:
- name: fake
  context: { cluster: fake, user: fake }
current-context: fake
users:
- name: fake
  user: { token: fake-token }
`;
  api.advance = () => {
    index += 1;
  };
  api.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return api as FakeKubeApi;
}
