// The machine a result was measured on: numbers from a 2-core shared box and a 32-core runner differ.
import { availableParallelism, cpus, hostname, loadavg, platform, release, totalmem } from 'node:os';
import type { ResultEnvironment } from './result-schema.ts';

export function machineInfo(): ResultEnvironment['machine'] {
  return {
    hostname: hostname(),
    platform: `${platform()} ${release()}`,
    cpus: availableParallelism(),
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    memoryBytes: totalmem(),
    loadAverage: loadavg().map((l) => +l.toFixed(2)),
  };
}
