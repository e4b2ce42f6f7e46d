// Scanner registrations as Harbor's scanner controller handles them (goharbor/harbor src/controller/scanner/base_controller.go@v2.15.x): the built-in
// Trivy registration from WITH_TRIVY/TRIVY_ADAPTER_URL at start, the first registration becoming
// default, metadata fetched from the adapter and cached 30 s per registration (errors included).
import type { DoubleServices } from '../double-services.ts';
import { AdapterClient, type AdapterMetadata } from './adapter-client.ts';
import {
  deleteRegistration,
  defaultRegistration,
  findRegistration,
  findRegistrationByName,
  insertRegistration,
  projectScannerUuid,
  clearProjectScanner,
  updateRegistration,
  type RegistrationRow,
} from './scan-store.ts';

export const TRIVY_NAME = 'Trivy';
const METADATA_TTL_MS = 30_000;

type CachedMetadata = { at: number; value: AdapterMetadata } | { at: number; error: Error };
const metadataCache = new Map<string, CachedMetadata>();

export function adapterFor(registration: Pick<RegistrationRow, 'url' | 'auth' | 'access_credential'>): AdapterClient {
  return new AdapterClient(registration.url, {
    auth: registration.auth,
    accessCredential: registration.access_credential,
  });
}

/** The adapter's metadata (cached 30 s, failures too); throws when the adapter cannot be reached. */
export async function registrationMetadata(registration: RegistrationRow): Promise<AdapterMetadata> {
  const cached = metadataCache.get(registration.uuid);
  if (cached && Date.now() - cached.at < METADATA_TTL_MS) {
    if ('error' in cached) throw cached.error;
    return cached.value;
  }
  try {
    const value = await adapterFor(registration).metadata();
    metadataCache.set(registration.uuid, { at: Date.now(), value });
    return value;
  } catch (error) {
    metadataCache.set(registration.uuid, { at: Date.now(), error: error as Error });
    throw error;
  }
}

export function forgetMetadata(uuid: string): void {
  metadataCache.delete(uuid);
}

export function forgetAllMetadata(): void {
  metadataCache.clear();
}

/** At start, like harbor-core with WITH_TRIVY: ensure the immutable Trivy registration (default if none), or remove it. */
export async function syncBuiltInTrivy(services: DoubleServices): Promise<void> {
  const existing = await findRegistrationByName(services.db, TRIVY_NAME);
  if (!services.config.withTrivy) {
    if (existing?.immutable) await deleteRegistration(services.db, existing.uuid);
    return;
  }
  if (existing) {
    if (existing.url !== services.config.trivyAdapterUrl)
      await updateRegistration(services.db, existing.uuid, { url: services.config.trivyAdapterUrl });
  } else {
    await insertRegistration(services.db, {
      name: TRIVY_NAME,
      description: 'The Trivy scanner adapter',
      url: services.config.trivyAdapterUrl,
      auth: '',
      access_credential: '',
      skip_cert_verify: false,
      use_internal_addr: true,
      immutable: true,
      disabled: false,
    });
  }
  if (!(await defaultRegistration(services.db))) {
    const trivy = await findRegistrationByName(services.db, TRIVY_NAME);
    if (trivy) await updateRegistration(services.db, trivy.uuid, { is_default: true });
  }
}

/** The registration a project scans with: its own (a stale uuid is cleared) or the system default. */
export async function scannerOfProject(
  services: DoubleServices,
  projectId: number,
): Promise<RegistrationRow | undefined> {
  const uuid = await projectScannerUuid(services.db, projectId);
  if (uuid) {
    const own = await findRegistration(services.db, uuid);
    if (own) return own;
    await clearProjectScanner(services.db, projectId);
  }
  return defaultRegistration(services.db);
}
