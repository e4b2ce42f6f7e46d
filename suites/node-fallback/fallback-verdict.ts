// What one node pull showed (the requests each side answered) and how it compares with the team's
// expectation. Pure: the check feeds it the recording fronts' logs and the ctr outcome.
import type { FallbackScenario, ImageSource, NodeFallbackPolicy } from '../../policies/node-fallback-policy.ts';

export type Side = 'harbor' | 'upstream';

/** One request as the recording front of a side saw it; status null = never answered (black hole). */
export interface RecordedRequest {
  side: Side;
  method: string;
  /** Path and query as the node sent it. */
  url: string;
  status: number | null;
  ms: number;
}

export interface PullRun {
  scenario: FallbackScenario;
  /** e.g. `containerd 1.6.20~ds1 (Debian)`. */
  containerd: string;
  /**
   * The node's mirror list: the team's [Harbor, upstream] (default) or the remediation, Harbor only — there
   * the image comes from Harbor or from nowhere, whatever the policy expects of the team's list.
   */
  mirrors?: 'harbor-then-upstream' | 'harbor-only';
  pulled: boolean;
  /** The pull was still running at the bound and was stopped. */
  timedOut: boolean;
  ms: number;
  /** Last line of ctr's error output when the pull failed. */
  error?: string;
  requests: RecordedRequest[];
}

/** Harbor's own refusals per scenario (what Harbor answers; goharbor/harbor src/server/middleware@v2.15.x). */
const refusalStatuses: Partial<Record<FallbackScenario, readonly number[]>> = {
  // v2auth answers a wrong secret and a token without the repository's pull with 401 UNAUTHORIZED
  // (src/server/middleware/v2auth/auth.go); 403 is allowed for a front that says forbidden.
  'bad-credentials': [401, 403],
  'no-pull-permission': [401, 403],
  // the ingress/allow-list in front of Harbor (nginx `deny`) answers 403
  'ingress-forbidden': [403],
  // vulnerable.go and contentrust.go: 412 PROJECTPOLICYVIOLATION on GET and HEAD
  vulnerable: [412],
  unsigned: [412],
};

/** Scenarios in which Harbor refuses the pull: the image must never reach the node from anywhere. */
export const isRefusal = (scenario: FallbackScenario): boolean => refusalStatuses[scenario] !== undefined;
const refusesBlobs = (scenario: FallbackScenario) =>
  scenario === 'bad-credentials' || scenario === 'no-pull-permission' || scenario === 'ingress-forbidden';

const pathOf = (url: string) => url.split('?')[0] ?? url;
const isManifest = (r: RecordedRequest) => pathOf(r.url).includes('/manifests/');
const isBlob = (r: RecordedRequest) => pathOf(r.url).includes('/blobs/');
const ok = (status: number | null) => status !== null && status >= 200 && status < 300;

/** The last answer to each distinct request (a 401 challenge followed by the retry with a token is one request). */
export function finalAnswers(
  requests: readonly RecordedRequest[],
  side: Side,
  kind: 'manifest' | 'blob',
): RecordedRequest[] {
  const last = new Map<string, RecordedRequest>();
  for (const r of requests) {
    if (r.side !== side || !(kind === 'manifest' ? isManifest(r) : isBlob(r))) continue;
    last.set(`${r.method} ${pathOf(r.url)}`, r);
  }
  return [...last.values()];
}

export interface RowFacts {
  /** The side whose manifest GET answered 2xx (the image the node stored), null when none did. */
  manifestFrom: Side | null;
  blobsFrom: Side[];
  /** Where the image came from: the side that served its manifest, or none. */
  source: ImageSource;
  /** Harbor's final answers to manifest requests, e.g. `HEAD …/manifests/v1 412`. */
  harborAnswers: string[];
}

