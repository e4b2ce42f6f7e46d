// Greps a whole run directory for secrets the run knew (raw and every encoded form the SecretRegistry
// knows), and for credentials it did not know by their shape (a signed JWT — Harbor's registry tokens
// and robot tokens are JWTs — or an Authorization header value that escaped redaction), so a leak in
// any report, attachment or evidence file is caught before anyone uploads it.
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { SecretRegistry } from '../lib/redact.ts';

export interface SecretFinding {
  /** Path relative to the scanned directory. */
  file: string;
  /** What was found: a secret the run knew, or the shape of an unknown credential. */
  kind: 'known secret' | 'JWT' | 'Authorization value' | 'webhook auth header';
}

// header.payload.signature, the header and payload base64url JSON objects (`{"` → eyJ), a real signature
// (an unsigned `alg: none` token a check forges carries none and is no credential).
const SIGNED_JWT = /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}/;
// `authorization: Basic …` / `"Authorization":"Bearer …"` (JSON-escaped quotes too) not replaced by [REDACTED].
const AUTHORIZATION_VALUE =
  /\b(?:proxy-)?authorization\\?["']?\s*[:=]\s*\\?["']?\s*(?:Basic|Bearer)\s+(?!\[REDACTED\])[A-Za-z0-9\-._~+/]{8,}/i;

// The auth headers the audit-and-webhooks suite gives webhook targets (suites/audit-and-webhooks/webhook-secret.ts):
// a leak into a webhook recording, a task log or an audit entry is found wherever it lands.
const HARNESS_WEBHOOK_SECRET = /\bhcwh_[0-9a-f]{32}\b/;

/** What a finding is, for one line of a report: "the admin password in x", "a JWT in y". */
export function describeFinding(finding: SecretFinding): string {
  if (finding.kind === 'known secret') return `the admin password in ${finding.file}`;
  return `${/^[AEIOU]/.test(finding.kind) ? 'an' : 'a'} ${finding.kind} in ${finding.file}`;
}

/** The kind of credential-shaped text in `text`, if any. */
export function credentialShapeIn(text: string): SecretFinding['kind'] | undefined {
  if (SIGNED_JWT.test(text)) return 'JWT';
  if (AUTHORIZATION_VALUE.test(text)) return 'Authorization value';
  if (HARNESS_WEBHOOK_SECRET.test(text)) return 'webhook auth header';
  return undefined;
}

export async function scanForSecrets(dir: string, secrets: Array<string | undefined>): Promise<SecretFinding[]> {
  const registry = new SecretRegistry();
  for (const secret of secrets) if (secret && secret.length >= 4) registry.add(secret);
  const findings: SecretFinding[] = [];
  for (const file of await listFiles(dir)) {
    const text = (await readFile(file)).toString('utf8');
    if (registry.size > 0 && registry.scrub(text) !== text)
      findings.push({ file: relative(dir, file), kind: 'known secret' });
    else {
      const kind = credentialShapeIn(text);
      if (kind) findings.push({ file: relative(dir, file), kind });
    }
  }
  return findings;
}

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(path)));
    else if (entry.isFile()) out.push(path);
  }
  return out;
}
