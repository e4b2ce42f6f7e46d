// Garbage collection as an administrator starts it (POST /system/gc/schedule with type Manual → 201 + Location)
// and waits for it: the execution is polled until its raw job status is final, then its log is read
// (goharbor/harbor src/server/v2.0/handler/gc.go@v2.15.2; tests/apitests/python/library/gc.py does the same).
import type { HarborApiClient } from '../../lib/harbor-api.ts';
import { pollUntil } from '../../lib/poll.ts';

export interface GcParametersSent {
  delete_untagged: boolean;
  dry_run: boolean;
  workers?: number;
}

export interface GcRun {
  id: number;
  status: string;
  jobKind: string;
  /** job_parameters parsed: what was sent, time_window, and the check-in results (freed_space, purged_*). */
  parameters: Record<string, unknown>;
  log: string;
  ms: number;
}

const FINAL = new Set(['Success', 'Error', 'Stopped']);

export async function startGc(api: HarborApiClient, parameters: GcParametersSent): Promise<number> {
  const response = await api.request('POST', '/system/gc/schedule', {
    body: { schedule: { type: 'Manual' }, parameters: { workers: 1, ...parameters } },
    expect: [201],
  });
  const id = Number(/\/system\/gc\/(\d+)$/.exec(response.headers['location'] ?? '')?.[1]);
  if (!Number.isInteger(id)) throw new Error(`POST /system/gc/schedule answered 201 without a Location naming the run`);
  return id;
}

export async function waitForGc(
  api: HarborApiClient,
  id: number,
  timeoutMs = 60_000,
  started = Date.now(),
): Promise<GcRun> {
  const history = await pollUntil(
    async () =>
      (await api.request<{ job_status: string; job_kind: string; job_parameters: string }>('GET', `/system/gc/${id}`))
        .data,
    {
      timeoutMs,
      intervalMs: 150,
      describe: `garbage collection ${id} to finish`,
      accept: (h) => FINAL.has(h.job_status),
      show: (h) => `job_status ${h.job_status}`,
    },
  );
  const ms = Date.now() - started;
  const log = (await api.request<string>('GET', `/system/gc/${id}/log`, { headers: { accept: 'text/plain' } })).data;
  let parameters: Record<string, unknown> = {};
  try {
    parameters = JSON.parse(history.job_parameters) as Record<string, unknown>;
  } catch {
    // left empty: the check that needs them says so
  }
  return { id, status: history.job_status, jobKind: history.job_kind, parameters, log: String(log), ms };
}

export async function runGc(api: HarborApiClient, parameters: GcParametersSent, timeoutMs?: number): Promise<GcRun> {
  const started = Date.now();
  return waitForGc(api, await startGc(api, parameters), timeoutMs, started);
}
