// The secrets one official run shares between Harbor's components, generated per run like the
// installer's prepare step does (goharbor/harbor make/photon/prepare/templates/core/env.jinja@v2.15.x). None of them may reach a log line.
import { generateKeyPair } from 'node:crypto';
import { promisify } from 'node:util';
import { randomSecret } from '../offline/random-secret.ts';

export interface OfficialSecrets {
  adminPassword: string;
  databasePassword: string;
  /** CORE_SECRET: core, jobservice, registryctl; 16 chars. */
  coreSecret: string;
  /** JOBSERVICE_SECRET: core, jobservice, registryctl; 16 chars. */
  jobserviceSecret: string;
  /** /etc/core/key: encrypts stored passwords; exactly 16 chars. */
  secretKey: string;
  /** CSRF_KEY: exactly 32 chars, any other length breaks every CSRF-protected request. */
  csrfKey: string;
  /** REGISTRY_CREDENTIAL_PASSWORD, bcrypt-hashed into the registry's htpasswd file. */
  registryPassword: string;
  /** The registry's http.secret (signs upload state). */
  registryHttpSecret: string;
  /** ROBOT_SCANNER_NAME_PREFIX: 8 chars. */
  scanRobotPrefix: string;
  /** /etc/core/private_key.pem: RSA (PKCS#1 PEM) that signs registry tokens. */
  tokenPrivateKeyPem: string;
}

export async function generateOfficialSecrets(): Promise<OfficialSecrets> {
  const { privateKey } = await promisify(generateKeyPair)('rsa', {
    modulusLength: 4096,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  });
  return {
    adminPassword: randomSecret(20),
    databasePassword: randomSecret(24),
    coreSecret: randomSecret(16),
    jobserviceSecret: randomSecret(16),
    secretKey: randomSecret(16),
    csrfKey: randomSecret(32),
    registryPassword: randomSecret(32),
    registryHttpSecret: randomSecret(32),
    scanRobotPrefix: randomSecret(8).toLowerCase(),
    tokenPrivateKeyPem: privateKey,
  };
}

/** Every secret value, for redaction and for the tests that grep output for them. */
export function secretValues(secrets: OfficialSecrets): string[] {
  return Object.values(secrets);
}
