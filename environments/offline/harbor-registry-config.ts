// The registry's config.yml and htpasswd file as Harbor's installer writes them
// (make/photon/prepare/templates/registry/config.yml.jinja, v2.x): basic auth with a credential only
// core holds, the Redis layer-info cache on db 1, blobs in S3 with redirects off, deletes on.
import bcrypt from 'bcryptjs';

export interface HarborRegistryS3 {
  /** e.g. http://minio:9000 */
  regionEndpoint: string;
  region: string;
  accessKey: string;
  secretKey: string;
  bucket: string;
}

export interface HarborRegistryConfig {
  /** host:port of Redis on the run's network. */
  redisAddress: string;
  redisDb: number;
  s3: HarborRegistryS3;
  /** Signs the registry's upload state; random per run. */
  httpSecret: string;
}

export const REGISTRY_CONFIG_PATH = '/etc/registry/config.yml';
export const REGISTRY_PASSWD_PATH = '/etc/registry/passwd';
export const REGISTRY_BASIC_REALM = 'harbor-registry-basic-realm';

export function renderHarborRegistryConfig(config: HarborRegistryConfig): string {
  const s3 = config.s3;
  return `version: 0.1
log:
  level: info
  fields:
    service: registry
storage:
  cache:
    layerinfo: redis
  s3:
    accesskey: ${s3.accessKey}
    secretkey: ${s3.secretKey}
    region: ${s3.region}
    regionendpoint: ${s3.regionEndpoint}
    bucket: ${s3.bucket}
    secure: false
    v4auth: true
  maintenance:
    uploadpurging:
      enabled: true
      age: 168h
      interval: 24h
      dryrun: false
  delete:
    enabled: true
  redirect:
    disable: true
redis:
  addr: ${config.redisAddress}
  db: ${config.redisDb}
  readtimeout: 10s
  writetimeout: 10s
  dialtimeout: 10s
  pool:
    maxidle: 100
    maxactive: 500
    idletimeout: 60s
http:
  addr: :5000
  secret: ${config.httpSecret}
  debug:
    addr: localhost:5001
auth:
  htpasswd:
    realm: ${REGISTRY_BASIC_REALM}
    path: ${REGISTRY_PASSWD_PATH}
validation:
  disabled: true
compatibility:
  schema1:
    enabled: true
`;
}

/**
 * bcrypt cost of Harbor's registry htpasswd: Harbor's prepare runs `htpasswd -bcB` (goharbor/harbor
 * make/photon/prepare/utils/registry.py@v2.15.2), whose default cost is 5. distribution verifies it on every
 * request core relays, so the cost sets the registry's CPU per request (cost 10 was 32x Harbor's).
 */
export const HARBOR_HTPASSWD_BCRYPT_COST = 5;

/** One htpasswd line; distribution's htpasswd accepts bcrypt only. */
export function htpasswdLine(username: string, password: string): string {
  return `${username}:${bcrypt.hashSync(password, HARBOR_HTPASSWD_BCRYPT_COST)}\n`;
}
