// `harbor-conformance evidence <run-dir>` seals a run into a signed evidence bundle;
// `harbor-conformance verify-evidence <bundle> --key <pub>` checks one (exit 0 verified, 1 a problem, 2 bad input).
import { access, constants, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { loadCatalog } from '../suites/catalog.ts';
import { BundleReadError } from '../reports/evidence/bundle-archive.ts';
import { EvidenceInputError, sealEvidenceBundle, type SealedBundle } from '../reports/evidence/evidence-bundle.ts';
import {
  loadPublicKey,
  loadTeamKey,
  teamKeyOrCreate,
  TeamKeyError,
  type TeamKey,
} from '../reports/evidence/team-key.ts';
import { verifyEvidenceBundle } from '../reports/evidence/verify-evidence.ts';
import { ConfigError } from './config.ts';
import { repoRoot } from './run-vitest.ts';

/** The team key made on first use when neither --key nor HC_EVIDENCE_KEY names one. */
export const defaultTeamKeyFile = join(repoRoot, '.cache', 'harbor-conformance', 'evidence-key.pem');

export async function teamKeyFor(keyFile: string | undefined, log: (line: string) => void): Promise<TeamKey> {
  try {
    const file = keyFile ?? process.env.HC_EVIDENCE_KEY;
    if (file) return await loadTeamKey(file);
    const key = await teamKeyOrCreate(defaultTeamKeyFile);
    log(
      `${key.created ? 'made a team key' : 'team key'}: ${defaultTeamKeyFile} (public key ${defaultTeamKeyFile}.pub); set HC_EVIDENCE_KEY or --key to sign with the team's own key`,
    );
    return key;
  } catch (error) {
    if (error instanceof TeamKeyError) throw new ConfigError([error.message]);
    throw error;
  }
}

export async function sealRun(runDir: string, key: TeamKey, out?: string): Promise<SealedBundle> {
  const catalog = (await loadCatalog()).flatMap((s) => s.checks);
  try {
    return await sealEvidenceBundle({ runDir, key, ...(out ? { out } : {}), catalog });
  } catch (error) {
    if (error instanceof EvidenceInputError) throw new ConfigError([error.message]);
    throw error;
  }
}

export function describeSealed(sealed: SealedBundle): string[] {
  return [
    `evidence bundle: ${sealed.file} (${sealed.members} members, manifest sha256 ${sealed.manifestSha256})`,
    `controls not satisfied (failed, warn, or no passing check): ${sealed.unsupportedControls.length === 0 ? 'none' : sealed.unsupportedControls.join(', ')}`,
  ];
}

export function registerEvidenceCommands(
  program: Command,
  out: (line: string) => void,
  err: (line: string) => void,
): void {
  program
    .command('evidence')
    .description(
      'seal a run directory into one signed evidence bundle (reports, redacted evidence, sha256 manifest, control matrix, OSCAL, DSSE-signed in-toto statement)',
    )
    .argument('<run-dir>', 'the run directory a `run` wrote (reports/<run-id>)')
    .option(
      '--key <file>',
      "the team's private key: PKCS#8 PEM EC P-256 or a cosign key (COSIGN_PASSWORD); or HC_EVIDENCE_KEY; default a key made in .cache/",
    )
    .option('--out <file>', 'where to write the bundle (default <run-dir>/evidence-<run-id>.tar)')
    .action(async (runDir: string, flags: { key?: string; out?: string }) => {
      const key = await teamKeyFor(flags.key, err);
      for (const line of describeSealed(await sealRun(runDir, key, flags.out))) out(line);
    });

  program
    .command('verify-evidence')
    .description(
      "verify an evidence bundle: the signature with the team's public key, the statement's subject, every member's sha256, the OSCAL schema",
    )
    .argument('<bundle>', 'the evidence bundle (.tar)')
    .requiredOption('--key <public-key>', "the team's public key (PEM), e.g. cosign.pub")
    .addHelpText(
      'after',
      '\nExit codes: 0 verified, 1 a member was changed, is missing or unlisted, or the signature does not verify, 2 bad input.',
    )
    .action(async (bundle: string, flags: { key: string }) => {
      let publicKey: ReturnType<typeof loadPublicKey>;
      try {
        publicKey = loadPublicKey(await readFile(flags.key, 'utf8'), flags.key);
      } catch (error) {
        throw new ConfigError([
          error instanceof TeamKeyError
            ? error.message
            : `--key ${flags.key}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`,
        ]);
      }
      // A bundle that is not there is bad input (2); one that is there but damaged is a failed verification (1).
      await access(bundle, constants.R_OK).catch((error: NodeJS.ErrnoException) => {
        throw new ConfigError([
          `${bundle}: ${error.code === 'ENOENT' ? 'no such file' : error.message}: give the path of an evidence bundle (.tar)`,
        ]);
      });
      let outcome: Awaited<ReturnType<typeof verifyEvidenceBundle>>;
      try {
        outcome = await verifyEvidenceBundle(bundle, publicKey);
      } catch (error) {
        if (error instanceof BundleReadError) {
          err(`verify-evidence: ${error.message}`);
          process.exitCode = 1;
          return;
        }
        throw error;
      }
      if (outcome.problems.length > 0) {
        for (const p of outcome.problems) err(`verify-evidence: ${p.file}: ${p.problem}`);
        err(`verify-evidence: ${bundle} FAILED (${outcome.problems.length} problem(s))`);
        process.exitCode = 1;
        return;
      }
      const s = outcome.statement!;
      out(
        `verified ${bundle}: signature OK (${flags.key}), subject ${s.subject[0]!.name} sha256 ${s.subject[0]!.digest.sha256}, ${outcome.checkedFiles} member digests OK, OSCAL assessment-results conforms`,
      );
      out(
        `run ${s.predicate.run_id} against ${s.predicate.target.kind} Harbor ${s.predicate.target.harbor_version}, sealed at ${s.predicate.sealed_at}`,
      );
    });
}