export function rowFacts(run: PullRun): RowFacts {
  const manifestGets = (side: Side) =>
    finalAnswers(run.requests, side, 'manifest').some((r) => r.method === 'GET' && ok(r.status));
  const manifestFrom: Side | null = manifestGets('harbor') ? 'harbor' : manifestGets('upstream') ? 'upstream' : null;
  const resolvedOn = (side: Side): Side | undefined =>
    finalAnswers(run.requests, side, 'manifest').some((r) => ok(r.status)) ? side : undefined;
  const blobsFrom = (['harbor', 'upstream'] as const).filter((side) =>
    finalAnswers(run.requests, side, 'blob').some((r) => r.method === 'GET' && ok(r.status)),
  );
  const harborAnswers = finalAnswers(run.requests, 'harbor', 'manifest').map(
    (r) => `${r.method} ${shorten(pathOf(r.url))} ${r.status ?? 'no answer'}`,
  );
  return {
    manifestFrom,
    blobsFrom,
    // A manifest GET answered 2xx put the image on the node even when ctr was stopped at the bound later; a pull
    // stopped at the bound that had already resolved the tag on a side was taking the image from there.
    source: manifestFrom ?? (run.pulled ? 'upstream' : run.timedOut ? (resolvedOn('upstream') ?? 'none') : 'none'),
    harborAnswers,
  };
}

/** `/v2/p/x/app/manifests/sha256:abcdef…` → `…/manifests/sha256:abcdef12` */
function shorten(path: string): string {
  const m = /\/(manifests|blobs)\/(.+)$/.exec(path);
  if (!m) return path;
  const ref = m[2]!.startsWith('sha256:') ? `${m[2]!.slice(0, 15)}…` : m[2]!;
  return `…/${m[1]}/${ref}`;
}

export type RowVerdict = 'as expected' | 'resolver deviation' | 'Harbor defect';

export interface JudgedRow {
  run: PullRun;
  facts: RowFacts;
  expected: ImageSource;
  verdict: RowVerdict;
  /** A refused image reached the node from the upstream. */
  bypass: boolean;
  reasons: string[];
}

export function judgeRow(run: PullRun, policy: NodeFallbackPolicy): JudgedRow {
  const facts = rowFacts(run);
  const expected: ImageSource =
    run.mirrors === 'harbor-only' ? (run.scenario === 'healthy' ? 'harbor' : 'none') : policy.expect[run.scenario];
  const harborDefects: string[] = [];
  const refusal = refusalStatuses[run.scenario];
  const manifests = finalAnswers(run.requests, 'harbor', 'manifest');
  if (refusal) {
    for (const r of manifests) {
      if (ok(r.status))
        harborDefects.push(`Harbor served ${r.method} ${pathOf(r.url)} (${r.status}) of an image it refuses`);
      else if (r.status !== null && !refusal.includes(r.status))
        harborDefects.push(
          `Harbor answered ${r.method} ${pathOf(r.url)} with ${r.status} instead of a refusal (${refusal.join('/')}): every resolver takes that as "try the next mirror"`,
        );
    }
    if (refusesBlobs(run.scenario))
      for (const r of finalAnswers(run.requests, 'harbor', 'blob'))
        if (ok(r.status)) harborDefects.push(`Harbor served blob ${pathOf(r.url)} to a caller it refuses`);
  }
  if (run.scenario === 'healthy' && facts.manifestFrom !== 'harbor' && !manifests.some((r) => ok(r.status)))
    harborDefects.push(`Harbor did not serve the healthy image (${facts.harborAnswers.join('; ') || 'no request'})`);
  if (run.scenario === 'not-found')
    for (const r of manifests)
      if (r.status !== null && r.status !== 404)
        harborDefects.push(
          `Harbor answered ${r.method} ${pathOf(r.url)} for a missing image with ${r.status}, not 404`,
        );

  const bypass = refusal !== undefined && facts.source === 'upstream';
  const reasons = [...harborDefects];
  if (facts.source !== expected)
    reasons.push(
      `expected ${expected === 'none' ? 'no image' : `the image from ${expected}`}, the node ${facts.source === 'none' ? `got none${run.timedOut ? ' (stopped at the bound)' : ''}` : `got it from ${facts.source}`}`,
    );
  const verdict: RowVerdict =
    harborDefects.length > 0 ? 'Harbor defect' : facts.source !== expected ? 'resolver deviation' : 'as expected';
  return { run, facts, expected, verdict, bypass, reasons };
}

export interface FallbackVerdict {
  outcome: 'pass' | 'warn' | 'fail';
  rows: JudgedRow[];
}

export function judgeRuns(runs: readonly PullRun[], policy: NodeFallbackPolicy): FallbackVerdict {
  const rows = runs.map((r) => judgeRow(r, policy));
  const outcome = rows.some((r) => r.verdict === 'Harbor defect')
    ? 'fail'
    : rows.some((r) => r.verdict === 'resolver deviation')
      ? policy.resolverDeviation
      : 'pass';
  return { outcome, rows };
}
