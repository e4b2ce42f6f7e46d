// GET /v2/<repo>/referrers/<digest>[?artifactType=]: core answers it from its accessory records, cosign
// tag-scheme signatures included (src/server/registry/referrers.go): an OCI index of descriptors with
// artifactType, OCI-Filters-Applied when filtered, X-Total-Count of all the subject's accessories.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { DoubleServices } from '../double-services.ts';
import { badRequest, notFound } from '../harbor-error.ts';
import { accessoriesOfSubjectDigest } from '../store/accessories.ts';
import { findArtifactByDigest } from '../store/artifacts.ts';

const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
const DIGEST_HEX_LENGTH: Record<string, number> = { sha256: 64, sha384: 96, sha512: 128 };

/** Why go-digest's Parse rejects a reference, or undefined for a valid digest. */
export function digestProblem(reference: string): string | undefined {
  const colon = reference.indexOf(':');
  if (colon <= 0 || colon === reference.length - 1) return 'invalid checksum digest format';
  const algorithm = reference.slice(0, colon);
  const hex = reference.slice(colon + 1);
  const length = DIGEST_HEX_LENGTH[algorithm];
  if (length === undefined) return 'unsupported digest algorithm';
  if (hex.length !== length) return 'invalid checksum digest length';
  if (!/^[a-f0-9]+$/.test(hex)) return 'invalid checksum digest format';
  return undefined;
}

interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
  artifactType?: string;
}

export async function serveReferrers(
  services: DoubleServices,
  request: FastifyRequest,
  reply: FastifyReply,
  repository: string,
  reference: string,
): Promise<void> {
  const problem = digestProblem(reference);
  // Harbor wraps the parse error: "<message>: <cause>".
  if (problem) throw badRequest(`unsupported digest ${reference}: ${problem}`);
  const artifactType = (request.query as Record<string, string | undefined>)['artifactType'] ?? '';
  const accessories = await accessoriesOfSubjectDigest(services.db, repository, reference);
  const manifests: Descriptor[] = [];
  for (const accessory of accessories) {
    const artifact = await findArtifactByDigest(services.db, repository, accessory.digest);
    if (!artifact) throw notFound(`artifact ${repository}@${accessory.digest} not found`);
    if (
      artifactType !== '' &&
      artifact.artifact_type !== artifactType &&
      !services.faults.has('referrers-ignore-artifact-type')
    )
      continue;
    manifests.push({
      mediaType: artifact.manifest_media_type,
      digest: artifact.digest,
      size: await manifestSize(services, repository, artifact.digest, artifact.manifest_media_type),
      ...(artifact.annotations && Object.keys(artifact.annotations).length > 0
        ? { annotations: artifact.annotations }
        : {}),
      ...(artifact.artifact_type ? { artifactType: artifact.artifact_type } : {}),
    });
  }
  reply.header('Content-Type', OCI_INDEX);
  if (artifactType !== '') reply.header('OCI-Filters-Applied', 'artifactType');
  reply.header('X-Total-Count', String(accessories.length));
  // A Buffer, so the Content-Type stays exactly the index media type (a string body gets "; charset=utf-8"
  // appended, which the OCI conformance program rejects; Harbor's handler sets the bare media type).
  reply.status(200).send(Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests }) + '\n'));
}

/** The manifest's own byte size (the descriptor size), as the registry stores it. */
async function manifestSize(
  services: DoubleServices,
  repository: string,
  digest: string,
  mediaType: string,
): Promise<number> {
  const response = await services.registry.send('HEAD', `/v2/${repository}/manifests/${digest}`, { accept: mediaType });
  await response.body.dump();
  const length = Number(response.headers['content-length']);
  if (response.statusCode !== 200 || !Number.isFinite(length))
    throw notFound(`manifest ${repository}@${digest} not found`);
  return length;
}
