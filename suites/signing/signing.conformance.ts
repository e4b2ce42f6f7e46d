// Signing, as Harbor v2.15 behaves (goharbor/harbor src/server/middleware/contenttrust/contentrust.go content
// trust, src/server/middleware/util/util.go who is exempt, src/server/middleware/cosign/cosign.go and
// src/server/middleware/subject/subject.go accessories@v2.15.x). Every check works in its own run-id project and
// pushes images of their own digests. Pulls are made as the admin (sysadmins are not exempt) with a bearer token
// and an ordinary User-Agent, as docker does; signatures are pushed with a signing tool's User-Agent, as cosign
// and notation do. Signing keys are generated per check: see README.md ("the team's key").
import { describe, expect } from 'vitest';
import { cosignVerify } from '../../fixtures/signing/cosign-registry.ts';
import { NOTATION_SIGNATURE, cosignSignatureTag } from '../../fixtures/signing/signing-media-types.ts';
import { defineCheck, type CheckContext } from '../check.ts';
import { registryClient } from '../support/harbor-clients.ts';
import { realTool, verifyWithRealCosign } from './real-signing-tools.ts';
import {
  basicAuthPullsEveryWay,
  expectAllowed,
  expectRefused,
  isRefused,
  pullEveryWay,
  pullManifest,
  showPulls,
  type PullOutcome,
} from '../support/manifest-pulls.ts';
import { expectEveryClientRefused, pullWithEveryClient } from '../support/pull-clients/pull-client-matrix.ts';
import { catalog } from './catalog.ts';
import { NOT_SIGNED_BY_COSIGN, NOT_SIGNED_BY_NOTATION } from './content-trust-messages.ts';
import {
  PULLER_AGENT,
  REPOSITORY,
  cosignKeys,
  pushIndex,
  pushUnique,
  setMetadata,
  signWithCosign,
  signWithCosignBundle,
  signWithNotation,
  signingProject,
  type SigningWorkspace,
} from './signing-workspace.ts';

const COSIGN_POLICY = { enable_content_trust_cosign: 'true' };
const NOTATION_POLICY = { enable_content_trust: 'true' };

const CONTENT_TRUST_SOURCE = 'goharbor/harbor src/server/middleware/contenttrust/contentrust.go@v2.15.x';
const INDEX_SOURCE =
  "goharbor/harbor src/server/middleware/contenttrust/contentrust.go@v2.15.x (only the artifact's own accessories count); " +
  'user reports https://github.com/cloudnative-pg/postgres-containers/issues/484, https://github.com/goharbor/harbor/issues/23455';

async function pulls(
  ctx: CheckContext,
  ws: SigningWorkspace,
  what: string,
  tag: string,
  digest: string,
): Promise<PullOutcome[]> {
  const outcomes = await ctx.step(`pull ${what} (GET/HEAD, tag/digest)`, () =>
    pullEveryWay(ws.puller, ws.repository, tag, digest),
  );
  ctx.evidence.note(`pulls of ${what}`, showPulls(outcomes));
  return outcomes;
}

async function accessoryTypes(ws: SigningWorkspace, digest: string): Promise<string[]> {
  return (await ws.api.listAccessories(ws.project, REPOSITORY, digest)).map((a) => a.type).sort();
}

