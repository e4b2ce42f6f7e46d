import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import type { PullPlan } from '../engine/pull-plan.ts';
import { k6SummariesToResult } from '../k6/k6-summary.ts';
import { resultSchema } from '../results/result-schema.ts';
import { loadScenario, shippedScenarioNames } from '../scenarios/load-scenario.ts';
import { mergeRunnerSummaries, runTestRun, TestRunError } from './testrun-follow.ts';
import { buildTestRun, SCRIPT_FILE } from './testrun-manifest.ts';
import { testRunProblems } from './testrun-schema.ts';

const plan: PullPlan = {
  kind: 'pull',
  endpoint: {
    baseUrl: 'https://harbor.example.com',
    auth: {
      kind: 'token',
      realm: 'https://harbor.example.com/service/token',
      service: 'harbor-registry',
      username: 'robot$load+puller',
      password: 'secret-never-in-manifests',
    },
  },
  artifacts: [
    {
      repository: 'load/app',
      reference: 'a0',
      manifest: { digest: `sha256:${'a'.repeat(64)}`, mediaType: 'application/vnd.oci.image.manifest.v1+json' },
      config: { digest: `sha256:${'b'.repeat(64)}`, size: 300 },
      layers: [],
    },
  ],
  connection: 'keep-alive',
  redirects: 'follow',
  requestTimeoutMs: 30_000,
};
const options = {
  name: 'hc-run-smoke-pull',
  namespace: 'load',
  parallelism: 2,
  credentialsSecret: 'harbor-robot',
  runId: 'hc-run',
};

interface Exchange {
  method: string;
  path: string;
  status: number;
  body?: unknown;
  text?: string;
}
const conversation = JSON.parse(
  readFileSync(new URL('./testdata/testrun-conversation.json', import.meta.url), 'utf8'),
) as { exchanges: Exchange[] };

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

/** A fake API server that answers the recorded exchanges in order and records what it was asked. */
async function replay(
  exchanges: Exchange[],
): Promise<{ kc: KubeConfig; seen: Array<{ method: string; path: string; body: string }> }> {
  const seen: Array<{ method: string; path: string; body: string }> = [];
  let next = 0;
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', path: req.url ?? '', body });
      const expected = exchanges[next];
      if (!expected || expected.method !== req.method || expected.path !== req.url) {
        res.writeHead(599, { 'content-type': 'application/json' }).end(
          JSON.stringify({
            unexpected: `${req.method} ${req.url}`,
            expected: expected ? `${expected.method} ${expected.path}` : 'nothing',
          }),
        );
        return;
      }
      next += 1;
      if (expected.text !== undefined)
        res.writeHead(expected.status, { 'content-type': 'text/plain' }).end(expected.text);
      else res.writeHead(expected.status, { 'content-type': 'application/json' }).end(JSON.stringify(expected.body));
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [
      { name: 'replay', server: `http://127.0.0.1:${(server!.address() as AddressInfo).port}`, skipTLSVerify: true },
    ],
    users: [{ name: 'u', token: 'replay-token' }],
    contexts: [{ name: 'c', cluster: 'replay', user: 'u' }],
    currentContext: 'c',
  });
  return { kc, seen };
}

