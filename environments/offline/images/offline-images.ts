// The images of the offline stack, built here from Debian packages and this repository's code.
// Each is tagged <namespace>/<name>:<content hash of all its inputs, the parent image's tag included>,
// so an unchanged image is found and reused, and a changed input builds a new tag.
import type Docker from 'dockerode';
import { access, copyFile, link, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { EnvironmentError } from '../../environment.ts';
import { connectDockerEngine } from '../../docker-engine.ts';
import { baseImageHash, buildBaseImage } from './base-image.ts';
import { bundleEntry } from './bundle-entry.ts';
import { contentHash, fileSha256, folderInputs, type HashInput } from './content-hash.ts';
import { hostDebianMirror } from './debian-mirror.ts';
import { dockerBuild } from './docker-build.ts';
import { missingToolReason, resolveGoTool } from '../../../lib/tools/go-tools.ts';
import { trivyScannerInputs, trivyToolsPresent } from './trivy-scanner-inputs.ts';

export const OFFLINE_IMAGE_NAMES = [
  'base',
  'node',
  'registry',
  'registry-v3',
  'postgres',
  'redis',
  's3',
  'harbor-double',
  'fixture-scanner',
  'trivy-scanner',
] as const;
export type OfflineImageName = (typeof OFFLINE_IMAGE_NAMES)[number];

export const DEFAULT_IMAGE_NAMESPACE = 'harbor-conformance';
/** Label on every image built here (value: the image name), to find this project's images. */
export const IMAGE_LABEL = 'harbor-conformance.image';

const IMAGES_DIR = import.meta.dirname;
const REPO_ROOT = resolve(IMAGES_DIR, '../../..');
export const HARBOR_DOUBLE_ENTRY = join(REPO_ROOT, 'environments/offline/harbor-double/main.ts');
export const FIXTURE_SCANNER_ENTRY = join(REPO_ROOT, 'fixtures/scanner/main.ts');

export interface EnsureImagesOptions {
  log?: (line: string) => void;
  signal?: AbortSignal;
  /** Tag namespace (default harbor-conformance); a throwaway one gives a cold build. */
  namespace?: string;
  /** Build every missing image without the engine's layer cache. */
  noCache?: boolean;
  /** Only these images (and what they are built FROM); default all (trivy-scanner only where trivy is built). */
  only?: readonly OfflineImageName[];
  docker?: Docker;
}

export interface OfflineImages {
  /** Tag of every image asked for. */
  tags: Partial<Record<OfflineImageName, string>>;
  /** The images this call had to build (empty when all were present). */
  built: OfflineImageName[];
}

/** A file the build context gets besides the image folder (a binary, a bundle). */
export interface ExtraFile {
  name: string;
  /** Copied (hard-linked when possible) from this path, or written from these bytes. */
  source: string | Uint8Array;
  /** What the hash sees instead of the bytes, when hashing them is costly. */
  hashAs: string;
}

interface ImageSpec {
  parent: OfflineImageName;
  extras?: () => Promise<ExtraFile[]>;
  /** Build arguments besides BASE (they count in the tag). */
  buildArgs?: () => Promise<Record<string, string>>;
}

const SPECS: Record<Exclude<OfflineImageName, 'base'>, ImageSpec> = {
  node: {
    parent: 'base',
    extras: async () => [{ name: 'node', source: process.execPath, hashAs: await fileSha256(process.execPath) }],
  },
  registry: { parent: 'base' },
  'registry-v3': { parent: 'base', extras: registryV3Binary },
  postgres: { parent: 'base' },
  redis: { parent: 'base' },
  s3: { parent: 'base' },
  'harbor-double': { parent: 'node', extras: () => bundled(HARBOR_DOUBLE_ENTRY, 'the Harbor double') },
  'fixture-scanner': { parent: 'node', extras: () => bundled(FIXTURE_SCANNER_ENTRY, 'the fixture scanner') },
  'trivy-scanner': {
    parent: 'fixture-scanner',
    extras: async () => (await trivyScannerInputs()).extras,
    buildArgs: async () => (await trivyScannerInputs()).buildArgs,
  },
};

/** The distribution v3 registry binary the bootstrap built (scripts/tools/go-tools.tsv). */
async function registryV3Binary(): Promise<ExtraFile[]> {
  const tool = resolveGoTool('registry-v3');
  if (!tool) throw new EnvironmentError(`the registry-v3 image needs its binary: ${missingToolReason('registry-v3')}`);
  return [{ name: 'registry', source: tool.path, hashAs: tool.pinned ?? (await fileSha256(tool.path)) }];
}

async function bundled(entry: string, what: string): Promise<ExtraFile[]> {
  try {
    await access(entry);
  } catch {
    throw new EnvironmentError(`${what} has no entry point ${entry}: restore the file and retry`);
  }
  const bytes = await bundleEntry(entry);
  return [{ name: 'main.mjs', source: bytes, hashAs: contentHash([['main.mjs', bytes]]) }];
}

// One build per tag at a time in this process, whoever asks.
const inFlight = new Map<string, Promise<boolean>>();

/** Finds or builds the offline images; returns their tags and which ones had to be built. */
export async function ensureOfflineImages(options: EnsureImagesOptions = {}): Promise<OfflineImages> {
  const log = options.log ?? (() => {});
  const namespace = options.namespace ?? DEFAULT_IMAGE_NAMESPACE;
  const docker = options.docker ?? (await connectDockerEngine());
  const wanted = new Set<OfflineImageName>();
  // Images built from Go tools are left out where the tool is missing (no Go here): registry-v3 needs
  // registry-v3, trivy-scanner needs trivy and trivy-db.
  const defaults = OFFLINE_IMAGE_NAMES.filter(
    (name) =>
      (name !== 'registry-v3' || resolveGoTool('registry-v3') !== null) &&
      (name !== 'trivy-scanner' || trivyToolsPresent()),
  );
  for (const name of options.only ?? defaults) {
    for (let n: OfflineImageName = name; ; n = SPECS[n as Exclude<OfflineImageName, 'base'>].parent) {
      wanted.add(n);
      if (n === 'base') break;
    }
  }

  const tags: Partial<Record<OfflineImageName, string>> = {};
  const built: OfflineImageName[] = [];
  const started = Date.now();

  const buildOnce = async (name: OfflineImageName, tag: string, build: () => Promise<void>): Promise<void> => {
    let job = inFlight.get(tag);
    if (!job) {
      job = (async () => {
        if (await imageExists(docker, tag)) return false;
        log(`image ${name}: building ${tag}`);
        const t0 = Date.now();
        await build();
        log(`image ${name}: built in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
        return true;
      })();
      inFlight.set(tag, job);
      job.finally(() => inFlight.delete(tag)).catch(() => {});
    }
    if (await job) built.push(name);
  };

  const mirror = await hostDebianMirror();
  const baseRecipe = { dir: join(IMAGES_DIR, 'base'), mirror };
  const baseTag = `${namespace}/base:${await baseImageHash(baseRecipe)}`;
  tags.base = baseTag;
  await buildOnce('base', baseTag, () => buildBaseImage(baseRecipe, baseTag, { log, signal: options.signal }));

  const ensureChild = async (name: Exclude<OfflineImageName, 'base'>, parentTag: string): Promise<string> => {
    const spec = SPECS[name];
    const dir = join(IMAGES_DIR, name);
    const extras = (await spec.extras?.()) ?? [];
    const buildArgs = (await spec.buildArgs?.()) ?? {};
    const inputs: HashInput[] = [
      ['FROM', parentTag],
      ...(await folderInputs(dir)),
      ...extras.map((e): HashInput => [`extra:${e.name}`, e.hashAs]),
      ...Object.entries(buildArgs).map(([k, v]): HashInput => [`arg:${k}`, v]),
    ];
    const tag = `${namespace}/${name}:${contentHash(inputs)}`;
    tags[name] = tag;
    await buildOnce(name, tag, async () => {
      const context = extras.length > 0 ? await contextWithExtras(dir, extras) : dir;
      try {
        await dockerBuild(docker, {
          context,
          tag,
          name: `image ${name}`,
          buildArgs: { ...buildArgs, BASE: parentTag },
          labels: { [IMAGE_LABEL]: name },
          noCache: options.noCache,
          log,
          signal: options.signal,
        });
      } finally {
        if (context !== dir) await rm(context, { recursive: true, force: true });
      }
    });
    return tag;
  };

  const children = (parent: OfflineImageName, parentTag: string): Promise<unknown> =>
    Promise.all(
      (Object.keys(SPECS) as Array<Exclude<OfflineImageName, 'base'>>)
        .filter((name) => SPECS[name].parent === parent && wanted.has(name))
        .map(async (name) => children(name, await ensureChild(name, parentTag))),
    );
  await children('base', baseTag);

  if (built.length > 0)
    log(`offline images: built ${built.join(', ')} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return { tags, built };
}

async function imageExists(docker: Docker, tag: string): Promise<boolean> {
  try {
    await docker.getImage(tag).inspect();
    return true;
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return false;
    throw error;
  }
}

async function contextWithExtras(dir: string, extras: ExtraFile[]): Promise<string> {
  const context = await mkdtemp(join(tmpdir(), 'hc-image-context-'));
  for (const name of await readdir(dir)) await copyFile(join(dir, name), join(context, name));
  for (const extra of extras) {
    const target = join(context, extra.name);
    if (typeof extra.source !== 'string') await writeFile(target, extra.source);
    else await link(extra.source, target).catch(() => copyFile(extra.source as string, target));
  }
  return context;
}

/** Removes every image of a tag namespace (e.g. a throwaway one of a cold benchmark), children first. */
export async function removeOfflineImages(namespace: string, docker?: Docker): Promise<void> {
  const engine = docker ?? (await connectDockerEngine());
  const images = await engine.listImages({ filters: { reference: [`${namespace}/*`] } });
  const order = (tags: string[]): number => {
    const name = tags
      .find((t) => t.startsWith(`${namespace}/`))
      ?.slice(namespace.length + 1)
      .split(':')[0];
    return name === 'base' ? 2 : name === 'node' ? 1 : 0;
  };
  images.sort((a, b) => order(a.RepoTags ?? []) - order(b.RepoTags ?? []));
  for (const image of images) {
    for (const tag of image.RepoTags ?? []) {
      if (!tag.startsWith(`${namespace}/`)) continue;
      await engine
        .getImage(tag)
        .remove({ force: true })
        .catch((error: { statusCode?: number }) => {
          if (error.statusCode !== 404) throw error;
        });
    }
  }
}
