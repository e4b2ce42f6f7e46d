// The selftest's work as a queue that several identical offline stacks ("lanes") drain at once: each suite's
// correct-stack run is one item, each fault profile's run another. Every item starts from the same snapshot
// on whichever lane takes it, so which lane runs what does not change a verdict — only the wall-clock time.
// Pure, so the order is unit tested without a stack.
import type { CheckDefinition } from '../suites/check-definition.ts';
import { ConfigError } from './config.ts';
import type { ProfilePlan } from './selftest-plan.ts';

export type SelftestItem =
  | { kind: 'correct'; label: string; suite: string; checks: CheckDefinition[] }
  | { kind: 'profile'; label: string; plan: ProfilePlan; checks: CheckDefinition[] };

/** The label of a suite's correct-stack run (also its directory in the run directory). */
export const correctLabel = (suite: string): string => `correct-stack/${suite}`;

/**
 * Every suite's correct-stack run first (a false alarm is the most important finding, and their durations
 * tell how long each profile's checks will take), then the profiles; within each group longest first by
 * `estimate` (seconds; from an earlier selftest on this machine, when there was one), which keeps one long
 * item from running alone at the end while the other lanes idle.
 */
export function selftestQueue(
  checks: readonly CheckDefinition[],
  plans: readonly ProfilePlan[],
  estimate: (label: string) => number | undefined = () => undefined,
): SelftestItem[] {
  const suites = [...new Set(checks.map((c) => c.suite))];
  const correct: SelftestItem[] = suites.map((suite) => ({
    kind: 'correct',
    label: correctLabel(suite),
    suite,
    checks: checks.filter((c) => c.suite === suite),
  }));
  const profiles: SelftestItem[] = plans
    .filter((plan) => plan.run.length > 0)
    .map((plan) => ({
      kind: 'profile',
      label: plan.profile,
      plan,
      checks: checks.filter((c) => plan.run.includes(c.id)),
    }));
  return [...longestFirst(correct, estimate), ...longestFirst(profiles, estimate)];
}

/** A run whose checks keep the machine's CPUs busy (CheckEntry.cpuBound): two of them side by side each take twice as long. */
export const isCpuBound = (item: SelftestItem): boolean => item.checks.some((c) => c.cpuBound);

function longestFirst(items: SelftestItem[], estimate: (label: string) => number | undefined): SelftestItem[] {
  // a stable sort: items without an estimate keep their catalog order, after the estimated ones of equal cost —
  // except CPU-bound ones, long wherever they run, which go first among the unknown (a fresh clone knows none)
  const unknown = (item: SelftestItem) => (isCpuBound(item) ? -0.5 : -1);
  return items
    .map((item, index) => ({ item, index, seconds: estimate(item.label) ?? unknown(item) }))
    .sort((a, b) => b.seconds - a.seconds || a.index - b.index)
    .map(({ item }) => item);
}

/**
 * The next run for a lane that is free: the first in the queue, unless another lane is on a CPU-bound run — then
 * the first that is not CPU-bound, so the waiting runs fill the other lane while one CPU-bound run has the CPUs.
 * Only CPU-bound runs left: the first of them anyway (a lane never idles). Removes it from the queue.
 */
export function takeNext(queue: SelftestItem[], cpuBoundRunning: number): SelftestItem | undefined {
  const index = cpuBoundRunning > 0 ? queue.findIndex((item) => !isCpuBound(item)) : 0;
  return queue.splice(index < 0 ? 0 : index, 1)[0];
}

/**
 * How many stacks to run at once: HC_SELFTEST_STACKS, else 2 on a machine with at least two cores. Much of a
 * check's time is waiting (Harbor's caches and timeouts, a black-holed peer), which a second stack fills; the
 * CPU-bound runs (the OCI conformance program) already take twice as long each with two stacks on 2 cores.
 */
export function selftestStacks(env: NodeJS.ProcessEnv, cores: number): number {
  const raw = env.HC_SELFTEST_STACKS?.trim();
  if (raw) {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1 || n > 8)
      throw new ConfigError([`--stacks / HC_SELFTEST_STACKS must be a whole number from 1 to 8, got "${raw}"`]);
    return n;
  }
  return cores >= 2 ? 2 : 1;
}
