// `npm run bench:load`: the node load engine measured against Debian's wrk on the same URLs, side by side
// in one run (1 KiB, 1 MiB, 10 MiB; HTTP and TLS, from a local static server in a child process), then
// the engine's peak RSS pulling a 1 GiB blob at concurrency 32, then Harbor-path vs registry-direct
// throughput on the offline stack. Everything goes to 127.0.0.1; every run is bounded in time.
// Options: --seconds N (per measurement, default 5) --connections C (default 8) --rss-iterations N
// (default 32) --skip-stack --skip-rss
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { Command } from 'commander';
import { execa } from 'execa';
import { startOfflineEnvironment } from '../environments/offline/offline-environment.ts';
import { busyPercent } from '../load/engine/engine-saturation.ts';
import { runLoad } from '../load/engine/node-engine.ts';
import { progressPrinter } from '../load/engine/progress-line.ts';
import type { PullPlan, UrlPlan } from '../load/engine/pull-plan.ts';
import { parseScenario } from '../load/scenarios/load-scenario.ts';
import { preparePullWorkspace } from '../load/setup/pull-workspace.ts';

const o = new Command('bench-load')
  .option('--seconds <n>', 'seconds per measurement', '5')
  .option('--connections <n>', 'concurrent connections (wrk -c, engine concurrency)', '8')
  .option('--rounds <n>', 'wrk and engine alternate this many times per URL; medians are compared', '3')
  .option('--rss-iterations <n>', '1 GiB pulls for the memory figure (at concurrency 32)', '32')
  .option('--rss-seconds <n>', 'cut the memory run after this long (in-flight pulls are cut)', '90')
  .option('--skip-stack', 'leave out Harbor-path vs registry-direct')
  .option('--skip-rss', 'leave out the 1 GiB memory figure')
  .parse()
  .opts<{
    seconds: string;
    connections: string;
    rounds: string;
    rssSeconds: string;
    rssIterations: string;
    skipStack?: boolean;
    skipRss?: boolean;
  }>();
const seconds = Number(o.seconds);
const connections = Number(o.connections);
const say = (line: string) => process.stderr.write(`${line}\n`);

interface Served {
  http: string;
  https: string;
  ca: string;
  blobs: Record<string, { digest: string; size: number }>;
}

async function startServer(): Promise<{ child: ChildProcess; served: Served }> {
  const child = spawn(process.execPath, [new URL('../load/bench/static-blob-server.ts', import.meta.url).pathname], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`static server exited with ${code}`)));
  });
  return { child, served: JSON.parse(line) as Served };
}

const wrkUnits: Record<string, number> = { B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3, TB: 1024 ** 4 };

async function wrk(url: string): Promise<{ rps: number; mbps: number }> {
  const { stdout } = await execa('wrk', ['-t2', `-c${connections}`, `-d${seconds}s`, '--timeout', '30s', url], {
    timeout: (seconds + 60) * 1000,
  });
  const m = /(\d+) requests in ([\d.]+)(ms|s|m), ([\d.]+)(B|KB|MB|GB|TB) read/.exec(stdout);
  if (!m) throw new Error(`could not read wrk's output: ${stdout}`);
  const duration = Number(m[2]) * (m[3] === 'ms' ? 0.001 : m[3] === 'm' ? 60 : 1);
  return { rps: Number(m[1]) / duration, mbps: (Number(m[4]) * (wrkUnits[m[5]!] ?? 1)) / 1e6 / duration };
}

