// Scanning in the double against the offline stack (issue 3 item 6): the built-in Trivy registration
// pointing at the fixture scanner, scan on push through the Redis job queue, scan_overview, the
// vulnerability pull blocker on manifest GET/HEAD by tag and digest, project/system CVE allowlists
// with expiry, and the scanner registration API's errors.
import { randomBytes } from 'node:crypto';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { HarborApiClient } from '../../../lib/harbor-api.ts';
import { RegistryClient } from '../../../lib/oci/registry-client.ts';
import { pollUntil } from '../../../lib/poll.ts';
import { ADVISORIES } from '../../../fixtures/advisories/advisory-set.ts';
import { type DistroFixtureName, buildDistroImage } from '../../../fixtures/distro/distro-fixtures.ts';
import { buildIndex } from '../../../fixtures/images/image-builder.ts';
import { pushImage } from '../../../fixtures/images/push-image.ts';

const target = inject('target');
const REPORT_MIME = 'application/vnd.security.vulnerability.report; version=1.1';
const adminAuth = `Basic ${Buffer.from(`${target.admin.username}:${target.admin.password}`).toString('base64')}`;
const api = new HarborApiClient({ baseUrl: target.url, credentials: target.admin });
const registry = new RegistryClient({ baseUrl: target.url, credentials: target.admin });
const created: string[] = [];

