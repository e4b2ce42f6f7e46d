// The real signing tools in a signing check: `cosign` v3, `cosign-v2` and `notation`, built by the bootstrap
// (or the user's own on PATH), run against the target with the check's credentials in a private auth
// directory and the keys in a private temp directory, both removed after the check. Every run lands in
// the evidence (command, exit code, output; redacted like all evidence).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type CliOutcome,
  type CosignFormat,
  cosignCliSign,
  cosignCliVerify,
} from '../../fixtures/signing/cosign-cli.ts';
import { notationCliSign } from '../../fixtures/signing/notation-cli.ts';
import { type TestKeyFiles, writeTestKeys } from '../../fixtures/signing/test-keys/test-key-files.ts';
import type { Credentials } from '../../lib/target.ts';
import { type GoToolName, type ResolvedTool, resolveGoTool } from '../../lib/tools/go-tools.ts';
import type { CheckContext } from '../check.ts';
// Moves to suites/support/pull-clients/pull-client.ts with the shape branch (same function).
import { privateAuthDir } from '../support/pull-clients/pull-client.ts';

const isPlainHttp = (ctx: CheckContext) => ctx.target.url.startsWith('http:');

/** The tool, or null after a note in the evidence saying which half of the check did not run. */
export function realTool(ctx: CheckContext, name: GoToolName, half: string): ResolvedTool | null {
  const tool = resolveGoTool(name);
  if (!tool)
    ctx.evidence.note(
      `real ${name} not run`,
      `${name} is not installed (no Go to build it, none on PATH): ${half} was not made with the real tool`,
    );
  else ctx.evidence.note(`real ${name}`, `${tool.path} (${tool.source === 'built' ? tool.pinned : 'from PATH'})`);
  return tool;
}

async function authFor(ctx: CheckContext, credentials: Credentials): Promise<string> {
  const auth = await privateAuthDir(ctx.target.registryHost, credentials);
  ctx.cleanup(auth.remove);
  return auth.dir;
}

/** Fresh cosign and notation test keys on disk (0600, removed after the check); the password is a secret. */
export async function realToolKeys(ctx: CheckContext): Promise<TestKeyFiles> {
  const keys = await writeTestKeys({ cosignStrength: 'legacy', name: `${ctx.resourceName()}.harbor-conformance.test` });
  ctx.secret(keys.cosign.password);
  ctx.cleanup(() => rm(keys.dir, { recursive: true, force: true }));
  return keys;
}

function record(ctx: CheckContext, outcome: CliOutcome): CliOutcome {
  ctx.evidence.note(`${outcome.command} (exit ${outcome.exitCode})`, outcome.output);
  return outcome;
}

export async function signWithRealCosign(
  ctx: CheckContext,
  cosign: ResolvedTool,
  keys: TestKeyFiles,
  reference: string,
  format: CosignFormat,
  credentials: Credentials = ctx.target.admin,
): Promise<CliOutcome> {
  const dockerConfigDir = await authFor(ctx, credentials);
  return record(
    ctx,
    await ctx.step(`${cosign.name} sign (${format}) ${reference}`, () =>
      cosignCliSign({
        cosign,
        dockerConfigDir,
        http: isPlainHttp(ctx),
        keyPath: keys.cosign.keyPath,
        password: keys.cosign.password,
        reference,
        format,
      }),
    ),
  );
}

/** `cosign verify --key <public key>` with a PEM written to a private temp file. */
export async function verifyWithRealCosign(
  ctx: CheckContext,
  cosign: ResolvedTool,
  publicKeyPem: string,
  reference: string,
  format: CosignFormat,
  credentials: Credentials = ctx.target.admin,
): Promise<CliOutcome> {
  const dir = await mkdtemp(join(tmpdir(), 'hc-cosign-pub-'));
  ctx.cleanup(() => rm(dir, { recursive: true, force: true }));
  const publicKeyPath = join(dir, 'team.pub');
  await writeFile(publicKeyPath, publicKeyPem);
  const dockerConfigDir = await authFor(ctx, credentials);
  return record(
    ctx,
    await ctx.step(`${cosign.name} verify --key team.pub ${reference}`, () =>
      cosignCliVerify({ cosign, dockerConfigDir, http: isPlainHttp(ctx), publicKeyPath, reference, format }),
    ),
  );
}

export async function signWithRealNotation(
  ctx: CheckContext,
  notation: ResolvedTool,
  keys: TestKeyFiles,
  reference: string,
  credentials: Credentials = ctx.target.admin,
): Promise<CliOutcome> {
  return record(
    ctx,
    await ctx.step(`notation sign ${reference}`, () =>
      notationCliSign({
        notation,
        xdgConfigHome: keys.notation.xdgConfigHome,
        credentials,
        http: isPlainHttp(ctx),
        keyName: keys.notation.name,
        reference,
      }),
    ),
  );
}
