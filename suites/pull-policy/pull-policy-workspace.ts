// The artifacts, callers and settings the pull-policy table is probed with, in one run-id project (public,
// so anonymous pulls are possible): images unscanned, scanned clean and scanned with findings (the distro
// fixtures, scanned by the target's scanner), signed by cosign, notation, both; the cosign signature itself;
// an image index of scanned children with findings, an index with one unscanned child, and their children
// (untagged, by digest); an image whose scan ends in Error (its layer is declared tar+gzip but is no archive);
// a pull robot and a push robot (tokens from /service/token), the admin on basic auth, an anonymous token.
import { generateKeyPairSync } from 'node:crypto';
import type { HarborApiClient } from '../../lib/harbor-api.ts';
import { encodeRepositoryName } from '../../lib/harbor-api.ts';
import type { RegistryClient } from '../../lib/oci/registry-client.ts';
import { pollUntil } from '../../lib/poll.ts';
import { distroFixture, type DistroFixtureName } from '../../fixtures/distro/distro-fixtures.ts';
import { dpkgStatus } from '../../fixtures/distro/package-databases.ts';
import { buildImage, buildIndex } from '../../fixtures/images/image-builder.ts';
import { pushImage } from '../../fixtures/images/push-image.ts';
import { cosignSign } from '../../fixtures/signing/cosign-registry.ts';
import { generateNotationTestCertificate } from '../../fixtures/signing/notation-certificate.ts';
import { notationSign } from '../../fixtures/signing/notation-registry.ts';
import { deleteProjectWithRepositories } from '../support/harbor-projects.ts';
import { notAnArchiveLayer } from '../support/not-an-archive-layer.ts';
import type { ArtifactState, Caller, Severity } from './pull-decision.ts';
import { indexScanOf, thresholdOf } from './pull-decision.ts';

export interface ProbedArtifact {
  state: ArtifactState;
  /** undefined: untagged (an index child), pulled by digest only. */
  tag: string | undefined;
  digest: string;
}

export interface ProbingCaller {
  caller: Caller;
  /** Authorization header value (undefined: none). */
  authorization: string | undefined;
}

export interface PullWorkspace {
  project: string;
  projectId: number;
  repository: string;
  artifacts: ProbedArtifact[];
  callers: ProbingCaller[];
  /** CVE ids of every finding (for the allowlist settings). */
  findingIds: string[];
  secrets: string[];
  cleanup(): Promise<void>;
}