async function call(
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: any; text: string }> {
  const response = await fetch(`${target.url}/api/v2.0${path}`, {
    method,
    headers: { authorization: adminAuth, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: response.status, json, text };
}

async function newProject(metadata: Record<string, string>): Promise<string> {
  const name = `${target.runId}-scan-${randomBytes(3).toString('hex')}`.toLowerCase();
  await api.createProject({ project_name: name, metadata: { public: 'false', ...metadata } });
  created.push(name);
  return name;
}

async function push(project: string, fixture: DistroFixtureName, tag = 'v1'): Promise<string> {
  return (await pushImage(registry, `${project}/${fixture}`, tag, buildDistroImage(fixture, 'docker'))).digest;
}

async function overview(project: string, repository: string, reference: string): Promise<any> {
  const response = await call(
    'GET',
    `/projects/${project}/repositories/${repository}/artifacts/${reference}?with_scan_overview=true`,
  );
  return response.json?.scan_overview?.[REPORT_MIME];
}

async function waitForScan(project: string, repository: string, reference: string): Promise<any> {
  return pollUntil(() => overview(project, repository, reference), {
    timeoutMs: 60_000,
    intervalMs: 500,
    describe: `scan of ${project}/${repository}:${reference} to finish`,
    accept: (o) => o?.scan_status === 'Success' || o?.scan_status === 'Error',
  });
}

/** GET (or HEAD) the manifest with a bearer token from /service/token, as docker does. */
async function pullManifest(
  repository: string,
  reference: string,
  method: 'GET' | 'HEAD' = 'GET',
): Promise<{ status: number; body: string }> {
  const tokenResponse = await fetch(
    `${target.url}/service/token?service=harbor-registry&scope=repository:${repository}:pull`,
    { headers: { authorization: adminAuth } },
  );
  const { token } = (await tokenResponse.json()) as { token: string };
  const response = await fetch(`${target.url}/v2/${repository}/manifests/${reference}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      accept:
        'application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.list.v2+json',
    },
  });
  return { status: response.status, body: await response.text() };
}

const debianCves = ADVISORIES.filter((a) => a.distro === 'debian').map((a) => a.id);

afterAll(async () => {
  for (const project of created) {
    for (const repository of await api.listRepositories(project).catch(() => [])) {
      await api.deleteRepository(project, repository.name.slice(project.length + 1)).catch(() => undefined);
    }
    await api.deleteProject(project).catch(() => undefined);
  }
  await call('PUT', '/system/CVEAllowlist', { items: [] });
});

describe('scanner registrations', () => {
  it('has the built-in Trivy registration as default, healthy, pointing at the fixture scanner', async () => {
    const list = await call('GET', '/scanners');
    expect(list.status).toBe(200);
    const trivy = (list.json as any[]).find((r) => r.name === 'Trivy');
    expect(trivy).toMatchObject({
      is_default: true,
      use_internal_addr: true,
      description: 'The Trivy scanner adapter',
      auth: '',
    });
    expect(trivy).not.toHaveProperty('access_credential');
    // as real Harbor v2.15.2 answers: the registration endpoints carry capabilities only; health, adapter,
    // vendor and version come with the project's scanner (GetRegistrationByProject pings)
    expect(trivy).toMatchObject({ capabilities: { support_vulnerability: true } });
    const one = await call('GET', `/scanners/${trivy.uuid}`);
    expect(one.json).toMatchObject({ capabilities: { support_vulnerability: true } });
    for (const field of ['health', 'adapter', 'vendor', 'version'])
      expect(one.json, `GET /scanners/{uuid} has no ${field}`).not.toHaveProperty(field);
    const ofProject = await call('GET', '/projects/library/scanner');
    expect(ofProject.json).toMatchObject({
      uuid: trivy.uuid,
      health: 'healthy',
      adapter: inject('target').scanner?.name,
      capabilities: { support_vulnerability: true },
    });
    const metadata = await call('GET', `/scanners/${trivy.uuid}/metadata`);
    expect(metadata.json.capabilities[0].produces_mime_types).toContain(REPORT_MIME);
  });

  it('refuses the reserved name, an unreachable scanner and unknown registrations as Harbor does', async () => {
    const reserved = await call('POST', '/scanners', { name: 'Trivy', url: 'http://trivy-adapter:8080' });
    expect(reserved.status).toBe(400);
    expect(reserved.json.errors[0].message).toBe('name "Trivy" is reserved, please try a different name');
    expect(
      (
        await call('POST', '/scanners', {
          name: `x-${randomBytes(2).toString('hex')}`,
          url: 'http://nowhere.invalid:8080',
        })
      ).status,
    ).toBe(500);
    expect((await call('POST', '/scanners/ping', { name: 'p', url: 'http://nowhere.invalid:8080' })).status).toBe(500);
    expect((await call('PATCH', '/scanners/00000000-0000-0000-0000-000000000000', { is_default: true })).status).toBe(
      404,
    );
  });
});

describe('scan on push, scan_overview and the vulnerability pull blocker', () => {
  let project: string;
  let digest: string;

  beforeAll(async () => {
    project = await newProject({ auto_scan: 'true', prevent_vul: 'true', severity: 'high' });
    digest = await push(project, 'debian-vulnerable');
  });

  it('scans on push and reports the fixture CVEs by severity in scan_overview', async () => {
    const o = await waitForScan(project, 'debian-vulnerable', 'v1');
    expect(o).toMatchObject({
      scan_status: 'Success',
      severity: 'Critical',
      complete_percent: 100,
      scanner: { name: inject('target').scanner?.name },
    });
    expect(o.summary).toEqual({ total: 8, fixable: 8, summary: { Critical: 2, High: 2, Medium: 2, Low: 2 } });
    const additions = await call(
      'GET',
      `/projects/${project}/repositories/debian-vulnerable/artifacts/v1/additions/vulnerabilities`,
    );
    expect([...new Set((additions.json[REPORT_MIME].vulnerabilities as any[]).map((v) => v.id))].sort()).toEqual(
      [...debianCves].sort(),
    );
  });

  it('refuses GET and HEAD of the manifest, by tag and by digest, with 412 PROJECTPOLICYVIOLATION', async () => {
    await waitForScan(project, 'debian-vulnerable', 'v1');
    for (const reference of ['v1', digest]) {
      const get = await pullManifest(`${project}/debian-vulnerable`, reference);
      expect(get.status, reference).toBe(412);
      expect(JSON.parse(get.body)).toEqual({
        errors: [
          {
            code: 'PROJECTPOLICYVIOLATION',
            message: `current image with 8 vulnerabilities cannot be pulled due to configured policy in 'Prevent images with vulnerability severity of "High" or higher from running.' To continue with pull, please contact your project administrator to exempt matched vulnerabilities through configuring the CVE allowlist.`,
          },
        ],
      });
      expect((await pullManifest(`${project}/debian-vulnerable`, reference, 'HEAD')).status, `HEAD ${reference}`).toBe(
        412,
      );
    }
  });

  it("shows Harbor's message to skopeo, which pulls the manifest as docker does", async () => {
    await waitForScan(project, 'debian-vulnerable', 'v1');
    const result = await execa({
      reject: false,
    })`skopeo inspect --raw --tls-verify=false --creds ${`${target.admin.username}:${target.admin.password}`} docker://${target.registryHost}/${project}/debian-vulnerable:v1`;
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toMatch(/current image with 8 vulnerabilities cannot be pulled due to configured policy/);
  });

  it('lets the fixed and the clean image through', async () => {
    await push(project, 'debian-fixed');
    await push(project, 'clean');
    for (const repository of ['debian-fixed', 'clean']) {
      const o = await waitForScan(project, repository, 'v1');
      expect(o.severity).toBe('None');
      expect((await pullManifest(`${project}/${repository}`, 'v1')).status, repository).toBe(200);
    }
  });

  it('lets the pull through with a project allowlist of every CVE, and blocks again once it expires', async () => {
    await waitForScan(project, 'debian-vulnerable', 'v1');
    const items = debianCves.map((cve_id) => ({ cve_id }));
    const future = Math.floor(Date.now() / 1000) + 3600;
    expect(
      (
        await call('PUT', `/projects/${project}`, {
          metadata: { reuse_sys_cve_allowlist: 'false' },
          cve_allowlist: { items, expires_at: future },
        })
      ).status,
    ).toBe(200);
    const read = await call('GET', `/projects/${project}`);
    expect(read.json.cve_allowlist).toMatchObject({ project_id: read.json.project_id, items, expires_at: future });
    expect((await pullManifest(`${project}/debian-vulnerable`, 'v1')).status).toBe(200);
    await call('PUT', `/projects/${project}`, { cve_allowlist: { items: items.slice(1), expires_at: future } });
    expect((await pullManifest(`${project}/debian-vulnerable`, 'v1')).status).toBe(412);
    await call('PUT', `/projects/${project}`, {
      cve_allowlist: { items, expires_at: Math.floor(Date.now() / 1000) - 1 },
    });
    expect((await pullManifest(`${project}/debian-vulnerable`, 'v1')).status).toBe(412);
  });

  it('uses the system allowlist when the project reuses it', async () => {
    await call('PUT', `/projects/${project}`, { metadata: { reuse_sys_cve_allowlist: 'true' } });
    expect((await pullManifest(`${project}/debian-vulnerable`, 'v1')).status).toBe(412);
    expect(
      (await call('PUT', '/system/CVEAllowlist', { items: debianCves.map((cve_id) => ({ cve_id })) })).status,
    ).toBe(200);
    expect((await call('GET', '/system/CVEAllowlist')).json.items).toHaveLength(debianCves.length);
    expect((await pullManifest(`${project}/debian-vulnerable`, 'v1')).status).toBe(200);
    await call('PUT', '/system/CVEAllowlist', { items: [] });
  });
});

