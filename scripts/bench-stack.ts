// `npm run bench:stack`: how long the offline stack takes, in one run:
//   cold image build — every offline image built from nothing (a throwaway tag namespace, no layer
//                      cache; removed afterwards, so this project's own images are left alone)
//   warm stack up    — startOfflineEnvironment with every image present
//   down             — removing the run
// Options: --skip-cold (only warm up and down).
import { randomBytes } from 'node:crypto';
import { Command } from 'commander';
import { EnvironmentError } from '../environments/environment.ts';
import {
  ensureOfflineImages,
  OFFLINE_IMAGE_NAMES,
  removeOfflineImages,
} from '../environments/offline/images/offline-images.ts';
import { startOfflineEnvironment } from '../environments/offline/offline-environment.ts';

const options = new Command('bench-stack')
  .description('cold image build, warm stack up and down times of the offline stack')
  .option('--skip-cold', 'do not measure the cold image build')
  .option('--verbose', 'print progress lines')
  .parse()
  .opts<{ skipCold?: boolean; verbose?: boolean }>();

const progress = (line: string) => {
  if (options.verbose) process.stderr.write(`  ${line}\n`);
};
const seconds = (since: number) => `${((performance.now() - since) / 1000).toFixed(1)} s`;
const results: Array<[string, string]> = [];

try {
  if (!options.skipCold) {
    const namespace = `harbor-conformance-bench-${randomBytes(3).toString('hex')}`;
    process.stderr.write(`cold image build into ${namespace}/* ...\n`);
    const t = performance.now();
    try {
      const { built } = await ensureOfflineImages({ namespace, noCache: true, log: progress });
      results.push([`cold image build (${built.length} of ${OFFLINE_IMAGE_NAMES.length} images)`, seconds(t)]);
    } finally {
      await removeOfflineImages(namespace);
    }
  }

  // warm: the project's images must exist before the clock starts
  await ensureOfflineImages({ log: progress });
  const runId = `hc-bench-${randomBytes(3).toString('hex')}`;
  process.stderr.write(`warm stack up (${runId}) ...\n`);
  let t = performance.now();
  const environment = await startOfflineEnvironment({ runId, log: progress });
  results.push(['warm stack up', seconds(t)]);
  t = performance.now();
  await environment.down();
  results.push(['down', seconds(t)]);
} catch (error) {
  process.stderr.write(`bench-stack: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(error instanceof EnvironmentError ? 2 : 1);
}

const width = Math.max(...results.map(([name]) => name.length));
for (const [name, value] of results) console.log(`${name.padEnd(width)}  ${value}`);
