// `crane pull` (github.com/google/go-containerregistry, built by the bootstrap or the user's own): a
// whole pull, manifest by GET without a HEAD first, then the blobs; an index with every child. Credentials
// come from the private auth directory (DOCKER_CONFIG); the pulled layout goes into a scratch directory
// inside it, removed with it. Implements PullClient (./pull-client.ts) structurally, so it stands alone.
import { join } from 'node:path';
import { execa } from 'execa';
import { resolveGoTool } from '../../../lib/tools/go-tools.ts';

export const craneClient = {
  name: 'crane',
  async available(): Promise<boolean> {
    return resolveGoTool('crane') !== null;
  },
  async pull(
    auth: { dir: string },
    reference: string,
  ): Promise<{ client: string; reference: string; exitCode: number; output: string }> {
    const crane = resolveGoTool('crane');
    if (!crane) return { client: 'crane', reference, exitCode: -1, output: 'crane is not installed' };
    const layout = join(auth.dir, `crane-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`);
    const result = await execa(crane.path, ['pull', '--insecure', '--format', 'oci', reference, layout], {
      reject: false,
      timeout: 120_000,
      env: { DOCKER_CONFIG: auth.dir },
    });
    return {
      client: 'crane',
      reference,
      exitCode: result.exitCode ?? -1,
      output: `${result.stderr}\n${result.stdout}`.trim().slice(0, 2000),
    };
  },
};
