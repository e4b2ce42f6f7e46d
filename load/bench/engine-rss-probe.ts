// Child process for the memory figure: the node engine alone pulling one URL (a 1 GiB blob) at the
// given concurrency, every pull digest-checked; stops at ITERATIONS pulls or after MAX_SECONDS (in-flight
// pulls are then cut, the figure is still the peak with all of them in flight). Prints one JSON line.
// Usage: engine-rss-probe.ts URL DIGEST SIZE CONCURRENCY ITERATIONS MAX_SECONDS
import { runLoad, type EngineProgress } from '../engine/node-engine.ts';
import { progressPrinter } from '../engine/progress-line.ts';

const [url = '', digest = '', size = '0', concurrency = '32', iterations = '32', maxSeconds = '120'] =
  process.argv.slice(2);
const printer = progressPrinter('1 GiB pulls');
let last: EngineProgress = { elapsedMs: 0, pulls: 0, bytes: 0, currentMBps: 0 };
const controller = new AbortController();
const timer = setTimeout(() => controller.abort(), Number(maxSeconds) * 1000);
const started = performance.now();
let outcome: { pulls: number; errors: number; bytes: number; workers?: number; cut: boolean };
try {
  const run = await runLoad(
    {
      kind: 'urls',
      urls: [{ url, digest, size: Number(size) }],
      connection: 'keep-alive',
      redirects: 'follow',
      requestTimeoutMs: 20 * 60_000,
    },
    { concurrency: Number(concurrency), iterations: Number(iterations), durationMs: 20 * 60_000 },
    {
      onProgress: (p) => {
        last = p;
        printer.update(p);
      },
      progressIntervalMs: 2000,
      signal: controller.signal,
    },
  );
  outcome = {
    pulls: run.metrics.pulls,
    errors: run.metrics.errors.total,
    bytes: run.metrics.bytes,
    workers: run.workers,
    cut: false,
  };
} catch {
  outcome = { pulls: last.pulls, errors: 0, bytes: last.bytes, cut: true };
} finally {
  clearTimeout(timer);
  printer.end();
}
const secondsTaken = (performance.now() - started) / 1000;
process.stdout.write(
  `${JSON.stringify({ peakRssMiB: +(process.resourceUsage().maxRSS / 1024).toFixed(1), ...outcome, megabytesPerSecond: +(outcome.bytes / 1e6 / secondsTaken).toFixed(1), seconds: +secondsTaken.toFixed(1) })}\n`,
);
process.exit(0);
