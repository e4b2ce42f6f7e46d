import { expect, test } from 'vitest';
import { EnvironmentError } from '../environment.ts';
import { bundleImage, harborImage, harborRelease } from './harbor-release.ts';

test('v2.15.2 is the default, and the first release on valkey-photon and PostgreSQL 18', () => {
  const latest = harborRelease();
  expect(latest.version).toBe('v2.15.2');
  expect([latest.imageNames.redis, latest.postgresMajor]).toEqual(['valkey-photon', 18]);
  expect([harborRelease('v2.15.2').imageNames.redis, harborRelease('v2.15.2').postgresMajor]).toEqual([
    'valkey-photon',
    18,
  ]);
  expect([latest.imageNames.redis, latest.postgresMajor]).toEqual(['valkey-photon', 18]);
  for (const v of ['v2.15.1', 'v2.15.0', 'v2.14.4', 'v2.13.5']) {
    const release = harborRelease(v);
    expect([release.imageNames.redis, release.postgresMajor], v).toEqual(['redis-photon', 15]);
  }
});

test('image references: the configured registry, or the name docker load of the offline bundle gives', () => {
  const release = harborRelease('2.14.4');
  expect(harborImage(release, 'core')).toBe('ghcr.io/goharbor/harbor-core:v2.14.4');
  expect(harborImage(release, 'scanner', 'docker.io/goharbor/')).toBe(
    'docker.io/goharbor/trivy-adapter-photon:v2.14.4',
  );
  expect(bundleImage(release, 'database')).toBe('goharbor/harbor-db:v2.14.4');
});

test('core settings that exist only in some releases', () => {
  expect(harborRelease('v2.13.5').coreVersionEnv).toEqual({
    PERMITTED_REGISTRY_TYPES_FOR_PROXY_CACHE:
      'docker-hub,harbor,azure-acr,ali-acr,aws-ecr,google-gcr,quay,docker-registry,github-ghcr,jfrog-artifactory',
    SYNC_QUOTA: 'true',
  });
  expect(Object.keys(harborRelease('v2.15.0').coreVersionEnv).sort()).toEqual([
    'PERMITTED_REGISTRY_TYPES_FOR_PROXY_CACHE',
    'REPLICATION_ADAPTER_WHITELIST',
  ]);
  expect(harborRelease('v2.15.2').capabilities).toEqual({ cosign: true, notation: true });
});

test('a version that is no release tag, or too old, is one clear line', () => {
  expect(() => harborRelease('latest')).toThrow(EnvironmentError);
  expect(() => harborRelease('latest')).toThrow('Harbor version "latest" is not a release tag: use one like v2.15.2');
  expect(() => harborRelease('v2.12.4')).toThrow(/older than the official environment supports \(v2\.13\.0 or newer\)/);
});
