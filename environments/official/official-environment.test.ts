// Here no registry is reachable and no Harbor image is on the engine: the official environment can
// only be driven up to its failures. These tests hold it to failing fast, in one line, leaving nothing.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { expect, test } from 'vitest';
import { pollUntil } from '../../lib/poll.ts';
import { connectDockerEngine } from '../docker-engine.ts';
import { EnvironmentError } from '../environment.ts';
import { ensureOfflineImages } from '../offline/images/offline-images.ts';
import { listRunResources } from '../offline/run-resources.ts';
import { harborRelease } from './harbor-release.ts';
import { startOfficialEnvironment, wantedImages } from './official-environment.ts';

const nothing = { containers: [], networks: [], volumes: [] };
const runIdFor = (what: string) => `hc-test-official-${what}-${randomBytes(3).toString('hex')}`;

test('without the images and without a reachable registry, start fails at once with the one-line pull error and leaves nothing', {
  timeout: 170_000,
}, async () => {
  const docker = await connectDockerEngine();
  const release = harborRelease();
  const present = await Promise.all(
    wantedImages(release, 'ghcr.io/goharbor', 'minio/minio:unused', true).map((w) =>
      docker
        .getImage(w.image)
        .inspect()
        .then(
          () => true,
          () => false,
        ),
    ),
  );
  // this test describes a machine without Harbor's images (as this one is); elsewhere it proves nothing
  if (present.some(Boolean)) return;

  const signalListeners = [process.listeners('SIGINT').length, process.listeners('SIGTERM').length];
  const runId = runIdFor('pull');
  const lines: string[] = [];
  const t = Date.now();
  const error = await startOfficialEnvironment({ runId, log: (line) => lines.push(line) }).catch((e: unknown) => e);
  const elapsed = Date.now() - t;

  expect(error).toBeInstanceOf(EnvironmentError);
  const message = (error as Error).message;
  expect(message).not.toContain('\n');
  expect(message).toMatch(
    /^cannot pull ghcr\.io\/goharbor\/harbor-core:v2\.15\.2: .+; this machine cannot reach ghcr\.io: use --env offline, or docker load Harbor's offline installer bundle \(harbor\.v2\.15\.2\.tar\.gz\) first$/,
  );
  expect(elapsed).toBeLessThan(45_000); // at once: no retry loop (generous for a loaded CI machine)
  expect(await listRunResources(docker, runId)).toEqual(nothing);
  expect(lines.join('\n')).toContain('pulling ghcr.io/goharbor/harbor-core:v2.15.2');
  // the process's own signal handlers were removed again
  expect([process.listeners('SIGINT').length, process.listeners('SIGTERM').length]).toEqual(signalListeners);
});

test('a component that cannot start fails the run with one line naming it, and everything of the run is removed', {
  timeout: 300_000,
}, async () => {
  process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
  const docker = await connectDockerEngine();
  // Harbor's image names pointing at the offline base image (no command: every Harbor container fails
  // at once); MinIO is the offline S3 stand-in, so the run gets as far as secrets, bucket and specs
  const { tags } = await ensureOfflineImages({ only: ['base', 's3'] });
  const runId = runIdFor('fail');
  const release = harborRelease();
  const imageRegistry = `${runId}.invalid/goharbor`;
  const fakes = wantedImages(release, imageRegistry, tags.s3!, true)
    .filter((w) => w.inHarborBundle)
    .map((w) => w.image);
  const base = docker.getImage(tags.base!);
  for (const image of fakes) {
    const at = image.lastIndexOf(':');
    await base.tag({ repo: image.slice(0, at), tag: image.slice(at + 1) });
  }
  const lines: string[] = [];
  const controller = new AbortController();
  try {
    const error = await startOfficialEnvironment({
      runId,
      imageRegistry,
      minioImage: tags.s3!,
      signal: controller.signal,
      log: (line) => lines.push(line),
    }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(EnvironmentError);
    const message = (error as Error).message;
    expect(message).not.toContain('\n');
    expect(message).toMatch(/^official stack: [a-z-]+ did not become ready \(.+\); its last log lines: /);
    // and it stays empty: no start still in flight adds a container after the sweep
    for (const _ of [1, 2, 3, 4]) {
      expect(await listRunResources(docker, runId)).toEqual(nothing);
      await delay(1_000);
    }
    const output = [...lines, message].join('\n');
    expect(output).toContain('object-storage ready in');
    expect(output).toContain('starting database: ');
    // the run generated its secrets (mixed-case letters and digits, 16+ chars): none is in what it printed
    expect(output).not.toMatch(
      /(?<![A-Za-z0-9])(?=[A-Za-z0-9]*[A-Z])(?=[A-Za-z0-9]*[a-z])(?=[A-Za-z0-9]*\d)[A-Za-z0-9]{16,}(?![A-Za-z0-9])/,
    );
  } finally {
    await Promise.all(
      fakes.map((image) =>
        docker
          .getImage(image)
          .remove()
          .catch(() => {}),
      ),
    );
  }
});

test('SIGINT while the stack starts exits 130 and leaves nothing of the run behind', { timeout: 300_000 }, async () => {
  const docker = await connectDockerEngine();
  // fake Harbor images as above; MinIO (the offline S3 stand-in) takes ~8 s to boot, so the signal
  // lands while the run's first container is starting
  const { tags } = await ensureOfflineImages({ only: ['base', 's3'] });
  const runId = runIdFor('sigint');
  const imageRegistry = `${runId}.invalid/goharbor`;
  const fakes = wantedImages(harborRelease(), imageRegistry, tags.s3!, true)
    .filter((w) => w.inHarborBundle)
    .map((w) => w.image);
  for (const image of fakes) {
    const at = image.lastIndexOf(':');
    await docker.getImage(tags.base!).tag({ repo: image.slice(0, at), tag: image.slice(at + 1) });
  }
  const module = new URL('./official-environment.ts', import.meta.url).href;
  const options = { runId, imageRegistry, minioImage: tags.s3 };
  const script = `process.env.TESTCONTAINERS_RYUK_DISABLED = 'true';
    const { startOfficialEnvironment } = await import(${JSON.stringify(module)});
    await startOfficialEnvironment({ ...${JSON.stringify(options)}, log: (line) => console.log(line) });
    console.log('STARTED');`;
  const child = spawn(process.execPath, ['--input-type=module', '--eval', script], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    await pollUntil(() => listRunResources(docker, runId), {
      timeoutMs: 180_000,
      intervalMs: 100,
      describe: `a first container of ${runId}`,
      accept: (found) => found.containers.length > 0,
      show: () => output.slice(-500),
    });
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(output).not.toContain('STARTED');
    expect(output).toContain(`SIGINT while starting: removing everything of run ${runId}`);
    await pollUntil(() => listRunResources(docker, runId), {
      timeoutMs: 60_000,
      intervalMs: 500,
      describe: `every resource of ${runId} to be removed`,
      accept: (left) => left.containers.length + left.networks.length + left.volumes.length === 0,
    });
  } finally {
    child.kill('SIGKILL');
    await Promise.all(
      fakes.map((image) =>
        docker
          .getImage(image)
          .remove()
          .catch(() => {}),
      ),
    );
  }
});
