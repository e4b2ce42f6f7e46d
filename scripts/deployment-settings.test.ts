// The security policy: the shipped default validates, a bad file gives one line per problem (exit 2 in
// the CLI), and only harness-provisioned targets are deployed with its system settings.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { loadDefaultPolicy } from '../policies/security-policy.ts';
import { ConfigError } from './config.ts';
import { applyDeploymentSettings } from './deployment-settings.ts';
import { validatePolicy } from './run-command.ts';
import type { Target } from '../lib/target.ts';

describe('security policy', () => {
  it('ships a secure default', () => {
    const policy = loadDefaultPolicy();
    expect(policy.system).toEqual({ self_registration: false, project_creation_restriction: 'adminonly' });
    expect(policy.robots.allowNeverExpiring).toBe(false);
    expect(policy.projectBaseline.metadata).toMatchObject({ prevent_vul: 'true', auto_scan: 'true' });
  });

  it('uses the default when no --policy is given, and reports every problem of a bad one with its path', () => {
    expect(validatePolicy(null, undefined).system.project_creation_restriction).toBe('adminonly');
    let error: unknown;
    try {
      validatePolicy(
        { robots: { maxDurationDays: -3 }, projectBaseline: { metadata: { severity: 'severe' } }, extra: 1 },
        'team.json',
      );
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).toHaveLength(3);
    expect(problems.every((p) => p.startsWith('--policy team.json: '))).toBe(true);
    expect(problems.join('\n')).toMatch(/robots\.maxDurationDays/);
    expect(problems.join('\n')).toMatch(/projectBaseline\.metadata\.severity/);
    expect(problems.join('\n')).toMatch(/unknown key\(s\) extra/);
  });

  it('does not PUT settings a Harbor was deployed with (CONFIG_OVERWRITE_JSON makes them read-only)', async () => {
    const lines: string[] = [];
    // port 1: a PUT would fail; the run must not try
    const target = {
      kind: 'kind',
      url: 'http://127.0.0.1:1',
      admin: { username: 'admin', password: 'x' },
      systemSettingsDeployed: true,
    } as Target;
    // only the system settings: the GC schedule and the project baseline go through the API as elsewhere
    const defaults = loadDefaultPolicy();
    const policy = {
      ...defaults,
      schedules: { garbageCollection: false, retentionForEveryProject: false },
      projectBaseline: { ...defaults.projectBaseline, metadata: {} },
    };
    await applyDeploymentSettings(target, policy, (line) => lines.push(line));
    expect(lines).toEqual([
      "the kind Harbor was deployed with the policy's system settings (CONFIG_OVERWRITE_JSON): self_registration, project_creation_restriction",
    ]);
  });

  it('never changes an external Harbor', async () => {
    const lines: string[] = [];
    const target = {
      kind: 'external',
      url: 'http://127.0.0.1:1',
      admin: { username: 'admin', password: 'x' },
    } as Target;
    await applyDeploymentSettings(target, loadDefaultPolicy(), (line) => lines.push(line));
    expect(lines).toEqual([]);
  });

  it('deploys a provisioned Harbor with the system settings and the project baseline on the projects it ships (library)', async () => {
    const requests: Array<{ method: string; url: string; body: unknown }> = [];
    let scheduled = false;
    const server = createServer((req, res) => {
      let text = '';
      req.on('data', (chunk: Buffer) => (text += chunk.toString()));
      req.on('end', () => {
        requests.push({ method: req.method ?? '', url: req.url ?? '', body: text ? JSON.parse(text) : undefined });
        res.setHeader('content-type', 'application/json');
        if (req.method === 'POST' && req.url === '/api/v2.0/system/gc/schedule') {
          scheduled = true;
          res.statusCode = 201;
        }
        if (req.method === 'POST' && req.url === '/api/v2.0/retentions') res.statusCode = 201;
        // v2.15: 200 with an empty body while there is no schedule
        if (req.method === 'GET' && req.url === '/api/v2.0/system/gc/schedule')
          return void res.end(scheduled ? JSON.stringify({ schedule: { type: 'Daily' } }) : '');
        if (req.method === 'GET' && req.url?.startsWith('/api/v2.0/projects')) {
          res.setHeader('x-total-count', '1');
          return void res.end(JSON.stringify([{ project_id: 1, name: 'library', metadata: { public: 'true' } }]));
        }
        res.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const target = { kind: 'offline', url, admin: { username: 'admin', password: 'x' } } as Target;
      const policy = loadDefaultPolicy();
      await applyDeploymentSettings(target, policy, () => {});
      expect(requests.filter((r) => r.method === 'POST').map((r) => r.url)).toEqual([
        '/api/v2.0/system/gc/schedule',
        '/api/v2.0/retentions',
      ]);
      const retention = requests.find((r) => r.url === '/api/v2.0/retentions')?.body as Record<string, unknown>;
      expect(retention, 'a daily policy that keeps everything').toMatchObject({
        rules: [{ template: 'always', tag_selectors: [{ pattern: '**', extras: '{"untagged":true}' }] }],
        trigger: { kind: 'Schedule', settings: { cron: '0 0 0 * * *' } },
        scope: { level: 'project', ref: 1 },
      });
      const writes = requests.filter((r) => r.method === 'PUT');
      expect(writes).toEqual([
        { method: 'PUT', url: '/api/v2.0/configurations', body: policy.system },
        { method: 'PUT', url: '/api/v2.0/projects/1', body: { metadata: policy.projectBaseline.metadata } },
      ]);
      requests.length = 0;
      await applyDeploymentSettings(
        target,
        { ...policy, projectBaseline: { ...policy.projectBaseline, exempt: ['library'] } },
        () => {},
      );
      expect(requests.filter((r) => r.method === 'PUT').map((r) => r.url)).toEqual(['/api/v2.0/configurations']);
      expect(
        requests.filter((r) => r.method === 'POST').map((r) => r.url),
        'a second deployment adds no second GC schedule (and the exempt library no retention policy)',
      ).toEqual([]);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
