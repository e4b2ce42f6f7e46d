// Seeds the estate the gate upgrades: a run-id-named project set with what a team's Harbor holds, through Harbor's
// API and the registry only (so it works on an external Harbor with an admin account, mutating allowed):
//   <prefix>-secure  private; prevent_vul (critical), auto_scan off, its own CVE allowlist, a 1 GiB quota;
//                    a scanned single-arch image (Debian with a High finding) with a notation signature and an
//                    SBOM referrer as accessories, tag immutability for v*, a
//                    retention policy, a webhook policy, a pull robot and a push robot
//   <prefix>-signed  enable_content_trust_cosign; an image signed with cosign (tag form)
//   <prefix>-open    public, prevent_vul off; a two-platform index (prevent_vul refuses unscanned artifacts)
//   <prefix>-sys     a system robot with different permissions on both projects
//   <prefix>-peer    a registry endpoint (the target's plain peer registry) and <prefix>-push, a replication policy
// Everything is removed by removeEstate, also after a failure (what was recorded so far, then a sweep by prefix).
import { generateKeyPairSync } from 'node:crypto';
import { buildImage, buildIndex } from '../../fixtures/images/image-builder.ts';
import { pushImage } from '../../fixtures/images/push-image.ts';
import { cosignSign } from '../../fixtures/signing/cosign-registry.ts';
import { generateNotationTestChain } from '../../fixtures/signing/notation-certificate.ts';
import { notationSign } from '../../fixtures/signing/notation-registry.ts';
import { HarborApiError, type HarborApiClient } from '../../lib/harbor-api.ts';
import type { RegistryClient } from '../../lib/oci/registry-client.ts';
import type { Target } from '../../lib/target.ts';
import {
  setProjectAllowlist,
  allowlistOf,
  triggerScan,
  waitForScanSuccess,
} from '../../suites/scan-blocking/harbor-scanning.ts';
import { scanImage } from '../../suites/scan-blocking/scan-images.ts';
import { ruleBody } from '../../suites/immutability/immutability-workspace.ts';
import { createProject, deleteProjectWithRepositories } from '../../suites/support/harbor-projects.ts';
import { keepLatestPushedPolicy } from '../../suites/support/retention-runs.ts';
import { pushSbomReferrer } from '../../suites/support/sbom-referrer.ts';

export interface SeededEstate {
  prefix: string;
  projects: string[];
  robots: number[];
  registryEndpoints: number[];
  replicationPolicies: number[];
  /** One line per seeded object, for the report. */
  seeded: string[];
  /** What could not be seeded on this target, and why. */
  skipped: string[];
}

const GiB = 1024 ** 3;

const idFrom = (location: string | undefined): number => {
  const id = Number(/\/(\d+)$/.exec(location ?? '')?.[1]);
  if (!Number.isInteger(id)) throw new Error(`Harbor created an object but its Location (${location}) has no id`);
  return id;
};

