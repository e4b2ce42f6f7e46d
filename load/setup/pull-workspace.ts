// Before the clock starts: a run-id project on the target, the scenario's artifacts pushed into it
// (sized layers generated, never held in memory), a pull-only robot, and the endpoint the engine pulls
// from (Harbor with token auth, or the registry behind core with its basic credential).
import { request } from 'undici';
import { buildImage, buildIndex, type BuiltImage } from '../../fixtures/images/image-builder.ts';
import { pushImage } from '../../fixtures/images/push-image.ts';
import { sizedLayer } from '../../fixtures/images/sized-layer.ts';
import { HarborApiClient } from '../../lib/harbor-api.ts';
import { findChallenge } from '../../lib/oci/auth-challenge.ts';
import { RegistryClient } from '../../lib/oci/registry-client.ts';
import type { Credentials, Target } from '../../lib/target.ts';
import { deleteProjectWithRepositories } from '../../suites/support/harbor-projects.ts';
import type { PlannedArtifact, PullEndpoint } from '../engine/pull-plan.ts';
import type { Scenario } from '../scenarios/scenario-schema.ts';

/** The registry behind core, reachable by the harness (offline stack: its mapped port and htpasswd credential). */
export interface DirectRegistry {
  url: string;
  credentials: Credentials;
}

export interface PullWorkspace {
  project: string;
  endpoint: PullEndpoint;
  artifacts: PlannedArtifact[];
  /** Robot secret etc., to keep out of logs and reports. */
  secrets: string[];
  remove(): Promise<void>;
}

export class WorkspaceError extends Error {
  override name = 'WorkspaceError';
}

export interface WorkspaceOptions {
  target: Target;
  scenario: Scenario;
  /** Valid Harbor project name, unique to the run (e.g. `<run-id>-load`). */
  project: string;
  direct?: DirectRegistry;
  log?: (line: string) => void;
}

function registryBase(target: Target): string {
  return `${new URL(target.url).protocol}//${target.registryHost}`;
}

async function buildArtifacts(
  scenario: Scenario,
): Promise<Array<{ tag: string; image: BuiltImage; index?: ReturnType<typeof buildIndex> }>> {
  const out = [];
  for (let i = 0; i < scenario.artifacts.count; i++) {
    const imageFor = async (arch: string) =>
      buildImage(
        {
          layers: await Promise.all(
            scenario.artifacts.layers.map((sizeBytes, j) =>
              sizedLayer({ sizeBytes, seed: `${scenario.name}-${i}-${j}-${arch}` }),
            ),
          ),
          platform: { os: 'linux', architecture: arch },
          config: { Labels: { 'org.opencontainers.image.title': `${scenario.name} ${i}` } },
        },
        'oci',
      );
    const amd64 = await imageFor('amd64');
    if (scenario.artifacts.kind === 'index')
      out.push({ tag: `a${i}`, image: amd64, index: buildIndex([amd64, await imageFor('arm64')]) });
    else out.push({ tag: `a${i}`, image: amd64 });
  }
  return out;
}

async function bearerRealm(base: string): Promise<{ realm: string; service: string }> {
  const answer = await request(`${base}/v2/`, { method: 'GET' });
  await answer.body.dump();
  const header = answer.headers['www-authenticate'];
  const challenge = findChallenge(typeof header === 'string' ? header : undefined, 'bearer');
  const realm = challenge?.params['realm'];
  if (!realm)
    throw new WorkspaceError(
      `${base}/v2/ answered ${answer.statusCode} without a Bearer challenge: is this a Harbor registry?`,
    );
  return { realm, service: challenge.params['service'] ?? 'harbor-registry' };
}

export async function preparePullWorkspace(options: WorkspaceOptions): Promise<PullWorkspace> {
  const { target, scenario, project } = options;
  const log = options.log ?? (() => {});
  if (scenario.source === 'proxy-cache') {
    throw new WorkspaceError(
      `scenario ${scenario.name}: source proxy-cache needs a proxy-cache project (registry endpoint + registry_id), which this target's setup does not provide yet; use harbor-project or registry-direct`,
    );
  }
  if (scenario.source === 'registry-direct' && !options.direct) {
    throw new WorkspaceError(
      `scenario ${scenario.name}: source registry-direct needs the registry behind core, which only the offline environment exposes`,
    );
  }
  const api = new HarborApiClient({ baseUrl: target.url, credentials: target.admin });
  await api.createProject({
    project_name: project,
    metadata: { public: scenario.auth === 'anonymous' ? 'true' : 'false' },
  });
  let robotId: number | undefined;
  const remove = async () => {
    if (robotId !== undefined) await api.deleteRobot(robotId).catch(() => {});
    await deleteProjectWithRepositories(api, project);
  };
  try {
    const built = await buildArtifacts(scenario);
    const pusher = new RegistryClient({ baseUrl: registryBase(target), credentials: target.admin });
    const repository = `${project}/${scenario.name}`;
    const artifacts: PlannedArtifact[] = [];
    for (const { tag, image, index } of built) {
      await pushImage(pusher, repository, tag, index ?? image);
      log(`pushed ${repository}:${tag}`);
      artifacts.push({
        repository,
        // core keeps tags in its database and hands the registry manifests by digest only
        reference: scenario.source === 'registry-direct' ? (index ?? image).manifest.digest : tag,
        manifest: { digest: (index ?? image).manifest.digest, mediaType: (index ?? image).manifest.mediaType },
        ...(index ? { child: { digest: image.manifest.digest, mediaType: image.manifest.mediaType } } : {}),
        config: { digest: image.config.digest, size: image.config.size },
        layers: image.layers.map((l) => ({ digest: l.digest, size: l.size })),
      });
    }
    const secrets: string[] = [];
    let endpoint: PullEndpoint;
    if (scenario.source === 'registry-direct' && options.direct) {
      endpoint = {
        baseUrl: options.direct.url,
        auth: {
          kind: 'basic',
          username: options.direct.credentials.username,
          password: options.direct.credentials.password,
        },
      };
      secrets.push(options.direct.credentials.password);
    } else {
      const base = registryBase(target);
      const { realm, service } = await bearerRealm(base);
      let credentials: Credentials | undefined;
      if (scenario.auth === 'robot') {
        const robot = await api.createRobot({
          name: `${project}-puller`.slice(0, 60),
          level: 'project',
          duration: 1,
          permissions: [{ kind: 'project', namespace: project, access: [{ resource: 'repository', action: 'pull' }] }],
        });
        robotId = robot.id;
        credentials = { username: robot.name, password: robot.secret };
        secrets.push(robot.secret);
      } else if (scenario.auth === 'admin') {
        credentials = target.admin;
      }
      endpoint = {
        baseUrl: base,
        auth: {
          kind: 'token',
          realm,
          service,
          ...(credentials ? { username: credentials.username, password: credentials.password } : {}),
        },
      };
    }
    return { project, endpoint, artifacts, secrets, remove };
  } catch (error) {
    await remove().catch(() => {});
    throw error;
  }
}
