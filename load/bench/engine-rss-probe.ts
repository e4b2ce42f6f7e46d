// Child process for the memory figure: the node engine alone pulling one URL (a 1 GiB blob) at the
// given concurrency; prints {peakRssMiB, ...} as JSON. Usage: engine-rss-probe.ts URL DIGEST SIZE CONCURRENCY ITERATIONS
import { runLoad } from '../engine/node-engine.ts';
import { progressPrinter } from '../engine/progress-line.ts';

const [url = '', digest = '', size = '0', concurrency = '32', iterations = '32'] = process.argv.slice(2);
const printer = progressPrinter('1 GiB pulls');
const run = await runLoad(
  { kind: 'urls', urls: [{ url, digest, size: Number(size) }], connection: 'keep-alive', redirects: 'follow', requestTimeoutMs: 20 * 60_000 },
  { concurrency: Number(concurrency), iterations: Number(iterations), durationMs: 20 * 60_000 },
  { onProgress: (p) => printer.update(p) },
);
printer.end();
const m = run.metrics;
process.stdout.write(`${JSON.stringify({ peakRssMiB: +(process.resourceUsage().maxRSS / 1024).toFixed(1), pulls: m.pulls, errors: m.errors.total, megabytesPerSecond: m.megabytesPerSecond, seconds: +(m.durationMs / 1000).toFixed(1), workers: run.workers })}\n`);
