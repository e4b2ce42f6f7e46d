// A recording front on 127.0.0.1 for each side a node pulls from: it logs every request (method, path,
// status, time) so the verdict says which side really served the manifest and the blobs. In front of Harbor it
// is also where the answers Harbor's own front would give are made: a black hole (accepts, never answers — a
// paused or hung core behind a live port) and fixed answers (nginx's 502 when core is down, the 403 of an
// ingress allow-list, core's masked 500). Forwarding keeps the Host header, so Harbor's token realm points back
// through the front and token requests are recorded too.
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { Socket } from 'node:net';
import type { RecordedRequest, Side } from './fallback-verdict.ts';

export type FrontMode =
  | { kind: 'forward'; to: string }
  | { kind: 'black-hole' }
  | { kind: 'answer'; status: number; contentType: string; body: string };

export interface RecordingFront {
  /** http://127.0.0.1:<port> */
  url: string;
  host: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export async function startRecordingFront(side: Side, mode: FrontMode): Promise<RecordingFront> {
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => handle(side, mode, requests, req, res));
  server.keepAliveTimeout = 5_000;
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the recording front has no TCP address');
  const host = `127.0.0.1:${address.port}`;
  return {
    url: `http://${host}`,
    host,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A port nothing listens on (bound, then released): a stopped Harbor, connection refused. */
export async function refusedPort(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return `127.0.0.1:${address.port}`;
}

function handle(
  side: Side,
  mode: FrontMode,
  requests: RecordedRequest[],
  req: IncomingMessage,
  res: ServerResponse,
): void {
  const started = performance.now();
  const entry: RecordedRequest = { side, method: req.method ?? 'GET', url: req.url ?? '/', status: null, ms: 0 };
  requests.push(entry);
  const done = (status: number) => {
    entry.status = status;
    entry.ms = Math.round(performance.now() - started);
  };
  if (mode.kind === 'black-hole') {
    req.resume(); // read the request, never answer
    return;
  }
  if (mode.kind === 'answer') {
    done(mode.status);
    res.writeHead(mode.status, {
      'content-type': mode.contentType,
      'content-length': Buffer.byteLength(mode.body),
    });
    res.end(req.method === 'HEAD' ? undefined : mode.body);
    return;
  }
  const target = new URL(mode.to);
  const upstream = httpRequest(
    {
      host: target.hostname,
      port: target.port,
      method: req.method,
      path: req.url,
      headers: req.headers,
    },
    (answer) => {
      done(answer.statusCode ?? 0);
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  upstream.on('error', () => {
    done(502);
    if (!res.headersSent) res.writeHead(502).end();
    else res.destroy();
  });
  req.pipe(upstream);
}

/** nginx's own page when the upstream (core) is down. */
export const NGINX_BAD_GATEWAY: FrontMode = {
  kind: 'answer',
  status: 502,
  contentType: 'text/html',
  body: '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n',
};
/** nginx `deny` (an ingress allow-list the node is outside of). */
export const NGINX_FORBIDDEN: FrontMode = {
  kind: 'answer',
  status: 403,
  contentType: 'text/html',
  body: '<html>\r\n<head><title>403 Forbidden</title></head>\r\n<body>\r\n<center><h1>403 Forbidden</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n',
};
/** Harbor core's masked 5xx (goharbor/harbor src/lib/http/error.go@v2.15.x: every 5xx is UNKNOWN). */
export const HARBOR_INTERNAL_ERROR: FrontMode = {
  kind: 'answer',
  status: 500,
  contentType: 'application/json; charset=utf-8',
  body: '{"errors":[{"code":"UNKNOWN","message":"internal server error"}]}',
};
