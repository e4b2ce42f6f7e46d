import { describe, expect, it } from 'vitest';
import { decryptSecret, encryptSecret, secretKey } from './registry-secret.ts';

describe('registry secret encryption', () => {
  const key = secretKey('core-secret');

  it('round-trips and never stores the plain text', () => {
    const stored = encryptSecret('s3cr3t-password', key);
    expect(stored.startsWith('<enc-v1>')).toBe(true);
    expect(stored).not.toContain('s3cr3t');
    expect(decryptSecret(stored, key)).toBe('s3cr3t-password');
  });

  it('uses a fresh IV each time', () => {
    expect(encryptSecret('x', key)).not.toBe(encryptSecret('x', key));
  });

  it('keeps empty secrets empty and passes unencrypted values through', () => {
    expect(encryptSecret('', key)).toBe('');
    expect(decryptSecret('legacy', key)).toBe('legacy');
  });

  it('does not decrypt with another key', () => {
    expect(decryptSecret(encryptSecret('value', key), secretKey('other'))).not.toBe('value');
  });
});
