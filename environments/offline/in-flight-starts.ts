// Component starts still under way when a stack start is aborted. testcontainers cannot cancel a start: a
// container whose create call is in flight appears after the abort. Before the final sweep, the start waits
// for every tracked start to settle, so nothing it asked Docker for is created after the sweep.
const inFlight = new WeakMap<AbortController, Set<Promise<unknown>>>();

/** Tracks a component start of the stack `controller` governs; returns the same promise. */
export function trackStart<T>(controller: AbortController, start: Promise<T>): Promise<T> {
  let pending = inFlight.get(controller);
  if (!pending) {
    pending = new Set();
    inFlight.set(controller, pending);
  }
  const settled = start.then(
    () => undefined,
    () => undefined,
  );
  pending.add(settled);
  void settled.then(() => pending.delete(settled));
  return start;
}

/** Resolves once every tracked start has settled, or after `timeoutMs`; true when all settled. */
export async function settleStarts(controller: AbortController, timeoutMs: number): Promise<boolean> {
  const pending = [...(inFlight.get(controller) ?? [])];
  if (pending.length === 0) return true;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
    timer.unref();
  });
  const all = Promise.all(pending).then(() => true as const);
  try {
    return await Promise.race([all, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
