// Security defaults, as Harbor v2.15 behaves (goharbor/harbor src/server/middleware/security/,
// src/server/v2.0/handler/project.go, src/server/v2.0/handler/robot.go@v2.15.x), against the team's baseline
// (ctx.policy: policies/default-policy.json unless --policy names another file).
import { describe, expect } from 'vitest';
import { HarborApiError, type HarborApiClient } from '../../lib/harbor-api.ts';
import type { Project, Robot } from '../../lib/harbor-api-types.ts';
import { pollUntil } from '../../lib/poll.ts';
import { runIdPattern } from '../../reports/run-id.ts';
import { defineCheck, type CheckContext } from '../check.ts';
import { harborApi, registryUrl } from '../support/harbor-clients.ts';
import { probeRobotAccess } from '../support/robot-access.ts';
import { ageRobotPastExpiry } from '../support/robot-clock.ts';
import { catalog } from './catalog.ts';
import { baselineViolations } from './project-baseline.ts';
import { robotExpiryViolations, robotPrivilegeViolations } from './robot-rules.ts';

/** Harbor's shipped admin password (make/harbor.yml.tmpl, the Helm chart's values.yaml). */
const HARBOR_DEFAULT_PASSWORD = 'Harbor12345';

/** Fails naming every finding (vitest's own message would abbreviate a list or a long string). */
function expectNone(findings: readonly string[], what: string): void {
  if (findings.length > 0) throw new Error(`${what}: ${findings.join('; ')}`);
}

/** Projects this harness creates while checking (run-id names): not the team's projects. */
const isHarnessProject = (name: string) => runIdPattern.test(name.split('-').slice(0, 4).join('-'));

async function configValue(api: HarborApiClient, key: string): Promise<unknown> {
  const config = await api.getConfigurations();
  const item = config[key] as { value?: unknown } | undefined;
  return item?.value;
}

/** System robots and the robots of every project but the harness's own transient run projects. */
async function allRobots(api: HarborApiClient): Promise<Robot[]> {
  const robots = await api.listAll<Robot>('/robots');
  for (const project of (await api.listAll<Project>('/projects')).filter((p) => !isHarnessProject(p.name))) {
    robots.push(...(await api.listAll<Robot>('/robots', { q: `Level=project,ProjectID=${project.project_id}` })));
  }
  return robots;
}

