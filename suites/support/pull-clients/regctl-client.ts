// `regctl image export` (github.com/regclient/regclient, built by the bootstrap or the user's own): a whole
// pull as regclient makes it (HEAD of the manifest, then GET, then the blobs; an index resolved to the
// platform's child). Plain HTTP for a loopback host is set for that host alone with --host (no regctl config is written: HOME is
// the private auth directory, DOCKER_CONFIG its config.json). Implements PullClient (./pull-client.ts)
// structurally, so it stands alone.
import { join } from 'node:path';
import { execa } from 'execa';
import { resolveGoTool } from '../../../lib/tools/go-tools.ts';

export const regctlClient = {
  name: 'regctl',
  async available(): Promise<boolean> {
    return resolveGoTool('regctl') !== null;
  },
  async pull(
    auth: { dir: string },
    reference: string,
  ): Promise<{ client: string; reference: string; exitCode: number; output: string }> {
    const regctl = resolveGoTool('regctl');
    if (!regctl) return { client: 'regctl', reference, exitCode: -1, output: 'regctl is not installed' };
    const host = reference.split('/')[0] ?? '';
    // The offline stack and local registries speak plain HTTP on loopback; anything else is HTTPS.
    const tls = /^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/.test(host) ? 'disabled' : 'enabled';
    const archive = join(auth.dir, `regctl-${Date.now()}-${Math.random().toString(36).slice(2, 8)}.tar`);
    const result = await execa(
      regctl.path,
      ['image', 'export', '--host', `reg=${host},tls=${tls}`, reference, archive],
      {
        reject: false,
        timeout: 120_000,
        env: { HOME: auth.dir, DOCKER_CONFIG: auth.dir },
      },
    );
    return {
      client: 'regctl',
      reference,
      exitCode: result.exitCode ?? -1,
      output: `${result.stderr}\n${result.stdout}`.trim().slice(0, 2000),
    };
  },
};
