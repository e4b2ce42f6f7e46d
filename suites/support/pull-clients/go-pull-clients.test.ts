// crane and regctl as pull clients against a real distribution registry with htpasswd (Basic) auth: a pull by tag
// and by digest succeeds, a missing tag fails with the registry's error in the output, and the credentials
// come from the private auth directory only.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type StartedLocalRegistry,
  hasDockerRegistryBinary,
  startLocalRegistry,
} from '../../../lib/oci/local-registry.ts';
import { RegistryClient } from '../../../lib/oci/registry-client.ts';
import { resolveGoTool } from '../../../lib/tools/go-tools.ts';
import { buildImage, buildIndex } from '../../../fixtures/images/image-builder.ts';
import { pushImage } from '../../../fixtures/images/push-image.ts';
import { craneClient } from './crane-client.ts';
import { regctlClient } from './regctl-client.ts';

const clients = [craneClient, regctlClient].filter((c) => resolveGoTool(c.name as 'crane' | 'regctl') !== null);

describe.skipIf(!hasDockerRegistryBinary() || clients.length === 0)('crane and regctl pull clients', () => {
  let registry: StartedLocalRegistry;
  let auth: { dir: string };
  const digests: Record<string, string> = {};

  beforeAll(async () => {
    registry = await startLocalRegistry({ auth: { kind: 'htpasswd', users: { puller: 'pull-secret-1' } } });
    const client = new RegistryClient({
      baseUrl: registry.url,
      credentials: { username: 'puller', password: 'pull-secret-1' },
    });
    const image = buildImage({ layers: [{ 'a.txt': 'go clients' }] }, 'oci');
    const index = buildIndex([
      image,
      buildImage({ layers: [{ 'b.txt': 'arm' }], platform: { os: 'linux', architecture: 'arm64' } }, 'oci'),
    ]);
    digests['image'] = (await pushImage(client, 'clients/app', 'v1', image)).digest;
    digests['index'] = (await pushImage(client, 'clients/app', 'multi', index)).digest;
    const dir = await mkdtemp(join(tmpdir(), 'hc-go-clients-'));
    await writeFile(
      join(dir, 'config.json'),
      JSON.stringify({ auths: { [registry.host]: { auth: Buffer.from('puller:pull-secret-1').toString('base64') } } }),
      { mode: 0o600 },
    );
    auth = { dir };
  });
  afterAll(async () => {
    await registry?.stop();
    if (auth) await rm(auth.dir, { recursive: true, force: true });
  });

  for (const client of clients) {
    it(`${client.name} pulls by tag and digest, an index too, and fails on a missing tag with the registry's error`, async () => {
      for (const reference of [
        `${registry.host}/clients/app:v1`,
        `${registry.host}/clients/app@${digests['image']}`,
        `${registry.host}/clients/app:multi`,
      ]) {
        const pulled = await client.pull(auth, reference);
        expect(pulled.exitCode, `${client.name} ${reference}: ${pulled.output}`).toBe(0);
      }
      const missing = await client.pull(auth, `${registry.host}/clients/app:absent`);
      expect(missing.exitCode).not.toBe(0);
      expect(missing.output).toMatch(/MANIFEST_UNKNOWN|manifest unknown|not found/i);
      expect(missing.output).not.toContain('pull-secret-1');
    });
  }
});
