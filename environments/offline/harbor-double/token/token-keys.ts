// The registry token key: RS256 with the RSA key at TOKEN_PRIVATE_KEY_PATH, and the `kid` Harbor puts
// in the header, the libtrust key ID of its public half (SHA-256 of the PKIX DER, first 240 bits,
// base32, in 12 groups of 4 separated by colons).
import { createHash, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';

export interface TokenKeys {
  privateKey: KeyObject;
  publicKey: KeyObject;
  keyId: string;
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export function base32(bytes: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

export function libtrustKeyId(publicKey: KeyObject): string {
  const der = publicKey.export({ type: 'spki', format: 'der' });
  const digest = createHash('sha256').update(der).digest().subarray(0, 30);
  return base32(digest).match(/.{4}/g)!.join(':');
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
    throw new Error(`cannot read TOKEN_PRIVATE_KEY_PATH ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  return tokenKeysFromPem(pem);
}