describe('k6-operator TestRun', () => {
  it('every shipped scenario gives a manifest that matches the CRD, with the script in its ConfigMap and no secret', () => {
    for (const name of shippedScenarioNames()) {
      const { testRun, configMap } = buildTestRun(loadScenario(name), plan, { ...options, name: `hc-run-${name}` });
      expect(testRunProblems(testRun), name).toEqual([]);
      expect(testRun.spec.script.configMap).toEqual({ name: configMap.metadata.name, file: SCRIPT_FILE });
      expect(configMap.data[SCRIPT_FILE]).toContain(`scenario "${name}"`);
      expect(JSON.stringify({ testRun, configMap })).not.toContain('secret-never-in-manifests');
    }
  });

  it('the CRD schema refuses what the API server would prune or reject', () => {
    const { testRun } = buildTestRun(loadScenario('smoke-pull'), plan, options);
    expect(testRunProblems({ ...testRun, spec: { ...testRun.spec, parralelism: 2 } })).toEqual([
      expect.stringMatching(/^spec: unknown field\(s\) parralelism/),
    ]);
    expect(testRunProblems({ ...testRun, spec: { ...testRun.spec, cleanup: 'always' } })[0]).toMatch(
      /^spec\.cleanup: /,
    );
    expect(testRunProblems({ ...testRun, spec: { ...testRun.spec, parallelism: 1.5 } })[0]).toMatch(
      /^spec\.parallelism: /,
    );
    expect(
      testRunProblems({ ...testRun, spec: { ...testRun.spec, runner: { imagePullPolicy: 'Sometimes' } } })[0],
    ).toMatch(/^spec\.runner\.imagePullPolicy: /);
    expect(testRunProblems({ ...testRun, spec: { ...testRun.spec, script: {} } })).toEqual([
      'spec.script: exactly one of configMap, volumeClaim, localFile',
    ]);
    expect(testRunProblems({ ...testRun, metadata: { name: 'Not_A_Label' } })[0]).toMatch(/^metadata\.name: /);
  });

  it("applies the manifests, follows the stages to finished, reads both runners' summaries and deletes what it created", async () => {
    const { kc, seen } = await replay(conversation.exchanges);
    const manifests = buildTestRun(loadScenario('smoke-pull'), plan, options);
    const run = await runTestRun(kc, manifests, { timeoutMs: 10_000, intervalMs: 5 });
    expect(run.stages).toEqual(['initialization', 'initialized', 'created', 'started', 'stopped', 'finished']);
    expect(run.runnerPods).toEqual(['hc-run-smoke-pull-1-x7k2p', 'hc-run-smoke-pull-2-q9d4m']);
    expect(seen.map((s) => `${s.method} ${s.path}`)).toEqual(
      conversation.exchanges.map((e) => `${e.method} ${e.path}`),
    );
    expect(JSON.parse(seen[1]!.body)).toMatchObject({ kind: 'TestRun', spec: { parallelism: 2 } });
    const merged = mergeRunnerSummaries(run.summaries);
    expect(merged.metrics['hc_pulls{level:4}']?.values['count']).toBe(98);
    const result = k6SummariesToResult([merged], loadScenario('smoke-pull'), {
      target: { kind: 'external', version: 'v2.15.2', source: 'harbor-project' },
      engine: 'k6-operator',
      version: 'grafana/k6:1.8.1',
      startedAt: 'a',
      finishedAt: 'b',
    });
    expect(resultSchema.safeParse(result).success).toBe(true);
    expect(result.levels[1]?.runs[0]?.pulls).toBe(98);
  });

  it('a TestRun that ends in stage error fails with the stages seen, and is still deleted', async () => {
    const ex = conversation.exchanges;
    const errorStage = { ...(ex[5]!.body as object), status: { stage: 'error' } };
    const { kc, seen } = await replay([
      ...ex.slice(0, 5),
      { ...ex[5]!, body: errorStage },
      ex[ex.length - 2]!,
      ex[ex.length - 1]!,
    ]);
    await expect(
      runTestRun(kc, buildTestRun(loadScenario('smoke-pull'), plan, options), { timeoutMs: 10_000, intervalMs: 5 }),
    ).rejects.toThrow(TestRunError);
    expect(seen.slice(-2).map((s) => s.method)).toEqual(['DELETE', 'DELETE']);
  });

  it('refuses a manifest that does not match the CRD before calling the cluster', async () => {
    const { kc, seen } = await replay([]);
    const manifests = buildTestRun(loadScenario('smoke-pull'), plan, options);
    await expect(
      runTestRun(
        kc,
        { ...manifests, testRun: { ...manifests.testRun, spec: { ...manifests.testRun.spec, parallelism: 0.5 } } },
        { timeoutMs: 1000 },
      ),
    ).rejects.toThrow(/does not match k6-operator's CRD/);
    expect(seen).toEqual([]);
  });
});
