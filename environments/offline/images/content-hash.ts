// Content hashes that name the offline images: a tag changes exactly when an input of the image does.
import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';

export type HashInput = readonly [name: string, content: string | Uint8Array];

/** A short, stable hash of named inputs (order-independent). */
export function contentHash(inputs: readonly HashInput[]): string {
  const hash = createHash('sha256');
  for (const [name, content] of [...inputs].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const bytes = typeof content === 'string' ? Buffer.from(content) : content;
    hash.update(`${name}\0${bytes.length}\0`);
    hash.update(bytes);
  }
  return hash.digest('hex').slice(0, 16);
}

/** Every file below `dir` as a hash input; the executable bit counts (COPY keeps file modes). */
export async function folderInputs(dir: string): Promise<HashInput[]> {
  const inputs: HashInput[] = [];
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    const mode = (await stat(path)).mode & 0o111 ? 'x' : '-';
    inputs.push([`${relative(dir, path)}:${mode}`, await readFile(path)]);
  }
  return inputs;
}

const fileHashes = new Map<string, string>();

/** sha256 of a (possibly large) file, e.g. the Node binary; remembered while its size and mtime stay. */
export async function fileSha256(path: string): Promise<string> {
  const { size, mtimeMs } = await stat(path);
  const key = `${path}\0${size}\0${mtimeMs}`;
  let hash = fileHashes.get(key);
  if (!hash) {
    hash = createHash('sha256')
      .update(await readFile(path))
      .digest('hex');
    fileHashes.set(key, hash);
  }
  return hash;
}
