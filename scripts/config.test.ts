import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadRunConfig, rejectSecretsInArgv, type RunFlags } from './config.ts';

function problemsOf(flags: RunFlags, env: NodeJS.ProcessEnv = {}, cwd = emptyDir()): string[] {
  try {
    loadRunConfig(flags, env, cwd);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

function emptyDir(): string {
  return mkdtempSync(join(tmpdir(), 'hc-config-'));
}

describe('run configuration', () => {
  it('defaults to the offline environment, admin, everything selected, not quiet outside CI', () => {
    const config = loadRunConfig({}, {}, emptyDir());
    expect(config).toMatchObject({
      env: 'offline',
      username: 'admin',
      allowMutating: false,
      suites: null,
      checks: null,
      keep: false,
      quiet: false,
    });
  });

  it('is quiet when CI=true', () => {
    expect(loadRunConfig({}, { CI: 'true' }, emptyDir()).quiet).toBe(true);
  });

  it('takes flags over environment variables over the config file', () => {
    const dir = emptyDir();
    writeFileSync(
      join(dir, 'harbor-conformance.config.json'),
      JSON.stringify({ url: 'https://file.example', username: 'file-user', password: 'from-file', suites: ['smoke'] }),
    );
    const config = loadRunConfig({ url: 'https://flag.example' }, { HARBOR_USERNAME: 'env-user' }, dir);
    expect(config).toMatchObject({
      env: 'external',
      url: 'https://flag.example',
      username: 'env-user',
      password: 'from-file',
      suites: ['smoke'],
    });
  });

  it('takes a Harbor port for the offline environment and says in one line what is wrong with a bad one', () => {
    expect(loadRunConfig({ port: '8080' }, {}, emptyDir()).port).toBe(8080);
    expect(loadRunConfig({}, { HC_PORT: '18080' }, emptyDir()).port).toBe(18080);
    expect(problemsOf({ port: '99999' })).toEqual(['--port: must be between 1 and 65535']);
    expect(problemsOf({ port: 'http' })).toEqual(['--port: must be a port number between 1 and 65535']);
    expect(
      problemsOf({ port: '8080', env: 'external', url: 'https://h.example' }, { HARBOR_PASSWORD: 'pw12' }),
    ).toEqual(['--port: a Harbor port applies to the offline environment only (got --env external)']);
  });

  it('implies --env external when a Harbor URL is given', () => {
    expect(loadRunConfig({}, { HARBOR_URL: 'https://h.example', HARBOR_PASSWORD: 'pw12' }, emptyDir()).env).toBe(
      'external',
    );
  });

  it('reports every problem as one line naming where the value came from', () => {
    const problems = problemsOf(
      { checks: 'smoke-1,SMOKE-002' },
      { HC_ENV: 'prod', HARBOR_URL: 'ftp://x', HC_ALLOW_MUTATING: 'maybe' },
    );
    expect(problems).toEqual([
      'HC_ALLOW_MUTATING: must be true or false (got "maybe")',
      'HC_ENV: must be one of offline, official, kind, external (got "prod")',
      'HARBOR_URL: must be an http:// or https:// URL (got "ftp://x")',
      '--checks: check ids look like SMOKE-001 (got "smoke-1")',
    ]);
    for (const line of problems) expect(line).not.toContain('\n');
  });

  it('needs a URL and a password for an external Harbor', () => {
    expect(problemsOf({ env: 'external' })).toEqual([
      '--env external needs the Harbor URL: pass --url or set HARBOR_URL',
      '--env external needs the admin password: set HARBOR_PASSWORD or put "password" in the config file',
    ]);
  });

  it('refuses credentials inside the URL', () => {
    expect(problemsOf({ url: 'https://admin:pw@h.example' }, { HARBOR_PASSWORD: 'pw12' })).toEqual([
      '--url: must not carry credentials; set HARBOR_USERNAME / HARBOR_PASSWORD instead',
    ]);
  });

  it('refuses a URL or a fault profile that the chosen environment cannot use', () => {
    expect(problemsOf({ env: 'offline', url: 'https://h.example' })).toEqual([
      '--url: a Harbor URL applies to --env external only (the offline environment starts its own Harbor)',
    ]);
    expect(
      problemsOf({ faultProfile: 'digest-bypass' }, { HARBOR_URL: 'https://h.example', HARBOR_PASSWORD: 'pw12' }),
    ).toEqual([
      "--fault-profile: fault profiles exist only in the offline environment's Harbor double (got --env external)",
    ]);
  });

  it('names unknown keys and bad JSON in the config file', () => {
    const dir = emptyDir();
    writeFileSync(join(dir, 'custom.json'), JSON.stringify({ env: 'offline', pasword: 'typo', keep: 'yes' }));
    expect(problemsOf({ config: 'custom.json' }, {}, dir)).toEqual([
      'custom.json: keep: Invalid input: expected boolean, received string',
      'custom.json: unknown key(s) pasword',
    ]);
    writeFileSync(join(dir, 'broken.json'), '{ "env": ');
    const [line] = problemsOf({ config: 'broken.json' }, {}, dir);
    expect(line).toMatch(/^--config broken\.json: not valid JSON/);
    expect(problemsOf({ config: 'missing.json' }, {}, dir)).toEqual(['--config missing.json: file not found']);
  });

  it('checks that the policy file exists', () => {
    expect(problemsOf({ policy: 'nope.json' })).toEqual(['--policy: policy file nope.json not found']);
  });

  it('never takes a secret from the command line', () => {
    for (const argv of [
      ['run', '--password', 'x'],
      ['run', '--password=x'],
      ['env', 'up', '--token=abc'],
    ]) {
      expect(() => rejectSecretsInArgv(argv)).toThrow(ConfigError);
    }
    expect(() => rejectSecretsInArgv(['run', '--password', 'x'])).toThrow(
      '--password is not accepted: secrets are never taken from the command line; set HARBOR_PASSWORD or put "password" in the config file',
    );
    expect(() => rejectSecretsInArgv(['run', '--env', 'offline'])).not.toThrow();
  });
});
