// `harbor-conformance run --env kind --dry-run`: prints what a kind run would create — the kind config,
// the chart and its version, the values (secrets redacted), the images to load — and creates nothing.
import { ConfigError, type RunConfig } from './config.ts';
import { systemSettingsOf } from './deployment-settings.ts';
import { readPolicy, validatePolicy } from './run-command.ts';
import { newRunId } from '../reports/run-id.ts';

export async function dryRunCommand(config: RunConfig, out: (text: string) => void): Promise<0> {
  if (config.env !== 'kind') throw new ConfigError([`--dry-run applies to --env kind only (got --env ${config.env})`]);
  const policy = validatePolicy(config.policy ? await readPolicy(config.policy) : null, config.policy);
  const { planKindEnvironment } = await import('../environments/kind/kind-environment.ts');
  out(await planKindEnvironment({ runId: newRunId(), systemSettings: systemSettingsOf(policy) }));
  return 0;
}
