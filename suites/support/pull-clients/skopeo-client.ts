// `skopeo inspect --raw docker://<ref>`: reads the manifest exactly as a pull does (the pull policies apply).
import { execa } from 'execa';
import { clientPullOf, type PullClient } from './pull-client.ts';

export const skopeoClient: PullClient = {
  name: 'skopeo',
  async available() {
    return (await execa('skopeo', ['--version'], { reject: false, timeout: 15_000 })).exitCode === 0;
  },
  async pull(auth, reference) {
    const result = await execa(
      'skopeo',
      ['inspect', '--raw', '--tls-verify=false', '--authfile', auth.configFile, `docker://${reference}`],
      {
        reject: false,
        timeout: 60_000,
      },
    );
    return clientPullOf('skopeo', reference, result);
  },
};
