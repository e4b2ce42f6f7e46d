import { describe, expect, it } from 'vitest';
import {
  renderCrioRegistriesConf,
  renderHostsToml,
  renderTalosMirrors,
  renderTalosRegistryMirrorDocument,
  type MirrorConfig,
} from './mirror-config.ts';

const teams: MirrorConfig = {
  upstreamHost: 'docker.io',
  upstreamUrl: 'https://registry-1.docker.io',
  harborUrl: 'https://harbor.example.com',
  harborProject: 'dockerhub',
  fallbackToUpstream: true,
};
const harborOnly: MirrorConfig = { ...teams, fallbackToUpstream: false };

describe('the mirror configuration as teams write it', () => {
  it('hosts.toml: upstream as server, Harbor project path first with override_path', () => {
    expect(renderHostsToml(teams)).toBe(
      [
        'server = "https://registry-1.docker.io"',
        '',
        '[host."https://harbor.example.com/v2/dockerhub"]',
        '  capabilities = ["pull", "resolve"]',
        '  override_path = true',
        '',
      ].join('\n'),
    );
  });
  it('hosts.toml without fallback: Harbor as the server and the one [host] (containerd 1.6 ignores a file without [host])', () => {
    expect(renderHostsToml(harborOnly)).toBe(
      [
        'server = "https://harbor.example.com/v2/dockerhub"',
        'capabilities = ["pull", "resolve"]',
        'override_path = true',
        '',
        '[host."https://harbor.example.com/v2/dockerhub"]',
        '  capabilities = ["pull", "resolve"]',
        '  override_path = true',
        '',
      ].join('\n'),
    );
  });
  it('Talos: endpoints Harbor then upstream; skipFallback only without fallback', () => {
    expect(renderTalosMirrors(teams)).toBe(
      [
        'machine:',
        '  registries:',
        '    mirrors:',
        '      "docker.io":',
        '        endpoints:',
        '          - https://harbor.example.com/v2/dockerhub',
        '          - https://registry-1.docker.io',
        '        overridePath: true',
        '',
      ].join('\n'),
    );
    const strict = renderTalosMirrors(harborOnly);
    expect(strict).toContain('skipFallback: true');
    expect(strict).not.toContain('registry-1.docker.io');
  });
  it('Talos 1.12+ document: Harbor with overridePath, then upstream or skipFallback', () => {
    expect(renderTalosRegistryMirrorDocument(teams)).toBe(
      [
        'apiVersion: v1alpha1',
        'kind: RegistryMirrorConfig',
        'name: docker.io',
        'endpoints:',
        '  - url: https://harbor.example.com/v2/dockerhub',
        '    overridePath: true',
        '  - url: https://registry-1.docker.io',
        '',
      ].join('\n'),
    );
    expect(renderTalosRegistryMirrorDocument(harborOnly)).toContain('\nskipFallback: true\n');
  });
  it('CRI-O: the upstream location with Harbor as its mirror; without fallback the location is Harbor', () => {
    expect(renderCrioRegistriesConf(teams)).toBe(
      [
        '[[registry]]',
        'prefix = "docker.io"',
        'location = "docker.io"',
        '',
        '[[registry.mirror]]',
        'location = "harbor.example.com/dockerhub"',
        '',
      ].join('\n'),
    );
    expect(renderCrioRegistriesConf(harborOnly)).toBe(
      ['[[registry]]', 'prefix = "docker.io"', 'location = "harbor.example.com/dockerhub"', ''].join('\n'),
    );
  });
  it('plain-http endpoints are marked insecure for CRI-O', () => {
    const local = {
      ...teams,
      upstreamUrl: 'http://127.0.0.1:5000',
      upstreamHost: '127.0.0.1:5000',
      harborUrl: 'http://127.0.0.1:8080',
    };
    expect(renderCrioRegistriesConf(local).match(/insecure = true/g)).toHaveLength(2);
  });
});