async function engine(
  url: string,
  blob: { digest: string; size: number },
  ca: string,
): Promise<{ rps: number; mbps: number; errors: number; busy: number }> {
  const plan: UrlPlan = {
    kind: 'urls',
    urls: [{ url, ...blob }],
    ca,
    connection: 'keep-alive',
    redirects: 'follow',
    requestTimeoutMs: 30_000,
  };
  const run = await runLoad(plan, { concurrency: connections, durationMs: seconds * 1000 });
  return {
    rps: run.metrics.requestsPerSecond,
    mbps: run.metrics.megabytesPerSecond,
    errors: run.metrics.errors.total,
    busy: run.metrics.engineBusy ?? 0,
  };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const rows: string[][] = [];
const { child, served } = await startServer();
try {
  say(
    `wrk vs node engine: ${o.rounds} alternating rounds of ${seconds} s each, ${connections} connections, static server ${served.http} / ${served.https}`,
  );
  for (const [scheme, base] of [
    ['http', served.http],
    ['tls', served.https],
  ] as const) {
    for (const path of ['/1k', '/1m', '/10m']) {
      const blob = served.blobs[path]!;
      // Alternating rounds, medians compared: a shared machine's load shifts during a run.
      const ws: Array<{ rps: number; mbps: number }> = [];
      const es: Array<{ rps: number; mbps: number; errors: number; busy: number }> = [];
      for (let round = 0; round < Number(o.rounds); round++) {
        ws.push(await wrk(base + path));
        es.push(await engine(base + path, blob, served.ca));
      }
      const w = { rps: median(ws.map((x) => x.rps)), mbps: median(ws.map((x) => x.mbps)) };
      const e = {
        rps: median(es.map((x) => x.rps)),
        mbps: median(es.map((x) => x.mbps)),
        errors: es.reduce((n, x) => n + x.errors, 0),
        busy: median(es.map((x) => x.busy)),
      };
      const byRequests = path === '/1k';
      const ratio = byRequests ? e.rps / w.rps : e.mbps / w.mbps;
      const goal = byRequests ? 0.6 : 0.9;
      rows.push([
        `${path.slice(1).toUpperCase()}iB ${scheme}`,
        w.rps.toFixed(0),
        w.mbps.toFixed(1),
        e.rps.toFixed(0),
        e.mbps.toFixed(1),
        busyPercent(e.busy),
        `${ratio.toFixed(2)}× ${byRequests ? 'req/s' : 'MB/s'} (goal ≥ ${goal})${ratio >= goal ? '' : ' BELOW'}${e.errors ? ` errors ${e.errors}` : ''}`,
      ]);
      say(`  ${rows[rows.length - 1]!.join(' · ')}`);
    }
  }
  const header = ['URL', 'wrk req/s', 'wrk MB/s', 'engine req/s', 'engine MB/s', 'engine busy', 'engine / wrk'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  console.log(`\nEngine vs wrk (same URLs, same connections, one run; medians of ${o.rounds} alternating rounds):`);
  for (const r of [header, ...rows])
    console.log(r.map((c, i) => (i === 0 || i === 6 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '));

  if (!o.skipRss) {
    const blob = served.blobs['/1g']!;
    say(`\npeak RSS: ${o.rssIterations} pulls of a 1 GiB blob at concurrency 32 (engine alone in a child process) …`);
    const probe = await execa(
      process.execPath,
      [
        new URL('../load/bench/engine-rss-probe.ts', import.meta.url).pathname,
        `${served.http}/1g`,
        blob.digest,
        String(blob.size),
        '32',
        o.rssIterations,
        o.rssSeconds,
      ],
      { stderr: 'inherit', timeout: 30 * 60_000 },
    );
    const rss = JSON.parse(probe.stdout.trim().split('\n').pop() ?? '{}') as {
      peakRssMiB: number;
      pulls: number;
      errors: number;
      bytes: number;
      megabytesPerSecond: number;
      seconds: number;
      cut: boolean;
    };
    console.log(
      `\nEngine peak RSS, 1 GiB blob at concurrency 32: ${rss.peakRssMiB} MiB (${rss.pulls} pulls completed and digest-checked${rss.cut ? `, cut after ${rss.seconds} s with the others in flight` : ''}, ${(rss.bytes / 2 ** 30).toFixed(1)} GiB read at ${rss.megabytesPerSecond} MB/s)`,
    );
  }
} finally {
  child.stdin?.end();
  child.kill();
}

if (!o.skipStack) {
  const runId = `hc-benchload-${randomBytes(3).toString('hex')}`;
  say(`\nHarbor path vs registry direct on the offline stack (${runId}) …`);
  const environment = await startOfflineEnvironment({ runId, log: (l) => say(`  ${l}`) });
  try {
    const scenario = parseScenario(
      {
        name: 'bench-load',
        artifacts: { count: 2, layers: ['10MiB'] },
        concurrency: 4,
        duration: `${seconds}s`,
        repeats: 1,
      },
      'bench-load',
    );
    const ws = await preparePullWorkspace({
      target: environment.target,
      scenario,
      project: `${runId}-load`,
      direct: {
        url: environment.stack.registry.getUrl(),
        credentials: {
          username: environment.stack.registry.getUsername(),
          password: environment.stack.registry.getPassword(),
        },
      },
    });
    try {
      const common = {
        kind: 'pull' as const,
        artifacts: ws.artifacts,
        connection: 'keep-alive' as const,
        redirects: 'follow' as const,
        requestTimeoutMs: 60_000,
      };
      const harbor: PullPlan = { ...common, endpoint: ws.endpoint };
      // the registry behind core knows manifests by digest only (tags live in core's database)
      const direct: PullPlan = {
        ...common,
        artifacts: ws.artifacts.map((a) => ({ ...a, reference: a.manifest.digest })),
        endpoint: {
          baseUrl: environment.stack.registry.getUrl(),
          auth: {
            kind: 'basic',
            username: environment.stack.registry.getUsername(),
            password: environment.stack.registry.getPassword(),
          },
        },
      };
      const printer = progressPrinter('pulling');
      const results: Record<string, { mbps: number; pps: number; errors: number; firstError?: string }> = {};
      for (const [name, plan] of [
        ['harbor', harbor],
        ['direct', direct],
        ['harbor again', harbor],
        ['direct again', direct],
      ] as const) {
        const run = await runLoad(
          plan,
          { concurrency: 4, durationMs: seconds * 1000 },
          { onProgress: (p) => printer.update(p, name) },
        );
        printer.end();
        results[name] = {
          mbps: run.metrics.megabytesPerSecond,
          pps: run.metrics.pullsPerSecond,
          errors: run.metrics.errors.total,
          ...(run.firstError ? { firstError: run.firstError } : {}),
        };
        if (run.firstError) say(`  ${name}: first error: ${run.firstError}`);
      }
      const mean = (a: string, b: string, k: 'mbps' | 'pps') => (results[a]![k] + results[b]![k]) / 2;
      const h = mean('harbor', 'harbor again', 'mbps');
      const d = mean('direct', 'direct again', 'mbps');
      console.log(
        `\nHarbor path vs registry direct (10 MiB layers, concurrency 4, ${seconds} s × 2 each, interleaved):`,
      );
      console.log(
        `  through Harbor (token + core proxy): ${h.toFixed(1)} MB/s, ${mean('harbor', 'harbor again', 'pps').toFixed(2)} pulls/s, errors ${results['harbor']!.errors + results['harbor again']!.errors}`,
      );
      console.log(
        `  registry direct (basic auth):        ${d.toFixed(1)} MB/s, ${mean('direct', 'direct again', 'pps').toFixed(2)} pulls/s, errors ${results['direct']!.errors + results['direct again']!.errors}`,
      );
      console.log(`  Harbor / direct: ${(h / d).toFixed(2)}×`);
    } finally {
      await ws.remove().catch(() => {});
    }
  } finally {
    await environment.down();
  }
}
process.exit(0);
