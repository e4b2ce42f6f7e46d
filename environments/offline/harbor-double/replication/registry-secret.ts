// Harbor's reversible encryption of registry secrets (goharbor/harbor src/common/utils/encrypt.go@v2.15.2
// ReversibleEncrypt/ReversibleDecrypt): AES-128-CFB, a random IV before the ciphertext, base64, "<enc-v1>" in
// front. Harbor reads the 16-byte key from /etc/core/key; the double derives it from CORE_SECRET so a restarted
// core (same secret) still decrypts what it stored.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const HEADER = '<enc-v1>';

export function secretKey(coreSecret: string): Buffer {
  return createHash('sha256').update(`harbor-double secretkey:${coreSecret}`).digest().subarray(0, 16);
}

export function encryptSecret(plain: string, key: Buffer): string {
  if (plain === '') return '';
  const iv = randomBytes(16);
  const cipher = createCipheriv('aes-128-cfb', key, iv);
  const body = Buffer.concat([iv, cipher.update(plain, 'utf8'), cipher.final()]);
  return HEADER + body.toString('base64');
}

/** Values without the header are returned as they are (Harbor does the same for pre-encryption data). */
export function decryptSecret(stored: string, key: Buffer): string {
  if (!stored.startsWith(HEADER)) return stored;
  const body = Buffer.from(stored.slice(HEADER.length), 'base64');
  if (body.length < 16) throw new Error('the encrypted secret is too short');
  const decipher = createDecipheriv('aes-128-cfb', key, body.subarray(0, 16));
  return Buffer.concat([decipher.update(body.subarray(16)), decipher.final()]).toString('utf8');
}
