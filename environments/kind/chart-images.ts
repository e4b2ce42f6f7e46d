// The images goharbor/harbor's chart runs (with the database and Redis external, metrics off) and where
// each goes in the values. The cluster pulls them from the image registry unless this Docker engine
// already has them (from a pull, or `docker load` of Harbor's offline bundle): those are `kind load`ed.
import type { HarborRelease } from '../official/harbor-release.ts';

export type ChartImageRole = 'nginx' | 'portal' | 'core' | 'jobservice' | 'registry' | 'registryctl' | 'trivy';

export interface ChartImage {
  role: ChartImageRole;
  /** goharbor image name, e.g. registry-photon */
  name: string;
  /** Where `{ repository, tag }` goes in the values, e.g. ['registry', 'registry', 'image']. */
  valuesPath: string[];
  repository: string;
  tag: string;
}

const ROLES: Array<{ role: ChartImageRole; name: string; valuesPath: string[] }> = [
  { role: 'nginx', name: 'nginx-photon', valuesPath: ['nginx', 'image'] },
  { role: 'portal', name: 'harbor-portal', valuesPath: ['portal', 'image'] },
  { role: 'core', name: 'harbor-core', valuesPath: ['core', 'image'] },
  { role: 'jobservice', name: 'harbor-jobservice', valuesPath: ['jobservice', 'image'] },
  { role: 'registry', name: 'registry-photon', valuesPath: ['registry', 'registry', 'image'] },
  { role: 'registryctl', name: 'harbor-registryctl', valuesPath: ['registry', 'controller', 'image'] },
  { role: 'trivy', name: 'trivy-adapter-photon', valuesPath: ['trivy', 'image'] },
];

export function chartImages(release: HarborRelease, imageRegistry: string): ChartImage[] {
  const registry = imageRegistry.replace(/\/+$/, '');
  return ROLES.map((r) => ({ ...r, repository: `${registry}/${r.name}`, tag: release.version }));
}

export function imageRef(image: Pick<ChartImage, 'repository' | 'tag'>): string {
  return `${image.repository}:${image.tag}`;
}

/** The name `docker load` of Harbor's offline installer bundle gives the same image. */
export function bundleName(image: ChartImage): string {
  return `goharbor/${image.name}:${image.tag}`;
}
