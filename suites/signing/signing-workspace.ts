// A run-id project for one signing check (the ctx.project fixture): images of their own digests pushed into
// it, a puller (an ordinary client, as docker pulls) and a signer (the admin with a signing tool's User-Agent,
// as cosign and notation send one), and the signing keys, generated per check.
import type { KeyObject } from 'node:crypto';
import type { HarborApiClient } from '../../lib/harbor-api.ts';
import type { ProjectMetadata } from '../../lib/harbor-api-types.ts';
import type { RegistryClient } from '../../lib/oci/registry-client.ts';
import type { Descriptor } from '../../lib/oci/types.ts';
import { type BuiltImage, type BuiltIndex, buildImage, buildIndex } from '../../fixtures/images/image-builder.ts';
import { pushImage } from '../../fixtures/images/push-image.ts';
import { generateCosignKeyPair, type CosignKeyPair } from '../../fixtures/signing/cosign-keys.ts';
import {
  cosignSign,
  cosignSignBundle,
  type PushedCosignBundle,
  type PushedCosignSignature,
} from '../../fixtures/signing/cosign-registry.ts';
import type { CosignSignatureForm } from '../../fixtures/signing/cosign-signature.ts';
import { generateNotationTestCertificate } from '../../fixtures/signing/notation-certificate.ts';
import { notationSign, type PushedNotationSignature } from '../../fixtures/signing/notation-registry.ts';
import type { CheckContext } from '../check.ts';
import type { ProjectWorkspace } from '../support/check-fixtures.ts';
import { registryClient, registryUrl } from '../support/harbor-clients.ts';

/** An ordinary client's User-Agent: no signing-tool exemption (goharbor/harbor src/server/middleware/util/util.go@v2.15.x). */
export const PULLER_AGENT = 'harbor-conformance';
/** What the signing tools send; with push on the project it exempts from the pull policies, as for cosign itself. */
export const SIGNER_AGENT = 'harbor-conformance (cosign notation signer)';

export const REPOSITORY = 'app';

export interface SigningWorkspace {
  api: HarborApiClient;
  /** The project fixture (robots are granted in it). */
  workspace: ProjectWorkspace;
  project: string;
  /** `<project>/app` */
  repository: string;
  puller: RegistryClient;
  signer: RegistryClient;
  registryBaseUrl: string;
}

/** A private run-id project (metadata as given), deleted with its repositories after the check. */
export async function signingProject(ctx: CheckContext, metadata: ProjectMetadata = {}): Promise<SigningWorkspace> {
  const workspace = await ctx.project(metadata);
  return {
    api: ctx.api,
    workspace,
    project: workspace.name,
    repository: workspace.repository(REPOSITORY),
    puller: registryClient(ctx, ctx.target.admin, { userAgent: PULLER_AGENT }),
    signer: registryClient(ctx, ctx.target.admin, { userAgent: SIGNER_AGENT }),
    registryBaseUrl: registryUrl(ctx.target),
  };
}

/** An image whose digest is unique to this project and name. */
export function uniqueImage(
  ws: SigningWorkspace,
  name: string,
  platform?: { os: string; architecture: string },
): BuiltImage {
  return buildImage(
    { layers: [{ 'etc/harbor-conformance': `${ws.project} ${name}\n` }], ...(platform ? { platform } : {}) },
    'oci',
  );
}

export async function pushTagged(
  ctx: CheckContext,
  ws: SigningWorkspace,
  tag: string,
  image: BuiltImage | BuiltIndex,
): Promise<string> {
  const pushed = await ctx.step(`push ${ws.repository}:${tag}`, () => pushImage(ws.signer, ws.repository, tag, image));
  ctx.evidence.digest(`${tag} (${image.kind})`, pushed.digest);
  return pushed.digest;
}

/** Pushes a fresh image under `tag`; returns it. */
export async function pushUnique(ctx: CheckContext, ws: SigningWorkspace, tag: string): Promise<BuiltImage> {
  const image = uniqueImage(ws, tag);
  await pushTagged(ctx, ws, tag, image);
  return image;
}

/** A two-platform index of fresh images under `tag`. */
export async function pushIndex(ctx: CheckContext, ws: SigningWorkspace, tag: string): Promise<BuiltIndex> {
  const index = buildIndex([
    uniqueImage(ws, `${tag}-amd64`),
    uniqueImage(ws, `${tag}-arm64`, { os: 'linux', architecture: 'arm64' }),
  ]);
  await pushTagged(ctx, ws, tag, index);
  return index;
}

export function descriptorOf(built: BuiltImage | BuiltIndex): Descriptor {
  return { mediaType: built.manifest.mediaType, digest: built.manifest.digest, size: built.manifest.size };
}

/**
 * A cosign key pair generated for this check. It stands in for the team's CI signing key (or a stranger's);
 * nothing is written to disk and the private key never leaves memory.
 */
export function cosignKeys(): Promise<CosignKeyPair> {
  return generateCosignKeyPair('', { strength: 'legacy' });
}

export async function signWithCosign(
  ctx: CheckContext,
  ws: SigningWorkspace,
  subject: BuiltImage | BuiltIndex,
  privateKey: KeyObject,
  form: CosignSignatureForm = 'tag',
): Promise<PushedCosignSignature> {
  const pushed = await ctx.step(`cosign sign (${form}) ${ws.repository}@${subject.manifest.digest}`, () =>
    cosignSign(ws.signer, ws.repository, {
      subject: descriptorOf(subject),
      dockerReference: `${ctx.target.registryHost}/${ws.repository}`,
      privateKey,
      form,
    }),
  );
  ctx.evidence.digest(`cosign signature of ${subject.manifest.digest}`, pushed.digest);
  return pushed;
}

export async function signWithCosignBundle(
  ctx: CheckContext,
  ws: SigningWorkspace,
  subject: BuiltImage,
  privateKey: KeyObject,
): Promise<PushedCosignBundle> {
  const pushed = await ctx.step(`cosign 3 bundle sign ${ws.repository}@${subject.manifest.digest}`, () =>
    cosignSignBundle(ws.signer, ws.repository, { subject: descriptorOf(subject), privateKey }),
  );
  ctx.evidence.digest(`cosign bundle of ${subject.manifest.digest}`, pushed.digest);
  return pushed;
}

export async function signWithNotation(
  ctx: CheckContext,
  ws: SigningWorkspace,
  subject: BuiltImage,
): Promise<PushedNotationSignature> {
  const certificate = await generateNotationTestCertificate({
    commonName: `${ws.project}.harbor-conformance.test`,
    keyType: 'ec-p256',
  });
  const pushed = await ctx.step(`notation sign ${ws.repository}@${subject.manifest.digest}`, () =>
    notationSign(ws.signer, ws.repository, {
      subject: descriptorOf(subject),
      privateKey: certificate.privateKey,
      certificateChain: [certificate.certificateDer],
    }),
  );
  ctx.evidence.digest(`notation signature of ${subject.manifest.digest}`, pushed.digest);
  return pushed;
}

export const setMetadata = (ws: SigningWorkspace, metadata: ProjectMetadata): Promise<void> =>
  ws.workspace.setMetadata(metadata);
