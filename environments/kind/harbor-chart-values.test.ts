// The values against the chart's values keys recorded by verify-chart-values.ts (chart-values-keys.json:
// every key found in goharbor/harbor's chart at the mapped versions, which helm lint/template rendered).
import { readFileSync } from 'node:fs';
import { dumpYaml } from '@kubernetes/client-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateOfficialSecrets, secretValues, type OfficialSecrets } from '../official/official-secrets.ts';
import { MAPPED_CHARTS, chartLine } from './harbor-chart-version.ts';
import { SECRET_VALUES_PATHS, redactedValues, valuesLeafPaths } from './harbor-chart-values.ts';
import { kindPlan, kindSettings, renderPlan, type KindPlanInput } from './kind-plan.ts';

const recorded = JSON.parse(readFileSync(new URL('./chart-values-keys.json', import.meta.url), 'utf8')) as {
  lines: Record<string, { versions: string[]; keys: Record<string, string> }>;
};

let secrets: OfficialSecrets;
beforeAll(async () => {
  secrets = await generateOfficialSecrets();
});

function input(harborVersion: string, extra: Partial<KindPlanInput> = {}): KindPlanInput {
  return {
    runId: 'hc-20261201-091417-giu3',
    settings: { ...kindSettings({}), harborVersion },
    secrets,
    s3: { accessKey: 'hcaccesskey0123456', secretKey: 's3-secret-0123456789abcdef0123456' },
    harborHostPort: 39355,
    upstreamHostPort: 45295,
    offlineImages: {
      postgres: 'harbor-conformance/postgres:1',
      redis: 'harbor-conformance/redis:1',
      s3: 'harbor-conformance/s3:1',
      registry: 'harbor-conformance/registry:1',
    },
    systemSettings: { self_registration: false, project_creation_restriction: 'adminonly' },
    ...extra,
  };
}

