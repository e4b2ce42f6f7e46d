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
    return clientPullOf('docker', reference, result);
  },
};
