import type { V1Deployment, V1Job, V1Secret, V1Service } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { standInManifests } from './stand-in-manifests.ts';

const objects = standInManifests({
  runId: 'hc-20261201-091417-giu3',
  images: {
    postgres: 'harbor-conformance/postgres:1',
    redis: 'harbor-conformance/redis:1',
    s3: 'harbor-conformance/s3:1',
    registry: 'harbor-conformance/registry:1',
  },
  databasePassword: 'db-password-0123456789',
  s3AccessKey: 'hcaccesskey0123456',
  s3SecretKey: 's3-secret-0123456789abcdef0123456',
  s3Region: 'us-east-1',
  bucket: 'harbor',
});
const deployments = objects.filter((o) => o.kind === 'Deployment') as V1Deployment[];

describe('the in-cluster stand-ins', () => {
  it('are created namespace first, each Deployment with its Service, the bucket Job last', () => {
    expect(objects.map((o) => `${o.kind} ${o.metadata?.name}`)).toEqual([
      'Namespace harbor',
      'Secret hc-stand-ins',
      'Deployment postgresql',
      'Service postgresql',
      'Deployment redis',
      'Service redis',
      'Deployment minio',
      'Service minio',
      'Deployment upstream',
      'Service upstream',
      'Job hc-create-bucket',
    ]);
  });

  it('run the offline images, never pulled, labelled with the run id', () => {
    for (const d of deployments) {
      const container = d.spec?.template.spec?.containers[0];
      expect(container?.image).toMatch(/^harbor-conformance\//);
      expect(container?.imagePullPolicy).toBe('Never');
      expect(d.spec?.template.metadata?.labels?.['harbor-conformance.run-id']).toBe('hc-20261201-091417-giu3');
      expect(d.spec?.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': d.metadata?.name });
    }
  });

  it('keep credentials in the Secret: no container env carries a secret value', () => {
    const secret = objects.find((o) => o.kind === 'Secret') as V1Secret;
    expect(secret.stringData).toEqual({
      POSTGRES_PASSWORD: 'db-password-0123456789',
      MINIO_ROOT_USER: 'hcaccesskey0123456',
      MINIO_ROOT_PASSWORD: 's3-secret-0123456789abcdef0123456',
    });
    const withoutSecret = JSON.stringify(objects.filter((o) => o.kind !== 'Secret'));
    for (const value of Object.values(secret.stringData ?? {})) expect(withoutSecret).not.toContain(value);
  });

  it('publish only the upstream on a NodePort (the one the kind config maps)', () => {
    const services = objects.filter((o) => o.kind === 'Service') as V1Service[];
    expect(
      services.map((s) => [s.metadata?.name, s.spec?.type, s.spec?.ports?.[0]?.port, s.spec?.ports?.[0]?.nodePort]),
    ).toEqual([
      ['postgresql', 'ClusterIP', 5432, undefined],
      ['redis', 'ClusterIP', 6379, undefined],
      ['minio', 'ClusterIP', 9000, undefined],
      ['upstream', 'NodePort', 5000, 30500],
    ]);
  });

  it("create the registry's bucket with a SigV4-signed PUT, retried until the S3 stand-in answers", () => {
    const job = objects.find((o) => o.kind === 'Job') as V1Job;
    const container = job.spec?.template.spec?.containers[0];
    expect(job.spec?.template.spec?.restartPolicy).toBe('OnFailure');
    expect(container?.command?.join(' ')).toContain('curl -sf -X PUT --aws-sigv4 "aws:amz:$REGION:s3"');
    expect(container?.env?.find((e) => e.name === 'BUCKET')?.value).toBe('harbor');
  });
});
