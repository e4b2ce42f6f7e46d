// The security policy: the shipped default validates, a bad file gives one line per problem (exit 2 in
// the CLI), and only harness-provisioned targets are deployed with its system settings.
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
      validatePolicy({ robots: { maxDurationDays: -3 }, projectBaseline: { metadata: { severity: 'severe' } }, extra: 1 }, 'team.json');
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
    const target = { kind: 'kind', url: 'http://127.0.0.1:1', admin: { username: 'admin', password: 'x' }, systemSettingsDeployed: true } as Target;
    await applyDeploymentSettings(target, loadDefaultPolicy(), (line) => lines.push(line));
    expect(lines).toEqual(["the kind Harbor was deployed with the policy's system settings (CONFIG_OVERWRITE_JSON): self_registration, project_creation_restriction"]);
  });

  it('never changes an external Harbor', async () => {
    const lines: string[] = [];
    const target = { kind: 'external', url: 'http://127.0.0.1:1', admin: { username: 'admin', password: 'x' } } as Target;
    await applyDeploymentSettings(target, loadDefaultPolicy(), (line) => lines.push(line));
    expect(lines).toEqual([]);
  });
});
