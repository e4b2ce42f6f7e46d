// One node mirror configuration — "pull <upstream>/<repo> through Harbor's project path first, then from the
// upstream itself" — rendered as the three places teams write it: containerd's hosts.toml (what the check
// runs), Talos machine config (`machine.registries.mirrors`) and CRI-O / containers-registries.conf v2.
// The text only; nothing here needs Talos or CRI-O.

export interface MirrorConfig {
  /** The registry the image reference names, host[:port] (e.g. docker.io, or the run's upstream). */
  upstreamHost: string;
  /** How the node reaches the upstream itself, e.g. https://registry-1.docker.io. */
  upstreamUrl: string;
  /** Harbor's origin, e.g. https://harbor.example.com. */
  harborUrl: string;
  /** The Harbor project the mirror path points into (a proxy-cache project in the team's document). */
  harborProject: string;
  /** false: the remediation — Harbor is the node's only source, no upstream entry. */
  fallbackToUpstream: boolean;
}

const quote = (value: string) => JSON.stringify(value);

/**
 * containerd hosts.toml (/etc/containerd/certs.d/<upstreamHost>/hosts.toml): `server` is the upstream, the
 * `[host]` entry is Harbor's project path with override_path, tried first (containerd
 * remotes/docker/config/hosts.go: hosts in file order, then server). Without fallback `server` is Harbor.
 */
export function renderHostsToml(config: MirrorConfig): string {
  const mirror = `${config.harborUrl}/v2/${config.harborProject}`;
  const entry = ['  capabilities = ["pull", "resolve"]', '  override_path = true'];
  if (!config.fallbackToUpstream) {
    // No upstream anywhere: Harbor's project path is the server (top-level keys are the server's) and the one
    // [host]. The [host] table is needed: containerd 1.6 (remotes/docker/config/hosts.go@v1.6.20 getSortedHosts)
    // rejects a hosts.toml without one ("failed to decode hosts.toml" error="invalid `host` tree"), ignores the
    // file and pulls from the registry the image names — the upstream (measured by FALLBACK-001).
    return [
      `server = ${quote(mirror)}`,
      ...entry.map((l) => l.trim()),
      '',
      `[host.${quote(mirror)}]`,
      ...entry,
      '',
    ].join('\n');
  }
  return [`server = ${quote(config.upstreamUrl)}`, '', `[host.${quote(mirror)}]`, ...entry, ''].join('\n');
}

/** Talos machine config: machine.registries.mirrors.<host>.endpoints (overridePath keeps the project path). */
export function renderTalosMirrors(config: MirrorConfig): string {
  const endpoints = [`${config.harborUrl}/v2/${config.harborProject}`];
  if (config.fallbackToUpstream) endpoints.push(config.upstreamUrl);
  return [
    'machine:',
    '  registries:',
    '    mirrors:',
    `      ${quote(config.upstreamHost)}:`,
    '        endpoints:',
    ...endpoints.map((e) => `          - ${e}`),
    '        overridePath: true',
    // Talos RegistryMirrorConfig: skipFallback stops the original registry being tried after the endpoints; it
    // is what "no upstream" means there (docs.siderolabs.com/talos/v1.12/reference/configuration/cri/registrymirrorconfig).
    ...(config.fallbackToUpstream ? [] : ['        skipFallback: true']),
    '',
  ].join('\n');
}

/** Talos 1.12+ as its own config document (kind RegistryMirrorConfig, same fields per endpoint). */
export function renderTalosRegistryMirrorDocument(config: MirrorConfig): string {
  return [
    'apiVersion: v1alpha1',
    'kind: RegistryMirrorConfig',
    `name: ${config.upstreamHost}`,
    'endpoints:',
    `  - url: ${config.harborUrl}/v2/${config.harborProject}`,
    '    overridePath: true',
    ...(config.fallbackToUpstream ? [`  - url: ${config.upstreamUrl}`] : ['skipFallback: true']),
    '',
  ].join('\n');
}

/**
 * CRI-O / containers-registries.conf(5) v2: a [[registry]] for the upstream prefix with the Harbor project as
 * a mirror; `blocked = true` on the location would stop any pull, so "no upstream" is a location that *is*
 * Harbor's project (the mirror list then adds nothing).
 */
export function renderCrioRegistriesConf(config: MirrorConfig): string {
  const harborHost = new URL(config.harborUrl).host;
  const harborLocation = `${harborHost}/${config.harborProject}`;
  const insecure = (url: string) => new URL(url).protocol === 'http:';
  const lines = ['[[registry]]', `prefix = ${quote(config.upstreamHost)}`];
  if (config.fallbackToUpstream) {
    lines.push(`location = ${quote(config.upstreamHost)}`);
    if (insecure(config.upstreamUrl)) lines.push('insecure = true');
    lines.push('', '[[registry.mirror]]', `location = ${quote(harborLocation)}`);
    if (insecure(config.harborUrl)) lines.push('insecure = true');
  } else {
    lines.push(`location = ${quote(harborLocation)}`);
    if (insecure(config.harborUrl)) lines.push('insecure = true');
  }
  lines.push('');
  return lines.join('\n');
}
