// Replication policies as Harbor's handler and model take and show them (goharbor/harbor
// src/server/v2.0/handler/replication.go, src/controller/replication/model/model.go Validate,
// src/pkg/reg/model/policy.go@v2.15.2). Quirks kept: only `deletion` is read (replicate_deletion is echoed), an
// omitted `enabled`/`override` is false, an omitted replace count is -1, speed < 0 becomes 0, and
// single_active_replication with an event_based trigger is a plain error (a masked 500).
import { badRequest } from '../harbor-error.ts';
import type { PolicyFields, PolicyRow, PolicyTrigger } from '../store/replication.ts';
import type { ReplicationFilter } from './replication-filters.ts';

type Body = Record<string, unknown>;

const REPOSITORY_NAME = /^[a-z0-9]+(?:(?:[._]|__|[-]*)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|[-]*)[a-z0-9]+)*)*$/;

function validateFilter(raw: unknown): ReplicationFilter {
  const f = (raw ?? {}) as Body;
  const type = f['type'];
  if (type !== 'name' && type !== 'tag' && type !== 'label' && type !== 'resource')
    throw badRequest('invalid filter type');
  const value = f['value'];
  if (type === 'label') {
    if (!Array.isArray(value) || !value.every((v) => typeof v === 'string'))
      throw badRequest("the type of label filter value isn't string slice");
  } else if (typeof value !== 'string') throw badRequest("the type of filter value isn't string");
  if (type === 'resource' && value !== 'image' && value !== 'artifact')
    throw badRequest(`invalid resource filter: ${String(value)}`);
  const decoration = f['decoration'];
  if (decoration !== undefined && decoration !== '') {
    if (type !== 'tag' && type !== 'label') throw badRequest('only tag and label filter support decoration');
    if (decoration !== 'matches' && decoration !== 'excludes')
      throw badRequest(`invalid filter decoration, :${String(decoration)}`);
  }
  return {
    type,
    value: value as string | string[],
    ...(decoration === 'matches' || decoration === 'excludes' ? { decoration } : {}),
  };
}

function validateTrigger(raw: unknown): PolicyTrigger | null {
  if (raw === undefined || raw === null) return null;
  const t = raw as Body;
  const settings = (t['trigger_settings'] ?? {}) as Body;
  const cron = typeof settings['cron'] === 'string' ? settings['cron'] : '';
  switch (t['type']) {
    case 'manual':
    case 'event_based':
      return { type: t['type'], trigger_settings: { cron } };
    case 'scheduled': {
      if (cron === '') throw badRequest('the cron string cannot be empty when the trigger type is scheduled');
      const parts = cron.split(' ');
      if (parts.length !== 6) throw badRequest(`invalid cron string for scheduled trigger: ${cron}`);
      if (parts[0] !== '0')
        throw badRequest('the 1st field (indicating Seconds of time) of the cron setting must be 0');
      if (parts[1] === '*')
        throw badRequest('* is not allowed for the Minutes field of the cron setting of replication policy');
      return { type: 'scheduled', trigger_settings: { cron } };
    }
    default:
      throw badRequest('invalid trigger type');
  }
}

const registryId = (value: unknown): number => {
  const id = (value as { id?: unknown } | null | undefined)?.id;
  return typeof id === 'number' ? id : 0;
};

/** The body of POST/PUT /replication/policies, validated (registry existence is the caller's: 404). */
export function policyFromBody(body: Body, creator: string): PolicyFields {
  const name = typeof body['name'] === 'string' ? body['name'] : '';
  if (name === '') throw badRequest('empty name');
  const src = registryId(body['src_registry']);
  const dest = registryId(body['dest_registry']);
  if ((src !== 0) === (dest !== 0))
    throw badRequest("either src_registry or dest_registry should be empty and the other one shouldn't be empty");
  const filters = (Array.isArray(body['filters']) ? body['filters'] : []).map(validateFilter);
  const namespace = typeof body['dest_namespace'] === 'string' ? body['dest_namespace'] : '';
  if (namespace !== '' && !REPOSITORY_NAME.test(namespace))
    throw badRequest(`invalid destination namespace: ${namespace}`);
  const trigger = validateTrigger(body['trigger']);
  const single = body['single_active_replication'] === true;
  if (single && trigger?.type === 'event_based')
    throw new Error('single active replication is not allowed for event_based triggers');
  const count = body['dest_namespace_replace_count'];
  const speed = typeof body['speed'] === 'number' ? Math.trunc(body['speed']) : 0;
  return {
    name,
    description: typeof body['description'] === 'string' ? body['description'] : '',
    creator,
    src_registry_id: src,
    dest_registry_id: dest,
    dest_namespace: namespace,
    dest_namespace_replace_count: typeof count === 'number' ? Math.trunc(count) : -1,
    filters,
    trigger,
    replicate_deletion: body['deletion'] === true,
    override: body['override'] === true,
    enabled: body['enabled'] === true,
    speed_kb: speed < 0 ? 0 : speed,
    copy_by_chunk: body['copy_by_chunk'] === true,
    single_active_replication: single,
  };
}

/** convertReplicationPolicy: both registries as objects (the Local one included). */
export function policyModel(
  row: PolicyRow,
  registries: { src: Record<string, unknown> | undefined; dest: Record<string, unknown> | undefined },
): Record<string, unknown> {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    creation_time: row.creation_time.toISOString(),
    update_time: row.update_time.toISOString(),
    ...(registries.src ? { src_registry: registries.src } : {}),
    ...(registries.dest ? { dest_registry: registries.dest } : {}),
    dest_namespace: row.dest_namespace,
    dest_namespace_replace_count: row.dest_namespace_replace_count,
    filters: row.filters,
    trigger: row.trigger ?? undefined,
    deletion: row.replicate_deletion,
    replicate_deletion: row.replicate_deletion,
    override: row.override,
    enabled: row.enabled,
    speed: row.speed_kb,
    copy_by_chunk: row.copy_by_chunk,
    single_active_replication: row.single_active_replication,
  };
}
