// The bundle's container: an uncompressed POSIX tar, so one changed byte inside a member changes that
// member only (and verify-evidence can name it); gzip would turn it into "the archive is corrupt".
import { readFile, writeFile } from 'node:fs/promises';
import tar from 'tar-stream';

export type Members = Map<string, Buffer>;

export async function writeTar(file: string, members: Members, mtime: Date): Promise<void> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  pack.on('data', (chunk) => chunks.push(chunk as Buffer));
  const done = new Promise<void>((resolve, reject) => {
    pack.on('end', resolve);
    pack.on('error', reject);
  });
  for (const [name, content] of members) {
    await new Promise<void>((resolve, reject) =>
      pack.entry({ name, size: content.length, mtime, mode: 0o644 }, content, (error) =>
        error ? reject(error) : resolve(),
      ),
    );
  }
  pack.finalize();
  await done;
  await writeFile(file, Buffer.concat(chunks));
}

export class BundleReadError extends Error {
  override name = 'BundleReadError';
}

export async function readTar(file: string): Promise<Members> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    throw new BundleReadError(
      `${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`,
    );
  }
  const members: Members = new Map();
  const extract = tar.extract();
  let current = '';
  const done = new Promise<void>((resolve, reject) => {
    extract.on('entry', (header, stream, next) => {
      current = header.name;
      const parts: Buffer[] = [];
      stream.on('data', (c) => parts.push(c as Buffer));
      stream.on('end', () => {
        if (header.type === 'file') members.set(header.name, Buffer.concat(parts));
        next();
      });
      stream.resume();
    });
    extract.on('finish', resolve);
    extract.on('error', (error: Error) =>
      reject(
        new BundleReadError(
          `${file}: not a readable tar archive near member "${current || '(first)'}": ${error.message}`,
        ),
      ),
    );
  });
  extract.end(bytes);
  await done;
  return members;
}
