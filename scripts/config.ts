// Run configuration from three sources — flags, environment variables, an optional JSON config file —
// merged in that order of precedence and validated with zod. Every problem becomes one line naming
// where the value came from (`--url`, `HARBOR_URL`, `harbor-conformance.config.json: url`).
// Secrets are never accepted on the command line.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';

export const environmentNames = ['offline', 'official', 'kind', 'external'] as const;
export type EnvironmentName = (typeof environmentNames)[number];

export const scannerEngineNames = ['trivy', 'builtin'] as const;
export type ScannerEngineName = (typeof scannerEngineNames)[number];

export const defaultConfigFile = 'harbor-conformance.config.json';

/** A problem the user caused: printed as one line each, exit code 2. */
export class ConfigError extends Error {
  override name = 'ConfigError';
  readonly problems: string[];
  constructor(problems: string[]) {
    super(problems.join('\n'));
    this.problems = problems;
  }
}

export interface RunConfig {
  env: EnvironmentName;
  url?: string;
  username: string;
  password?: string;
  allowMutating: boolean;
  suites: string[] | null;
  checks: string[] | null;
  reportDir?: string;
  policy?: string;
  faultProfile?: string;
  /** Host port for the Harbor an environment starts (offline); default a free one. */
  port?: number;
  /** The offline stack's scanner engine: real Trivy (default) or the built-in matcher. */
  scanner?: ScannerEngineName;
  keep: boolean;
  quiet: boolean;
}

/** Flags as commander hands them over (already camelCased). */
export interface RunFlags {
  env?: string;
  url?: string;
  username?: string;
  allowMutating?: boolean;
  suites?: string;
  checks?: string;
  reportDir?: string;
  policy?: string;
  faultProfile?: string;
  port?: string;
  scanner?: string;
  keep?: boolean;
  quiet?: boolean;
  config?: string;
}

type Key = keyof RunConfig;

const fileSchema = z
  .object({
    env: z.string(),
    url: z.string(),
    username: z.string(),
    password: z.string(),
    allowMutating: z.boolean(),
    suites: z.array(z.string()),
    checks: z.array(z.string()),
    reportDir: z.string(),
    policy: z.string(),
    faultProfile: z.string(),
    port: z.number(),
    scanner: z.string(),
    keep: z.boolean(),
  })
  .partial()
  .strict();

const configSchema = z.object({
  env: z.enum(environmentNames, {
    error: (issue) => `must be one of ${environmentNames.join(', ')} (got ${JSON.stringify(issue.input)})`,
  }),
  url: z
    .string()
    .refine((value) => isHttpUrl(value), {
      error: (issue) => `must be an http:// or https:// URL (got ${JSON.stringify(issue.input)})`,
    })
    .refine((value) => !hasUserInfo(value), {
      error: 'must not carry credentials; set HARBOR_USERNAME / HARBOR_PASSWORD instead',
    })
    .optional(),
  username: z.string().min(1, { error: 'must not be empty' }),
  password: z.string().min(1, { error: 'must not be empty' }).optional(),
  allowMutating: z.boolean(),
  suites: z
    .array(z.string().regex(/^[a-z0-9-]+$/, { error: 'suite names are lower-case words' }))
    .min(1, { error: 'names no suite' })
    .nullable(),
  checks: z
    .array(
      z.string().regex(/^[A-Z][A-Z0-9]*-\d{3}$/, {
        error: (issue) => `check ids look like SMOKE-001 (got ${JSON.stringify(issue.input)})`,
      }),
    )
    .min(1, { error: 'names no check' })
    .nullable(),
  reportDir: z.string().min(1).optional(),
  policy: z.string().min(1).optional(),
  // Several profiles comma-separated switch them all on (the double accepts a list): one stack proves several checks.
  faultProfile: z
    .string()
    .regex(/^(?:[a-z0-9][a-z0-9-]*|GHSA(?:-[a-z0-9]{4}){3})(?:,(?:[a-z0-9][a-z0-9-]*|GHSA(?:-[a-z0-9]{4}){3}))*$/, {
      error: 'fault profile names are lower-case words with dashes or a GHSA id (several: comma-separated)',
    })
    .optional(),
  port: z.coerce
    .number({ error: 'must be a port number between 1 and 65535' })
    .int({ error: 'must be a whole port number' })
    .min(1, { error: 'must be between 1 and 65535' })
    .max(65535, { error: 'must be between 1 and 65535' })
    .optional(),
  scanner: z
    .enum(scannerEngineNames, {
      error: (issue) => `must be one of ${scannerEngineNames.join(', ')} (got ${JSON.stringify(issue.input)})`,
    })
    .optional(),
  keep: z.boolean(),
  quiet: z.boolean(),
});

