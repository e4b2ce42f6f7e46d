import { randomBytes } from 'node:crypto';
import { GenericContainer, Wait } from 'testcontainers';
import { expect, test } from 'vitest';
import { connectDockerEngine } from '../docker-engine.ts';
import { EnvironmentError } from '../environment.ts';
import { ensureOfflineImages } from './images/offline-images.ts';
import { runLabels } from './run-labels.ts';
import { listRunResources, removeRunResources } from './run-resources.ts';
import { startComponent } from './start-component.ts';

test('a component that never becomes ready fails with one line naming it and quoting its last log lines', {
  timeout: 300_000,
}, async () => {
  process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
  const docker = await connectDockerEngine();
  const { tags } = await ensureOfflineImages({ only: ['base'] });
  const runId = `hc-test-notready-${randomBytes(3).toString('hex')}`;
  const network = `${runId}-net`;
  await docker.createNetwork({ Name: network, Labels: runLabels(runId, 'network') });
  const controller = new AbortController();
  try {
    const broken = new GenericContainer(tags.base!)
      .withCommand(['bash', '-c', 'echo starting up; echo "fatal: no database configured" >&2; exit 3'])
      .withExposedPorts(8080)
      .withWaitStrategy(Wait.forHttp('/ping', 8080, { abortOnContainerExit: true }))
      .withStartupTimeout(30_000);
    const error = await startComponent({ docker, runId, network, controller, log: () => {} }, 'core', broken).catch(
      (e: unknown) => e,
    );

    expect(error).toBeInstanceOf(EnvironmentError);
    const message = (error as Error).message;
    expect(message).not.toContain('\n');
    expect(message).toMatch(/^offline stack: core did not become ready \(.+\); its last log lines: /);
    expect(message).toContain('starting up');
    expect(message).toContain('fatal: no database configured');
    // the failure stops the other starts of the run
    expect(controller.signal.reason).toBe(error);
  } finally {
    await removeRunResources(docker, runId);
  }
  expect(await listRunResources(docker, runId)).toEqual({ containers: [], networks: [], volumes: [] });
});