describe('security-defaults', () => {
  defineCheck(catalog.defaultAdminPassword, async (ctx) => {
    // A boolean, never the password itself: the Allure reporter records every expect() as a step.
    expect(
      ctx.target.admin.password === HARBOR_DEFAULT_PASSWORD,
      'the admin password the harness was given is Harbor12345',
    ).toBe(false);
    // One login attempt with the public default; Harbor answers wrong credentials as anonymous, so /users/current says 401.
    ctx.secret(HARBOR_DEFAULT_PASSWORD);
    ctx.evidence.note(
      'attempt',
      `GET /api/v2.0/users/current as admin with Harbor's default password (shown redacted)`,
    );
    const response = await ctx.http.get('/api/v2.0/users/current', {
      auth: { basic: { username: 'admin', password: HARBOR_DEFAULT_PASSWORD } },
    });
    expect(response.status, 'admin with Harbor12345 must be refused (401)').toBe(401);
  });

  defineCheck(catalog.selfRegistration, async (ctx) => {
    const expected = ctx.policy.system.self_registration ?? false;
    const info = await harborApi(ctx, null).systemInfo();
    expect(info.self_registration, 'anonymous systeminfo self_registration').toBe(expected);
    expect(await configValue(ctx.api, 'self_registration'), 'configurations self_registration').toBe(expected);
  });

  defineCheck(catalog.anonymousProjects, async (ctx) => {
    const anonymous = await harborApi(ctx, null).listAll<Project>('/projects');
    const leaked = anonymous.filter((p) => p.metadata?.public !== 'true').map((p) => p.name);
    expectNone(leaked, 'projects shown to anonymous callers that are not public');
    const all = await ctx.api.listAll<Project>('/projects');
    const privateNames = new Set(all.filter((p) => p.metadata?.public !== 'true').map((p) => p.name));
    expectNone(
      anonymous.filter((p) => privateNames.has(p.name)).map((p) => p.name),
      'private projects (per the admin) listed to anonymous',
    );
    const privateOnly = await harborApi(ctx, null).listProjects({ public: false });
    expectNone(
      privateOnly.map((p) => p.name),
      'anonymous GET /projects?public=false',
    );
    ctx.evidence.note(
      'projects',
      `${all.length} in total, ${privateNames.size} private, ${anonymous.length} listed to anonymous`,
    );
  });

  defineCheck(catalog.anonymousCatalog, async (ctx) => {
    // Harbor serves _catalog to system admins (catalog:read) only; everyone else gets 401
    // (goharbor/harbor src/server/registry/catalog.go, src/server/middleware/v2auth/auth.go@v2.15.x).
    const response = await ctx.http.get(`${registryUrl(ctx.target)}/v2/_catalog`);
    expect(response.status, 'anonymous GET /v2/_catalog').toBe(401);
    expect(response.text(), 'the catalog must not be in a refused answer').not.toContain('"repositories"');
  });

  defineCheck(catalog.projectCreation, async (ctx) => {
    const expected = ctx.policy.system.project_creation_restriction;
    if (!expected) ctx.skip('the policy sets no system.project_creation_restriction');
    expect(
      await configValue(ctx.api, 'project_creation_restriction'),
      'configurations project_creation_restriction',
    ).toBe(expected);
  });

  defineCheck(catalog.robotExpiry, async (ctx) => {
    const robots = await allRobots(ctx.api);
    ctx.evidence.note('robots', `${robots.length} robot account(s) examined`);
    expectNone(robotExpiryViolations(robots, ctx.policy.robots), 'robot accounts out of the expiry policy');
  });

  defineCheck(catalog.robotLeastPrivilege, async (ctx) => {
    const robots = await allRobots(ctx.api);
    ctx.evidence.note('robots', `${robots.length} robot account(s) examined`);
    expectNone(robotPrivilegeViolations(robots, ctx.policy.robots), 'robot accounts beyond least privilege');
  });

  defineCheck(catalog.projectBaseline, async (ctx) => {
    const { projectBaseline } = ctx.policy;
    if (Object.keys(projectBaseline.metadata).length === 0)
      ctx.skip('the policy requires no project metadata (projectBaseline.metadata is empty)');
    const projects = (await ctx.api.listAll<Project>('/projects')).filter(
      (p) => !isHarnessProject(p.name) && !projectBaseline.exempt.includes(p.name),
    );
    if (projects.length === 0)
      ctx.skip('the target has no project to compare with the baseline (harness run projects and exempt ones aside)');
    ctx.evidence.note(
      'projects',
      `${projects.length} project(s) compared with ${JSON.stringify(projectBaseline.metadata)}`,
    );
    const violations = projects.flatMap((p) => {
      const faults = baselineViolations(p.metadata ?? {}, projectBaseline.metadata);
      return faults.length > 0 ? [`${p.name}: ${faults.join(', ')}`] : [];
    });
    expectNone(violations, 'projects without the baseline security metadata');
  });

  defineCheck(catalog.defaultScanner, async (ctx) => {
    ctx.skipUnless('scanner', 'the target has no scanner');
    if (!ctx.policy.scanner.requireDefault) ctx.skip('the policy does not require a default scanner');
    const api = ctx.api;
    type Registration = { uuid: string; name: string; is_default?: boolean; disabled?: boolean; health?: string };
    let registrations: Registration[];
    try {
      // Harbor registers its built-in Trivy at start; give a just-started core a moment.
      registrations = await pollUntil(() => api.listAll<Registration>('/scanners'), {
        timeoutMs: 15_000,
        intervalMs: 500,
        describe: 'a scanner registration in GET /api/v2.0/scanners',
        accept: (list) => list.length > 0,
        retryOnError: false,
      });
    } catch (error) {
      if (error instanceof HarborApiError && error.status === 404)
        ctx.skip('the target does not serve /api/v2.0/scanners (no scanning in this Harbor)');
      throw error;
    }
    const defaults = registrations.filter((r) => r.is_default);
    expect(
      defaults.map((r) => r.name),
      'exactly one default scanner registration',
    ).toHaveLength(1);
    const scanner = defaults[0]!;
    expect(scanner.disabled ?? false, `default scanner ${scanner.name} is disabled`).toBe(false);
    if (scanner.health !== undefined) expect(scanner.health, `default scanner ${scanner.name} health`).toBe('healthy');
    const metadata = await api.request<{ scanner?: { name?: string }; capabilities?: Array<{ type?: string }> }>(
      'GET',
      `/scanners/${encodeURIComponent(scanner.uuid)}/metadata`,
    );
    expect(metadata.data.scanner?.name, `the adapter behind ${scanner.name} answers its metadata`).toMatch(/\S/);
    const capabilities = metadata.data.capabilities ?? [];
    // Pluggable scanner API v1.1 names the type; v1.0 adapters (no type) scan vulnerabilities only.
    expect(
      capabilities.some((c) => c.type === undefined || c.type === 'vulnerability'),
      `${scanner.name} offers vulnerability scanning`,
    ).toBe(true);
  });

  defineCheck(catalog.gcSchedule, async (ctx) => {
    if (!ctx.policy.schedules.garbageCollection) ctx.skip('the policy does not ask for a garbage-collection schedule');
    const response = await ctx.http.get('/api/v2.0/system/gc/schedule', { auth: 'admin' });
    if (response.status === 404) ctx.skip('the target does not serve /api/v2.0/system/gc/schedule');
    expect(response.status).toBe(200);
    // No schedule → 200 with an empty body (goharbor/harbor src/server/v2.0/handler/gc.go@v2.15.x).
    const schedule =
      response.text().trim() === ''
        ? undefined
        : response.json<{ schedule?: { type?: string; cron?: string } }>().schedule;
    // real Harbor v2.15.2 with no schedule: 200 and an empty body (goharbor/harbor src/server/v2.0/handler/gc.go
    // GetGCSchedule: NewGetGCScheduleOK() without payload on NotFound): say "no schedule" instead of a type error
    expect(schedule?.type ?? '(no garbage-collection schedule)', 'garbage collection schedule type').toMatch(
      /^(Hourly|Daily|Weekly|Custom)$/,
    );
  });

  defineCheck(catalog.retentionSchedule, async (ctx) => {
    if (!ctx.policy.schedules.retentionForEveryProject)
      ctx.skip('the policy does not ask for a retention schedule on every project');
    const api = ctx.api;
    const projects = (await api.listAll<Project>('/projects')).filter(
      (p) => !isHarnessProject(p.name) && !ctx.policy.projectBaseline.exempt.includes(p.name),
    );
    const violations: string[] = [];
    for (const project of projects) {
      const id = project.metadata?.retention_id;
      if (!id) {
        violations.push(`${project.name}: no retention policy`);
        continue;
      }
      const response = await ctx.http.get(`/api/v2.0/retentions/${encodeURIComponent(id)}`, { auth: 'admin' });
      if (response.status === 404 && !response.text().includes('Retention'))
        ctx.skip('the target does not serve /api/v2.0/retentions');
      const trigger =
        response.status === 200
          ? response.json<{ trigger?: { kind?: string; settings?: { cron?: string } } }>().trigger
          : undefined;
      if (trigger?.kind !== 'Schedule' || !trigger.settings?.cron)
        violations.push(`${project.name}: retention ${id} is not scheduled`);
    }
    expectNone(violations, 'projects without a scheduled retention policy');
  });

  defineCheck(catalog.privateProjectHidden, async (ctx) => {
    const anonymous = harborApi(ctx, null);
    const project = (await ctx.project()).name;

    const listed = await anonymous.listAll<Project>('/projects');
    expect(
      listed.map((p) => p.name),
      'anonymous project list',
    ).not.toContain(project);
    const byName = await anonymous.listProjects({ name: project });
    expectNone(
      byName.map((p) => p.name),
      `anonymous GET /projects?name=${project}`,
    );
    const read = await ctx.http.get(`/api/v2.0/projects/${project}`, { headers: { 'x-is-resource-name': 'true' } });
    expect(read.status, 'anonymous GET /projects/{name} of a private project').toBe(401);
    const repos = await ctx.http.get(`/api/v2.0/projects/${project}/repositories`);
    expect(repos.status, 'anonymous GET /projects/{name}/repositories of a private project').toBe(401);
  });

  defineCheck(catalog.disabledRobot, async (ctx) => {
    const { api, project, robot, credentials } = await projectWithRobot(ctx);
    const before = await ctx.step('robot access while enabled', () => probeRobotAccess(ctx, credentials, project));
    expect(before, 'the enabled robot logs in, gets pull and is known to the API').toEqual({
      loginStatus: 200,
      pullActions: expect.arrayContaining(['pull']),
      apiAuthenticated: true,
    });

    await ctx.step('disable the robot', async () => {
      const current = await api.getRobot(robot.id);
      await api.updateRobot(robot.id, { ...current, disable: true });
    });
    const after = await ctx.step('robot access while disabled', () => probeRobotAccess(ctx, credentials, project));
    expect(after, 'the disabled robot is refused: login 401, no pull, anonymous to the API (401)').toEqual({
      loginStatus: 401,
      pullActions: [],
      apiAuthenticated: false,
    });
  });

  defineCheck(catalog.expiredRobot, async (ctx) => {
    const { project, robot, credentials } = await projectWithRobot(ctx);
    const before = await ctx.step('robot access before expiry', () => probeRobotAccess(ctx, credentials, project));
    expect(before, 'the fresh robot logs in, gets pull and is known to the API').toEqual({
      loginStatus: 200,
      pullActions: expect.arrayContaining(['pull']),
      apiAuthenticated: true,
    });

    const expiredAt = Math.floor(Date.now() / 1000) - 60;
    await ctx.step('age the robot past expires_at (database)', () =>
      ageRobotPastExpiry(ctx.target, robot.id, expiredAt),
    );
    ctx.evidence.note(
      'expires_at',
      `set to ${expiredAt} (${new Date(expiredAt * 1000).toISOString()}) in the database`,
    );
    const after = await ctx.step('robot access after expiry', () => probeRobotAccess(ctx, credentials, project));
    expect(after, 'the expired robot is refused: login 401, no pull, anonymous to the API (401)').toEqual({
      loginStatus: 401,
      pullActions: [],
      apiAuthenticated: false,
    });
  });

  defineCheck(catalog.robotLifetimeUnenforced, async (ctx) => {
    const api = ctx.api;
    const project = (await ctx.project()).name;
    const configured = Number(await configValue(api, 'robot_token_duration'));
    const tryDuration = async (name: string, duration: number): Promise<boolean> => {
      try {
        const robot = await api.createRobot({
          name,
          description: `harbor-conformance ${ctx.runId} ${ctx.check.id}`,
          level: 'project',
          duration,
          permissions: [{ kind: 'project', namespace: project, access: [{ resource: 'repository', action: 'pull' }] }],
        });
        ctx.secret(robot.secret);
        await api.deleteRobot(robot.id);
        ctx.evidence.note(`duration ${duration}`, `accepted (expires_at ${robot.expires_at})`);
        return true;
      } catch (error) {
        if (error instanceof HarborApiError && error.status === 400) {
          ctx.evidence.note(`duration ${duration}`, `refused: ${error.harborMessage}`);
          return false;
        }
        throw error;
      }
    };
    if (Number.isInteger(configured) && configured > 0 && (await tryDuration('beyond', configured + 1))) {
      ctx.warn(
        `Harbor accepted a robot living ${configured + 1} days although robot_token_duration is ${configured}: the setting only pre-fills the UI, so nothing stops longer-lived robots; SEC-006 is the control`,
        'goharbor/harbor src/lib/config/metadata/metadatalist.go@v2.15.x (robot_token_duration: no caller of config.RobotTokenDuration() in src/ reads it server-side)',
      );
    }
    if (!ctx.policy.robots.allowNeverExpiring && (await tryDuration('forever', -1))) {
      ctx.warn(
        'Harbor accepted a never-expiring robot (duration -1) through the API; no setting forbids it, so the policy can only be kept by detection (SEC-006)',
        'goharbor/harbor src/server/v2.0/handler/robot.go@v2.15.x (duration must be -1 or 1..2147483646)',
      );
    }
  });

  defineCheck(catalog.robotPermissionScope, async (ctx) => {
    const api = ctx.api;
    const project = (await ctx.project()).name;
    // Harbor's grantable list (src/common/rbac/const.go) has no `configuration` and no `scanner-pull`; anything
    // outside it is refused with 400 "bad request permission: <res>:<act>" (src/server/v2.0/handler/robot.go@v2.15.x).
    const attempts: Array<{
      what: string;
      level: 'system' | 'project';
      permission: { kind: string; namespace: string; access: Array<{ resource: string; action: string }> };
    }> = [
      {
        what: 'configuration:read',
        level: 'system',
        permission: { kind: 'system', namespace: '/', access: [{ resource: 'configuration', action: 'read' }] },
      },
      {
        what: 'repository:scanner-pull',
        level: 'project',
        permission: {
          kind: 'project',
          namespace: project,
          access: [{ resource: 'repository', action: 'scanner-pull' }],
        },
      },
    ];
    const accepted: string[] = [];
    for (const [index, attempt] of attempts.entries()) {
      try {
        const robot = await api.createRobot({
          name: `scope${index}`,
          description: `harbor-conformance ${ctx.runId} ${ctx.check.id}`,
          level: attempt.level,
          duration: 1,
          permissions: [attempt.permission],
        });
        ctx.secret(robot.secret);
        accepted.push(`${attempt.what} (robot ${robot.name})`);
        ctx.cleanup(() => api.deleteRobot(robot.id));
      } catch (error) {
        if (!(error instanceof HarborApiError) || error.status !== 400) throw error;
        expect(error.harborMessage, `refusal of ${attempt.what}`).toBe(`bad request permission: ${attempt.what}`);
      }
    }
    expectNone(accepted, 'robots Harbor created with permissions outside its grantable set');
  });
});

/** A private run-id project with a 1-day pull/push robot in it; both removed after the check. */
async function projectWithRobot(ctx: CheckContext) {
  const workspace = await ctx.project();
  const robot = await ctx.robot({ project: workspace, name: 'probe', actions: ['pull', 'push'] });
  return { api: ctx.api, project: workspace.name, robot, credentials: robot.credentials };
}
