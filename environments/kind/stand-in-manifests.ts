// The services Harbor's chart is pointed at as "external", run in the cluster from the offline images
// (loaded with `kind load`, never pulled): PostgreSQL, Redis, the S3 stand-in and its bucket, and the
// plain upstream registry (a NodePort, so the harness pushes to it). Pure data: Kubernetes objects.
import type { V1Deployment, V1Job, V1Namespace, V1Secret, V1Service, KubernetesObject } from '@kubernetes/client-node';
import { RUN_ID_LABEL } from '../offline/run-labels.ts';
import { UPSTREAM_NODE_PORT } from './kind-cluster-config.ts';

export const HARBOR_NAMESPACE = 'harbor';
export const STAND_IN_SECRET = 'hc-stand-ins';
export const STAND_IN_PORTS = { postgresql: 5432, redis: 6379, minio: 9000, upstream: 5000 } as const;
export type StandInName = keyof typeof STAND_IN_PORTS;
export const BUCKET_JOB = 'hc-create-bucket';
/** The label every stand-in's pods carry (app.kubernetes.io/name=<stand-in>). */
export const NAME_LABEL = 'app.kubernetes.io/name';

export interface StandInInput {
  runId: string;
  images: { postgres: string; redis: string; s3: string; registry: string };
  databasePassword: string;
  s3AccessKey: string;
  s3SecretKey: string;
  s3Region: string;
  bucket: string;
}

export function standInManifests(input: StandInInput): KubernetesObject[] {
  const labels = (name: string) => ({
    [NAME_LABEL]: name,
    'app.kubernetes.io/part-of': 'harbor-conformance',
    [RUN_ID_LABEL]: input.runId,
  });
  const namespace: V1Namespace = {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: HARBOR_NAMESPACE, labels: { [RUN_ID_LABEL]: input.runId } },
  };
  const secret: V1Secret = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: STAND_IN_SECRET, namespace: HARBOR_NAMESPACE, labels: labels('stand-ins') },
    type: 'Opaque',
    stringData: {
      POSTGRES_PASSWORD: input.databasePassword,
      MINIO_ROOT_USER: input.s3AccessKey,
      MINIO_ROOT_PASSWORD: input.s3SecretKey,
    },
  };
  const fromSecret = (name: string, key = name) => ({
    name,
    valueFrom: { secretKeyRef: { name: STAND_IN_SECRET, key } },
  });

  const deployment = (name: StandInName, image: string, container: Record<string, unknown>): V1Deployment => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: HARBOR_NAMESPACE, labels: labels(name) },
    spec: {
      replicas: 1,
      selector: { matchLabels: { [NAME_LABEL]: name } },
      template: {
        metadata: { labels: labels(name) },
        spec: {
          containers: [
            { name, image, imagePullPolicy: 'Never', ports: [{ containerPort: STAND_IN_PORTS[name] }], ...container },
          ],
        },
      },
    },
  });
  const service = (name: StandInName, nodePort?: number): V1Service => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: HARBOR_NAMESPACE, labels: labels(name) },
    spec: {
      type: nodePort ? 'NodePort' : 'ClusterIP',
      selector: { [NAME_LABEL]: name },
      ports: [
        {
          name: 'tcp',
          port: STAND_IN_PORTS[name],
          targetPort: STAND_IN_PORTS[name],
          ...(nodePort ? { nodePort } : {}),
        },
      ],
    },
  });
  const tcpProbe = (port: number) => ({ tcpSocket: { port }, periodSeconds: 2, failureThreshold: 3 });

  const postgres = deployment('postgresql', input.images.postgres, {
    env: [
      { name: 'POSTGRES_USER', value: 'postgres' },
      { name: 'POSTGRES_DB', value: 'registry' },
      fromSecret('POSTGRES_PASSWORD'),
    ],
    readinessProbe: {
      exec: { command: ['pg_isready', '-U', 'postgres', '-d', 'registry'] },
      periodSeconds: 2,
      failureThreshold: 3,
    },
  });
  const redis = deployment('redis', input.images.redis, { readinessProbe: tcpProbe(STAND_IN_PORTS.redis) });
  const minio = deployment('minio', input.images.s3, {
    env: [
      fromSecret('MINIO_ROOT_USER'),
      fromSecret('MINIO_ROOT_PASSWORD'),
      { name: 'MINIO_REGION', value: input.s3Region },
    ],
    readinessProbe: {
      httpGet: { path: '/minio/health/live', port: STAND_IN_PORTS.minio },
      periodSeconds: 2,
      failureThreshold: 3,
    },
  });
  const upstream = deployment('upstream', input.images.registry, {
    readinessProbe: { httpGet: { path: '/v2/', port: STAND_IN_PORTS.upstream }, periodSeconds: 2 },
  });

  // the registry's s3 driver never creates its bucket: a one-shot PUT, SigV4-signed by curl (the S3 image has it)
  const bucketJob: V1Job = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: BUCKET_JOB, namespace: HARBOR_NAMESPACE, labels: labels(BUCKET_JOB) },
    spec: {
      backoffLimit: 30,
      template: {
        metadata: { labels: labels(BUCKET_JOB) },
        spec: {
          restartPolicy: 'OnFailure',
          containers: [
            {
              name: 'create-bucket',
              image: input.images.s3,
              imagePullPolicy: 'Never',
              command: [
                'sh',
                '-c',
                'curl -sf -X PUT --aws-sigv4 "aws:amz:$REGION:s3" --user "$MINIO_ROOT_USER:$MINIO_ROOT_PASSWORD" "http://minio:9000/$BUCKET" -o /dev/null -w "%{http_code}\\n"',
              ],
              env: [
                fromSecret('MINIO_ROOT_USER'),
                fromSecret('MINIO_ROOT_PASSWORD'),
                { name: 'REGION', value: input.s3Region },
                { name: 'BUCKET', value: input.bucket },
              ],
            },
          ],
        },
      },
    },
  };

  return [
    namespace,
    secret,
    postgres,
    service('postgresql'),
    redis,
    service('redis'),
    minio,
    service('minio'),
    upstream,
    service('upstream', UPSTREAM_NODE_PORT),
    bucketJob,
  ];
}