/** Arguments that would put a secret on the command line (visible in `ps`, shell history, CI logs). */
export function rejectSecretsInArgv(argv: readonly string[]): void {
  const offending = argv.find((arg) => /^--?(password|pass|passwd|secret|token)(=|$)/i.test(arg));
  if (offending) {
    const flag = offending.split('=')[0];
    throw new ConfigError([
      `${flag} is not accepted: secrets are never taken from the command line; set HARBOR_PASSWORD or put "password" in the config file`,
    ]);
  }
}

export function loadRunConfig(flags: RunFlags, env: NodeJS.ProcessEnv = process.env, cwd = callerCwd(env)): RunConfig {
  const problems: string[] = [];
  const origin = new Map<Key, string>();
  const merged: Partial<Record<Key, unknown>> = {};
  const set = (key: Key, value: unknown, where: string) => {
    if (value === undefined || value === '') return;
    merged[key] = value;
    origin.set(key, where);
  };

  // 1. config file (lowest precedence)
  const fileName =
    flags.config ?? env.HC_CONFIG ?? (existsSync(resolve(cwd, defaultConfigFile)) ? defaultConfigFile : undefined);
  if (fileName) {
    const label = flags.config ? '--config' : env.HC_CONFIG ? 'HC_CONFIG' : 'config file';
    const path = resolve(cwd, fileName);
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(path, 'utf8'));
    } catch (error) {
      const why =
        (error as NodeJS.ErrnoException).code === 'ENOENT'
          ? 'file not found'
          : `not valid JSON (${(error as Error).message.split('\n')[0]})`;
      throw new ConfigError([`${label} ${fileName}: ${why}`]);
    }
    const parsed = fileSchema.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const key = issue.path.join('.');
        const message = issue.code === 'unrecognized_keys' ? `unknown key(s) ${issue.keys.join(', ')}` : issue.message;
        problems.push(`${fileName}${key ? `: ${key}` : ''}: ${message}`);
      }
    } else {
      for (const [key, value] of Object.entries(parsed.data)) set(key as Key, value, `${fileName}: ${key}`);
    }
  }

  // 2. environment variables
  set('env', env.HC_ENV, 'HC_ENV');
  set('url', env.HARBOR_URL, 'HARBOR_URL');
  set('username', env.HARBOR_USERNAME, 'HARBOR_USERNAME');
  set('password', env.HARBOR_PASSWORD, 'HARBOR_PASSWORD');
  set('allowMutating', parseBool(env.HC_ALLOW_MUTATING, 'HC_ALLOW_MUTATING', problems), 'HC_ALLOW_MUTATING');
  set('suites', parseList(env.HC_SUITES), 'HC_SUITES');
  set('checks', parseList(env.HC_CHECKS), 'HC_CHECKS');
  set('reportDir', env.HC_REPORT_DIR, 'HC_REPORT_DIR');
  set('policy', env.HC_POLICY, 'HC_POLICY');
  set('faultProfile', env.HC_FAULT_PROFILE, 'HC_FAULT_PROFILE');
  set('port', env.HC_PORT, 'HC_PORT');
  set('scanner', env.HC_SCANNER, 'HC_SCANNER');
  set('keep', parseBool(env.HC_KEEP, 'HC_KEEP', problems), 'HC_KEEP');

  // 3. flags (highest precedence)
  set('env', flags.env, '--env');
  set('url', flags.url, '--url');
  set('username', flags.username, '--username');
  set('allowMutating', flags.allowMutating, '--allow-mutating');
  set('suites', parseList(flags.suites), '--suites');
  set('checks', parseList(flags.checks), '--checks');
  set('reportDir', flags.reportDir, '--report-dir');
  set('policy', flags.policy, '--policy');
  set('faultProfile', flags.faultProfile, '--fault-profile');
  set('port', flags.port, '--port');
  set('scanner', flags.scanner, '--scanner');
  set('keep', flags.keep, '--keep');

  const candidate = {
    // Naming a Harbor URL means checking that Harbor, unless an environment was chosen explicitly.
    env: merged.url !== undefined ? 'external' : 'offline',
    username: 'admin',
    allowMutating: false,
    suites: null,
    checks: null,
    keep: false,
    quiet: flags.quiet ?? isCi(env),
    ...merged,
  };
  const parsed = configSchema.safeParse(candidate);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = issue.path[0] as Key;
      problems.push(`${origin.get(key) ?? key}: ${issue.message}`);
    }
    throw new ConfigError(problems);
  }
  const config = parsed.data as RunConfig;
  problems.push(...crossFieldProblems(config, origin));
  if (config.policy && !existsSync(resolve(cwd, config.policy)))
    problems.push(`${origin.get('policy')}: policy file ${config.policy} not found`);
  if (problems.length > 0) throw new ConfigError(problems);
  // Paths are the caller's: absolute from here on, whatever directory the CLI process runs in.
  if (config.policy) config.policy = resolve(cwd, config.policy);
  if (config.reportDir) config.reportDir = resolve(cwd, config.reportDir);
  return config;
}

