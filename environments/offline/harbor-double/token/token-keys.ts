// The registry token key: RS256 with the RSA key at TOKEN_PRIVATE_KEY_PATH, and the `kid` Harbor puts
// in the header, the libtrust key ID of its public half.
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { libtrustKeyId } from '../../../../lib/libtrust-key-id.ts';

export interface TokenKeys {
  privateKey: KeyObject;
  publicKey: KeyObject;
  keyId: string;
}

export function tokenKeysFromPem(pem: string): TokenKeys {
  const privateKey = createPrivateKey(pem);
  if (privateKey.asymmetricKeyType !== 'rsa') throw new Error('the token private key must be an RSA key');
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, keyId: libtrustKeyId(publicKey) };
}

export async function loadTokenKeys(path: string): Promise<TokenKeys> {
  let pem: string;
  try {
    pem = await readFile(path, 'utf8');
  } catch (error) {
    throw new Error(
      `cannot read TOKEN_PRIVATE_KEY_PATH ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
    );
  }
  return tokenKeysFromPem(pem);
}
