// Lib clients wired into a check: every exchange they make lands in the check's evidence (redacted).
// Checks get the admin's clients as `ctx.api` and `ctx.registry`; these build clients for other callers.
import { HarborApiClient } from '../../lib/harbor-api.ts';
import { RegistryClient } from '../../lib/oci/registry-client.ts';
import type { Credentials, Target } from '../../lib/target.ts';
import type { EvidenceRecorder } from '../evidence.ts';

export interface ClientContext {
  readonly target: Target;
  readonly evidence: EvidenceRecorder;
}

/** Harbor's API as the admin (default), as other credentials, or anonymously (`null`). */
export function harborApi(ctx: ClientContext, credentials: Credentials | null = ctx.target.admin): HarborApiClient {
  return new HarborApiClient({
    baseUrl: ctx.target.url,
    ...(credentials ? { credentials } : {}),
    recorder: ctx.evidence.exchanges,
  });
}

/**
 * The registry (/v2) as the admin (default), as other credentials, or anonymously (`null`); `userAgent` as a
 * client would send it (the signing tools' User-Agent exempts them from the pull policies).
 */
export function registryClient(
  ctx: ClientContext,
  credentials: Credentials | null = ctx.target.admin,
  options: { userAgent?: string } = {},
): RegistryClient {
  return new RegistryClient({
    baseUrl: registryUrl(ctx.target),
    ...(credentials ? { credentials } : {}),
    ...(options.userAgent ? { userAgent: options.userAgent } : {}),
    recorder: ctx.evidence.exchanges,
  });
}

/** Base URL of the registry docker and skopeo use, with the Harbor URL's scheme. */
export function registryUrl(target: Pick<Target, 'url' | 'registryHost'>): string {
  return `${new URL(target.url).protocol}//${target.registryHost}`;
}