describe('manual scans and unscanned images', () => {
  it('refuses the pull of an unscanned image, and lets it through after a manual scan of a clean image', async () => {
    const project = await newProject({ prevent_vul: 'true', severity: 'low' });
    await push(project, 'alpine-fixed');
    const blocked = await pullManifest(`${project}/alpine-fixed`, 'v1');
    expect(blocked.status).toBe(412);
    expect(JSON.parse(blocked.body).errors[0].message).toMatch(
      /^current image without vulnerability scanning cannot be pulled due to configured policy in 'Prevent images with vulnerability severity of "Low" or higher from running\.'/,
    );
    expect(await overview(project, 'alpine-fixed', 'v1')).toBeUndefined();
    const scan = await call('POST', `/projects/${project}/repositories/alpine-fixed/artifacts/v1/scan`);
    expect(scan.status).toBe(202);
    const again = await call('POST', `/projects/${project}/repositories/alpine-fixed/artifacts/v1/scan`);
    expect([202, 409]).toContain(again.status);
    expect((await waitForScan(project, 'alpine-fixed', 'v1')).scan_status).toBe('Success');
    expect((await pullManifest(`${project}/alpine-fixed`, 'v1')).status).toBe(200);
  });
});

describe('image indexes', () => {
  it('scans the children of an index, merges them in its overview, and checks each child pulled by digest', async () => {
    const project = await newProject({ prevent_vul: 'true', severity: 'critical' });
    const vulnerable = buildDistroImage('alpine-vulnerable', 'oci');
    const fixed = buildDistroImage('alpine-fixed', 'oci');
    const index = buildIndex([vulnerable, fixed]);
    await pushImage(registry, `${project}/multi`, 'v1', index);
    expect((await call('POST', `/projects/${project}/repositories/multi/artifacts/v1/scan`)).status).toBe(202);
    const o = await waitForScan(project, 'multi', 'v1');
    expect(o).toMatchObject({ scan_status: 'Success', severity: 'Critical' });
    expect(o.summary.total).toBe(8);
    expect((await overview(project, 'multi', fixed.manifest.digest)).severity).toBe('None');
    // The index itself has reports (allowed); each child is checked when pulled by digest.
    expect((await pullManifest(`${project}/multi`, 'v1')).status).toBe(200);
    expect((await pullManifest(`${project}/multi`, vulnerable.manifest.digest)).status).toBe(412);
    expect((await pullManifest(`${project}/multi`, fixed.manifest.digest)).status).toBe(200);
  });
});