describe('signing', () => {
  defineCheck(catalog.cosignListed, async (ctx) => {
    const ws = await signingProject(ctx);
    const image = await pushUnique(ctx, ws, 'signed');
    expect(
      await ws.api.listAccessories(ws.project, REPOSITORY, image.manifest.digest),
      'accessories before signing',
    ).toEqual([]);
    const keys = await cosignKeys();
    const signature = await signWithCosign(ctx, ws, image, keys.privateKey);
    expect(signature.reference, 'cosign tag scheme').toBe(cosignSignatureTag(image.manifest.digest));

    const listed = await ws.api.listArtifacts(ws.project, REPOSITORY, { with_accessory: true });
    expect(
      listed.map((a) => a.digest),
      'the signature is an accessory, not a second artifact in the list',
    ).toEqual([image.manifest.digest]);
    expect(
      listed[0]?.accessories?.map((a) => ({ type: a.type, digest: a.digest })),
      'accessories in the artifact list',
    ).toEqual([{ type: 'signature.cosign', digest: signature.digest }]);
    const accessories = await ws.api.listAccessories(ws.project, REPOSITORY, image.manifest.digest);
    expect(accessories.map((a) => ({ type: a.type, digest: a.digest, subject: a.subject_artifact_digest }))).toEqual([
      { type: 'signature.cosign', digest: signature.digest, subject: image.manifest.digest },
    ]);
    const byDigest = await ws.api.getArtifact(ws.project, REPOSITORY, signature.digest);
    expect(byDigest.digest, 'the signature artifact is readable by its digest').toBe(signature.digest);

    const { index } = await ctx.step('referrers of the image', () =>
      ws.puller.getReferrers(ws.repository, image.manifest.digest),
    );
    expect(
      index.manifests?.map((m) => m.digest),
      'the referrers API lists the tag-scheme signature',
    ).toContain(signature.digest);
  });

  defineCheck(catalog.notationListed, async (ctx) => {
    const ws = await signingProject(ctx);
    const image = await pushUnique(ctx, ws, 'signed');
    expect(
      await ws.api.listAccessories(ws.project, REPOSITORY, image.manifest.digest),
      'accessories before signing',
    ).toEqual([]);
    const signature = await signWithNotation(ctx, ws, image);
    expect(signature.subjectHeader, 'Harbor answers the referrer push with OCI-Subject').toBe(image.manifest.digest);

    const listed = await ws.api.listArtifacts(ws.project, REPOSITORY, { with_accessory: true });
    expect(
      listed.map((a) => a.digest),
      'the signature is an accessory, not a second artifact in the list',
    ).toEqual([image.manifest.digest]);
    expect(listed[0]?.accessories?.map((a) => ({ type: a.type, digest: a.digest }))).toEqual([
      { type: 'signature.notation', digest: signature.digest },
    ]);
    const accessories = await ws.api.listAccessories(ws.project, REPOSITORY, image.manifest.digest);
    expect(accessories.map((a) => ({ type: a.type, digest: a.digest, subject: a.subject_artifact_digest }))).toEqual([
      { type: 'signature.notation', digest: signature.digest, subject: image.manifest.digest },
    ]);

    const { index, filtersApplied } = await ctx.step('referrers of the image (artifactType notation)', () =>
      ws.puller.getReferrers(ws.repository, image.manifest.digest, { artifactType: NOTATION_SIGNATURE }),
    );
    expect(filtersApplied, 'OCI-Filters-Applied').toEqual(['artifactType']);
    expect(index.manifests?.map((m) => m.digest)).toEqual([signature.digest]);
  });

  defineCheck(catalog.cosignBundle, async (ctx) => {
    const ws = await signingProject(ctx, COSIGN_POLICY);
    const unsigned = await pushUnique(ctx, ws, 'unsigned');
    const image = await pushUnique(ctx, ws, 'bundle');
    const keys = await cosignKeys();
    const bundle = await signWithCosignBundle(ctx, ws, image, keys.privateKey);

    const accessories = await ws.api.listAccessories(ws.project, REPOSITORY, image.manifest.digest);
    expect(
      accessories.map((a) => ({ type: a.type, digest: a.digest })),
      'a Sigstore bundle referrer is a cosign signature to Harbor ≥ 2.15.0 (2.14 shows subject.accessory, goharbor/harbor#22643)',
    ).toEqual([{ type: 'signature.cosign', digest: bundle.digest }]);
    // The policy is active (the unsigned image is refused), so the bundle is what lets the image through.
    expectRefused(
      await pulls(ctx, ws, 'the unsigned image', 'unsigned', unsigned.manifest.digest),
      NOT_SIGNED_BY_COSIGN,
      'unsigned image',
    );
    expectAllowed(
      await pulls(ctx, ws, 'the bundle-signed image', 'bundle', image.manifest.digest),
      image.manifest.digest,
      'bundle-signed image',
    );
  });

  defineCheck(catalog.cosignPolicy, async (ctx) => {
    const ws = await signingProject(ctx);
    const unsigned = await pushUnique(ctx, ws, 'unsigned');
    const signed = await pushUnique(ctx, ws, 'signed');
    const keys = await cosignKeys();
    const signature = await signWithCosign(ctx, ws, signed, keys.privateKey);
    expectAllowed(
      await pulls(ctx, ws, 'the unsigned image, no policy yet', 'unsigned', unsigned.manifest.digest),
      unsigned.manifest.digest,
      'before the policy',
    );

    await setMetadata(ws, COSIGN_POLICY);
    expectRefused(
      await pulls(ctx, ws, 'the unsigned image', 'unsigned', unsigned.manifest.digest),
      NOT_SIGNED_BY_COSIGN,
      'unsigned image',
    );
    expectAllowed(
      await pulls(ctx, ws, 'the cosign-signed image', 'signed', signed.manifest.digest),
      signed.manifest.digest,
      'cosign-signed image',
    );
    // The signature itself stays pullable (Harbor exempts signature artifacts), so `cosign verify` works.
    const sig = await pullManifest(ws.puller, ws.repository, signature.reference, 'GET');
    expect(sig.status, `signature pull: ${showPulls([sig])}`).toBe(200);
  });

  defineCheck(catalog.notationPolicy, async (ctx) => {
    const ws = await signingProject(ctx);
    const unsigned = await pushUnique(ctx, ws, 'unsigned');
    const cosignOnly = await pushUnique(ctx, ws, 'cosign-only');
    const signed = await pushUnique(ctx, ws, 'signed');
    await signWithNotation(ctx, ws, signed);
    if (ctx.target.capabilities.cosign) await signWithCosign(ctx, ws, cosignOnly, (await cosignKeys()).privateKey);

    await setMetadata(ws, NOTATION_POLICY);
    expectRefused(
      await pulls(ctx, ws, 'the unsigned image', 'unsigned', unsigned.manifest.digest),
      NOT_SIGNED_BY_NOTATION,
      'unsigned image',
    );
    if (ctx.target.capabilities.cosign) {
      expectRefused(
        await pulls(ctx, ws, 'the cosign-only image', 'cosign-only', cosignOnly.manifest.digest),
        NOT_SIGNED_BY_NOTATION,
        'a cosign signature under enable_content_trust',
      );
    }
    expectAllowed(
      await pulls(ctx, ws, 'the notation-signed image', 'signed', signed.manifest.digest),
      signed.manifest.digest,
      'notation-signed image',
    );
  });

  defineCheck(catalog.sysadminBasicAuth, async (ctx) => {
    const ws = await signingProject(ctx, COSIGN_POLICY);
    const image = await pushUnique(ctx, ws, 'app');
    const refused = await ctx.step('pull as the admin with basic-auth credentials on /v2', () =>
      basicAuthPullsEveryWay(ctx.http, ws.registryBaseUrl, ws.repository, 'app', image.manifest.digest),
    );
    ctx.evidence.note('pulls of the unsigned image with basic-auth credentials', showPulls(refused));
    expectRefused(
      refused,
      NOT_SIGNED_BY_COSIGN,
      'sysadmin with basic-auth credentials, unsigned image (goharbor/harbor#13889 let these through)',
    );

    // Basic auth on /v2 does pull once the image is signed: the refusal above is the policy, not the auth.
    await signWithCosign(ctx, ws, image, (await cosignKeys()).privateKey);
    const allowed = await basicAuthPullsEveryWay(
      ctx.http,
      ws.registryBaseUrl,
      ws.repository,
      'app',
      image.manifest.digest,
    );
    expectAllowed(allowed, image.manifest.digest, 'sysadmin with basic-auth credentials, signed image');
  });

  defineCheck(catalog.signatureDeleted, async (ctx) => {
    const ws = await signingProject(ctx, COSIGN_POLICY);
    const image = await pushUnique(ctx, ws, 'app');
    const signature = await signWithCosign(ctx, ws, image, (await cosignKeys()).privateKey);
    expectAllowed(
      await pulls(ctx, ws, 'the signed image', 'app', image.manifest.digest),
      image.manifest.digest,
      'signed image',
    );

    await ctx.step(`delete the signature ${signature.digest}`, () =>
      ws.api.deleteArtifact(ws.project, REPOSITORY, signature.digest),
    );
    expect(await accessoryTypes(ws, image.manifest.digest), 'accessories after deleting the signature').toEqual([]);
    expectRefused(
      await pulls(ctx, ws, 'the image after its signature was deleted', 'app', image.manifest.digest),
      NOT_SIGNED_BY_COSIGN,
      'signature deleted',
    );
  });

  defineCheck(catalog.indexChildren, async (ctx) => {
    const ws = await signingProject(ctx, COSIGN_POLICY);
    const control = await pushUnique(ctx, ws, 'unsigned');
    const index = await pushIndex(ctx, ws, 'multi');
    const keys = await cosignKeys();
    await signWithCosign(ctx, ws, index, keys.privateKey);
    expectRefused(
      await pulls(ctx, ws, 'an unsigned image (control)', 'unsigned', control.manifest.digest),
      NOT_SIGNED_BY_COSIGN,
      'unsigned control image',
    );
    expectAllowed(
      await pulls(ctx, ws, 'the signed index', 'multi', index.manifest.digest),
      index.manifest.digest,
      'signed index',
    );

    const [first, second] = index.images;
    if (!first || !second) throw new Error('the index fixture has two children');
    const childPulls: PullOutcome[] = [];
    for (const child of [first, second]) {
      for (const method of ['GET', 'HEAD'] as const)
        childPulls.push(
          await pullManifest(ws.puller, ws.repository, child.manifest.digest, method, 'token, child by digest'),
        );
    }
    ctx.evidence.note('child pulls by digest (only the index is signed)', showPulls(childPulls));
    if (childPulls.every(isRefused)) {
      expectRefused(childPulls, NOT_SIGNED_BY_COSIGN, 'children of the signed index');
      ctx.warn(
        'An index signature does not cover its children at pull time: docker/containerd pull each child by digest, and Harbor refuses a child ' +
          'without its own signature. Sign recursively (`cosign sign --recursive`) or sign each child, or multi-arch pulls fail under content trust.',
        INDEX_SOURCE,
      );
    } else if (childPulls.every((o) => o.status === 200)) {
      // Not Harbor 2.15's behaviour; the control image being refused shows the policy itself is enforced.
      ctx.evidence.note(
        'inheritance',
        'the children of the signed index pull by digest: this Harbor applies the index signature to its children',
      );
    } else {
      throw new Error(`children of the signed index pull inconsistently:\n${showPulls(childPulls)}`);
    }

    // A child signed on its own pulls by digest.
    await signWithCosign(ctx, ws, first, keys.privateKey);
    for (const method of ['GET', 'HEAD'] as const) {
      const outcome = await pullManifest(
        ws.puller,
        ws.repository,
        first.manifest.digest,
        method,
        'token, signed child by digest',
      );
      expect(outcome.status, `child with its own signature: ${showPulls([outcome])}`).toBe(200);
    }
  });

  defineCheck(catalog.anyKey, async (ctx) => {
    const ws = await signingProject(ctx, COSIGN_POLICY);
    // The team's key: generated per run as a stand-in for the team's CI signing key (README.md).
    const teamKey = await cosignKeys();
    const strangerKey = await cosignKeys();
    const unsigned = await pushUnique(ctx, ws, 'unsigned');
    const team = await pushUnique(ctx, ws, 'team-signed');
    const stranger = await pushUnique(ctx, ws, 'stranger-signed');
    await signWithCosign(ctx, ws, team, teamKey.privateKey);
    await signWithCosign(ctx, ws, stranger, strangerKey.privateKey);

    expectRefused(
      await pulls(ctx, ws, 'the unsigned image', 'unsigned', unsigned.manifest.digest),
      NOT_SIGNED_BY_COSIGN,
      'unsigned image',
    );
    expectAllowed(
      await pulls(ctx, ws, 'the team-signed image', 'team-signed', team.manifest.digest),
      team.manifest.digest,
      'team-signed image',
    );
    const strangerPulls = await pulls(
      ctx,
      ws,
      'the image signed by a stranger key',
      'stranger-signed',
      stranger.manifest.digest,
    );

    // The harness's own verification, as `cosign verify --key team.pub` in a deploy gate would do it.
    const verifiedTeam = await ctx.step('verify the team-signed image with the team public key', () =>
      cosignVerify(ws.puller, ws.repository, team.manifest.digest, teamKey.publicKey),
    );
    const verifiedStranger = await ctx.step('verify the stranger-signed image with the team public key', () =>
      cosignVerify(ws.puller, ws.repository, stranger.manifest.digest, teamKey.publicKey),
    );
    ctx.evidence.note('team public key (PEM)', teamKey.publicKeyPem);
    ctx.evidence.note(
      'verify team-signed',
      verifiedTeam.verified ? 'verified' : `${verifiedTeam.reason}: ${verifiedTeam.message}`,
    );
    ctx.evidence.note(
      'verify stranger-signed',
      verifiedStranger.verified ? 'verified' : `${verifiedStranger.reason}: ${verifiedStranger.message}`,
    );
    expect(verifiedTeam.verified, 'the team-signed image verifies with the team public key').toBe(true);
    expect(verifiedStranger.verified, 'the stranger-signed image must not verify with the team public key').toBe(false);
    if (!verifiedStranger.verified) expect(verifiedStranger.reason).toBe('signature-invalid');
    // The same verification by the real `cosign verify --key team.pub`, as a deploy gate runs it.
    const cosign = realTool(ctx, 'cosign', 'the team-key verification with the real `cosign verify --key`');
    if (cosign) {
      const at = (digest: string) => `${ctx.target.registryHost}/${ws.repository}@${digest}`;
      const realTeam = await verifyWithRealCosign(ctx, cosign, teamKey.publicKeyPem, at(team.manifest.digest), 'tag');
      expect(
        realTeam.exitCode,
        `the real cosign verify --key rejected the team-signed image: ${realTeam.output.split('\n').pop()}`,
      ).toBe(0);
      const realStranger = await verifyWithRealCosign(
        ctx,
        cosign,
        teamKey.publicKeyPem,
        at(stranger.manifest.digest),
        'tag',
      );
      expect(realStranger.exitCode, 'the real cosign verify --key must reject the stranger-signed image').not.toBe(0);
    }

    if (strangerPulls.every((o) => o.status === 200 && o.digest === stranger.manifest.digest)) {
      ctx.warn(
        'Harbor counts any signature of the right type as "signed", whatever the key: an image signed by a key the team does not trust pulls ' +
          'under enable_content_trust_cosign. Harbor checks that a signature exists, not who made it; verify with the team key at deploy time ' +
          "(cosign verify --key, an admission policy) — the harness's own verification rejected it (signature-invalid).",
        CONTENT_TRUST_SOURCE,
      );
    } else if (strangerPulls.every(isRefused)) {
      ctx.evidence.note(
        'trust',
        'this Harbor refused the image signed by an untrusted key: it checks who signed, beyond Harbor 2.15',
      );
    } else {
      throw new Error(`the stranger-signed image pulls inconsistently:\n${showPulls(strangerPulls)}`);
    }
  });

  defineCheck(catalog.signingToolAgent, async (ctx) => {
    const ws = await signingProject(ctx, COSIGN_POLICY);
    const image = await pushUnique(ctx, ws, 'unsigned');
    const digest = image.manifest.digest;
    const pusher = (await ctx.robot({ project: ws.workspace, name: 'signer', actions: ['pull', 'push'] })).credentials;
    const reader = (await ctx.robot({ project: ws.workspace, name: 'reader', actions: ['pull'] })).credentials;

    const outcomes = async (who: string, credentials: { username: string; password: string }, agent: string) => {
      const result = await pullEveryWay(
        registryClient(ctx, credentials, { userAgent: agent }),
        ws.repository,
        'unsigned',
        digest,
        `${who} UA "${agent}"`,
      );
      ctx.evidence.note(`pulls: ${who} with User-Agent "${agent}"`, showPulls(result));
      return result;
    };
    expectRefused(
      await outcomes('push robot', pusher, PULLER_AGENT),
      NOT_SIGNED_BY_COSIGN,
      'push robot, ordinary User-Agent',
    );
    expectRefused(
      await outcomes('pull-only robot', reader, 'cosign/v2.4.1 (linux; amd64)'),
      NOT_SIGNED_BY_COSIGN,
      'pull-only robot claiming to be cosign',
    );
    expectRefused(
      await outcomes('admin', ctx.target.admin, PULLER_AGENT),
      NOT_SIGNED_BY_COSIGN,
      'admin, ordinary User-Agent',
    );

    const bypassed: string[] = [];
    for (const agent of ['cosign/v2.4.1 (linux; amd64)', 'notation/v1.3.0']) {
      const result = await outcomes('push robot', pusher, agent);
      if (result.every((o) => o.status === 200 && o.digest === digest)) bypassed.push(agent);
      else if (!result.every(isRefused))
        throw new Error(`push robot with User-Agent "${agent}" pulls inconsistently:\n${showPulls(result)}`);
    }
    if (bypassed.length > 0) {
      // A published, fixed advisory: a finding with a remedy, not a warn (GHSA-wrw5-gmvj-gf23).
      throw new Error(
        `GHSA-wrw5-gmvj-gf23: a robot with push skips content trust by sending a User-Agent containing "cosign" or "notation" ` +
          `(here: ${bypassed.map((a) => `"${a}"`).join(', ')}): the unsigned image pulled. Fixed in Harbor 2.13.6 / 2.14.5 / 2.15.3 — upgrade; ` +
          'on a fixed release this means CONTENT_TRUST_LEGACY_SIGNER_PULL_ENABLED=true is set on core: unset it.',
      );
    } else {
      ctx.evidence.note(
        'exemption',
        'no User-Agent exemption: this Harbor refused the push robot even as cosign/notation',
      );
    }
  });

  defineCheck(catalog.clientsShowMessage, async (ctx) => {
    const ws = await signingProject(ctx, COSIGN_POLICY);
    const image = await pushUnique(ctx, ws, 'unsigned');
    const base = `${ctx.target.registryHost}/${ws.repository}`;
    const pulls = await pullWithEveryClient(ctx, [`${base}:unsigned`, `${base}@${image.manifest.digest}`]);
    expectEveryClientRefused(pulls, (output) => output.includes(NOT_SIGNED_BY_COSIGN), NOT_SIGNED_BY_COSIGN);
  });
});
