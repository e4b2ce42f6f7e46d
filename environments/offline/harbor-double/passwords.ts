// PBKDF2-SHA256(secret, salt, 4096 rounds, 16 bytes), hex, a random salt per row: how Harbor hashes robot
// secrets (utils.SHA256, src/server/middleware/security/robot.go) and older user passwords (password_version sha256).
// Harbor v2.15 hashes new and updated *user* passwords with 600 000 rounds (password_version pbkdf2_sha256,
// goharbor/harbor src/common/utils/encrypt.go, src/pkg/user/manager.go@v2.15.x; the admin too,
// set from HARBOR_ADMIN_PASSWORD at first start). The double keeps 4096 for
// users on purpose: the rounds are not visible through the API, only as CPU per basic-auth request
// (measured on the real binaries, 2 busy cores: ~1.4-1.9 s per admin call, ~3.8 s per token), and 600 000
// rounds on every basic-auth call would multiply the selftest's CPU. Checks get their time budget from
// real Harbor (see SIGN-008/009 timeoutMs), not from the double.
import { createHash, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';

export function newSalt(): string {
  return randomBytes(16).toString('hex');
}

// PBKDF2 is a pure function: its results are memoised (keyed by a SHA-256 of salt and secret, never the
// secret itself) so a burst of basic-auth requests does not spend the shared CPU re-deriving the same hash.
// Every request still compares against the stored row, so changed, disabled or expired accounts behave at once.
const derived = new Map<string, string>();
const MEMO_LIMIT = 2048;

export function hashSecret(secret: string, salt: string): string {
  const key = createHash('sha256').update(salt).update('\0').update(secret).digest('hex');
  const known = derived.get(key);
  if (known !== undefined) return known;
  const hash = pbkdf2Sync(secret, salt, 4096, 16, 'sha256').toString('hex');
  if (derived.size >= MEMO_LIMIT) derived.delete(derived.keys().next().value!);
  derived.set(key, hash);
  return hash;
}

export function secretMatches(secret: string, salt: string, expectedHash: string): boolean {
  const actual = Buffer.from(hashSecret(secret, salt), 'hex');
  const expected = Buffer.from(expectedHash, 'hex');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const DIGITS = '0123456789';

/** A 32-char robot secret with at least one upper, one lower and one digit (Harbor's IsValidSec). */
export function generateRobotSecret(): string {
  const alphabet = LOWER + UPPER + DIGITS;
  for (;;) {
    const bytes = randomBytes(32);
    const secret = Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
    if (isValidRobotSecret(secret)) return secret;
  }
}

/** 8-128 chars with at least one upper-case letter, one lower-case letter and one digit. */
export function isValidRobotSecret(secret: string): boolean {
  return (
    secret.length >= 8 && secret.length <= 128 && /[A-Z]/.test(secret) && /[a-z]/.test(secret) && /[0-9]/.test(secret)
  );
}
