import type Docker from 'dockerode';
import { expect, test } from 'vitest';
import { EnvironmentError } from '../environment.ts';
import {
  ensureOfficialImages,
  pullFailureLine,
  pullFailureReason,
  registryOf,
  type WantedImage,
} from './official-images.ts';

/** A Docker engine that holds `present` images and answers every pull with `pullError`. */
function fakeDocker(present: string[], pullError: Error & { json?: unknown; statusCode?: number }) {
  const pulls: string[] = [];
  const docker = {
    getImage: (name: string) => ({
      inspect: async () => {
        if (present.includes(name)) return { Id: `sha256:${name}` };
        throw Object.assign(new Error('no such image'), { statusCode: 404 });
      },
    }),
    pull: (name: string, callback: (error: unknown) => void) => {
      pulls.push(name);
      setImmediate(() => callback(pullError));
    },
    modem: { followProgress: () => {} },
  } as unknown as Docker;
  return { docker, pulls };
}

const dnsFailure = Object.assign(
  new Error(
    '(HTTP code 500) server error - Get "https://ghcr.io/v2/": dial tcp: lookup ghcr.io on 10.255.255.53:53: no such host ',
  ),
  {
    statusCode: 500,
    json: { message: 'Get "https://ghcr.io/v2/": dial tcp: lookup ghcr.io on 10.255.255.53:53: no such host' },
  },
);

const wanted: Array<WantedImage & { component: string }> = [
  {
    component: 'core',
    image: 'ghcr.io/goharbor/harbor-core:v2.15.2',
    alsoKnownAs: ['goharbor/harbor-core:v2.15.2'],
    inHarborBundle: true,
  },
  {
    component: 'database',
    image: 'ghcr.io/goharbor/harbor-db:v2.15.2',
    alsoKnownAs: ['goharbor/harbor-db:v2.15.2'],
    inHarborBundle: true,
  },
  { component: 'object-storage', image: 'minio/minio:RELEASE.2025-09-07T16-13-09Z', inHarborBundle: false },
];

test('images already on the engine, under the registry name or the offline bundle name, are used without a pull', async () => {
  const { docker, pulls } = fakeDocker(
    ['goharbor/harbor-core:v2.15.2', 'ghcr.io/goharbor/harbor-db:v2.15.2', 'minio/minio:RELEASE.2025-09-07T16-13-09Z'],
    dnsFailure,
  );
  const images = await ensureOfficialImages(wanted, { docker, harborVersion: 'v2.15.2', log: () => {} });
  expect(images).toEqual({
    core: 'goharbor/harbor-core:v2.15.2',
    database: 'ghcr.io/goharbor/harbor-db:v2.15.2',
    'object-storage': 'minio/minio:RELEASE.2025-09-07T16-13-09Z',
  });
  expect(pulls).toEqual([]);
});

test('an unreachable registry fails on its first missing image, with one line saying what to do', async () => {
  const { docker, pulls } = fakeDocker([], dnsFailure);
  const error = await ensureOfficialImages(wanted, { docker, harborVersion: 'v2.15.2', log: () => {} }).catch(
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(EnvironmentError);
  expect((error as Error).message).toBe(
    'cannot pull ghcr.io/goharbor/harbor-core:v2.15.2: Get "https://ghcr.io/v2/": dial tcp: lookup ghcr.io on 10.255.255.53:53: no such host; ' +
      "this machine cannot reach ghcr.io: use --env offline, or docker load Harbor's offline installer bundle (harbor.v2.15.2.tar.gz) first",
  );
  expect(pulls).toEqual(['ghcr.io/goharbor/harbor-core:v2.15.2']);
});

test('a reachable registry without the image gets advice about the tag, not about the network', () => {
  const line = pullFailureLine(
    wanted[0]!,
    pullFailureReason(new Error('(HTTP code 404) unexpected - manifest unknown: manifest unknown')),
    'v2.15.2',
  );
  expect(line).toBe(
    "cannot pull ghcr.io/goharbor/harbor-core:v2.15.2: manifest unknown: manifest unknown; check that ghcr.io has it (Harbor version and image registry), or use --env offline, or docker load Harbor's offline installer bundle (harbor.v2.15.2.tar.gz) first",
  );
  expect(pullFailureLine(wanted[2]!, 'dial tcp: lookup registry-1.docker.io: no such host', 'v2.15.2')).toBe(
    'cannot pull minio/minio:RELEASE.2025-09-07T16-13-09Z: dial tcp: lookup registry-1.docker.io: no such host; this machine cannot reach docker.io: use --env offline, or docker load minio/minio:RELEASE.2025-09-07T16-13-09Z first',
  );
});

test('registry of an image reference', () => {
  expect(registryOf('ghcr.io/goharbor/harbor-core:v2.15.2')).toBe('ghcr.io');
  expect(registryOf('goharbor/harbor-core:v2.15.2')).toBe('docker.io');
  expect(registryOf('localhost:5000/x:1')).toBe('localhost:5000');
  expect(registryOf('minio/minio:latest')).toBe('docker.io');
});
