// The upstream's own access log: distribution writes one combined-format line per request to its output
// (`172.18.0.5 - - [01/Dec/2026:17:43:20 +0000] "GET /v2/a/manifests/v1 HTTP/1.1" 200 528 "" "harbor-…"`).
// A check brackets what it does with two marker requests of its own and reads the lines between them: what
// the upstream was asked while the check pulled through Harbor.

export interface AccessLine {
  method: string;
  path: string;
  status: number;
}

const LINE = /"([A-Z]+) (\S+) HTTP\/[\d.]+" (\d{3}) /;

export function parseAccessLines(text: string): AccessLine[] {
  const lines: AccessLine[] = [];
  for (const raw of text.split('\n')) {
    const m = LINE.exec(raw);
    if (m) lines.push({ method: m[1]!, path: m[2]!.split('?')[0]!, status: Number(m[3]) });
  }
  return lines;
}

/** The path a marker request asks for (a repository that never exists: the upstream answers 404 and logs it). */
export const markerPath = (marker: string) => `/v2/hc-marker/${marker}/manifests/mark`;

/** The lines strictly between the `begin` and `end` markers; undefined while the end marker is not logged yet. */
export function between(lines: readonly AccessLine[], begin: string, end: string): AccessLine[] | undefined {
  const from = lines.findIndex((l) => l.path === markerPath(begin));
  const to = lines.findIndex((l) => l.path === markerPath(end));
  if (from < 0 || to < 0 || to < from) return undefined;
  return lines.slice(from + 1, to);
}

/** Requests of one repository (`/v2/<repository>/…`), the upstream's view of a pull. */
export function ofRepository(lines: readonly AccessLine[], repository: string): AccessLine[] {
  return lines.filter((l) => l.path.startsWith(`/v2/${repository}/`));
}

/** What reached the upstream beyond a manifest HEAD: a manifest GET or any blob request. */
export function contentFetches(lines: readonly AccessLine[]): AccessLine[] {
  return lines.filter((l) => !(l.method === 'HEAD' && l.path.includes('/manifests/')));
}

/**
 * Docker's log stream of a container without a TTY: frames of an 8-byte header (stream, 0, 0, 0, size as
 * big-endian uint32) and the payload.
 */
export function demuxDockerLog(buffer: Buffer): string {
  const parts: string[] = [];
  let offset = 0;
  while (offset + 8 <= buffer.length) {
    const size = buffer.readUInt32BE(offset + 4);
    parts.push(buffer.subarray(offset + 8, offset + 8 + size).toString('utf8'));
    offset += 8 + size;
  }
  return parts.join('');
}
