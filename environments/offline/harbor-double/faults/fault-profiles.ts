// Fault profiles: named defects of the double, each modelled on a real Harbor bug or misconfiguration,
// switched on by HARBOR_DOUBLE_FAULT_PROFILE so the harness can prove that a check fails when it should.

export interface FaultProfile {
  name: string;
  /** What goes wrong, in Harbor's terms. */
  defect: string;
  /** The real issue, advisory or misconfiguration it models. */
  modelledOn: string;
}

export const faultProfiles: readonly FaultProfile[] = [
  {
    name: 'anonymous-catalog-leak',
    defect: 'GET /v2/_catalog answers anonymous callers and lists every repository, private projects included.',
    modelledOn:
      'Misconfiguration: /v2/ routed to distribution (or its port published) without core\'s v2auth in front, so the ' +
      'catalog is served unauthenticated. Harbor itself keeps _catalog sysadmin-only (catalog:read), as its maintainers ' +
      'restate in goharbor/harbor#6784, #13573 and #18414.',
  },
  {
    name: 'expired-robot-accepted',
    defect: 'Robot accounts whose expires_at has passed still authenticate (basic auth and /service/token).',
    modelledOn:
      'goharbor/harbor#15110 (an expired robot token still logs in to the registry, v2.2.0 with v1 robots) and ' +
      'goharbor/harbor#13946 (an edited robot expiration not taking effect, fixed in #13944).',
  },
];

export class UnknownFaultProfileError extends Error {
  override name = 'UnknownFaultProfileError';
}

/** The active profile names ("" = none; several may be given comma-separated). */
export function resolveFaultProfiles(setting: string): Set<string> {
  const names = setting
    .split(',')
    .map((n) => n.trim())
    .filter((n) => n !== '');
  const known = new Set(faultProfiles.map((p) => p.name));
  for (const name of names) {
    if (!known.has(name)) {
      throw new UnknownFaultProfileError(
        `unknown HARBOR_DOUBLE_FAULT_PROFILE "${name}"; known profiles: ${[...known].join(', ')}`,
      );
    }
  }
  return new Set(names);
}

export type ActiveFaults = ReadonlySet<string>;
