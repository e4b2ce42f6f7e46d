import { describe, expect, it } from 'vitest';
import type { ArtifactEvent, ScanEvent } from '../events/harbor-event.ts';
import { formatPayload, type PayloadContext } from './webhook-payload.ts';

const context: PayloadContext = {
  project: { id: 7, name: 'team', public: false },
  repositoryCreated: new Date('2026-01-01T00:00:00Z'),
  externalHost: 'harbor.example.com',
  policyId: 3,
  requestId: 'req-1',
};
const digest = `sha256:${'a'.repeat(64)}`;
const push: ArtifactEvent = {
  type: 'PUSH_ARTIFACT',
  operator: 'admin',
  occurAt: new Date('2026-01-02T03:04:05.678Z'),
  projectId: 7,
  repository: 'team/apps/web',
  digest,
  tags: ['v1'],
};

describe('formatPayload', () => {
  it('writes the Default payload of an artifact event as Harbor does (artifact.go, default.go)', () => {
    const { contentType, body } = formatPayload(push, 'Default', context);
    expect(contentType).toBe('application/json');
    expect(JSON.parse(body)).toEqual({
      type: 'PUSH_ARTIFACT',
      occur_at: 1767323045,
      operator: 'admin',
      event_data: {
        resources: [{ digest, tag: 'v1', resource_url: 'harbor.example.com/team/apps/web:v1' }],
        repository: {
          date_created: 1767225600,
          name: 'apps/web',
          namespace: 'team',
          repo_full_name: 'team/apps/web',
          repo_type: 'private',
        },
      },
    });
  });

  it('names the digest as tag and in resource_url for an event without a tag', () => {
    const { body } = formatPayload({ ...push, type: 'PULL_ARTIFACT', tags: [] }, 'Default', context);
    expect(JSON.parse(body).event_data.resources).toEqual([
      { digest, tag: digest, resource_url: `harbor.example.com/team/apps/web@${digest}` },
    ]);
  });

  it('wraps the same event_data as a structured CloudEvent (cloudevents.go)', () => {
    const { contentType, body } = formatPayload(push, 'CloudEvents', context);
    expect(contentType).toBe('application/cloudevents+json');
    const event = JSON.parse(body);
    expect(event).toMatchObject({
      specversion: '1.0',
      source: '/projects/7/webhook/policies/3',
      type: 'harbor.artifact.pushed',
      datacontenttype: 'application/json',
      time: '2026-01-02T03:04:05Z',
      requestid: 'req-1',
      operator: 'admin',
    });
    expect(event.data).toEqual(JSON.parse(formatPayload(push, 'Default', context).body).event_data);
  });

  it('leaves date_created out of scan events and tag out when the scan had none (scan.go)', () => {
    const scan: ScanEvent = {
      type: 'SCANNING_FAILED',
      operator: 'admin',
      occurAt: push.occurAt,
      projectId: 7,
      repository: 'team/apps/web',
      digest,
      tag: '',
      scanOverview: { x: { scan_status: 'Error' } },
    };
    expect(JSON.parse(formatPayload(scan, 'Default', context).body).event_data).toEqual({
      resources: [
        {
          digest,
          resource_url: `harbor.example.com/team/apps/web@${digest}`,
          scan_overview: { x: { scan_status: 'Error' } },
        },
      ],
      repository: { name: 'apps/web', namespace: 'team', repo_full_name: 'team/apps/web', repo_type: 'private' },
      scan: { scan_type: 'vulnerability' },
    });
  });
});