export async function seedEstate(
  target: Target,
  api: HarborApiClient,
  registry: RegistryClient,
  prefix: string,
  estate: SeededEstate,
  options: { scanTimeoutMs?: number; signal?: AbortSignal } = {},
): Promise<SeededEstate> {
  const note = (line: string) => void estate.seeded.push(line);
  const secure = `${prefix}-secure`;
  const signed = `${prefix}-signed`;
  const open = `${prefix}-open`;

  const secureId = await createProject(api, secure, {
    public: 'false',
    prevent_vul: 'true',
    severity: 'critical',
    auto_scan: 'false',
    auto_sbom_generation: 'false',
    enable_content_trust: 'false',
    enable_content_trust_cosign: 'false',
    reuse_sys_cve_allowlist: 'false',
  });
  estate.projects.push(secure);
  await api.request('PUT', `/quotas/${await quotaId(api, secureId)}`, { body: { hard: { storage: GiB } } });
  await setProjectAllowlist(api, secure, allowlistOf(['CVE-2023-4911']));
  note(`project ${secure}: private, prevent_vul critical, auto_scan off, CVE allowlist CVE-2023-4911, quota 1 GiB`);

  // content trust goes on after the signature: the v2.15.3 fix refuses signing an unsigned image (GATE-BRK-006)
  await createProject(api, signed, { public: 'false', auto_scan: 'false' });
  estate.projects.push(signed);

  // artifacts: a scanned single-arch image, an index, a cosign-signed image
  const app = scanImage('debian-high-only', `${prefix}-app`);
  const appPush = await pushImage(registry, `${secure}/app`, 'v1', app);
  await triggerScan(api, secure, 'app', appPush.digest);
  const overview = await waitForScanSuccess(api, secure, 'app', appPush.digest, {
    timeoutMs: options.scanTimeoutMs ?? target.scanning?.scanDeadlineMs ?? 120_000,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  note(
    `artifact ${secure}/app:v1 ${appPush.digest} (single-arch, scanned: ${overview.severity}, ${overview.summary?.total ?? 0} finding(s))`,
  );
  const chain = await generateNotationTestChain();
  await notationSign(registry, `${secure}/app`, {
    subject: appPush.digest,
    privateKey: chain.leaf.privateKey,
    certificateChain: chain.x5c,
  });
  const sbom = await pushSbomReferrer(registry, `${secure}/app`, appPush.digest, `${prefix} app`);
  note(`accessories of ${secure}/app:v1: a notation signature and an SBOM referrer ${sbom}`);
  const tool = buildImage({ layers: [{ 'usr/bin/tool': `#!/bin/sh\necho ${prefix}\n` }] });
  const toolPush = await pushImage(registry, `${signed}/tool`, 'v1', tool);
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  await cosignSign(registry, `${signed}/tool`, {
    subject: toolPush.digest,
    dockerReference: `${target.registryHost}/${signed}/tool`,
    privateKey,
  });
  note(`artifact ${signed}/tool:v1 ${toolPush.digest} (signed with cosign, tag form)`);
  await api.updateProjectMetadata(signed, { enable_content_trust_cosign: 'true' });
  note(`project ${signed}: private, enable_content_trust_cosign (switched on after signing)`);

  // a public project with an index: prevent_vul refuses unscanned artifacts, so the index lives where it is off
  await createProject(api, open, { public: 'true', auto_scan: 'false', prevent_vul: 'false' });
  estate.projects.push(open);
  note(`project ${open}: public, prevent_vul off`);
  const platforms = (['amd64', 'arm64'] as const).map((architecture) =>
    buildImage({ layers: [{ 'etc/gate': `${prefix} ${architecture}\n` }], platform: { os: 'linux', architecture } }),
  );
  const index = await pushImage(registry, `${open}/multi`, 'v1', buildIndex(platforms));
  note(`artifact ${open}/multi:v1 ${index.digest} (index of linux/amd64 and linux/arm64)`);

  // policies of the secure project
  await api.request('POST', `/projects/${secure}/immutabletagrules`, { body: ruleBody(['**'], ['v*']), expect: [201] });
  note(`immutability rule on ${secure}: tags v* in every repository`);
  await api.request('POST', '/retentions', {
    body: keepLatestPushedPolicy(secureId, 10),
    expect: [201],
  });
  note(`retention policy on ${secure}: retain the 10 latest pushed of every repository`);
  await api.request('POST', `/projects/${secure}/webhook/policies`, {
    body: {
      name: `${prefix}-hook`,
      enabled: true,
      event_types: ['PUSH_ARTIFACT', 'SCANNING_COMPLETED'],
      targets: [{ type: 'http', address: 'https://hooks.example.com/harbor-gate', skip_cert_verify: false }],
    },
    expect: [201],
  });
  note(
    `webhook policy ${prefix}-hook on ${secure}: PUSH_ARTIFACT, SCANNING_COMPLETED → https://hooks.example.com/harbor-gate`,
  );

  // robots: two project robots and a system robot, each with another permission set
  const robots: Array<{ name: string; level: 'project' | 'system'; grants: Record<string, string[]> }> = [
    { name: 'puller', level: 'project', grants: { [secure]: ['repository:pull'] } },
    {
      name: 'pusher',
      level: 'project',
      grants: { [secure]: ['repository:pull', 'repository:push', 'artifact:read', 'scan:create'] },
    },
    {
      name: `${prefix}-sys`,
      level: 'system',
      grants: { [secure]: ['repository:pull', 'artifact:list'], [signed]: ['repository:pull', 'repository:push'] },
    },
  ];
  for (const robot of robots) {
    const created = await api.createRobot({
      name: robot.name,
      description: `harbor-conformance gate ${prefix}`,
      level: robot.level,
      duration: 30,
      permissions: Object.entries(robot.grants).map(([namespace, access]) => ({
        kind: 'project',
        namespace,
        access: access.map((a) => ({ resource: a.split(':')[0]!, action: a.split(':')[1]! })),
      })),
    });
    estate.robots.push(created.id);
    note(
      `${robot.level} robot ${created.name}: ${Object.entries(robot.grants)
        .map(([p, a]) => `${p} ${a.join(' ')}`)
        .join('; ')}`,
    );
  }

  // a registry endpoint and a replication policy, where the target has a peer registry
  const peer = target.peers?.plainRegistry;
  if (!peer) {
    estate.skipped.push(
      'registry endpoint and replication policy: the target names no peer registry (Target.peers.plainRegistry)',
    );
    return estate;
  }
  const endpoint = await api.request('POST', '/registries', {
    body: { name: `${prefix}-peer`, type: 'docker-registry', url: peer.internalUrl, insecure: true },
    expect: [201],
  });
  const endpointId = idFrom(endpoint.headers.location);
  estate.registryEndpoints.push(endpointId);
  note(`registry endpoint ${prefix}-peer: docker-registry ${peer.internalUrl}`);
  const policy = await api.request('POST', '/replication/policies', {
    body: {
      name: `${prefix}-push`,
      enabled: true,
      dest_registry: { id: endpointId },
      dest_namespace: prefix,
      filters: [{ type: 'name', value: `${secure}/**` }],
      trigger: { type: 'manual' },
      override: true,
    },
    expect: [201],
  });
  estate.replicationPolicies.push(idFrom(policy.headers.location));
  note(`replication policy ${prefix}-push: push ${secure}/** to ${prefix}-peer, manual, enabled`);
  return estate;
}

export function emptyEstate(prefix: string): SeededEstate {
  return { prefix, projects: [], robots: [], registryEndpoints: [], replicationPolicies: [], seeded: [], skipped: [] };
}

async function quotaId(api: HarborApiClient, projectId: number): Promise<number> {
  const quotas = await api.listAll<{ id: number }>('/quotas', {
    reference: 'project',
    reference_id: String(projectId),
  });
  if (!quotas[0]) throw new Error(`project ${projectId} has no quota`);
  return quotas[0].id;
}

/**
 * Removes the estate: policies before their endpoint, robots, then the projects with their repositories. Objects
 * named with the prefix are swept too (an object created just before a failure was not recorded). Returns what could
 * not be removed.
 */
export async function removeEstate(api: HarborApiClient, estate: SeededEstate): Promise<string[]> {
  const problems: string[] = [];
  const attempt = async (what: string, fn: () => Promise<unknown>) => {
    try {
      await fn();
    } catch (error) {
      if (!(error instanceof HarborApiError && error.status === 404))
        problems.push(`${what}: ${(error as Error).message}`);
    }
  };
  const named = async (path: string) =>
    (await api.listAll<{ id: number; name: string }>(path).catch(() => [])).filter((o) =>
      o.name.startsWith(estate.prefix),
    );
  const policies = new Set([...estate.replicationPolicies, ...(await named('/replication/policies')).map((p) => p.id)]);
  for (const id of policies)
    await attempt(`replication policy ${id}`, () => api.request('DELETE', `/replication/policies/${id}`));
  const endpoints = new Set([...estate.registryEndpoints, ...(await named('/registries')).map((r) => r.id)]);
  for (const id of endpoints)
    await attempt(`registry endpoint ${id}`, () => api.request('DELETE', `/registries/${id}`));
  // project robots go with their project; system robots named with the prefix are swept
  const robots = new Set([
    ...estate.robots,
    ...(await api.listAll<{ id: number; name: string }>('/robots').catch(() => []))
      .filter((r) => r.name.includes(estate.prefix))
      .map((r) => r.id),
  ]);
  for (const id of robots) await attempt(`robot ${id}`, () => api.deleteRobot(id));
  const projects = new Set([...estate.projects, ...(await named('/projects')).map((p) => p.name)]);
  for (const name of projects) {
    for (const hook of await api.listAll<{ id: number }>(`/projects/${name}/webhook/policies`).catch(() => []))
      await attempt(`webhook ${hook.id}`, () => api.request('DELETE', `/projects/${name}/webhook/policies/${hook.id}`));
    await attempt(`project ${name}`, () => deleteProjectWithRepositories(api, name));
  }
  return problems;
}
