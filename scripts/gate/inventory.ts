// The gate's inventory of an estate through Harbor's API and the registry: every object of the seeded project set
// (names starting with the gate's prefix) with the fields an upgrade must keep, and every artifact pulled byte for
// byte. Taken before and after the upgrade; inventory-diff.ts compares the two. Fields that change by themselves
// (update and pull times, pull counts, an endpoint's health status) are left out, so a difference is the upgrade's.
import { encodeRepositoryName, type HarborApiClient } from '../../lib/harbor-api.ts';
import type { Artifact } from '../../lib/harbor-api-types.ts';
import type { RegistryClient } from '../../lib/oci/registry-client.ts';
import { overviewOf } from '../../suites/scan-blocking/harbor-scanning.ts';
import { pullByteForByte } from './artifact-pull.ts';

export const INVENTORY_KINDS = [
  'project',
  'robot',
  'artifact',
  'immutable-rule',
  'retention-policy',
  'registry-endpoint',
  'replication-policy',
  'webhook-policy',
] as const;
export type InventoryKind = (typeof INVENTORY_KINDS)[number];

export interface Inventory {
  harborVersion: string;
  takenAt: string;
  /** kind → object key (its name, or project/repository@digest) → fields (nested JSON) */
  objects: Record<InventoryKind, Record<string, Record<string, unknown>>>;
}

type Row = Record<string, unknown>;

const omit = (row: Row, ...keys: string[]): Row =>
  Object.fromEntries(Object.entries(row).filter(([k]) => !keys.includes(k)));

export async function takeInventory(
  api: HarborApiClient,
  registry: RegistryClient,
  prefix: string,
  harborVersion: string,
): Promise<Inventory> {
  const objects = Object.fromEntries(INVENTORY_KINDS.map((k) => [k, {}])) as Inventory['objects'];
  const projects = (await api.listAll<Row>('/projects')).filter((p) => String(p.name).startsWith(prefix));
  for (const listed of projects) {
    const name = String(listed.name);
    const path = `/projects/${encodeURIComponent(name)}`;
    const project = (await api.request<Row>('GET', path)).data ?? {};
    const quota = (
      await api.listAll<Row>('/quotas', { reference: 'project', reference_id: String(project.project_id) })
    )[0];
    const metadata = (project.metadata ?? {}) as Row;
    const allowlist = (project.cve_allowlist ?? {}) as { items?: { cve_id: string }[]; expires_at?: unknown };
    objects.project[name] = {
      project_id: project.project_id,
      metadata: omit(metadata, 'retention_id'),
      cve_allowlist: {
        items: (allowlist.items ?? []).map((i) => i.cve_id).sort(),
        expires_at: allowlist.expires_at ?? null,
      },
      quota_hard: (quota?.hard as Row | undefined) ?? null,
    };
    if (metadata.retention_id) {
      const policy = (await api.request<Row>('GET', `/retentions/${String(metadata.retention_id)}`)).data ?? {};
      objects['retention-policy'][name] = {
        algorithm: policy.algorithm,
        trigger: policy.trigger,
        rules: ((policy.rules as Row[] | undefined) ?? []).map((r) => omit(r, 'id')),
      };
    }
    for (const rule of await api.listAll<Row>(`${path}/immutabletagrules`)) {
      objects['immutable-rule'][`${name}#${String(rule.id)}`] = omit(rule, 'project_id');
    }
    for (const hook of await api.listAll<Row>(`${path}/webhook/policies`)) {
      objects['webhook-policy'][`${name}/${String(hook.name)}`] = {
        enabled: hook.enabled,
        event_types: [...((hook.event_types as string[] | undefined) ?? [])].sort(),
        targets: ((hook.targets as Row[] | undefined) ?? []).map((t) => omit(t, 'auth_header')),
        creation_time: hook.creation_time,
      };
    }
    for (const repo of await api.listAll<{ name: string }>(`${path}/repositories`)) {
      const repository = repo.name.slice(name.length + 1);
      const artifacts = await api.listAll<Artifact>(
        `${path}/repositories/${encodeRepositoryName(repository)}/artifacts`,
        { with_tag: true, with_scan_overview: true, with_accessory: true },
      );
      for (const artifact of artifacts) {
        const overview = overviewOf(artifact);
        objects.artifact[`${repo.name}@${artifact.digest}`] = {
          media_type: artifact.media_type,
          type: artifact.type,
          size: artifact.size,
          push_time: artifact.push_time,
          tags: (artifact.tags ?? []).map((t) => t.name).sort(),
          accessories: (artifact.accessories ?? []).map((a) => `${a.type} ${a.digest}`).sort(),
          scan: overview
            ? {
                report_id: overview.report_id,
                scan_status: overview.scan_status,
                severity: overview.severity,
                summary: overview.summary ?? null,
              }
            : 'not scanned',
          pull: await pullByteForByte(registry, repo.name, artifact.digest),
        };
      }
    }
  }
  // Harbor lists system robots without q, a project's robots with q=Level=project,ProjectID=<id> (handler/robot.go)
  const projectRobots = await Promise.all(
    Object.values(objects.project).map((p) =>
      api.listAll<Row>('/robots', { q: `Level=project,ProjectID=${String(p.project_id)}` }),
    ),
  );
  for (const robot of [...(await api.listAll<Row>('/robots')), ...projectRobots.flat()]) {
    if (!String(robot.name).includes(prefix)) continue;
    objects.robot[String(robot.name)] = {
      level: robot.level,
      disable: robot.disable,
      expires_at: robot.expires_at,
      description: robot.description,
      permissions: ((robot.permissions as Row[] | undefined) ?? [])
        .map((p) => ({
          kind: p.kind,
          namespace: p.namespace,
          access: ((p.access as Row[] | undefined) ?? [])
            .map((a) => `${String(a.resource)}:${String(a.action)}`)
            .sort(),
        }))
        .sort((a, b) => String(a.namespace).localeCompare(String(b.namespace))),
    };
  }
  for (const endpoint of await api.listAll<Row>('/registries')) {
    if (!String(endpoint.name).startsWith(prefix)) continue;
    objects['registry-endpoint'][String(endpoint.name)] = omit(endpoint, 'status', 'update_time', 'credential');
  }
  for (const policy of await api.listAll<Row>('/replication/policies')) {
    if (!String(policy.name).startsWith(prefix)) continue;
    const dest = policy.dest_registry as Row | null | undefined;
    const src = policy.src_registry as Row | null | undefined;
    objects['replication-policy'][String(policy.name)] = {
      ...omit(policy, 'dest_registry', 'src_registry', 'update_time'),
      src_registry: src?.name ?? null,
      dest_registry: dest?.name ?? null,
    };
  }
  return { harborVersion, takenAt: new Date().toISOString(), objects };
}
