import { describe, expect, it } from 'vitest';
import { announcedFor } from './announced-changes.ts';
import { diffInventories, flatten } from './inventory-diff.ts';
import { INVENTORY_KINDS, type Inventory } from './inventory.ts';

function inventory(objects: Partial<Inventory['objects']>): Inventory {
  const empty = Object.fromEntries(INVENTORY_KINDS.map((k) => [k, {}])) as Inventory['objects'];
  return { harborVersion: 'v', takenAt: 't', objects: { ...empty, ...objects } };
}

const artifact = {
  tags: ['v1'],
  scan: { report_id: 'r1', scan_status: 'Success', severity: 'High', summary: { total: 1 } },
  pull: 'ok: 1 manifest(s), 2 blob(s)',
};
const policy = { enabled: true, description: 'd', filters: [{ type: 'name', value: 'p/**' }] };

describe('the inventory diff', () => {
  it('finds nothing when nothing changed', () => {
    const before = inventory({ artifact: { 'p/a@sha256:1': artifact }, 'replication-policy': { push: policy } });
    expect(diffInventories(before, structuredClone(before), []).findings).toEqual([]);
  });

  it('names a lost scan report, a disabled policy, a gone object and an artifact that stopped pulling', () => {
    const before = inventory({
      artifact: { 'p/a@sha256:1': artifact, 'p/b@sha256:2': artifact },
      'replication-policy': { push: policy },
      robot: { 'robot$p+ci': { level: 'project' } },
    });
    const after = inventory({
      artifact: {
        'p/a@sha256:1': { ...artifact, scan: 'not scanned' },
        'p/b@sha256:2': { ...artifact, pull: 'failed: 404' },
      },
      'replication-policy': { push: { ...policy, enabled: false } },
    });
    const types = diffInventories(before, after, []).findings.map((f) => `${f.type} ${f.key}`);
    expect(types.filter((t) => t.startsWith('scan-report-lost'))).toHaveLength(1);
    expect(types).toEqual(
      expect.arrayContaining([
        'missing robot$p+ci',
        'scan-report-lost p/a@sha256:1',
        'not-pulling p/b@sha256:2',
        'disabled push',
      ]),
    );
  });

  it('reports a field that appears unannounced, and lists an announced one apart', () => {
    const before = inventory({
      'registry-endpoint': { peer: { url: 'http://x' } },
      project: { p: { metadata: { public: 'false' } } },
    });
    const after = inventory({
      'registry-endpoint': { peer: { url: 'http://x', ca_certificate: 'PEM' } },
      project: { p: { metadata: { public: 'true' } } },
    });
    const diff = diffInventories(before, after, announcedFor('v2.14.4', 'v2.15.3'));
    expect(diff.findings.map((f) => `${f.type} ${f.field}`)).toEqual(['changed metadata.public']);
    expect(diff.announced.map((a) => a.field)).toEqual(['ca_certificate']);
    expect(diffInventories(before, after, announcedFor('v2.15.0', 'v2.15.3')).findings).toHaveLength(2);
  });

  it('flattens nested fields to dotted paths and keeps arrays whole', () => {
    expect(flatten({ a: { b: 1, c: [1, 2] }, d: null })).toEqual({ 'a.b': 1, 'a.c': [1, 2], d: null });
  });
});
