// The Harbor releases the double emulates, as data (design: "emulated versions differ by data, not by copies of
// code"): which of the double's schema migrations each release has, and the behaviour differences Harbor's source
// shows between them. HARBOR_DOUBLE_HARBOR_VERSION (config.ts) picks one; starting a newer release on an older
// release's database runs the missing migrations — the double's upgrade step (upgrade/upgrade-step.ts).
//
//   v2.14.4  migrations 1–59: every table the double has, with registry.ca_certificate as the double stored it
//            before Harbor's v2.15 column; the registry endpoint API has no ca_certificate
//            (goharbor/harbor api/v2.0/swagger.yaml@v2.14.4: Registry, RegistryUpdate, RegistryPing lack it).
//   v2.15.3  every migration, 60–69 being the v2.15.0 schema step
//            (goharbor/harbor make/migrations/postgresql/0180_2.15.0_schema.up.sql@v2.15.2:
//            `ALTER TABLE registry ADD COLUMN IF NOT EXISTS ca_certificate TEXT`, nullable, per-endpoint CA of
//            goharbor/harbor#22535); the API takes and returns ca_certificate (swagger.yaml@v2.15.2).

export const EMULATED_VERSIONS = ['v2.14.4', 'v2.15.3'] as const;
export type EmulatedVersion = (typeof EMULATED_VERSIONS)[number];

/** What the double is when nothing is set: the newest patch release it models (config.ts DOUBLE_VERSION). */
export const DEFAULT_EMULATED_VERSION: EmulatedVersion = 'v2.15.3';
/** The release a team upgrades from in the offline gate. */
export const PREVIOUS_MINOR_VERSION: EmulatedVersion = 'v2.14.4';

/** The first migration of the v2.15 schema step; every lower version belongs to both releases. */
export const V2_15_FIRST_MIGRATION = 60;

/** The highest migration a release has. */
export function lastMigrationOf(version: EmulatedVersion): number {
  return version === 'v2.14.4' ? V2_15_FIRST_MIGRATION - 1 : Number.MAX_SAFE_INTEGER;
}

/** Per-endpoint CA certificates of registry endpoints arrived in v2.15.0 (goharbor/harbor#22535). */
export function hasEndpointCaCertificates(version: EmulatedVersion): boolean {
  return version !== 'v2.14.4';
}

export function isEmulatedVersion(value: string): value is EmulatedVersion {
  return (EMULATED_VERSIONS as readonly string[]).includes(value);
}
