import { createServer } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { NGINX_BAD_GATEWAY, refusedPort, startRecordingFront, type RecordingFront } from './recording-front.ts';

const opened: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const item of opened.splice(0)) await item.close();
});

async function backend(): Promise<string> {
  const server = createServer((req, res) => {
    res.writeHead(req.url?.includes('missing') ? 404 : 200, { 'x-host': req.headers.host ?? '' });
    res.end('body');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  opened.push({ close: () => new Promise<void>((resolve) => server.close(() => resolve())) });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no address');
  return `http://127.0.0.1:${address.port}`;
}

const front = async (...args: Parameters<typeof startRecordingFront>): Promise<RecordingFront> => {
  const started = await startRecordingFront(...args);
  opened.push(started);
  return started;
};

describe('recording front', () => {
  it('forwards with the Host header kept and records each answer', async () => {
    const f = await front('harbor', { kind: 'forward', to: await backend() });
    const ok = await fetch(`${f.url}/v2/p/app/manifests/v1?ns=x`);
    expect(ok.headers.get('x-host')).toBe(f.host);
    expect(await ok.text()).toBe('body');
    await (await fetch(`${f.url}/v2/p/missing/manifests/v1`)).text();
    expect(f.requests.map((r) => [r.side, r.method, r.url, r.status])).toEqual([
      ['harbor', 'GET', '/v2/p/app/manifests/v1?ns=x', 200],
      ['harbor', 'GET', '/v2/p/missing/manifests/v1', 404],
    ]);
  });

  it('answers a fixed status (nginx 502) and records it', async () => {
    const f = await front('harbor', NGINX_BAD_GATEWAY);
    const response = await fetch(`${f.url}/v2/`);
    expect(response.status).toBe(502);
    expect(await response.text()).toContain('nginx');
    expect(f.requests[0]?.status).toBe(502);
  });

  it('a black hole records the request, never answers, and closes its connections', async () => {
    const f = await front('harbor', { kind: 'black-hole' });
    const pending = fetch(`${f.url}/v2/x/manifests/v1`, { signal: AbortSignal.timeout(300) }).catch((e: Error) => e);
    expect(await pending).toBeInstanceOf(Error);
    expect(f.requests).toMatchObject([{ url: '/v2/x/manifests/v1', status: null }]);
  });

  it('a refused port refuses connections', async () => {
    const host = await refusedPort();
    await expect(fetch(`http://${host}/v2/`)).rejects.toThrow();
  });
});
