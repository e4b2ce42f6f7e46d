// The bookworm base every offline image starts FROM: `debootstrap --variant=minbase` into a
// temporary directory, a few apt/dpkg settings for image builds, then `docker import`.
import { copyFile, mkdtemp, readFile, rm, writeFile, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { EnvironmentError } from '../../environment.ts';
import { contentHash, folderInputs } from './content-hash.ts';

export const SUITE = 'bookworm';
const VARIANT = 'minbase';
const PATH_ENV = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export interface BaseImageRecipe {
  /** Folder with the files added to the root file system (images/base). */
  dir: string;
  mirror: string;
}

export async function baseImageHash(recipe: BaseImageRecipe): Promise<string> {
  return contentHash([
    ['recipe', `debootstrap --variant=${VARIANT} ${SUITE} ${recipe.mirror}; PATH=${PATH_ENV}; v1`],
    ...(await folderInputs(recipe.dir)),
  ]);
}

export async function buildBaseImage(
  recipe: BaseImageRecipe,
  tag: string,
  options: { log: (line: string) => void; signal?: AbortSignal },
): Promise<void> {
  const rootfs = await mkdtemp(join(tmpdir(), 'hc-base-rootfs-'));
  try {
    const debootstrap = execa('debootstrap', [`--variant=${VARIANT}`, SUITE, rootfs, recipe.mirror], {
      all: true,
      reject: false,
      cancelSignal: options.signal,
      lines: true,
    });
    for await (const line of debootstrap.iterable({ from: 'all' })) {
      // the phases, not one line per package
      if (/^I: (Retrieving|Validating|Extracting|Unpacking|Configuring) \S/.test(line)) continue;
      options.log(`  base: ${line}`);
    }
    const result = await debootstrap;
    if (result.isCanceled) throw options.signal?.reason ?? new Error('cancelled');
    if (result.exitCode !== 0) {
      const tail = (result.all as string[]).slice(-3).join(' | ');
      throw new EnvironmentError(
        `debootstrap ${SUITE} from ${recipe.mirror} failed (exit ${result.exitCode}): ${tail}; check that the mirror is reachable and debootstrap is installed (apt-get install debootstrap)`,
      );
    }
    await addBuildSettings(rootfs, recipe);
    // tar of the root file system straight into `docker import`
    await execa('tar', ['-C', rootfs, '--numeric-owner', '-c', '.'], {
      cancelSignal: options.signal,
      buffer: false,
    }).pipe('docker', ['import', '--change', `ENV PATH=${PATH_ENV}`, '--change', 'CMD ["/bin/bash"]', '-', tag], {
      cancelSignal: options.signal,
    });
  } finally {
    await rm(rootfs, { recursive: true, force: true });
  }
}

async function addBuildSettings(rootfs: string, recipe: BaseImageRecipe): Promise<void> {
  const sources = (await readFile(join(recipe.dir, 'sources.list.template'), 'utf8')).replaceAll(
    '@MIRROR@',
    recipe.mirror,
  );
  await writeFile(join(rootfs, 'etc/apt/sources.list'), sources);
  await copyFile(join(recipe.dir, 'dpkg-excludes'), join(rootfs, 'etc/dpkg/dpkg.cfg.d/01-hc-excludes'));
  await copyFile(join(recipe.dir, 'apt-docker-clean'), join(rootfs, 'etc/apt/apt.conf.d/01-hc-docker-clean'));
  await copyFile(join(recipe.dir, 'policy-rc.d'), join(rootfs, 'usr/sbin/policy-rc.d'));
  await chmod(join(rootfs, 'usr/sbin/policy-rc.d'), 0o755);
  for (const dir of ['var/cache/apt/archives', 'var/lib/apt/lists']) {
    await execa('find', [join(rootfs, dir), '-type', 'f', '-delete']);
  }
}
