// Harbor's contenttrust middleware on GET/HEAD /v2/<repo>/manifests/<ref> (goharbor/harbor src/server/middleware/contenttrust/contentrust.go@v2.15.x,
// src/server/middleware/contenttrust/contentrust.go, util.go SkipPolicyChecking): with
// enable_content_trust_cosign / enable_content_trust the artifact itself must have a signature.cosign /
// signature.notation accessory. Nothing is verified cryptographically, and an index's signature does not
// cover its children (each child pulled by digest is checked on its own).
import type { FastifyRequest } from 'fastify';
import type { DoubleServices } from '../double-services.ts';
import { HarborError } from '../harbor-error.ts';
import { tokenActionsFor } from '../rbac/evaluator.ts';
import { isSysAdmin, type SecurityContext } from '../security/security-context.ts';
import { accessoriesOfArtifact, accessoryRecordsOf } from '../store/accessories.ts';
import type { ArtifactRow } from '../store/artifacts.ts';
import { isTrue, type ProjectRow } from '../store/projects.ts';
import { unfixed } from '../faults/previous-patch.ts';

export const NOT_SIGNED_BY_COSIGN = 'The image is not signed by cosign.';
export const NOT_SIGNED_BY_NOTATION = 'The image is not signed by notation.';

/** Which pull policy is asking: the signing-tool exemption differs between them since v2.15.3. */
export type PullPolicy = 'content-trust' | 'vulnerability';

/** User-Agents of the signing tools Harbor recognises (cosign, notation). */
const signingToolAgent = (userAgent: string | undefined) => /cosign|notation/.test(userAgent ?? '');

/**
 * Bearer-token callers Harbor lets through a pull policy. Scanner robots (scanner-pull) pass both. The
 * signing-tool exemption (a push-capable token whose User-Agent says cosign or notation) is gone since
 * v2.15.3 (GHSA-wrw5-gmvj-gf23): it returns only for content trust, only with
 * CONTENT_TRUST_LEGACY_SIGNER_PULL_ENABLED=true on core, and never for the vulnerability policy. Before the
 * fix (fault profile GHSA-wrw5-gmvj-gf23) it exempted from both policies.
 */
export function tokenExempt(
  services: DoubleServices,
  ctx: SecurityContext,
  project: ProjectRow,
  userAgent: string | undefined,
  policy: PullPolicy,
): boolean {
  if (ctx.kind !== 'v2token') return false;
  const actions = tokenActionsFor(ctx, project.name);
  if (actions.has('scanner-pull')) return true;
  if (!actions.has('push') || !signingToolAgent(userAgent)) return false;
  if (unfixed(services.faults, 'GHSA-wrw5-gmvj-gf23')) return true;
  return policy === 'content-trust' && services.config.legacySignerPull;
}

/** Harbor's SkipPolicyChecking: the token exemptions, or the artifact is itself a cosign/notation signature. */
export async function skipPolicyChecking(
  services: DoubleServices,
  request: FastifyRequest,
  project: ProjectRow,
  artifact: ArtifactRow,
  policy: PullPolicy,
): Promise<boolean> {
  if (tokenExempt(services, request.security, project, request.headers['user-agent'], policy)) return true;
  // Harbor looks at the first accessory record of the artifact only.
  const first = (await accessoryRecordsOf(services.db, artifact.id))[0];
  return first !== undefined && (first.type === 'signature.cosign' || first.type === 'signature.notation');
}

export async function enforceContentTrust(
  services: DoubleServices,
  request: FastifyRequest,
  project: ProjectRow,
  artifact: ArtifactRow,
): Promise<void> {
  const cosign = isTrue(project.metadata['enable_content_trust_cosign']);
  const notation = isTrue(project.metadata['enable_content_trust']);
  if (!cosign && !notation) return;
  if (services.faults.has('content-trust-not-enforced')) return;
  if (request.method === 'HEAD' && services.faults.has('content-trust-head-not-enforced')) return;
  if (isSysAdmin(request.security) && services.faults.has('content-trust-admin-basic-auth-exempt')) return;
  if (await skipPolicyChecking(services, request, project, artifact, 'content-trust')) return;
  const types = new Set((await accessoriesOfArtifact(services.db, artifact.id)).map((a) => a.type));
  if (cosign && !types.has('signature.cosign')) throw new HarborError('PROJECTPOLICYVIOLATION', NOT_SIGNED_BY_COSIGN);
  if (notation && !types.has('signature.notation'))
    throw new HarborError('PROJECTPOLICYVIOLATION', NOT_SIGNED_BY_NOTATION);
}
