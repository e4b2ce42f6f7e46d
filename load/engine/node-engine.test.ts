import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLoad } from './node-engine.ts';
import type { UrlPlan } from './pull-plan.ts';

const body = Buffer.alloc(256 * 1024, 7);
const digest = `sha256:${createHash('sha256').update(body).digest('hex')}`;
let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/missing') return void res.writeHead(404).end();
    if (req.url === '/slow')
      return void setTimeout(() => res.writeHead(200, { 'content-length': body.length }).end(body), 150);
    if (req.url === '/corrupt')
      return void res.writeHead(200, { 'content-length': body.length }).end(Buffer.alloc(body.length, 8));
    res.writeHead(200, { 'content-length': body.length }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const plan = (paths: string[], connection: UrlPlan['connection'] = 'keep-alive'): UrlPlan => ({
  kind: 'urls',
  urls: paths.map((p) => ({ url: `${base}${p}`, digest, size: body.length })),
  connection,
  redirects: 'follow',
  requestTimeoutMs: 5000,
});

describe('node engine', () => {
  it('makes exactly the bounded number of digest-checked GETs over worker threads and merges the histograms', async () => {
    const run = await runLoad(
      plan(['/a', '/b']),
      { concurrency: 4, iterations: 40, durationMs: 20_000 },
      { workers: 2 },
    );
    expect(run.workers).toBe(2);
    expect(run.metrics.pulls).toBe(40);
    expect(run.metrics.errors.total).toBe(0);
    expect(run.metrics.bytes).toBe(40 * body.length);
    expect(run.metrics.phases.blob?.total.count).toBe(40);
    expect(run.metrics.phases.blob?.total.p95).toBeGreaterThan(0);
    expect(run.metrics.phases.blob?.ttfb.p50).toBeLessThanOrEqual(run.metrics.phases.blob?.total.p50 ?? 0);
  });

  it('counts errors by class: HTTP status and digest mismatch', async () => {
    const run = await runLoad(plan(['/missing', '/corrupt']), { concurrency: 2, iterations: 10 }, { workers: 1 });
    expect(run.metrics.pulls).toBe(0);
    expect(run.metrics.errors.byClass).toEqual({ 'http-status': 5, 'digest-mismatch': 5 });
    expect(run.metrics.errors.byStatus).toEqual({ '404': 5 });
    expect(run.firstError).toMatch(/404|hashes to/);
  });

  it("measures how busy the engine was: waiting on a slow target is not the engine's limit", async () => {
    const run = await runLoad(plan(['/slow']), { concurrency: 2, iterations: 8 }, { workers: 1 });
    expect(run.metrics.pulls).toBe(8);
    expect(run.metrics.engineBusy).toBeGreaterThanOrEqual(0);
    // 8 pulls of 150 ms, two at a time: the loop idles most of the ~600 ms
    expect(run.metrics.engineBusy).toBeLessThan(0.5);
  });

  it('stops at the time bound and reports progress', async () => {
    const seen: number[] = [];
    const run = await runLoad(
      plan(['/a'], 'new-per-pull'),
      { concurrency: 2, durationMs: 700 },
      { workers: 1, progressIntervalMs: 200, onProgress: (p) => seen.push(p.pulls) },
    );
    expect(run.metrics.durationMs).toBeLessThan(3000);
    expect(run.metrics.pulls).toBeGreaterThan(0);
    expect(seen.length).toBeGreaterThan(0);
  });
});