function crossFieldProblems(config: RunConfig, origin: Map<Key, string>): string[] {
  const problems: string[] = [];
  if (config.env === 'external') {
    if (!config.url) problems.push('--env external needs the Harbor URL: pass --url or set HARBOR_URL');
    if (!config.password)
      problems.push(
        '--env external needs the admin password: set HARBOR_PASSWORD or put "password" in the config file',
      );
  } else {
    if (config.url)
      problems.push(
        `${origin.get('url')}: a Harbor URL applies to --env external only (the ${config.env} environment starts its own Harbor)`,
      );
  }
  if (config.port !== undefined && config.env !== 'offline') {
    problems.push(
      `${origin.get('port')}: a Harbor port applies to the offline environment only (got --env ${config.env})`,
    );
  }
  if (config.scanner && config.env !== 'offline') {
    problems.push(
      `${origin.get('scanner')}: the scanner engine is chosen for the offline stack only (got --env ${config.env})`,
    );
  }
  if (config.faultProfile && config.env !== 'offline') {
    problems.push(
      `${origin.get('faultProfile')}: fault profiles exist only in the offline environment's Harbor double (got --env ${config.env})`,
    );
  }
  return problems;
}

function parseList(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  return value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

function parseBool(value: string | undefined, name: string, problems: string[]): boolean | undefined {
  if (value === undefined || value === '') return undefined;
  if (/^(1|true|yes)$/i.test(value)) return true;
  if (/^(0|false|no)$/i.test(value)) return false;
  problems.push(`${name}: must be true or false (got ${JSON.stringify(value)})`);
  return undefined;
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

function hasUserInfo(value: string): boolean {
  try {
    const url = new URL(value);
    return url.username !== '' || url.password !== '';
  } catch {
    return false;
  }
}

/**
 * The directory the user ran the command in: scripts/bootstrap.sh changes into the repository, so the
 * bin wrapper passes it as HC_CALLER_CWD, and npm passes INIT_CWD to `npm run conformance`.
 */
export function callerCwd(env: NodeJS.ProcessEnv = process.env): string {
  return env.HC_CALLER_CWD || env.INIT_CWD || process.cwd();
}

export function isCi(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.CI !== undefined && env.CI !== '' && env.CI !== 'false' && env.CI !== '0';
}
