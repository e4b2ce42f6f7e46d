import { describe, expect, it } from 'vitest';
import { between, contentFetches, demuxDockerLog, markerPath, ofRepository, parseAccessLines } from './access-log.ts';

const log = [
  'time="2026-12-01T17:43:20.89Z" level=info msg="response completed" http.request.method=GET',
  `172.18.0.9 - - [01/Dec/2026:17:43:20 +0000] "GET ${markerPath('a')} HTTP/1.1" 404 96 "" "undici"`,
  '172.18.0.5 - - [01/Dec/2026:17:43:21 +0000] "HEAD /v2/r/app/manifests/v1 HTTP/1.1" 200 0 "" "harbor"',
  '172.18.0.5 - - [01/Dec/2026:17:43:21 +0000] "GET /v2/r/app/blobs/sha256:ab?x=1 HTTP/1.1" 200 10 "" "harbor"',
  '172.18.0.5 - - [01/Dec/2026:17:43:21 +0000] "GET /v2/other/manifests/v1 HTTP/1.1" 200 10 "" "harbor"',
  `172.18.0.9 - - [01/Dec/2026:17:43:22 +0000] "GET ${markerPath('b')} HTTP/1.1" 404 96 "" "undici"`,
].join('\n');

describe('upstream access log', () => {
  it('reads combined-format lines and skips the structured ones', () => {
    const lines = parseAccessLines(log);
    expect(lines).toHaveLength(5);
    expect(lines[2]).toEqual({ method: 'GET', path: '/v2/r/app/blobs/sha256:ab', status: 200 });
  });

  it('takes the lines between two markers, per repository, and tells a HEAD from a content fetch', () => {
    const inside = between(parseAccessLines(log), 'a', 'b')!;
    expect(inside).toHaveLength(3);
    const repo = ofRepository(inside, 'r/app');
    expect(repo.map((l) => l.method)).toEqual(['HEAD', 'GET']);
    expect(contentFetches(repo)).toEqual([{ method: 'GET', path: '/v2/r/app/blobs/sha256:ab', status: 200 }]);
  });

  it('is undefined until the end marker is logged', () => {
    expect(between(parseAccessLines(log), 'a', 'c')).toBeUndefined();
  });

  it('demultiplexes docker log frames', () => {
    const frame = (stream: number, text: string) => {
      const payload = Buffer.from(text);
      const header = Buffer.alloc(8);
      header[0] = stream;
      header.writeUInt32BE(payload.length, 4);
      return Buffer.concat([header, payload]);
    };
    expect(demuxDockerLog(Buffer.concat([frame(1, 'a\n'), frame(2, 'b\n')]))).toBe('a\nb\n');
  });
});
