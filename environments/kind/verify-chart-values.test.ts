// The checks verify-chart-values.ts applies to Harbor's chart must be able to fail.
import { describe, expect, it } from 'vitest';
import { checkRendered, lookUpKey } from './verify-chart-values.ts';

describe('looking a values key up in the chart', () => {
  const chartValues = {
    core: { secret: '', image: { repository: 'x', tag: 'y' } },
    persistence: { imageChartStorage: { s3: { region: 'us-west-1' } } },
  };
  const templates = 'region: {{ $storage.s3.region }}\n{{- if $storage.s3.regionendpoint }}';

  it('finds a default of values.yaml, at any depth', () => {
    expect(lookUpKey('core.image.tag', chartValues, templates)).toEqual({
      key: 'core.image.tag',
      foundIn: 'values.yaml',
    });
  });

  it('finds a key only a template reads (commented out in values.yaml)', () => {
    expect(lookUpKey('persistence.imageChartStorage.s3.regionendpoint', chartValues, templates)).toEqual({
      key: 'persistence.imageChartStorage.s3.regionendpoint',
      foundIn: 'templates',
    });
  });

  it('does not find a key the chart does not know (a typo, a key of another version)', () => {
    expect(lookUpKey('core.xsrfkey', chartValues, templates)).toBeUndefined();
    expect(lookUpKey('trivy.dbRepository', chartValues, templates)).toBeUndefined();
  });
});

describe('checking the rendered manifests', () => {
  const expect_ = {
    externalURL: 'http://127.0.0.1:1',
    adminPassword: 'pw',
    userSettings: '{}',
    coreImage: 'ghcr.io/goharbor/harbor-core:v2.15.2',
    dbRepositories: true,
  };
  it('reports every setting that did not land, one line each', () => {
    const problems = checkRendered([{ kind: 'PersistentVolumeClaim', metadata: { name: 'data' } }], expect_);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/are not CHART_WORKLOADS$/),
        'core EXT_ENDPOINT is undefined',
        'core secret HARBOR_ADMIN_PASSWORD is not the run admin password',
        'registry config.yml has no s3 storage on http://minio:9000',
        'service harbor is not NodePort 30002',
        'a PersistentVolumeClaim is rendered (persistence should be off)',
      ]),
    );
  });
});
