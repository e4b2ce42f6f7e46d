// SIGN-012: what the real signing tools make, Harbor must treat as what the harness's own signers make: the
// cosign v3 bundle (an OCI 1.1 referrer), the cosign v2 `.sig` tag and the notation signature are recorded
// as signature accessories (goharbor/harbor src/pkg/accessory/model, src/controller/artifact/processor),
// and a cosign signature lets the image through enable_content_trust_cosign
// (src/server/middleware/contenttrust/contentrust.go, v2.15). The harness verifies each tool's signature too.
import { describe, expect } from 'vitest';
import { cosignVerify, cosignVerifyBundle } from '../../fixtures/signing/cosign-registry.ts';
import { notationVerify } from '../../fixtures/signing/notation-registry.ts';
import type { GoToolName } from '../../lib/tools/go-tools.ts';
import { missingToolReason } from '../../lib/tools/go-tools.ts';
import { defineCheck } from '../check.ts';
import { catalog } from './catalog.ts';
import { realTool, realToolKeys, signWithRealCosign, signWithRealNotation } from './real-signing-tools.ts';
import { expectAllowed, expectRefused, showPulls, pullEveryWay } from '../support/manifest-pulls.ts';
import { NOT_SIGNED_BY_COSIGN } from './content-trust-messages.ts';
import { REPOSITORY, pushUnique, signingProject } from './signing-workspace.ts';

describe('signing with the real tools', () => {
  defineCheck(
    catalog.realToolSignatures,
    async (ctx) => {
      const tools: GoToolName[] = [
        'cosign',
        'cosign-v2',
        ...(ctx.target.capabilities.notation ? (['notation'] as const) : []),
      ];
      const present = tools.map((name) => ({ name, tool: realTool(ctx, name, `the ${name} half of SIGN-012`) }));
      if (present.every((p) => p.tool === null)) ctx.skip(tools.map((t) => missingToolReason(t)).join('; '));

      // Signed first, the policy switched on afterwards: since v2.15.3 (GHSA-wrw5-gmvj-gf23) a signing tool's
      // User-Agent no longer exempts it, so `cosign sign` cannot read an unsigned image under content trust
      // (goharbor/harbor releases v2.15.3); teams sign in CI before the image reaches a protected project.
      const ws = await signingProject(ctx, {});
      const keys = await realToolKeys(ctx);
      const unsigned = await pushUnique(ctx, ws, 'unsigned');
      const pullsOf = async (what: string, tag: string, digest: string) => {
        const outcomes = await ctx.step(`pull ${what} (GET/HEAD, tag/digest)`, () =>
          pullEveryWay(ws.puller, ws.repository, tag, digest),
        );
        ctx.evidence.note(`pulls of ${what}`, showPulls(outcomes));
        return outcomes;
      };

      const problems: string[] = [];
      const toPull: Array<{ name: string; tag: string; digest: string }> = [];
      for (const { name, tool } of present) {
        if (!tool) continue;
        const tag = `by-${name}`;
        const image = await pushUnique(ctx, ws, tag);
        const reference = `${ctx.target.registryHost}/${ws.repository}@${image.manifest.digest}`;
        const signed =
          name === 'notation'
            ? await signWithRealNotation(ctx, tool, keys, reference)
            : await signWithRealCosign(ctx, tool, keys, reference, name === 'cosign' ? 'bundle' : 'tag');
        if (signed.exitCode !== 0) {
          problems.push(`${name} could not sign ${reference}: ${signed.output.split('\n').pop()}`);
          continue;
        }
        const expectedType = name === 'notation' ? 'signature.notation' : 'signature.cosign';
        const accessories = (await ws.api.listAccessories(ws.project, REPOSITORY, image.manifest.digest)).map(
          (a) => a.type,
        );
        if (!accessories.includes(expectedType))
          problems.push(
            `the ${name} signature is not recorded as ${expectedType} (accessories: ${JSON.stringify(accessories)})`,
          );

        // Read as the signing tools read (a signing tool's agent with push): whether Harbor honours the
        // signature is the pull check below, not this verification.
        const verified =
          name === 'notation'
            ? (
                await notationVerify(ws.signer, ws.repository, image.manifest.digest, [keys.notation.certificatePem])
              ).signatures.some((s) => s.result.verified)
            : (name === 'cosign'
                ? await cosignVerifyBundle(ws.signer, ws.repository, image.manifest.digest, keys.cosign.publicKey)
                : await cosignVerify(ws.signer, ws.repository, image.manifest.digest, keys.cosign.publicKey)
              ).verified;
        ctx.evidence.note(`harness verification of the ${name} signature`, verified ? 'verified' : 'NOT verified');
        if (!verified) problems.push(`the harness does not verify the signature ${name} made on ${reference}`);

        if (name !== 'notation') toPull.push({ name, tag, digest: image.manifest.digest });
      }

      await ctx.step('switch on enable_content_trust_cosign', () =>
        ws.workspace.setMetadata({ enable_content_trust_cosign: 'true' }),
      );
      // The policy is on: without a signature the image is refused, so an allowed pull below is the signature's doing.
      expectRefused(
        await pullsOf('the unsigned image', 'unsigned', unsigned.manifest.digest),
        NOT_SIGNED_BY_COSIGN,
        'unsigned image',
      );
      for (const { name, tag, digest } of toPull) {
        const outcomes = await pullsOf(`the image signed by the real ${name}`, tag, digest);
        try {
          expectAllowed(outcomes, digest, `image signed by the real ${name}`);
        } catch (error) {
          problems.push((error as Error).message);
        }
      }
      expect(problems, problems.join('\n')).toEqual([]);
    },
    { timeoutMs: catalog.realToolSignatures.timeoutMs ?? 300_000 },
  );
});