const basic = (username: string, password: string) =>
  `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;

async function tokenFor(api: HarborApiClient, authorization: string | undefined, scope: string): Promise<string> {
  const response = await api.transport.send({
    method: 'GET',
    url: `${api.baseUrl}/service/token?service=harbor-registry&scope=${encodeURIComponent(scope)}`,
    headers: authorization ? { authorization } : {},
  });
  if (response.status !== 200) throw new Error(`GET /service/token for ${scope} answered ${response.status}`);
  return (JSON.parse(response.body.toString('utf8')) as { token: string }).token;
}

export async function createPullWorkspace(
  api: HarborApiClient,
  registry: RegistryClient,
  options: { project: string; registryHost: string; admin: { username: string; password: string } },
): Promise<PullWorkspace> {
  const { project } = options;
  const repository = 'app';
  const full = `${project}/${repository}`;
  const undo: Array<() => Promise<void>> = [];
  const secrets: string[] = [];
  const workspace: PullWorkspace = {
    project,
    projectId: 0,
    repository,
    artifacts: [],
    callers: [],
    findingIds: [],
    secrets,
    async cleanup() {
      for (const fn of undo.reverse()) await fn();
    },
  };
  try {
    workspace.projectId = await api.createProject({ project_name: project, metadata: { public: 'true' } });
    undo.push(() => deleteProjectWithRepositories(api, project));

    const plain = (name: string) =>
      buildImage({ layers: [{ 'pull-policy.txt': `harbor-conformance pull policy ${project} ${name}\n` }] });
    const distro = (name: DistroFixtureName) =>
      buildImage(
        {
          layers: distroFixture(name).layers,
          config: { Labels: { 'org.opencontainers.image.ref.name': `${project}-${name}` } },
        },
        'docker',
      );
    const highLayers = [
      ...distroFixture('debian-vulnerable').layers,
      {
        'var/lib/dpkg/status': dpkgStatus([
          { name: 'curl', version: '7.88.1-10+deb12u4', source: 'curl' },
          { name: 'libc-bin', version: '2.36-9+deb12u2', source: 'glibc' },
          { name: 'libc6', version: '2.36-9+deb12u2', source: 'glibc' },
          { name: 'libcurl4', version: '7.88.1-10+deb12u4', source: 'curl' },
        ]),
      },
    ];
    const label = (name: string) => ({ Labels: { 'org.opencontainers.image.ref.name': `${project}-${name}` } });
    // Index children: the distro fixtures under labels of their own (digests of their own), two platforms.
    const children = {
      critical: buildImage(
        { layers: distroFixture('alpine-vulnerable').layers, config: label('child-critical') },
        'docker',
      ),
      high: buildImage(
        { layers: highLayers, config: label('child-high'), platform: { os: 'linux', architecture: 'arm64' } },
        'docker',
      ),
      unscanned: buildImage(
        {
          layers: [{ 'pull-policy.txt': `harbor-conformance pull policy ${project} unscanned child\n` }],
          platform: { os: 'linux', architecture: 'arm64' },
        },
        'docker',
      ),
    };
    const images = {
      unscanned: plain('unscanned'),
      clean: distro('clean'),
      alpine: distro('alpine-vulnerable'),
      debian: distro('debian-vulnerable'),
      // Debian 12 with glibc 2.36-9+deb12u2 and a fixed curl: the fixture advisories leave High findings only,
      // so the thresholds below and at High answer differently.
      high: buildImage({ layers: highLayers, config: label('high') }, 'docker'),
      cosign: plain('cosign'),
      notation: plain('notation'),
      both: plain('both'),
      index: buildIndex([children.critical, children.high]),
      partial: buildIndex([children.critical, children.unscanned]),
      'scan-error': buildImage({ layers: [notAnArchiveLayer(project)], config: label('scan-error') }, 'docker'),
    };
    for (const [tag, image] of Object.entries(images)) await pushImage(registry, full, tag, image);

    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const dockerReference = `${options.registryHost}/${full}`;
    const cosignFor = async (digest: string) =>
      cosignSign(registry, full, { subject: digest, dockerReference, privateKey });
    const certificate = await generateNotationTestCertificate({
      commonName: 'harbor-conformance.test',
      keyType: 'ec-p256',
    });
    const notationFor = (digest: string) =>
      notationSign(registry, full, {
        subject: digest,
        privateKey: certificate.privateKey,
        certificateChain: [certificate.certificateDer],
      });
    const signature = await cosignFor(images.cosign.manifest.digest);
    await notationFor(images.notation.manifest.digest);
    await cosignFor(images.both.manifest.digest);
    await notationFor(images.both.manifest.digest);

    // The scan (index: of its children) is asked for on the reference; each scanned artifact's final status and
    // findings are read back from the target as the state of that artifact.
    const scans = new Map<string, NonNullable<ArtifactState['scan']>>();
    const scanned = ['clean', 'alpine', 'debian', 'high', 'index', 'scan-error'] as const;
    const readBack = [
      'clean',
      'alpine',
      'debian',
      'high',
      children.critical.manifest.digest,
      children.high.manifest.digest,
      'scan-error',
    ];
    for (const tag of scanned) {
      await api.request('POST', `/projects/${project}/repositories/${repository}/artifacts/${tag}/scan`, {
        body: { scan_type: 'vulnerability' },
        expect: [202],
      });
    }
    for (const reference of readBack) {
      const status = await pollUntil(
        async () => {
          const artifact = (
            await api.request<{ scan_overview?: Record<string, { scan_status?: string }> }>(
              'GET',
              `/projects/${project}/repositories/${repository}/artifacts/${reference}`,
              { query: { with_scan_overview: true } },
            )
          ).data;
          return Object.values(artifact?.scan_overview ?? {})[0]?.scan_status;
        },
        {
          timeoutMs: 180_000,
          intervalMs: 1000,
          describe: `the scan of ${full}:${reference} to end`,
          accept: (status) => status === 'Success' || status === 'Error' || status === 'Stopped',
        },
      );
      if (reference !== 'scan-error' && status !== 'Success')
        throw new Error(`the scan of ${full}:${reference} ended in ${status}, not Success`);
      const additions =
        (
          await api.request<Record<string, { vulnerabilities?: Array<{ id: string; severity: string }> }>>(
            'GET',
            `/projects/${project}/repositories/${encodeRepositoryName(repository)}/artifacts/${reference}/additions/vulnerabilities`,
          )
        ).data ?? {};
      const report = status === 'Success' ? Object.values(additions)[0] : undefined;
      scans.set(reference, {
        status: status!,
        findings: (report?.vulnerabilities ?? []).map((v) => ({ id: v.id, severity: thresholdOf(v.severity) })),
      });
    }
    workspace.findingIds = [...new Set([...scans.values()].flatMap((s) => s.findings.map((f) => f.id)))];

    const state = (name: string, extra: Partial<ArtifactState>): ArtifactState => ({
      name,
      scannable: true,
      signedBy: [],
      isSignature: false,
      isImageIndex: false,
      ...extra,
    });
    const scanOf = (reference: string) => scans.get(reference);
    const findingsOf = (reference: string) => scans.get(reference)?.findings;
    const criticalChild = scanOf(children.critical.manifest.digest);
    const highChild = scanOf(children.high.manifest.digest);
    workspace.artifacts = [
      { state: state('unscanned', {}), tag: 'unscanned', digest: images.unscanned.manifest.digest },
      {
        state: state('scanned, no findings', { scan: scanOf('clean') }),
        tag: 'clean',
        digest: images.clean.manifest.digest,
      },
      {
        state: state(`scanned, highest ${highest(findingsOf('alpine'))}`, { scan: scanOf('alpine') }),
        tag: 'alpine',
        digest: images.alpine.manifest.digest,
      },
      {
        state: state(`scanned, highest ${highest(findingsOf('debian'))}`, { scan: scanOf('debian') }),
        tag: 'debian',
        digest: images.debian.manifest.digest,
      },
      {
        state: state(`scanned, highest ${highest(findingsOf('high'))} (upgraded)`, { scan: scanOf('high') }),
        tag: 'high',
        digest: images.high.manifest.digest,
      },
      {
        state: state('signed by cosign', { signedBy: ['cosign'] }),
        tag: 'cosign',
        digest: images.cosign.manifest.digest,
      },
      {
        state: state('signed by notation', { signedBy: ['notation'] }),
        tag: 'notation',
        digest: images.notation.manifest.digest,
      },
      {
        state: state('signed by both', { signedBy: ['cosign', 'notation'] }),
        tag: 'both',
        digest: images.both.manifest.digest,
      },
      // the signature itself: an accessory, never scanned (not scannable) and exempt
      {
        state: state('a cosign signature', { isSignature: true, scannable: false }),
        tag: signature.reference,
        digest: signature.digest,
      },
      {
        state: state('image index, children scanned (Critical, High)', {
          isImageIndex: true,
          scan: indexScanOf([criticalChild, highChild]),
        }),
        tag: 'index',
        digest: images.index.manifest.digest,
      },
      {
        state: state('image index, one child unscanned', {
          isImageIndex: true,
          scan: indexScanOf([criticalChild, undefined]),
        }),
        tag: 'partial',
        digest: images.partial.manifest.digest,
      },
      {
        state: state(`index child, highest ${highest(criticalChild?.findings)}`, { scan: criticalChild }),
        tag: undefined,
        digest: children.critical.manifest.digest,
      },
      {
        state: state(`index child, highest ${highest(highChild?.findings)}`, { scan: highChild }),
        tag: undefined,
        digest: children.high.manifest.digest,
      },
      { state: state('index child, unscanned', {}), tag: undefined, digest: children.unscanned.manifest.digest },
      {
        state: state(`scan ended in ${scanOf('scan-error')?.status} (layer no archive)`, {
          scan: scanOf('scan-error'),
        }),
        tag: 'scan-error',
        digest: images['scan-error'].manifest.digest,
      },
    ];

    const robot = async (name: string, actions: string[]) => {
      const created = (
        await api.request<{ name: string; secret: string }>('POST', '/robots', {
          body: {
            name,
            duration: 1,
            level: 'project',
            permissions: [
              {
                kind: 'project',
                namespace: project,
                access: actions.map((action) => ({ resource: 'repository', action })),
              },
            ],
          },
        })
      ).data!;
      secrets.push(created.secret);
      return basic(created.name, created.secret);
    };
    const pullRobot = await robot('puller', ['pull']);
    const pushRobot = await robot('pusher', ['pull', 'push']);
    const bearer = async (authorization: string | undefined, actions: string) =>
      `Bearer ${await tokenFor(api, authorization, `repository:${full}:${actions}`)}`;
    const admin = basic(options.admin.username, options.admin.password);
    workspace.callers = [
      {
        caller: {
          name: 'pull robot (token)',
          auth: 'bearer',
          push: false,
          scannerPull: false,
          userAgent: 'containerd/1.7',
        },
        authorization: await bearer(pullRobot, 'pull'),
      },
      {
        caller: {
          name: 'anonymous (token, public project)',
          auth: 'anonymous-token',
          push: false,
          scannerPull: false,
          userAgent: 'containerd/1.7',
        },
        authorization: await bearer(undefined, 'pull'),
      },
      {
        caller: {
          name: 'push robot (token)',
          auth: 'bearer',
          push: true,
          scannerPull: false,
          userAgent: 'docker/27.0',
        },
        authorization: await bearer(pushRobot, 'pull,push'),
      },
      {
        caller: {
          name: 'push robot (token), cosign UA',
          auth: 'bearer',
          push: true,
          scannerPull: false,
          userAgent: 'cosign/v2.4.1 (linux; amd64)',
        },
        authorization: await bearer(pushRobot, 'pull,push'),
      },
      {
        caller: {
          name: 'push robot (basic), notation UA',
          auth: 'basic',
          push: true,
          scannerPull: false,
          userAgent: 'notation/v1.2.0',
        },
        authorization: pushRobot,
      },
      {
        caller: { name: 'sysadmin (basic)', auth: 'basic', push: true, scannerPull: false, userAgent: 'docker/27.0' },
        authorization: admin,
      },
    ];
    return workspace;
  } catch (error) {
    await workspace.cleanup().catch(() => undefined);
    throw error;
  }
}

function highest(findings: Array<{ severity: Severity }> | undefined): string {
  const order: Severity[] = ['Critical', 'High', 'Medium', 'Low', 'None', 'Unknown'];
  return order.find((s) => (findings ?? []).some((f) => f.severity === s)) ?? 'none';
}
