// The team key that signs evidence bundles: a PKCS#8 PEM EC P-256 private key, or a cosign key file
// (ENCRYPTED SIGSTORE/COSIGN PRIVATE KEY, password in COSIGN_PASSWORD) so the team's cosign key can sign.
// Without one, a key is made on first use in the git-ignored .cache/harbor-conformance/ (0600) and reused,
// with its public half beside it for `verify-evidence --key` and `cosign verify-blob-attestation --key`.
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { decryptCosignPrivateKey } from '../../fixtures/signing/cosign-keys.ts';

export class TeamKeyError extends Error {
  override name = 'TeamKeyError';
}

export interface TeamKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  publicKeyPem: string;
  /** Where the key came from, for the command's output. */
  origin: string;
}

export async function loadTeamKey(file: string, env: NodeJS.ProcessEnv = process.env): Promise<TeamKey> {
  let pem: string;
  try {
    pem = await readFile(file, 'utf8');
  } catch (error) {
    throw new TeamKeyError(
      `--key ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`,
    );
  }
  let privateKey: KeyObject;
  try {
    privateKey = /ENCRYPTED (SIGSTORE|COSIGN) PRIVATE KEY/.test(pem)
      ? await decryptCosignPrivateKey(pem, env.COSIGN_PASSWORD ?? '')
      : createPrivateKey(pem);
  } catch (error) {
    throw new TeamKeyError(
      `--key ${file}: not a usable private key (${(error as Error).message.split('\n')[0]}); give a PKCS#8 PEM EC key or a cosign key with COSIGN_PASSWORD set`,
    );
  }
  if (privateKey.asymmetricKeyType !== 'ec' || privateKey.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new TeamKeyError(
      `--key ${file}: the key must be ECDSA P-256 (what cosign generate-key-pair makes), got ${privateKey.asymmetricKeyType}`,
    );
  }
  const publicKey = createPublicKey(privateKey);
  return {
    privateKey,
    publicKey,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    origin: file,
  };
}

/** The key at `file`, made there (with `<file>.pub`) when it does not exist yet. */
export async function teamKeyOrCreate(file: string): Promise<TeamKey & { created: boolean }> {
  try {
    await readFile(file);
  } catch {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    await mkdir(dirname(file), { recursive: true, mode: 0o700 });
    await writeFile(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    await chmod(file, 0o600);
    const key = await loadTeamKey(file);
    await writeFile(`${file}.pub`, key.publicKeyPem);
    return { ...key, created: true };
  }
  return { ...(await loadTeamKey(file)), created: false };
}

export function loadPublicKey(pem: string, file: string): KeyObject {
  try {
    return createPublicKey(pem);
  } catch (error) {
    throw new TeamKeyError(`--key ${file}: not a public key (${(error as Error).message.split('\n')[0]})`);
  }
}
