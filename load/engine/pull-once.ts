// One pull as a client makes it, each phase timed apart: token, manifest HEAD, manifest GET (and the
// index's child), config, then every layer. Every blob is digest-checked while it streams.
import type { Dispatcher } from 'undici';
import type { PhaseName } from '../results/result-schema.ts';
import { DigestMismatchError, HttpStatusError } from './error-class.ts';
import type { BlobRef, ConnectionBehaviour, PlannedArtifact, PullEndpoint } from './pull-plan.ts';
import { timedGet, type TimedAnswer } from './timed-get.ts';

export interface PullRecorder {
  phase(phase: PhaseName, ttfbMs: number, totalMs: number): void;
  request(bytes: number): void;
}

const manifestAccept = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

const redirectStatuses = [301, 302, 303, 307, 308];

function basic(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}

async function authorization(
  dispatcher: Dispatcher,
  endpoint: PullEndpoint,
  repository: string,
  behaviour: ConnectionBehaviour,
  recorder: PullRecorder,
): Promise<string | undefined> {
  const auth = endpoint.auth;
  if (auth.kind === 'none') return undefined;
  if (auth.kind === 'basic') return basic(auth.username, auth.password);
  const url = new URL(auth.realm);
  url.searchParams.set('service', auth.service);
  url.searchParams.set('scope', `repository:${repository}:pull`);
  const answer = await timedGet(dispatcher, url, {
    headers: auth.username && auth.password ? { authorization: basic(auth.username, auth.password) } : {},
    keepBody: true,
    timeoutMs: behaviour.requestTimeoutMs,
    what: 'token',
  });
  note(recorder, 'token', answer);
  const token = JSON.parse(answer.body?.toString('utf8') ?? '{}') as { token?: string; access_token?: string };
  const value = token.token ?? token.access_token;
  if (!value) throw new HttpStatusError(answer.status, 'token answer without a token');
  return `Bearer ${value}`;
}

function note(recorder: PullRecorder, phase: PhaseName, answer: TimedAnswer): void {
  recorder.phase(phase, answer.ttfbMs, answer.totalMs);
  recorder.request(answer.bytes);
}

async function getManifest(
  dispatcher: Dispatcher,
  base: string,
  repository: string,
  reference: string,
  expected: { digest: string },
  headers: Record<string, string>,
  behaviour: ConnectionBehaviour,
  recorder: PullRecorder,
): Promise<void> {
  const url = new URL(`${base}/v2/${repository}/manifests/${reference}`);
  const answer = await timedGet(dispatcher, url, {
    headers: { ...headers, accept: manifestAccept },
    digest: expected.digest,
    timeoutMs: behaviour.requestTimeoutMs,
    what: `manifest ${repository}:${reference}`,
  });
  note(recorder, 'manifest-get', answer);
}

async function getBlob(
  dispatcher: Dispatcher,
  base: string,
  repository: string,
  blob: BlobRef,
  headers: Record<string, string>,
  behaviour: ConnectionBehaviour,
  recorder: PullRecorder,
  phase: PhaseName,
): Promise<void> {
  const url = new URL(`${base}/v2/${repository}/blobs/${blob.digest}`);
  const what = `blob ${blob.digest.slice(0, 19)}`;
  const started = performance.now();
  let answer = await timedGet(dispatcher, url, {
    headers,
    digest: blob.digest,
    accept: [200, ...redirectStatuses],
    timeoutMs: behaviour.requestTimeoutMs,
    what,
  });
  if (redirectStatuses.includes(answer.status) && behaviour.redirects === 'follow') {
    const location = answer.headers['location'];
    if (typeof location !== 'string') throw new HttpStatusError(answer.status, `${what}: redirect without Location`);
    recorder.request(answer.bytes);
    const target = new URL(location, url);
    // Credentials stay with the registry: object storage gets a pre-signed URL.
    const redirected = await timedGet(dispatcher, target, {
      headers: target.origin === url.origin ? headers : {},
      digest: blob.digest,
      timeoutMs: behaviour.requestTimeoutMs,
      what: `${what} (redirected)`,
    });
    answer = { ...redirected, ttfbMs: answer.ttfbMs + redirected.ttfbMs, totalMs: performance.now() - started };
  }
  note(recorder, phase, answer);
}

/** Pulls one artifact; throws on the first failed phase (the caller counts the error by class). */
export async function pullOnce(
  dispatcher: Dispatcher,
  endpoint: PullEndpoint,
  artifact: PlannedArtifact,
  behaviour: ConnectionBehaviour,
  recorder: PullRecorder,
): Promise<void> {
  const started = performance.now();
  const authz = await authorization(dispatcher, endpoint, artifact.repository, behaviour, recorder);
  const headers: Record<string, string> = authz ? { authorization: authz } : {};
  const base = endpoint.baseUrl;
  const head = await timedGet(
    dispatcher,
    new URL(`${base}/v2/${artifact.repository}/manifests/${artifact.reference}`),
    {
      method: 'HEAD',
      headers: { ...headers, accept: manifestAccept },
      timeoutMs: behaviour.requestTimeoutMs,
      what: `manifest HEAD ${artifact.repository}:${artifact.reference}`,
    },
  );
  note(recorder, 'manifest-head', head);
  const served = head.headers['docker-content-digest'];
  if (typeof served === 'string' && served !== artifact.manifest.digest) {
    throw new DigestMismatchError(`manifest HEAD answered ${served}, expected ${artifact.manifest.digest}`);
  }
  await getManifest(
    dispatcher,
    base,
    artifact.repository,
    artifact.reference,
    artifact.manifest,
    headers,
    behaviour,
    recorder,
  );
  if (artifact.child)
    await getManifest(
      dispatcher,
      base,
      artifact.repository,
      artifact.child.digest,
      artifact.child,
      headers,
      behaviour,
      recorder,
    );
  await getBlob(dispatcher, base, artifact.repository, artifact.config, headers, behaviour, recorder, 'config');
  for (const layer of artifact.layers)
    await getBlob(dispatcher, base, artifact.repository, layer, headers, behaviour, recorder, 'blob');
  const total = performance.now() - started;
  recorder.phase('pull', total, total);
}

/** One plain GET of a URL with a known digest (the wrk comparison). */
export async function getUrlOnce(
  dispatcher: Dispatcher,
  url: URL,
  blob: BlobRef,
  behaviour: ConnectionBehaviour,
  recorder: PullRecorder,
): Promise<void> {
  const answer = await timedGet(dispatcher, url, {
    digest: blob.digest,
    timeoutMs: behaviour.requestTimeoutMs,
    what: `GET ${url.pathname}`,
  });
  note(recorder, 'blob', answer);
  recorder.phase('pull', answer.totalMs, answer.totalMs);
}
