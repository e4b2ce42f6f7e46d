// The project settings the pull-policy table walks, pruned to combinations that can differ: prevention off;
// prevent_vul at each threshold; the allowlist forms at the High threshold (project list, expired project
// list, reused system list); each content-trust form; content trust and prevention together (order of the rules).
import type { PolicySettings } from './pull-decision.ts';

export interface SettingsSpec {
  settings: PolicySettings;
  metadata: Record<string, string>;
  /** The project's own list (always sent, replaced), and the system list (sent when given). */
  projectAllowlist: { items: string[]; expiresAt: number | null };
  systemAllowlist?: { items: string[]; expiresAt: number | null };
}

export function settingsTable(findingIds: string[], nowSeconds: number): SettingsSpec[] {
  const none = { items: [] as string[], expiresAt: null };
  const meta = (preventVul: boolean, severity: string, cosign: boolean, notation: boolean, reuse: boolean) => ({
    prevent_vul: String(preventVul),
    severity,
    enable_content_trust_cosign: String(cosign),
    enable_content_trust: String(notation),
    reuse_sys_cve_allowlist: String(reuse),
  });
  const plain = (
    name: string,
    preventVul: boolean,
    severity: string,
    cosign = false,
    notation = false,
  ): SettingsSpec => ({
    settings: { name, preventVul, severity, cosign, notation, allowlist: { items: [], expired: false } },
    metadata: meta(preventVul, severity, cosign, notation, true),
    projectAllowlist: none,
    systemAllowlist: none,
  });
  return [
    plain('no policy', false, 'low'),
    ...['low', 'medium', 'high', 'critical'].map((severity) =>
      plain(`prevent_vul, severity ${severity}`, true, severity),
    ),
    {
      settings: {
        name: 'prevent_vul high, project allowlist of every finding',
        preventVul: true,
        severity: 'high',
        cosign: false,
        notation: false,
        allowlist: { items: findingIds, expired: false },
      },
      metadata: meta(true, 'high', false, false, false),
      projectAllowlist: { items: findingIds, expiresAt: null },
    },
    {
      settings: {
        name: 'prevent_vul high, project allowlist expired',
        preventVul: true,
        severity: 'high',
        cosign: false,
        notation: false,
        allowlist: { items: findingIds, expired: true },
      },
      metadata: meta(true, 'high', false, false, false),
      projectAllowlist: { items: findingIds, expiresAt: nowSeconds - 3600 },
    },
    {
      settings: {
        name: 'prevent_vul high, system allowlist reused',
        preventVul: true,
        severity: 'high',
        cosign: false,
        notation: false,
        allowlist: { items: findingIds, expired: false },
      },
      metadata: meta(true, 'high', false, false, true),
      projectAllowlist: none,
      systemAllowlist: { items: findingIds, expiresAt: null },
    },
    plain('content trust: cosign', false, 'low', true, false),
    plain('content trust: notation', false, 'low', false, true),
    plain('content trust: cosign and notation', false, 'low', true, true),
    plain('content trust cosign + prevent_vul low', true, 'low', true, false),
  ];
}
