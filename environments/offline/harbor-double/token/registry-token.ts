// Registry bearer tokens as Harbor's token service issues and core verifies them (goharbor/harbor src/core/service/token/token.go@v2.15.x).
import { randomBytes } from 'node:crypto';
import { SignJWT, jwtVerify } from 'jose';
import type { TokenAccess } from '../security/security-context.ts';
import type { TokenKeys } from './token-keys.ts';

export const TOKEN_ISSUER = 'harbor-token-issuer';
export const REGISTRY_SERVICE = 'harbor-registry';
const LEEWAY_SECONDS = 60;

const JTI_ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

export interface IssuedToken {
  token: string;
  expiresIn: number;
  issuedAt: Date;
}

export async function issueRegistryToken(
  keys: TokenKeys,
  subject: string,
  access: TokenAccess[],
  expirationMinutes: number,
  now: Date = new Date(),
): Promise<IssuedToken> {
  const iat = Math.floor(now.getTime() / 1000);
  const expiresIn = expirationMinutes * 60;
  const jti = Array.from(randomBytes(16), (b) => JTI_ALPHABET[b % JTI_ALPHABET.length]).join('');
  const token = await new SignJWT({ access })
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: keys.keyId })
    .setIssuer(TOKEN_ISSUER)
    .setSubject(subject)
    .setAudience(REGISTRY_SERVICE)
    .setIssuedAt(iat)
    .setNotBefore(iat)
    .setExpirationTime(iat + expiresIn)
    .setJti(jti)
    .sign(keys.privateKey);
  return { token, expiresIn, issuedAt: new Date(iat * 1000) };
}

export interface VerifiedToken {
  subject: string;
  access: TokenAccess[];
  issuedAt: number | undefined;
}

/** Undefined for any token core would not accept (bad signature, audience, issuer, expiry). */
export async function verifyRegistryToken(keys: TokenKeys, token: string): Promise<VerifiedToken | undefined> {
  try {
    const { payload } = await jwtVerify(token, keys.publicKey, {
      algorithms: ['RS256'],
      issuer: TOKEN_ISSUER,
      audience: REGISTRY_SERVICE,
      clockTolerance: LEEWAY_SECONDS,
    });
    const access = Array.isArray(payload['access']) ? (payload['access'] as TokenAccess[]) : [];
    return { subject: payload.sub ?? '', access, issuedAt: payload.iat };
  } catch {
    return undefined;
  }
}
