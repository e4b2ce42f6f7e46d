// `npm run bench:lifecycle`: how the cost of Harbor's lifecycle jobs grows with the number of artifacts, measured
// side by side in one run on the offline stack: each phase seeds a fresh project with 100 and with 1 000 artifacts
// and times one job over each (from the API call that starts it to its final status), then prints both times and
// their ratio (the goal: ≤ 10× for 10× the artifacts). A benchmark, not a test: it never fails on the ratio.
//   gc        — push N images, delete them, age their blobs past the time window, one real garbage collection
//   retention — push N images, one retention run keeping the latest 10 (skipped while the double has no
//               /retentions: GET /api/v2.0/retentions/metadatas answers 404)
// Options: --sizes 100,1000  --concurrency 8  --reuse (the stack kept by `harbor-conformance env up`)  --phases gc,retention
import { Command } from 'commander';
import { EnvironmentError } from '../environments/environment.ts';
import { startOfflineEnvironment } from '../environments/offline/offline-environment.ts';
import { buildImage } from '../fixtures/images/image-builder.ts';
import { pushImage } from '../fixtures/images/push-image.ts';
import { HarborApiClient, HarborApiError } from '../lib/harbor-api.ts';
import { RegistryClient } from '../lib/oci/registry-client.ts';
import { pollUntil } from '../lib/poll.ts';
import type { Target } from '../lib/target.ts';
import { newRunId } from '../reports/run-id.ts';
import { ageBlobs } from '../suites/support/blob-clock.ts';
import { runGc } from '../suites/support/gc-runs.ts';
import { registryUrl } from '../suites/support/harbor-clients.ts';
import { deleteProjectWithRepositories } from '../suites/support/harbor-projects.ts';
import { mapLimited } from '../suites/support/raw-http-probe.ts';
import { keepLatestPushedPolicy } from '../suites/support/retention-runs.ts';
import { loadKeptEnvironment } from './environment-state.ts';

interface Bench {
  target: Target;
  api: HarborApiClient;
  registry: RegistryClient;
  concurrency: number;
  runId: string;
}

interface Seeded {
  project: string;
  projectId: number;
  digests: string[];
  blobDigests: string[];
  seedMs: number;
}

/** One job whose cost is measured: why it cannot run here (undefined: it can), and one timed run over a seed. */
interface LifecyclePhase {
  name: string;
  unavailable(bench: Bench): Promise<string | undefined>;
  run(bench: Bench, seeded: Seeded): Promise<{ ms: number; detail: string }>;
}

const say = (line: string) => process.stdout.write(`${line}\n`);

/** A project with `n` single-layer images of their own digests in one repository, each tagged. */
async function seed(bench: Bench, n: number, label: string): Promise<Seeded> {
  const project = `${bench.runId}-${label}-${n}`;
  const projectId = await bench.api.createProject({ project_name: project, metadata: { public: 'false' } });
  const started = performance.now();
  const images = Array.from({ length: n }, (_, i) =>
    buildImage({ layers: [{ [`bench/${i}`]: `${project} artifact ${i}\n` }] }),
  );
  await mapLimited(
    images.map((image, i) => ({ image, tag: `v${i}` })),
    bench.concurrency,
    ({ image, tag }) => pushImage(bench.registry, `${project}/app`, tag, image, { skipExisting: false }),
  );
  return {
    project,
    projectId,
    digests: images.map((i) => i.manifest.digest),
    blobDigests: images.flatMap((i) => [i.manifest.digest, i.config.digest, ...i.layers.map((l) => l.digest)]),
    seedMs: performance.now() - started,
  };
}

const gcPhase: LifecyclePhase = {
  name: 'gc',
  async unavailable(bench) {
    return bench.target.faults?.containers.database
      ? undefined
      : 'the target names no database container to age blobs past the GC time window';
  },
  async run(bench, seeded) {
    await mapLimited(seeded.digests, bench.concurrency, (digest) =>
      bench.api.request('DELETE', `/projects/${seeded.project}/repositories/app/artifacts/${digest}`),
    );
    for (let i = 0; i < seeded.blobDigests.length; i += 500)
      await ageBlobs(bench.target, seeded.blobDigests.slice(i, i + 500), 10_000);
    const run = await runGc(bench.api, { delete_untagged: false, dry_run: false }, 600_000);
    if (run.status !== 'Success') throw new Error(`garbage collection ${run.id} ended ${run.status}`);
    return {
      ms: run.ms,
      detail: `purged ${String(run.parameters['purged_blobs'])} blobs, ${String(run.parameters['purged_manifests'])} manifests`,
    };
  },
};

