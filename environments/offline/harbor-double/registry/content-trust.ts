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

export const NOT_SIGNED_BY_COSIGN = 'The image is not signed by cosign.';
export const NOT_SIGNED_BY_NOTATION = 'The image is not signed by notation.';

/** Bearer-token callers Harbor lets through both pull policies: scanner robots, and signing tools that may push. */
export function tokenExempt(ctx: SecurityContext, project: ProjectRow, userAgent: string | undefined): boolean {
  if (ctx.kind !== 'v2token') return false;
  const actions = tokenActionsFor(ctx, project.name);
  if (actions.has('scanner-pull')) return true;
  const agent = userAgent ?? '';
  return actions.has('push') && (agent.includes('cosign') || agent.includes('notation'));
}

/** Harbor's SkipPolicyChecking: the token exemptions, or the artifact is itself a cosign/notation signature. */
export async function skipPolicyChecking(services: DoubleServices, request: FastifyRequest, project: ProjectRow, artifact: ArtifactRow): Promise<boolean> {
  if (tokenExempt(request.security, project, request.headers['user-agent'])) return true;
  // Harbor looks at the first accessory record of the artifact only.
  const first = (await accessoryRecordsOf(services.db, artifact.id))[0];
  return first !== undefined && (first.type === 'signature.cosign' || first.type === 'signature.notation');
}

export async function enforceContentTrust(services: DoubleServices, request: FastifyRequest, project: ProjectRow, artifact: ArtifactRow): Promise<void> {
  const cosign = isTrue(project.metadata['enable_content_trust_cosign']);
  const notation = isTrue(project.metadata['enable_content_trust']);
  if (!cosign && !notation) return;
  if (services.faults.has('content-trust-not-enforced')) return;
  if (request.method === 'HEAD' && services.faults.has('content-trust-head-not-enforced')) return;
  if (isSysAdmin(request.security) && services.faults.has('content-trust-admin-basic-auth-exempt')) return;
  if (await skipPolicyChecking(services, request, project, artifact)) return;
  const types = new Set((await accessoriesOfArtifact(services.db, artifact.id)).map((a) => a.type));
  if (cosign && !types.has('signature.cosign')) throw new HarborError('PROJECTPOLICYVIOLATION', NOT_SIGNED_BY_COSIGN);
  if (notation && !types.has('signature.notation')) throw new HarborError('PROJECTPOLICYVIOLATION', NOT_SIGNED_BY_NOTATION);
}
