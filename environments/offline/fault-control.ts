// The harness's side of the double's test-only fault control endpoint (harbor-double/faults/
// fault-control-routes.ts): take the start-state snapshot, then switch profiles, each switch resetting the
// state to that snapshot first. The token is the selftest's alone; it never reaches the Target or a report.
import type { FaultControl } from '../environment.ts';
import { EnvironmentError } from '../environment.ts';

async function call(control: FaultControl, method: 'GET' | 'PUT', path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${control.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${control.token}`,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    signal: AbortSignal.timeout(60_000),
  });
  const text = await response.text();
  if (response.status !== 200)
    throw new EnvironmentError(`fault control ${method} ${path} answered ${response.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text) as unknown;
}

/** The current state of the double becomes the state every later switch starts from. */
export async function snapshotState(control: FaultControl): Promise<void> {
  await call(control, 'PUT', '/_double/snapshot', {});
}

/** Resets the double to the snapshot and switches exactly these profiles on (none: the correct double). */
export async function switchFaultProfiles(control: FaultControl, profiles: readonly string[]): Promise<string[]> {
  const answer = (await call(control, 'PUT', '/_double/faults', { profiles })) as { profiles: string[] };
  return answer.profiles;
}

export async function activeFaultProfiles(control: FaultControl): Promise<string[]> {
  return ((await call(control, 'GET', '/_double/faults')) as { profiles: string[] }).profiles;
}
