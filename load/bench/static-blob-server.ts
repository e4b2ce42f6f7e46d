// A static blob server for the engine-vs-wrk benchmark (a child process, so it never shares the engine's
// event loop): /1k, /1m, /10m from memory and /1g streamed from one 1 MiB block, over HTTP and HTTPS
// (self-signed certificate made with openssl), on 127.0.0.1 only. Prints {http, https, ca, blobs} as
// one JSON line on stdout when ready; exits when stdin closes.
import { createHash, randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttp, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttps } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const MiB = 1024 * 1024;
const inMemory: Record<string, Buffer> = {
  '/1k': randomBytes(1024),
  '/1m': randomBytes(MiB),
  '/10m': randomBytes(10 * MiB),
};
const block = randomBytes(MiB);
const GIB_UNITS = 1024;

function digestOfRepeated(): string {
  const hash = createHash('sha256');
  for (let i = 0; i < GIB_UNITS; i++) hash.update(block);
  return `sha256:${hash.digest('hex')}`;
}

function serve(req: IncomingMessage, res: ServerResponse): void {
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  const body = inMemory[path];
  if (body) {
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length });
    res.end(body);
    return;
  }
  if (path === '/1g') {
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': GIB_UNITS * MiB });
    let sent = 0;
    const pump = () => {
      while (sent < GIB_UNITS) {
        sent += 1;
        if (!res.write(block)) return void res.once('drain', pump);
      }
      res.end();
    };
    res.on('close', () => (sent = GIB_UNITS));
    pump();
    return;
  }
  res.writeHead(404).end();
}

const dir = mkdtempSync(join(tmpdir(), 'hc-bench-tls-'));
execFileSync(
  'openssl',
  [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-days',
    '1',
    '-subj',
    '/CN=127.0.0.1',
    '-addext',
    'subjectAltName=IP:127.0.0.1',
    '-keyout',
    join(dir, 'key.pem'),
    '-out',
    join(dir, 'cert.pem'),
  ],
  { stdio: 'ignore' },
);
const key = readFileSync(join(dir, 'key.pem'));
const cert = readFileSync(join(dir, 'cert.pem'));
rmSync(dir, { recursive: true, force: true });

const http = createHttp({ keepAliveTimeout: 60_000 }, serve);
const https = createHttps({ key, cert, keepAliveTimeout: 60_000 }, serve);
await Promise.all([
  new Promise<void>((r) => http.listen(0, '127.0.0.1', r)),
  new Promise<void>((r) => https.listen(0, '127.0.0.1', r)),
]);
const sha = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;
const blobs = Object.fromEntries([
  ...Object.entries(inMemory).map(([p, b]) => [p, { digest: sha(b), size: b.length }]),
  ['/1g', { digest: digestOfRepeated(), size: GIB_UNITS * MiB }],
]);
process.stdout.write(
  `${JSON.stringify({ http: `http://127.0.0.1:${(http.address() as AddressInfo).port}`, https: `https://127.0.0.1:${(https.address() as AddressInfo).port}`, ca: cert.toString(), blobs })}\n`,
);
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
process.stdin.on('close', () => process.exit(0));
