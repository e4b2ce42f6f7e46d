// `docker pull`: the docker CLI against the shared engine, DOCKER_CONFIG pointing at the private auth dir.
import { execa } from 'execa';
import { clientPullOf, type PullClient } from './pull-client.ts';

export const dockerClient: PullClient = {
  name: 'docker',
  async available() {
    return (await execa('docker', ['--version'], { reject: false, timeout: 15_000 })).exitCode === 0;
  },
  async pull(auth, reference) {
    const result = await execa('docker', ['pull', '--quiet', reference], {
      reject: false,
      timeout: 120_000,
      env: { DOCKER_CONFIG: auth.dir },
    });
    // A pull that went through leaves the image in the engine the user shares: remove it again.
    if (result.exitCode === 0)
      await execa('docker', ['image', 'rm', '--force', reference], { reject: false, timeout: 60_000 });
    return clientPullOf('docker', reference, result);
  },
};
