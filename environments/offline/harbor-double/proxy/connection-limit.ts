// max_upstream_conn of a proxy-cache project: a Redis counter per artifact (or per project with
// UPSTREAM_REGISTRY_LIMIT_ON_PROJECT=true), taken before a manifest or blob goes to the upstream and given
// back afterwards; over the limit the pull gets 429 TOO_MANY_REQUEST
// (goharbor/harbor src/pkg/proxy/connection/limit.go, src/server/middleware/repoproxy/proxy.go@v2.15.x).
import type { DoubleServices } from '../double-services.ts';
import { HarborError } from '../harbor-error.ts';
import type { ProjectRow } from '../store/projects.ts';

const ACQUIRE = `
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
local max = tonumber(ARGV[1])
if current + 1 <= max then
  redis.call('INCRBY', KEYS[1], 1)
  redis.call('EXPIRE', KEYS[1], 3600)
  return 1
else
  return 0
end`;
const RELEASE = `
local val = tonumber(redis.call('GET', KEYS[1]) or '0')
if val > 0 then redis.call('DECR', KEYS[1]) end
return 0`;

function limitOf(project: ProjectRow): number {
  const value = Number.parseInt(project.metadata['max_upstream_conn'] ?? '', 10);
  return Number.isFinite(value) ? value : -1;
}

/** Takes one upstream connection of the project's limit (none when unlimited); the result gives it back. */
export async function acquireUpstreamConnection(
  services: DoubleServices,
  project: ProjectRow,
  repository: string,
  digestOrReference: string,
): Promise<() => Promise<void>> {
  const limit = limitOf(project);
  if (limit <= 0) return async () => {};
  const key =
    process.env['UPSTREAM_REGISTRY_LIMIT_ON_PROJECT']?.toLowerCase() === 'true'
      ? `{upstream_registry_connection}:${project.name}`
      : `{upstream_registry_connection}:${repository}:${digestOrReference}`;
  const acquired = await services.redis.eval(ACQUIRE, 1, key, String(limit)).catch(() => 0);
  if (acquired !== 1) throw new HarborError('TOO_MANY_REQUEST', 'too many requests to upstream registry');
  return async () => {
    await services.redis.eval(RELEASE, 1, key).catch(() => undefined);
  };
}
