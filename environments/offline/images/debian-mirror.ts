// The Debian mirror this machine's apt already uses (deb.debian.org when none is configured):
// the offline images are built from the same archive.
import { readdir, readFile } from 'node:fs/promises';

const FALLBACK_MIRROR = 'http://deb.debian.org/debian';

export async function hostDebianMirror(): Promise<string> {
  const files = ['/etc/apt/sources.list'];
  try {
    for (const name of (await readdir('/etc/apt/sources.list.d')).sort()) files.push(`/etc/apt/sources.list.d/${name}`);
  } catch {
    // no sources.list.d
  }
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      continue;
    }
    for (const uri of mirrorUris(text)) {
      // the main archive, not security, third-party repositories or CD-ROMs
      if (/^https?:\/\//.test(uri) && /\/debian\/?$/.test(uri)) return uri.replace(/\/$/, '');
    }
  }
  return FALLBACK_MIRROR;
}

function* mirrorUris(text: string): Generator<string> {
  for (const line of text.split('\n')) {
    const oneLine = /^\s*deb\s+(?:\[[^\]]*\]\s+)?(\S+)/.exec(line); // deb [opts] URI suite ...
    if (oneLine?.[1]) yield oneLine[1];
    const deb822 = /^URIs:\s*(.+)$/.exec(line.trim()); // deb822 .sources
    if (deb822?.[1]) yield* deb822[1].split(/\s+/);
  }
}
