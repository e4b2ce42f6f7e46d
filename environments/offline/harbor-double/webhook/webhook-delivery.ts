// One run of a webhook job (goharbor/harbor src/jobservice/job/impl/notification/webhook_job.go@v2.15.2): POST the
// payload to the address with the job's headers; any non-2xx answer or transport error fails the run, which is
// retried until MaxFails. Since v2.15.3 the target is checked again first (public-address.ts): a name that resolves to
// a non-public address fails the run unless the project allows private targets. The task log has the job logger's
// lines: the body is logged, the headers never are.
import { Agent, request } from 'undici';
import type { DoubleServices } from '../double-services.ts';
import { unfixed } from '../faults/previous-patch.ts';
import { updateWebhookTask } from '../store/webhook-executions.ts';
import { deliveryTargetRefusal } from './public-address.ts';
import { scheduleRetry, WEBHOOK_MAX_FAILS, type WebhookJob } from './webhook-jobs.ts';

const insecure = new Agent({ connect: { rejectUnauthorized: false } });
const secure = new Agent();
const logLine = (level: string, message: string) =>
  `${new Date().toISOString().replace(/\.\d{3}Z$/, 'Z')} [${level}] [/jobservice/job/impl/notification/webhook_job.go]: ${message}\n`;

async function post(services: DoubleServices, job: WebhookJob): Promise<string | undefined> {
  if (!job.allowPrivateIp && !unfixed(services.faults, 'GHSA-2phj-cp9f-qq6w')) {
    const refusal = await deliveryTargetRefusal(job.address);
    if (refusal) return `invalid webhook target: ${refusal}`;
  }
  try {
    const response = await request(job.address, {
      method: 'POST',
      headers: job.header,
      body: job.payload,
      dispatcher: job.skipCertVerify ? insecure : secure,
      headersTimeout: 10_000,
      bodyTimeout: 10_000,
    });
    const body = await response.body.text();
    if (response.statusCode < 200 || response.statusCode >= 300)
      return `abnormal response code: ${response.statusCode}, body: ${body.slice(0, 512)}`;
    return undefined;
  } catch (error) {
    return `error to send request: Post "${job.address}": ${(error as Error).message}`;
  }
}

export async function runWebhookJob(services: DoubleServices, job: WebhookJob): Promise<void> {
  let log = logLine('INFO', 'start to run webhook job');
  // webhook-auth-header-leaked: the job logs its request headers, Authorization included.
  if (services.faults.has('webhook-auth-header-leaked'))
    log += logLine('INFO', `send request to remote endpoint, header: ${JSON.stringify(job.header)}`);
  log += logLine('INFO', `send request to remote endpoint, body: ${job.payload}`);
  await updateWebhookTask(services.db, job.taskId, { status: 'Running', attempt: true, log });
  const failure = await post(services, job);
  if (failure === undefined) {
    await updateWebhookTask(services.db, job.taskId, {
      status: 'Success',
      statusMessage: '',
      log: logLine('INFO', 'success to run webhook job'),
    });
    return;
  }
  const fails = job.fails + 1;
  const retry = fails < WEBHOOK_MAX_FAILS && !services.faults.has('webhook-no-retry');
  await updateWebhookTask(services.db, job.taskId, {
    status: retry ? 'Running' : 'Error',
    statusMessage: failure,
    log: logLine('ERROR', `exit webhook job, error: ${failure}`),
  });
  if (retry) await scheduleRetry(services.redis, { ...job, fails });
}