describe('the Helm values of a kind run', () => {
  it.each(MAPPED_CHARTS.map((c) => [c.harborVersion, c.version]))(
    'Harbor %s (chart %s): every key is one the chart knows, recorded for that version',
    (harbor, chart) => {
      const line = recorded.lines[chartLine(chart)];
      expect(line?.versions, `chart ${chart} was rendered by verify-chart-values.ts`).toContain(chart);
      const keys = valuesLeafPaths(kindPlan(input(harbor)).values);
      expect(keys.filter((k) => !(k in (line?.keys ?? {})))).toEqual([]);
    },
  );

  it('carries the run admin password and the same external services as the official environment', () => {
    const values = kindPlan(input('v2.15.2')).values as Record<string, any>;
    expect(values.harborAdminPassword).toBe(secrets.adminPassword);
    expect(values.externalURL).toBe('http://127.0.0.1:39355');
    expect(values.expose).toMatchObject({
      type: 'nodePort',
      tls: { enabled: false },
      nodePort: { ports: { http: { nodePort: 30002 } } },
    });
    expect(values.database).toEqual({
      type: 'external',
      external: {
        host: 'postgresql',
        port: '5432',
        username: 'postgres',
        password: secrets.databasePassword,
        coreDatabase: 'registry',
        sslmode: 'disable',
      },
    });
    // the official environment's Redis numbering: core 0, registry 1, jobservice 2, Trivy 5
    expect(values.redis.external).toEqual({
      addr: 'redis:6379',
      coreDatabaseIndex: '0',
      registryDatabaseIndex: '1',
      jobserviceDatabaseIndex: '2',
      trivyAdapterIndex: '5',
    });
    expect(values.persistence.imageChartStorage).toEqual({
      disableredirect: true,
      type: 's3',
      s3: {
        region: 'us-east-1',
        bucket: 'harbor',
        accesskey: 'hcaccesskey0123456',
        secretkey: 's3-secret-0123456789abcdef0123456',
        regionendpoint: 'http://minio:9000',
        v4auth: true,
      },
    });
    expect(values.core.extraEnvVars).toEqual([
      { name: 'GC_TIME_WINDOW_HOURS', value: '0' },
      { name: 'EXECUTION_STATUS_REFRESH_INTERVAL_SECONDS', value: '5' },
    ]);
    expect(values.core.image).toEqual({ repository: 'ghcr.io/goharbor/harbor-core', tag: 'v2.15.2' });
    expect(values.registry.controller.image).toEqual({
      repository: 'ghcr.io/goharbor/harbor-registryctl',
      tag: 'v2.15.2',
    });
  });

  it("deploys the policy's system settings as core.configureUserSettings, and none when the policy sets none", () => {
    expect((kindPlan(input('v2.15.2')).values.core as Record<string, unknown>).configureUserSettings).toBe(
      '{"self_registration":false,"project_creation_restriction":"adminonly"}',
    );
    expect(kindPlan(input('v2.15.2', { systemSettings: {} })).values.core).not.toHaveProperty('configureUserSettings');
  });

  it("gives Trivy the official environment's DB sources where the chart has the lists (1.18 on)", () => {
    const trivy = (v: string) => kindPlan(input(v)).values.trivy as Record<string, unknown>;
    expect(trivy('v2.15.2')).toMatchObject({
      enabled: true,
      skipUpdate: false,
      offlineScan: false,
      dbRepository: ['mirror.gcr.io/aquasec/trivy-db', 'ghcr.io/aquasecurity/trivy-db'],
    });
    expect(trivy('v2.14.0')).toHaveProperty('javaDBRepository');
    expect(trivy('v2.13.5')).not.toHaveProperty('dbRepository');
    const mirrored = kindPlan({
      ...input('v2.15.2'),
      settings: kindSettings({ HC_TRIVY_DB_REPOSITORY: 'mirror.example/trivy-db' }),
    }).values.trivy as Record<string, unknown>;
    expect(mirrored.dbRepository).toEqual(['mirror.example/trivy-db']);
  });

  it('redacts every secret: no secret value is left in the redacted values or the printed plan', () => {
    const plan = kindPlan(input('v2.15.2'));
    const redacted = dumpYaml(redactedValues(plan.values));
    const printed = renderPlan(plan, kindSettings({}));
    for (const secret of [
      ...secretValues(secrets).filter((s) => s.length >= 8),
      'hcaccesskey0123456',
      's3-secret-0123456789abcdef0123456',
    ]) {
      expect(redacted).not.toContain(secret);
      expect(printed).not.toContain(secret);
    }
    expect(printed.match(/\[REDACTED\]/g)).toHaveLength(SECRET_VALUES_PATHS.length);
    // the clear values still carry them (helm needs them)
    expect(dumpYaml(plan.values)).toContain(secrets.adminPassword);
  });

  it('the printed plan has the kind config, the chart version, the images to load and the stand-ins', () => {
    const printed = renderPlan(kindPlan(input('v2.14.4')), kindSettings({}));
    expect(printed).toContain('# Harbor v2.14.4 → goharbor/harbor chart 1.18.4 (tag v1.18.4)');
    expect(printed).toContain('kind: Cluster');
    expect(printed).toContain('# kind load docker-image harbor-conformance/s3:1');
    expect(printed).toContain('# ghcr.io/goharbor/nginx-photon:v2.14.4');
    expect(printed).toContain('# Job harbor/hc-create-bucket');
  });

  it('takes a local chart from HC_HELM_CHART instead of the chart repository', () => {
    expect(
      kindPlan({ ...input('v2.15.2'), settings: kindSettings({ HC_HELM_CHART: '/charts/harbor-1.19.2.tgz' }) })
        .chartSource,
    ).toEqual({ path: '/charts/harbor-1.19.2.tgz' });
    expect(kindPlan(input('v2.15.2')).chartSource).toEqual({
      repo: 'https://helm.goharbor.io',
      name: 'harbor',
      version: '1.19.2',
    });
  });
});
