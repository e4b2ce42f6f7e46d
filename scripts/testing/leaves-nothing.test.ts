import { describe, expect, it } from 'vitest';
import { type DockerInventory, leftovers } from './leaves-nothing.ts';

const inventory = (containers: string[], networks: string[] = [], volumes: string[] = []): DockerInventory => ({
  containers: new Map(containers.map((id) => [id, `c-${id}`])),
  networks: new Map(networks.map((id) => [id, `n-${id}`])),
  volumes: new Map(volumes.map((id) => [id, `v-${id}`])),
});

describe('leftovers', () => {
  it('is empty when only what existed before remains (some of it removed meanwhile)', () => {
    expect(leftovers(inventory(['a', 'b'], ['n1'], ['v1']), inventory(['a'], ['n1'], []))).toEqual([]);
  });

  it('names every container, network and volume that is new, one line per kind', () => {
    expect(leftovers(inventory(['a']), inventory(['a', 'b', 'c'], ['n2'], ['v9']))).toEqual([
      '2 containers: c-b, c-c',
      '1 networks: n-n2',
      '1 volumes: v-v9',
    ]);
  });
});