const retentionPhase: LifecyclePhase = {
  name: 'retention',
  async unavailable(bench) {
    const response = await bench.api.request('GET', '/retentions/metadatas', { expect: [200, 404] });
    return response.status === 404
      ? 'not available yet: GET /api/v2.0/retentions/metadatas answers 404 (the double has no /retentions)'
      : undefined;
  },
  async run(bench, seeded) {
    // the payload of tests/apitests/python/library/retention.py: keep the latest 10 pushed, every repository
    const created = await bench.api.request('POST', '/retentions', {
      body: keepLatestPushedPolicy(seeded.projectId, 10, { untagged: true }),
      expect: [201],
    });
    const policy = /\/retentions\/(\d+)$/.exec(created.headers['location'] ?? '')?.[1];
    const started = performance.now();
    const execution = await bench.api.request('POST', `/retentions/${policy}/executions`, {
      body: { dry_run: false },
      expect: [201],
    });
    const executionId = /\/executions\/(\d+)$/.exec(execution.headers['location'] ?? '')?.[1];
    const status = await pollUntil(
      async () =>
        (
          await bench.api.request<Array<{ id: number; status: string }>>('GET', `/retentions/${policy}/executions`)
        ).data.find((e) => String(e.id) === executionId)?.status ?? 'missing',
      {
        timeoutMs: 600_000,
        intervalMs: 200,
        describe: `retention execution ${executionId} to finish`,
        accept: (s) => ['Success', 'Error', 'Stopped'].includes(s),
      },
    );
    const ms = performance.now() - started;
    await bench.api.request('DELETE', `/retentions/${policy}`).catch(() => undefined);
    if (status !== 'Success') throw new Error(`retention execution ${executionId} ended ${status}`);
    return { ms, detail: `kept the latest 10 of ${seeded.digests.length}` };
  },
};

const PHASES = [gcPhase, retentionPhase];

const options = new Command('bench-lifecycle')
  .description('time one GC (and retention run) over 100 and 1 000 artifacts, side by side')
  .option('--sizes <list>', 'artifact counts, comma-separated', '100,1000')
  .option('--concurrency <n>', 'parallel pushes and deletes while seeding', '8')
  .option('--phases <list>', 'phases to run', PHASES.map((p) => p.name).join(','))
  .option('--reuse', 'use the stack kept by `harbor-conformance env up`')
  .parse()
  .opts<{ sizes: string; concurrency: string; phases: string; reuse?: boolean }>();

const sizes = options.sizes.split(',').map(Number);
const concurrency = Number(options.concurrency);
const chosen = options.phases.split(',').map((name) => PHASES.find((p) => p.name === name.trim()));
if (sizes.some((n) => !Number.isInteger(n) || n < 1) || !Number.isInteger(concurrency) || concurrency < 1) {
  process.stderr.write('bench-lifecycle: --sizes and --concurrency take whole numbers ≥ 1, e.g. --sizes 100,1000\n');
  process.exit(2);
}
if (chosen.some((p) => p === undefined)) {
  process.stderr.write(`bench-lifecycle: --phases takes ${PHASES.map((p) => p.name).join(', ')}\n`);
  process.exit(2);
}

const runId = newRunId();
let down: () => Promise<void> = async () => {};
const projects: string[] = [];
let api: HarborApiClient | undefined;
const cleanUp = async () => {
  if (api) for (const project of projects) await deleteProjectWithRepositories(api, project).catch(() => undefined);
  await down();
};
process.once('SIGINT', () => {
  void cleanUp().finally(() => process.exit(130));
});
try {
  let target: Target;
  if (options.reuse) {
    const kept = await loadKeptEnvironment();
    if (!kept)
      throw new EnvironmentError('no environment is kept up: run `harbor-conformance env up` first, or drop --reuse');
    target = kept.target;
  } else {
    const environment = await startOfflineEnvironment({ runId, log: (line) => process.stderr.write(`${line}\n`) });
    down = () => environment.down();
    target = environment.target;
  }
  api = new HarborApiClient({ baseUrl: target.url, credentials: target.admin });
  const registry = new RegistryClient({ baseUrl: registryUrl(target), credentials: target.admin });
  const bench: Bench = { target, api, registry, concurrency, runId };
  const rows: string[][] = [];
  for (const phase of chosen as LifecyclePhase[]) {
    const reason = await phase.unavailable(bench);
    if (reason) {
      say(`${phase.name}: phase skipped, ${reason}`);
      continue;
    }
    const times: number[] = [];
    for (const n of sizes) {
      const seeded = await seed(bench, n, phase.name);
      projects.push(seeded.project);
      const { ms, detail } = await phase.run(bench, seeded);
      times.push(ms);
      say(
        `${phase.name} over ${n} artifacts: ${ms.toFixed(0)} ms (seeded in ${(seeded.seedMs / 1000).toFixed(1)} s; ${detail})`,
      );
      await deleteProjectWithRepositories(api, seeded.project);
      projects.splice(projects.indexOf(seeded.project), 1);
    }
    const first = times[0]!;
    const last = times[times.length - 1]!;
    rows.push([phase.name, ...times.map((t) => `${t.toFixed(0)} ms`), `${(last / first).toFixed(1)}×`]);
  }
  if (rows.length > 0) {
    const header = ['phase', ...sizes.map((n) => `${n} artifacts`), `ratio ${sizes[sizes.length - 1]}/${sizes[0]}`];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
    const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
    say('');
    say(line(header));
    for (const row of rows) say(line(row));
    say(`(goal: ratio ≤ 10× for ${sizes[sizes.length - 1]! / sizes[0]!}× the artifacts)`);
  }
  await cleanUp();
} catch (error) {
  await cleanUp().catch(() => undefined);
  const message = error instanceof HarborApiError || error instanceof EnvironmentError ? error.message : String(error);
  process.stderr.write(`bench-lifecycle: ${message.split('\n')[0]}\n`);
  process.exit(error instanceof EnvironmentError ? 2 : 1);
}
